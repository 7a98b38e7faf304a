/**
 * The risk guard's notices as VS Code notifications: each threshold once per session (the core
 * decides what is new), a warning at 50 %, an error at 80 % and at a breach or a tilt rule.
 * It only tells: APPSIERRA never sends an order.
 */
import * as vscode from 'vscode';
import type { AppCoreApi } from '../core/appApi';
import type { RiskNotice } from '../core/risk';
import { Disposable } from './disposable';

export class RiskNotifications extends Disposable {
  /** What was shown, in order (the extension tests read it). */
  readonly shown: RiskNotice[] = [];

  constructor(core: AppCoreApi) {
    super();
    const off = core.onRiskNotice((n) => this.show(n));
    this.register({ dispose: off });
  }

  private show(n: RiskNotice): void {
    this.shown.push(n);
    const text = `APPSIERRA risk: ${n.message}`;
    const show = n.level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    void show(text, 'Open Balance').then((choice) => {
      if (choice) void vscode.commands.executeCommand('appsierra.balance.focus');
    });
  }
}
