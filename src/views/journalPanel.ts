import * as fs from 'fs';
import * as vscode from 'vscode';
import type { AppLogger } from '../core/appApi';
import type { TradeIndex } from '../core/reports';
import type { Fill } from '../core/trading/types';
import {
  DEFAULT_JOURNAL_STATE,
  JOURNAL_FIRST_PAINT_ID,
  isJournalRequest,
  isJournalViewState,
  type JournalFacets,
  type JournalHostMessage,
  type JournalRequest,
  type JournalViewState,
} from '../shared/journalProtocol';
import { Disposable } from './disposable';
import { answerJournal, journalFacets, journalFirstPaint } from './journalAnswers';
import { TrailingThrottle } from './throttle';
import { webviewHtml } from './webviewHtml';

/** What the panel reads: the host's trade index, the store's fills and tags. Owned by the session. */
export interface JournalSource {
  /** The index, or null while the store loads (the panel shows "loading"). */
  index(): TradeIndex | null;
  /** Where the figures come from, e.g. "demo store" or the store description. */
  sourceLabel(): string;
  fillsOf(tradeId: string): Promise<Fill[]>;
  /** Adds/removes tags (durably, through the outbox when PostgreSQL is down); resolves when stored. */
  editTags(tradeIds: string[], add: string[], remove: string[]): Promise<void>;
  /** Trades or tags changed, or the store finished loading. */
  onDidChange(listener: () => void): vscode.Disposable;
}

export interface JournalPanelDeps {
  source: JournalSource;
  extensionUri: vscode.Uri;
  logger: AppLogger;
  /** Opens (creating if needed) the day note and reveals the trade's heading. */
  openNote(day: string, tradeId: string | null): Promise<void>;
}

/** At most 4 "changed" pushes a second: a fast feed must not make the panel re-ask on every fill. */
const CHANGE_INTERVAL_MS = 250;

/**
 * The journal panel in the editor area: one instance, revealed if open, restored after a reload by
 * the serializer. The host owns the data and answers the page's requests (pages of rows, never the
 * whole table); every message from the page is checked by `isJournalRequest`.
 */
export class JournalPanel extends Disposable {
  static readonly viewType = 'appsierra.journal';
  private static current: JournalPanel | undefined;
  private state: JournalViewState;
  private ready = false;
  /** Trades or tags changed after the HTML (with its first page) was made and before the page said ready. */
  private staleFirstPaint = false;
  private readonly changes: TrailingThrottle;
  /** Counted, never silent: messages the guard refused. */
  static rejectedMessages = 0;

  /** Opens the panel or reveals the open one, optionally showing `state` (a link, a calendar day). */
  static show(deps: JournalPanelDeps, state?: Partial<JournalViewState>): JournalPanel {
    const open = JournalPanel.current;
    if (open) {
      open.panel.reveal(open.panel.viewColumn);
      if (state) open.post({ type: 'show', state });
      return open;
    }
    const panel = vscode.window.createWebviewPanel(JournalPanel.viewType, 'APPSIERRA Journal', vscode.ViewColumn.Active, JournalPanel.options(deps.extensionUri));
    return new JournalPanel(panel, deps, { ...DEFAULT_JOURNAL_STATE, ...(state ?? {}) });
  }

  /** The serializer: VS Code reopens a panel after a reload with the state the page saved. */
  static serializer(deps: JournalPanelDeps): vscode.WebviewPanelSerializer {
    return {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown) {
        panel.webview.options = JournalPanel.options(deps.extensionUri);
        JournalPanel.current?.dispose();
        new JournalPanel(panel, deps, isJournalViewState(saved) ? saved : DEFAULT_JOURNAL_STATE);
      },
    };
  }

  static get instance(): JournalPanel | undefined {
    return JournalPanel.current;
  }

  private static options(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    };
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: JournalPanelDeps,
    initial: JournalViewState,
  ) {
    super();
    JournalPanel.current = this;
    this.state = initial;
    this.changes = this.register(new TrailingThrottle(CHANGE_INTERVAL_MS, () => this.pushChanged()));
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'appsierra.svg');
    panel.webview.html = this.html(panel.webview);
    this.register(panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)));
    this.register(deps.source.onDidChange(() => {
      if (!this.ready) this.staleFirstPaint = true;
      this.changes.schedule();
    }));
    this.register(panel.onDidChangeViewState(() => panel.visible && this.changes.flush()));
    this.register(panel.onDidDispose(() => this.dispose()));
  }

  override dispose(): void {
    if (JournalPanel.current === this) JournalPanel.current = undefined;
    super.dispose();
    this.panel.dispose();
  }

  /** The state the page last saved (tab, filters, sort, month, open trade). */
  get viewState(): JournalViewState {
    return this.state;
  }

  private post(m: JournalHostMessage): void {
    // Pushes wait for `ready` (the page asks for everything then); an answer always goes: the page waits for it.
    if (!this.ready && !('seq' in m)) return;
    this.panel.webview.postMessage(m).then(undefined, (e: unknown) => this.deps.logger.debug(`journal post failed: ${String(e)}`));
  }

  private pushChanged(): void {
    if (!this.ready || !this.panel.visible) return;
    this.post({ type: 'facets', facets: this.facets() });
    this.post({ type: 'changed' });
  }

  private facets(): JournalFacets {
    return journalFacets(this.deps.source);
  }

  private async onMessage(raw: unknown): Promise<void> {
    if (!isJournalRequest(raw)) {
      JournalPanel.rejectedMessages++;
      this.deps.logger.debug('journal: dropped a message that is not a journal request');
      return;
    }
    try {
      await this.answer(raw);
    } catch (e) {
      const message = `Journal: ${e instanceof Error ? e.message : String(e)}`;
      this.deps.logger.error(message);
      this.post({ type: 'error', message });
    }
  }

  private async answer(m: JournalRequest): Promise<void> {
    switch (m.type) {
      case 'ready': {
        // A second 'ready' is the page loaded again from the same HTML (VS Code drops a hidden webview's page): its rows are as old as the panel.
        const reloaded = this.ready;
        this.ready = true;
        // The page painted the facets and rows embedded in its HTML; only if they aged meanwhile does it get new facets and re-ask.
        if (this.staleFirstPaint || reloaded) {
          this.post({ type: 'facets', facets: this.facets() });
          this.post({ type: 'changed' });
        }
        this.staleFirstPaint = false;
        this.prepareSorts();
        return;
      }
      case 'state':
        this.state = m.state;
        return;
      case 'page':
      case 'report':
      case 'calendar':
      case 'detail':
        this.post(await answerJournal(this.deps.source, m));
        if (m.type === 'page') this.prepareSorts();
        return;
      case 'tags':
        await this.deps.source.editTags(m.tradeIds, m.add, m.remove);
        this.changes.flush();
        return;
      case 'openNote':
        await this.deps.openNote(m.day, m.tradeId);
        return;
    }
  }

  /** Rows are shown: build every column's sort order in the background (once per index), so a click on a header does not sort 100k trades. */
  private prepareSorts(): void {
    void this.deps.source.index()?.prepareSorts().catch((e: unknown) => this.deps.logger.debug(`journal sort orders: ${String(e)}`));
  }

  /**
   * The page with its first rows in it (a JSON data element), its style sheets and script written in
   * (with the page's nonce): the first paint waits for no round trip and no request.
   */
  private html(webview: vscode.Webview): string {
    const dist = vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webview');
    const data = { id: JOURNAL_FIRST_PAINT_ID, value: journalFirstPaint(this.deps.source, this.state) };
    const text = (f: string) => distText(vscode.Uri.joinPath(dist, f).fsPath, this.deps.logger);
    const styles = ['styles.css', 'journal.css'];
    const styleTexts = styles.map(text);
    return webviewHtml(webview, {
      dist, view: 'journal', title: 'APPSIERRA Journal', styles, script: 'journal.js', bodyClass: 'journal-page', data,
      scriptText: text('journal.js'), styleTexts: styleTexts.every((t) => t !== undefined) ? (styleTexts as string[]) : undefined,
    });
  }
}

const distTexts = new Map<string, string>();

/** A file of dist/webview, read once per extension run; undefined (the page then links it) if it cannot be read. */
function distText(file: string, logger: AppLogger): string | undefined {
  let text = distTexts.get(file);
  if (text === undefined) {
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      logger.debug(`journal: ${file} not read (${String(e)}); the page links it`);
      return undefined;
    }
    distTexts.set(file, text);
  }
  return text;
}
