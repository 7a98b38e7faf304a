import * as vscode from 'vscode';
import type { AppCoreApi, AppLogger, StatusBarModel } from '../core/appApi';
import { Disposable } from './disposable';
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

/** The P&L item: text, tone and tooltip come from AppCore; this only maps them to VS Code. */
export class PnlStatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly throttle: TrailingThrottle;
  private enabled: boolean;
  private state: StatusBarState = { text: '', tooltip: '', color: undefined, backgroundColor: undefined, visible: false };

  constructor(
    private readonly core: AppCoreApi,
    private readonly logger: AppLogger,
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
      model = this.core.statusBar();
    } catch (e) {
      this.logger.debug(`status bar model unavailable: ${e instanceof Error ? e.message : String(e)}`);
      model = { text: '$(sync~spin) APPSIERRA', tone: 'flat', warning: false, tooltip: 'APPSIERRA is loading…' };
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
