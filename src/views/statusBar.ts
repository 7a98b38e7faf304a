import * as vscode from 'vscode';
import { Disposable } from './disposable';
import { StatusBarPresenter, type StatusBarChanges, type StatusBarDeps, type StatusBarState } from './statusBarPresenter';

export type { StatusBarDeps, StatusBarState } from './statusBarPresenter';

/**
 * The P&L item: the Balance view model for the selection, worded by statusBarModel and mapped onto
 * VS Code. It renders at once when invalidated (AppCore sends one change per tick) and re-sends
 * only the properties that changed.
 */
export class PnlStatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly presenter: StatusBarPresenter;
  private enabled: boolean;
  private state: StatusBarState = { text: '', tooltip: '', color: undefined, backgroundColor: undefined, visible: false };

  constructor(deps: StatusBarDeps, enabled: boolean) {
    super();
    this.enabled = enabled;
    this.presenter = new StatusBarPresenter(deps);
    this.item = this.register(vscode.window.createStatusBarItem('appsierra.pnl', vscode.StatusBarAlignment.Left, 100));
    this.item.name = 'APPSIERRA P&L';
    this.item.command = 'appsierra.balance.focus';
    this.item.color = undefined;
    this.render();
  }

  invalidate(): void {
    this.render();
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.render();
  }

  snapshot(): StatusBarState {
    return { ...this.state };
  }

  private render(): void {
    this.state = this.presenter.render(this.enabled, (c) => this.apply(c));
  }

  private apply(c: StatusBarChanges): void {
    if (c.text !== undefined) this.item.text = c.text;
    if (c.tooltip !== undefined) {
      // Server text in the model is escaped; the only command link is ours, and only it is enabled.
      const tooltip = new vscode.MarkdownString(`${c.tooltip}\n\n[$(book) Open Journal](command:appsierra.openJournal)`, true);
      tooltip.isTrusted = { enabledCommands: ['appsierra.openJournal'] };
      this.item.tooltip = tooltip;
    }
    if ('backgroundColor' in c) this.item.backgroundColor = c.backgroundColor ? new vscode.ThemeColor(c.backgroundColor) : undefined;
    if (c.visible === true) this.item.show();
    else if (c.visible === false) this.item.hide();
  }
}
