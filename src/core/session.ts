/**
 * TradeSession: the one pipeline every entry point uses (the extension through AppCore, the CLI's
 * `ingest`, the coming `import`). It owns the store (open, health, follow, close), the
 * TradeJournal (messages -> fills -> trades -> durable commits), the SIM ledger and its
 * sim_balance.json mirror, monthly resets, the stats cache and the alerts. It exposes read-only
 * state and typed events; projections (projections.ts) turn that state into view models.
 *
 * Bulk changes (history import, undo, rebuild: src/core/import) run here too, alone on the
 * journal's commit chain; afterwards the journal, the ledger, the stats and the mirror are
 * reloaded from the store and monthly resets applied, exactly as after any other commit.
 */
import type { AppSettings } from './settings';
import type { AppLogger, CheckItem } from './appApi';
import type { DtcMessage } from './dtc';
import type { TradeQuery, TradeStore } from './store/types';
import type { Fill, Mode, OpenPosition, Trade } from './trading/types';
import type { StoreInfo } from './viewModels';
import type { TagEdit } from './trading/tags';
import { Alerts, type AlertKind } from './alerts';
import { Emitter } from './events';
import { errorText } from './errors';
import { TradeJournal, type JournalCounters } from './journal';
import { SimBalanceMirror } from './sim';
import { StatsCache } from './stats';
import { persistenceReport } from './diagnostics/report';
import { ContractSpecs, KEY_SEP, contractKey, isSpecError, modeOf, type AccountBalance, type ServerPositionObservation, type WorkingOrdersView } from './trading';
import { formatMoney } from '../shared/format';
import { rebuildPartitions, runImport, undoImport, type ImportRunOptions, type ImportSummary, type RebuildSummary, type ReplayOptions, type UndoSummary } from './import';
import type { ImportBatch } from './store/bulk';
import type { AssumedStopSettings } from './trading/assumedR';
import type { RiskEvent } from './risk/guard';

/** An import through the session: files and choices; store, specs and SIM settings are the session's. */
export type SessionImportOptions = Omit<ImportRunOptions, 'store' | keyof ReplayOptions | 'now'>;

export interface SessionRebuildOptions {
  dryRun?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** Told by the store: a writer we follow committed, or the store's health changed. */
export interface StoreHooks {
  onChange(): void;
  onStateChange(): void;
}

export interface TradeSessionOptions {
  /** Opens the store (the shell knows where it lives and its password). */
  openStore(hooks: StoreHooks): Promise<TradeStore>;
  /** What to call the store while it opens (a masked URL). */
  storeDescription: string;
  sim: AppSettings['sim'];
  specs: ContractSpecs;
  /** Folder of sim_balance.json; null keeps no mirror. */
  mirrorDir: string | null;
  logger: Pick<AppLogger, 'info' | 'warn' | 'error'>;
  now?: () => number;
  /** Period of the health poll and the monthly-reset check; 0 polls never (a CLI run checks at open and close). */
  healthMs?: number;
  /** Retry period of a commit the store refused. */
  retryMs?: number;
  /** Assumed R's default stop (risk.defaultStopTicks, per root); none by default. */
  assumedStop?: AssumedStopSettings | null;
  /** Bulk mode for replays (ingest without --follow): one durable write per this many fills (TradeJournal). */
  bulkChunk?: number;
}

export type SessionEvents = {
  /** A trade is durable (and in the stats). */
  trade: (trade: Trade) => void;
  /** Live state changed: positions, orders, balances, accounts, the SIM ledger or the alerts. */
  state: () => void;
  /** The store's state or health changed. */
  store: () => void;
  /** Everything was reloaded from the store (a writer we follow, a takeover, `reload()`). */
  reloaded: () => void;
  /** A problem the user must know, when first raised (cause and fix). */
  problem: (message: string, kind: AlertKind) => void;
};

const DEFAULT_HEALTH_MS = 5000;

export class TradeSession {
  readonly alerts = new Alerts();
  private readonly events: Emitter<SessionEvents>;
  private readonly stats = new StatsCache();
  /** The latest closed trade per (mode, account), for the Position view's flat state. */
  private readonly lastTrades = new Map<string, Trade>();
  private readonly mirror: SimBalanceMirror | null;
  private readonly log: TradeSessionOptions['logger'];
  private sim: AppSettings['sim'];
  private store: TradeStore | null = null;
  private journal: TradeJournal | null = null;
  private info: StoreInfo;
  private healthTimer: NodeJS.Timeout | null = null;
  private mirrorTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private closed = false;

  constructor(private readonly opts: TradeSessionOptions) {
    this.sim = { ...opts.sim };
    this.log = opts.logger;
    this.mirror = opts.mirrorDir ? new SimBalanceMirror(opts.mirrorDir) : null;
    this.info = { description: opts.storeDescription, state: 'loading', outboxPending: 0, pendingCommits: 0, detail: 'Loading the trade store…' };
    this.events = new Emitter((event, e) => this.log.error(`session ${event} listener: ${errorText(e)}`));
  }

  on<K extends keyof SessionEvents>(event: K, listener: SessionEvents[K]): () => void {
    return this.events.on(event, listener);
  }

  // ---------------------------------------------------------------- lifecycle

  /** Opens the store and loads what it knows. A failure is recorded (store state, alert) and rethrown. */
  async open(): Promise<void> {
    const started = this.now();
    let store: TradeStore;
    try {
      store = await this.opts.openStore({ onChange: () => this.onStoreChanged(), onStateChange: () => void this.refreshHealth() });
    } catch (err) {
      this.info = { ...this.info, state: 'failed', detail: errorText(err) };
      this.alerts.raise('store', 'open', `The trade store could not be opened: ${errorText(err)}. Run "APPSIERRA: Check Database" for details.`);
      this.events.emit('store');
      throw err;
    }
    if (this.closed) {
      await store.close();
      return;
    }
    this.store = store;
    this.alerts.clear('store');
    const journal = new TradeJournal({ store, specs: this.opts.specs, simPattern: this.sim.accountPattern, startingBalance: this.sim.startingBalance, now: this.opts.now, retryMs: this.opts.retryMs, alerts: this.alerts, bulkChunk: this.opts.bulkChunk, assumedStop: this.opts.assumedStop });
    await journal.open();
    this.journal = journal;
    this.loadTrades(await store.trades());
    const offs = [
      journal.subscribe({
        onTradeCommitted: (t) => this.onTrade(t),
        onSimEvent: () => this.scheduleMirror(),
        onStateChange: () => this.events.emit('state'),
        onProblem: (m, kind) => {
          this.log.warn(m);
          this.events.emit('problem', m, kind);
          this.events.emit('state');
        },
      }),
    ];
    this.unsubscribe = () => offs.forEach((off) => off());
    await this.refreshHealth();
    journal.setFollower(this.readOnly);
    this.checkMirror();
    await this.applyMonthlyResets();
    const every = this.opts.healthMs ?? DEFAULT_HEALTH_MS;
    if (every > 0) {
      this.healthTimer = setInterval(() => {
        void this.refreshHealth();
        void this.applyMonthlyResets();
      }, every);
      this.healthTimer.unref?.();
    }
    this.log.info(`store ready: ${this.info.description} (${this.tradeCount} trades, ${this.now() - started} ms)`);
    this.events.emit('reloaded');
  }

  /** Flushes every commit, rewrites the mirror and closes the store. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.healthTimer) clearInterval(this.healthTimer);
    if (this.mirrorTimer) clearTimeout(this.mirrorTimer);
    this.healthTimer = this.mirrorTimer = null;
    if (this.journal) {
      await this.journal.flush();
      this.writeMirrorNow();
      this.journal.dispose();
    }
    this.unsubscribe?.();
    await this.store?.close().catch((e) => this.log.error(`store close: ${errorText(e)}`));
    this.store = null;
    this.journal = null;
    this.events.clear();
  }

  get isOpen(): boolean {
    return this.journal !== null;
  }

  // ---------------------------------------------------------------- input

  /** Routes one decoded DTC message through the journal; resolves when any commit it caused is durable. */
  async handle(msg: DtcMessage): Promise<void> {
    await this.journal?.handle(msg);
  }

  /** Commits one fill (an import, a replay); resolves when it is durable. */
  async commitFill(fill: Fill): Promise<void> {
    await this.requireJournal().applyFill(fill);
  }

  /** Waits for every queued commit (pending retries stay pending: see `pendingCommits`). */
  async flush(): Promise<void> {
    await this.journal?.flush();
  }

  /** Reloads positions, the ledger and the trades from the store (after a bulk change or another writer). */
  async reload(): Promise<void> {
    if (!this.journal || !this.store) return;
    await this.journal.reload();
    this.loadTrades(await this.store.trades());
    await this.refreshHealth();
    this.events.emit('reloaded');
  }

  /** Trades as stored (every trade, or a query). */
  async trades(query?: TradeQuery): Promise<Trade[]> {
    if (!this.store) throw new Error(`The trade store is not open: ${this.info.detail}`);
    return this.store.trades(query);
  }

  /** Tags by trade id (the journal's labels), as stored. */
  async tradeTags(): Promise<Map<string, string[]>> {
    if (!this.store) throw new Error(`The trade store is not open: ${this.info.detail}`);
    return this.store.tradeTags();
  }

  /** A trade's fills, as stored (the journal's trade detail). */
  async fills(account: string, executionIds: readonly string[]): Promise<Fill[]> {
    if (!this.store) throw new Error(`The trade store is not open: ${this.info.detail}`);
    return this.store.fills(account, executionIds);
  }

  /** Tags one trade, durably (through the outbox while PostgreSQL is down). */
  async editTags(edit: TagEdit): Promise<void> {
    if (!this.store) throw new Error(`The trade store is not open: ${this.info.detail}`);
    if (this.readOnly) throw new Error('Another window or the CLI holds the store for writing: tag trades there, or close it and try again.');
    await this.store.editTags(edit);
  }

  // ---------------------------------------------------------------- bulk: import, undo, rebuild

  /** Imports trade history files as one batch (dry run: reads only, changes nothing). */
  async importFiles(opts: SessionImportOptions): Promise<ImportSummary> {
    return this.bulk((store) => runImport({ ...opts, ...this.replayOptions(), store, now: this.opts.now }), opts.dryRun === true);
  }

  /** Removes exactly one import batch's fills and rebuilds what they touched. */
  async undoImport(batchId: string): Promise<UndoSummary> {
    return this.bulk((store) => undoImport(store, batchId, { ...this.replayOptions(), now: this.opts.now }), false);
  }

  /** Recomputes every trade from the stored fills with today's specs and fees. */
  async rebuild(opts: SessionRebuildOptions = {}): Promise<RebuildSummary> {
    const r = await this.bulk((store) => rebuildPartitions(store, { ...this.replayOptions(), dryRun: opts.dryRun, onProgress: opts.onProgress, now: this.opts.now }), opts.dryRun === true);
    const { result: _write, ...summary } = r;
    return summary;
  }

  async importBatches(): Promise<ImportBatch[]> {
    if (!this.store) throw new Error(`The trade store is not open: ${this.info.detail}`);
    return this.store.importBatches();
  }

  /** True while an import, undo or rebuild runs. */
  get bulkRunning(): boolean {
    return this.journal?.busy ?? false;
  }

  private replayOptions(): ReplayOptions {
    return { specs: this.opts.specs, simPattern: this.sim.accountPattern, startingBalance: this.sim.startingBalance };
  }

  /** Runs a bulk change alone on the commit chain, then reloads everything it may have changed. */
  private async bulk<T>(work: (store: TradeStore) => Promise<T>, readsOnly: boolean): Promise<T> {
    const journal = this.requireJournal();
    const store = this.store!;
    if (readsOnly) return work(store);
    if (this.readOnly) throw new Error('Another VS Code window or the CLI holds the store for writing: import or rebuild there, or close it and try again.');
    return journal.exclusive(
      () => work(store),
      () => this.afterBulk(),
    );
  }

  private async afterBulk(): Promise<void> {
    if (!this.journal || !this.store) return;
    await this.journal.reload();
    this.loadTrades(await this.store.trades());
    this.writeMirrorNow();
    await this.applyMonthlyResets();
    await this.refreshHealth();
    this.events.emit('reloaded');
  }

  // ---------------------------------------------------------------- settings

  setStartingBalance(startingBalance: number): void {
    // Applies to new SIM accounts and the next reset; history is never rewritten.
    this.sim = { ...this.sim, startingBalance };
    this.journal?.setStartingBalance(startingBalance);
  }

  setMonthlyReset(on: boolean): void {
    this.sim = { ...this.sim, monthlyReset: on };
  }

  /** Applies to trades closed from now on (a rebuild recomputes history). */
  setAssumedStop(stop: AssumedStopSettings | null): void {
    this.opts.assumedStop = stop;
    this.journal?.engine.setAssumedStop(stop);
  }

  /** Records a day's risk breach (idempotent by id). */
  async recordRiskEvent(event: RiskEvent): Promise<void> {
    if (!this.store?.recordRiskEvent || this.readOnly) return;
    await this.store.recordRiskEvent(event);
  }

  /** New contract overrides: clear the spec alerts they fix (a still-unknown contract raises again on its next fill). */
  setSpecOverrides(overrides: AppSettings['contractSpecs']): void {
    this.opts.specs.setOverrides(overrides);
    if (this.alerts.clearWhere('spec', (symbol) => !isSpecError(this.opts.specs.resolve(symbol)))) this.events.emit('state');
  }

  // ---------------------------------------------------------------- SIM balance

  /** Records a manual reset (an event, never a deletion). */
  async resetSim(account: string): Promise<{ before: number; after: number }> {
    const journal = this.requireJournal();
    if (this.readOnly) throw new Error('Another VS Code window (or the CLI) holds the store; reset the SIM balance there.');
    const r = await journal.reset(account, 'manual', this.sim.startingBalance);
    this.writeMirrorNow();
    this.log.info(`SIM balance reset for ${account}: ${formatMoney(r.before)} -> ${formatMoney(r.after)}`);
    this.events.emit('state');
    return r;
  }

  /** The first session of a new month resets SIM balances (checked at open and while running). */
  async applyMonthlyResets(): Promise<string[]> {
    if (!this.journal || !this.sim.monthlyReset || this.readOnly) return [];
    try {
      const reset = await this.journal.applyMonthlyResets();
      if (reset.length) {
        this.log.info(`monthly SIM reset: ${reset.join(', ')} back to ${formatMoney(this.sim.startingBalance)}`);
        this.writeMirrorNow();
        this.events.emit('state');
      }
      return reset;
    } catch (e) {
      this.log.warn(`monthly SIM reset failed: ${errorText(e)}`);
      return [];
    }
  }

  // ---------------------------------------------------------------- read-only state

  get storeInfo(): StoreInfo {
    return { ...this.info, pendingCommits: this.pendingCommits };
  }

  get readOnly(): boolean {
    return this.info.state === 'readonly';
  }

  get loading(): boolean {
    return this.info.state === 'loading';
  }

  get pendingCommits(): number {
    return this.journal?.pendingCommits ?? 0;
  }

  get counters(): Readonly<JournalCounters> | null {
    return this.journal?.counters ?? null;
  }

  get tradeCount(): number {
    return this.stats.size('SIM') + this.stats.size('LIVE');
  }

  /** The closed-trade statistics (read them; the session feeds them). */
  get tradeStats(): Pick<StatsCache, 'grid' | 'equityCurve' | 'daily' | 'latestExit' | 'size' | 'accounts'> {
    return this.stats;
  }

  modeOf(account: string): Mode {
    return modeOf(account, this.sim.accountPattern);
  }

  /** Every account seen (live state or closed trades), in natural order (Sim2 before Sim10). */
  accounts(): string[] {
    const set = new Set<string>(this.journal ? [...this.journal.accounts] : []);
    for (const m of ['SIM', 'LIVE'] as const) for (const a of this.stats.accounts(m)) set.add(a);
    return [...set].sort(compareAccounts);
  }

  simAccounts(): string[] {
    return this.journal?.simAccounts() ?? [];
  }

  /** Open positions (qty != 0). */
  openPositions(): OpenPosition[] {
    return this.journal ? this.journal.engine.positions().filter((p) => p.qty !== 0) : [];
  }

  workingOrders(account: string, symbol: string): WorkingOrdersView {
    return this.journal ? this.journal.engine.workingOrders(account, symbol) : { stop: null, target: null, orders: [] };
  }

  serverPosition(account: string, symbol: string): ServerPositionObservation | undefined {
    return this.journal?.serverPositions.get(contractKey(account, symbol));
  }

  accountBalance(account: string): AccountBalance | undefined {
    return this.journal?.balances.get(account);
  }

  simBalance(account: string): number | null {
    return this.journal ? this.journal.ledger.balance(account) : null;
  }

  lastReset(account: string): number | null {
    return this.journal ? this.journal.ledger.lastReset(account) : null;
  }

  lastTrade(mode: Mode, account: string): Trade | undefined {
    return this.lastTrades.get(lastTradeKey(mode, account));
  }

  get mostRecentTrade(): Trade | null {
    return this.journal?.mostRecentTrade ?? null;
  }

  // ---------------------------------------------------------------- diagnostics

  /** What only this process knows: commits waiting in memory, and whether the mirror matches. */
  ownChecks(): CheckItem[] {
    if (!this.journal) return [];
    const pending = this.journal.pendingCommits;
    const items: CheckItem[] = [{ name: 'unsaved commits', ok: pending === 0, detail: pending ? `${pending} waiting in memory to be retried` : 'none' }];
    if (this.mirror) {
      const mirror = this.mirror.compare(this.journal.ledger, { accounts: this.journal.simAccounts() });
      items.push({ name: 'SIM balance mirror', ok: mirror.length === 0, detail: mirror.length ? mirror.join('; ') : `sim_balance.json matches the ledger` });
    }
    return items;
  }

  async storeHealth(): Promise<{ ok: boolean; detail: string } | null> {
    if (!this.store) return null;
    const h = await this.store.health();
    return { ok: h.ok && this.pendingCommits === 0, detail: `${h.store}: ${h.state}, ${h.detail}` };
  }

  async schemaVersion(): Promise<number | null> {
    return this.store ? this.store.schemaVersion() : null;
  }

  async persistenceReport(): Promise<string> {
    if (!this.store || !this.journal || !this.mirror) return `# APPSIERRA persistence report\n\nThe trade store is not open: ${this.info.detail}\n`;
    return persistenceReport({
      store: this.store,
      ledger: this.journal.ledger,
      mirror: this.mirror,
      pendingCommits: this.journal.pendingCommits,
      counters: this.journal.counters,
      startingBalance: this.sim.startingBalance,
      nowMs: this.now(),
    });
  }

  // ---------------------------------------------------------------- internals

  private requireJournal(): TradeJournal {
    if (!this.journal) throw new Error('The trade store is not open, so nothing can be recorded. Run "APPSIERRA: Check Database".');
    return this.journal;
  }

  /** The writer committed (we follow it), or we just took over the writer lock: reload what we show. */
  private onStoreChanged(): void {
    this.reload().catch((e) => this.log.warn(`follow: ${errorText(e)}`));
  }

  private async refreshHealth(): Promise<void> {
    if (!this.store) return;
    let next: StoreInfo;
    try {
      const h = await this.store.health();
      next = { description: h.store || this.opts.storeDescription, state: h.state, outboxPending: h.outboxPending, pendingCommits: 0, detail: h.detail };
      const pending = this.pendingCommits;
      if (pending > 0) next.detail = `${pending} commit(s) waiting to be saved. ${next.detail}`;
    } catch (e) {
      next = { ...this.info, state: 'failed', detail: errorText(e) };
    }
    // The database alert lasts exactly as long as the outbox takes the commits.
    const alertChanged =
      next.state === 'outbox'
        ? this.alerts.raise('database', 'outbox', `The database is unreachable, so commits go to the local outbox (${next.outboxPending} pending) and are synced when it is back: ${next.detail}`)
        : this.alerts.clear('database');
    if (JSON.stringify(next) === JSON.stringify(this.info) && !alertChanged) return;
    this.info = next;
    this.journal?.setFollower(next.state === 'readonly');
    this.events.emit('store');
  }

  private loadTrades(trades: Trade[]): void {
    this.stats.load(trades);
    this.lastTrades.clear();
    for (const t of trades) this.rememberLast(t);
  }

  private rememberLast(t: Trade): void {
    const k = lastTradeKey(t.mode, t.account);
    const prev = this.lastTrades.get(k);
    if (!prev || prev.exitTime <= t.exitTime) this.lastTrades.set(k, t);
  }

  private onTrade(t: Trade): void {
    this.stats.append(t);
    this.rememberLast(t);
    this.events.emit('trade', t);
  }

  private scheduleMirror(): void {
    this.events.emit('state');
    if (this.mirrorTimer) return;
    this.mirrorTimer = setTimeout(() => {
      this.mirrorTimer = null;
      this.writeMirrorNow();
    }, 200);
    this.mirrorTimer.unref?.();
  }

  private writeMirrorNow(): void {
    if (!this.journal || !this.mirror || this.readOnly) return;
    try {
      const r = this.mirror.write(this.journal.ledger, { nowMs: this.now(), accounts: this.journal.simAccounts() });
      if (!r.ok) this.log.warn(`sim_balance.json: ${r.message}`);
    } catch (e) {
      this.log.warn(`sim_balance.json: ${errorText(e)}`);
    }
  }

  /** At open: the ledger wins over a mirror that disagrees (a missing file on first run is no news). */
  private checkMirror(): void {
    if (!this.journal || !this.mirror) return;
    const r = this.mirror.read();
    const firstRun = !r.ok && r.problem === 'missing';
    const mismatches = firstRun ? [] : this.mirror.compare(this.journal.ledger, { accounts: this.journal.simAccounts() });
    for (const m of mismatches) this.log.warn(`sim_balance.json: ${m} (the ledger wins; the file is rewritten)`);
    this.writeMirrorNow();
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}

function lastTradeKey(mode: Mode, account: string): string {
  return mode + KEY_SEP + account;
}

/** Natural order, so Sim2 comes before Sim10. */
export function compareAccounts(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
