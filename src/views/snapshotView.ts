import * as vscode from 'vscode';
import type { AppCoreApi, AppLogger } from '../core/appApi';
import { isWebviewMessage, type HostMessage, type ViewId, type WebviewMessage } from '../shared/protocol';
import { Disposable } from './disposable';
import { errorText } from './logger';
import type { SelectionState } from './selection';
import { TrailingThrottle } from './throttle';
import { webviewHtml } from './webviewHtml';

/** At most 10 snapshots per second per view. */
const MIN_POST_INTERVAL_MS = 100;

export interface SnapshotViewDeps {
  core: AppCoreApi;
  /** What every view shows; the page asks to change it, the host owns it. */
  selection: SelectionState;
  extensionUri: vscode.Uri;
  logger: AppLogger;
  /** Runs a webview-requested command (`resetSimBalance` -> `appsierra.resetSimBalance`). */
  runCommand(id: string): void;
}

/**
 * One sidebar webview view. Sends FULL snapshots only (never deltas), queued until the page says
 * `ready`, throttled with a trailing edge, and re-sent in full whenever a hidden view becomes
 * visible. Messages from the page are untrusted and checked with `isWebviewMessage`.
 */
export class SnapshotViewProvider extends Disposable implements vscode.WebviewViewProvider {
  static viewType(view: ViewId): string {
    return `appsierra.${view}`;
  }

  private webviewView: vscode.WebviewView | undefined;
  private ready = false;
  private resolved = false;
  private lastData: unknown;
  private readonly throttle: TrailingThrottle;
  private viewDisposables: vscode.Disposable[] = [];

  constructor(
    readonly view: ViewId,
    private readonly deps: SnapshotViewDeps,
  ) {
    super();
    this.throttle = this.register(new TrailingThrottle(MIN_POST_INTERVAL_MS, () => this.postSnapshot()));
    this.register({ dispose: () => this.releaseView() });
  }

  get isResolved(): boolean {
    return this.resolved;
  }

  get lastPosted(): unknown {
    return this.lastData;
  }

  /** AppCore says this view's data changed. */
  invalidate(): void {
    this.throttle.schedule();
  }

  resolveWebviewView(webviewView: vscode.WebviewView): void {
    this.releaseView();
    this.webviewView = webviewView;
    this.ready = false;
    this.resolved = true;
    const webview = webviewView.webview;
    const distWebview = vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webview');

    // Order as in the VS Code samples: options, then html, then listeners.
    webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [distWebview, vscode.Uri.joinPath(this.deps.extensionUri, 'media')],
    };
    webview.html = this.html(webview, distWebview);
    this.viewDisposables.push(
      webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      webviewView.onDidChangeVisibility(() => {
        // A view hidden for a while may have missed updates: give it the whole state again.
        if (webviewView.visible) this.throttle.flush();
      }),
      webviewView.onDidDispose(() => {
        if (this.webviewView === webviewView) this.releaseView();
      }),
    );
  }

  private releaseView(): void {
    for (const d of this.viewDisposables.splice(0)) d.dispose();
    this.webviewView = undefined;
    this.ready = false;
  }

  private postSnapshot(): void {
    const wv = this.webviewView;
    // Not ready or hidden: nothing is lost, the next `ready`/visibility change sends a full snapshot.
    if (!wv || !this.ready || !wv.visible) return;
    let data: unknown;
    try {
      data = this.deps.core.snapshot(this.view, this.deps.selection.current);
    } catch (e) {
      this.deps.logger.error(`${this.view} snapshot failed: ${errorText(e)}`);
      return;
    }
    const message = { type: 'snapshot', view: this.view, data } as HostMessage;
    this.lastData = data;
    wv.webview.postMessage(message).then(undefined, (e: unknown) => this.deps.logger.debug(`${this.view} post failed: ${String(e)}`));
  }

  private onMessage(raw: unknown): void {
    if (!isWebviewMessage(raw)) {
      this.deps.logger.debug(`${this.view}: dropped an unknown webview message`);
      return;
    }
    const m: WebviewMessage = raw;
    const selection = this.deps.selection;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.throttle.flush();
        return;
      case 'setTimeframe':
        selection.setTimeframe(m.timeframe);
        return;
      case 'setMode':
        selection.setMode(m.mode);
        return;
      case 'setAccount':
        selection.setAccount(m.account);
        return;
      case 'command':
        this.deps.runCommand(`appsierra.${m.command}`);
        return;
    }
  }

  private html(webview: vscode.Webview, distWebview: vscode.Uri): string {
    const title = this.view[0].toUpperCase() + this.view.slice(1);
    return webviewHtml(webview, { dist: distWebview, view: this.view, title, styles: ['styles.css'], script: `${this.view}.js` });
  }
}
