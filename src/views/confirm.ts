import * as vscode from 'vscode';

/**
 * Modal confirmations for risky actions, asked in the host (never in a webview). Tests queue the
 * answer instead of clicking a native dialog.
 */
export class Confirmer {
  private readonly queued: (string | undefined)[] = [];

  answerNext(choice: string | undefined): void {
    this.queued.push(choice);
  }

  async ask(message: string, detail: string, ...actions: string[]): Promise<string | undefined> {
    if (this.queued.length) return this.queued.shift();
    return vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions);
  }
}
