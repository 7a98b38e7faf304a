/**
 * What the P&L status bar item shows, and which of its properties changed since the last render.
 * No 'vscode' here: statusBar.ts maps the changes onto the item, and the `statusbar` bench drives
 * the same code (socket -> status bar text, issue 12). Rendering is immediate: AppCore already
 * coalesces every event of a tick into one change, so there is nothing left to throttle, and
 * only properties that changed are re-sent (each one is a message to the window).
 */
import type { AppCoreApi, AppLogger } from '../core/appApi';
import type { AppSettings } from '../core/settings';
import type { Selection } from '../core/viewModels';
import { errorText } from '../core/errors';
import { LOADING_MODEL, statusBarModel, type StatusBarModel } from './statusBarModel';

/** The item keeps the status bar's own foreground; attention shows only through the two supported backgrounds. */
export const WARNING_BACKGROUND = 'statusBarItem.warningBackground';
export const ERROR_BACKGROUND = 'statusBarItem.errorBackground';

export interface StatusBarState {
  text: string;
  tooltip: string;
  color: string | undefined;
  backgroundColor: string | undefined;
  visible: boolean;
}

/** What the item reads: the core, the selection it shows, and the format setting. */
export interface StatusBarDeps {
  core: Pick<AppCoreApi, 'snapshot'>;
  logger: Pick<AppLogger, 'debug'>;
  selection(): Selection;
  format(): AppSettings['statusBar']['format'];
}

/** The properties to re-send; absent ones are unchanged. */
export type StatusBarChanges = Partial<Omit<StatusBarState, 'color'>>;

export class StatusBarPresenter {
  private last: StatusBarState | null = null;

  constructor(private readonly deps: StatusBarDeps) {}

  /** The state now; `apply` is called with what differs from the last render (never when nothing does). */
  render(enabled: boolean, apply: (changes: StatusBarChanges) => void): StatusBarState {
    let model: StatusBarModel;
    try {
      model = statusBarModel(this.deps.core.snapshot('balance', this.deps.selection()), this.deps.format());
    } catch (e) {
      this.deps.logger.debug(`status bar model unavailable: ${errorText(e)}`);
      model = LOADING_MODEL;
    }
    // Never a foreground colour: on an unknown status bar colour it can be unreadable (green on blue is 1.04:1).
    const background = model.error ? ERROR_BACKGROUND : model.warning ? WARNING_BACKGROUND : undefined;
    const next: StatusBarState = { text: model.text, tooltip: model.tooltip, color: undefined, backgroundColor: background, visible: enabled };
    const prev = this.last;
    const changes: StatusBarChanges = {};
    if (!prev || prev.text !== next.text) changes.text = next.text;
    if (!prev || prev.tooltip !== next.tooltip) changes.tooltip = next.tooltip;
    if (!prev || prev.backgroundColor !== next.backgroundColor) changes.backgroundColor = next.backgroundColor;
    if (!prev || prev.visible !== next.visible) changes.visible = next.visible;
    this.last = next;
    if (Object.keys(changes).length) apply(changes);
    return next;
  }

  get state(): StatusBarState | null {
    return this.last;
  }
}
