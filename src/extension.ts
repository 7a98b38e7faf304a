import * as vscode from 'vscode';

// Placeholder composition root; the real one arrives with the views (issue 5).
export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand('appsierra.showLog', () => undefined));
}

export function deactivate(): void {
  // nothing to flush yet
}
