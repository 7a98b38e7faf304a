import * as vscode from 'vscode';

/** A notification a test answered instead of a click: what it said and which buttons it offered. */
export interface AnsweredNotice {
  level: 'info' | 'warning';
  message: string;
  actions: string[];
}

/**
 * Modal confirmations for risky actions, asked in the host (never in a webview), and notifications
 * whose buttons lead somewhere (the import summary). Tests queue the answer instead of clicking a
 * native dialog or a notification button.
 */
export class Confirmer {
  private readonly queued: (string | undefined)[] = [];
  private readonly notices: { choice: string | undefined; shown: (n: AnsweredNotice) => void }[] = [];

  answerNext(choice: string | undefined): void {
    this.queued.push(choice);
  }

  async ask(message: string, detail: string, ...actions: string[]): Promise<string | undefined> {
    if (this.queued.length) return this.queued.shift();
    return vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions);
  }

  /** The next notify() returns `choice` without showing; resolves with what it would have shown. */
  answerNextNotice(choice: string | undefined): Promise<AnsweredNotice> {
    return new Promise((shown) => this.notices.push({ choice, shown }));
  }

  /** A non-modal notification with buttons: the button chosen, or undefined when dismissed. */
  async notify(level: AnsweredNotice['level'], message: string, ...actions: string[]): Promise<string | undefined> {
    const answer = this.notices.shift();
    if (answer) {
      answer.shown({ level, message, actions });
      return answer.choice;
    }
    return level === 'warning' ? vscode.window.showWarningMessage(message, ...actions) : vscode.window.showInformationMessage(message, ...actions);
  }
}
