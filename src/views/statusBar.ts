import * as vscode from 'vscode';
import type { AppCoreApi, AppLogger } from '../core/appApi';
import type { AppSettings } from '../core/settings';
import type { Selection } from '../core/viewModels';
import { Disposable } from './disposable';
import { errorText } from './logger';
import { LOADING_MODEL, statusBarModel, type StatusBarModel } from './statusBarModel';
import { TrailingThrottle } from './throttle';

/** The item keeps the status bar's own foreground; attention shows only through the two supported backgrounds. */
const WARNING_BACKGROUND = 'statusBarItem.warningBackground';
const ERROR_BACKGROUND = 'statusBarItem.errorBackground';

export interface StatusBarState {
  text: string;
  tooltip: string;
  color: string | undefined;
  backgroundColor: string | undefined;
  visible: boolean;
}

/** What the item reads: the core, the selection it shows, and the format setting. */
export interface StatusBarDeps {
  core: AppCoreApi;
  logger: AppLogger;
  selection(): Selection;
  format(): AppSettings['statusBar']['format'];
}

/** The P&L item: the Balance view model for the selection, worded by statusBarModel and mapped onto VS Code. */
export class PnlStatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly throttle: TrailingThrottle;
  private enabled: boolean;
  private state: StatusBarState = { text: '', tooltip: '', color: undefined, backgroundColor: undefined, visible: false };

  constructor(
    private readonly deps: StatusBarDeps,
    enabled: boolean,
  ) {
    super();
    this.enabled = enabled;
    this.item = this.register(vscode.window.createStatusBarItem('appsierra.pnl', vscode.StatusBarAlignment.Left, 100));
    this.item.name = 'APPSIERRA P&L';
    this.item.command = 'appsierra.balance.focus';
    this.throttle = this.register(new TrailingThrottle(250, () => this.render()));
    this.render();
  }

  invalidate(): void {
    this.throttle.schedule();
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.throttle.flush();
  }

  snapshot(): StatusBarState {
    return { ...this.state };
  }

  private render(): void {
    let model: StatusBarModel;
    try {
      model = statusBarModel(this.deps.core.snapshot('balance', this.deps.selection()), this.deps.format());
    } catch (e) {
      this.deps.logger.debug(`status bar model unavailable: ${errorText(e)}`);
      model = LOADING_MODEL;
    }
    // Never a foreground colour: on an unknown status bar colour it can be unreadable (green on blue is 1.04:1).
    const color = undefined;
    const background = model.error ? ERROR_BACKGROUND : model.warning ? WARNING_BACKGROUND : undefined;
    this.item.text = model.text;
    // Server text in the model is escaped; the only command link is ours, and only it is enabled.
    const tooltip = new vscode.MarkdownString(`${model.tooltip}\n\n[$(book) Open Journal](command:appsierra.openJournal)`, true);
    tooltip.isTrusted = { enabledCommands: ['appsierra.openJournal'] };
    this.item.tooltip = tooltip;
    this.item.color = undefined;
    this.item.backgroundColor = background ? new vscode.ThemeColor(background) : undefined;
    if (this.enabled) this.item.show();
    else this.item.hide();
    this.state = { text: model.text, tooltip: model.tooltip, color, backgroundColor: background, visible: this.enabled };
  }
}
