import * as vscode from 'vscode';
import type { AppCoreApi, AppLogger } from '../core/appApi';
import type { AppSettings } from '../core/settings';
import type { Selection } from '../core/viewModels';
import { Disposable } from './disposable';
import { errorText } from './logger';
import { LOADING_MODEL, statusBarModel, type StatusBarModel } from './statusBarModel';
import { TrailingThrottle } from './throttle';

const TONE_COLOR: Record<StatusBarModel['tone'], string | undefined> = {
  profit: 'charts.green',
  loss: 'charts.red',
  flat: undefined,
};
/** Only the two backgrounds VS Code supports for status bar items; we use the warning one. */
const WARNING_BACKGROUND = 'statusBarItem.warningBackground';

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
    const color = TONE_COLOR[model.tone];
    const background = model.warning ? WARNING_BACKGROUND : undefined;
    this.item.text = model.text;
    const tooltip = new vscode.MarkdownString(model.tooltip, true);
    tooltip.isTrusted = false;
    this.item.tooltip = tooltip;
    this.item.color = color ? new vscode.ThemeColor(color) : undefined;
    this.item.backgroundColor = background ? new vscode.ThemeColor(background) : undefined;
    if (this.enabled) this.item.show();
    else this.item.hide();
    this.state = { text: model.text, tooltip: model.tooltip, color, backgroundColor: background, visible: this.enabled };
  }
}
