import * as vscode from 'vscode';
import type { AppCoreApi } from '../core/appApi';
import type { ConnectionInfo } from '../shared/protocol';

/**
 * Context keys for `when` clauses (view/title buttons, palette): `appsierra.connected`,
 * `appsierra.connecting` and `appsierra.demoRunning`.
 */
export class ConnectionContext implements vscode.Disposable {
  private last = '';

  constructor(private readonly core: AppCoreApi) {
    this.update();
  }

  update(): void {
    // Called on every balance change (per DTC message during a replay): read the connection only.
    const c: ConnectionInfo = this.core.connectionInfo();
    const connected = c.state === 'connected';
    const connecting = ['connecting', 'negotiating', 'logging-on', 'reconnecting'].includes(c.state);
    const demo = c.demo && (connected || connecting);
    const key = `${connected}|${connecting}|${demo}`;
    if (key === this.last) return;
    this.last = key;
    void vscode.commands.executeCommand('setContext', 'appsierra.connected', connected);
    void vscode.commands.executeCommand('setContext', 'appsierra.connecting', connecting);
    void vscode.commands.executeCommand('setContext', 'appsierra.demoRunning', demo);
  }

  dispose(): void {
    // context keys die with the window
  }
}
