/**
 * TradeSession: the one pipeline every entry point uses (the extension through AppCore, the CLI's
 * `ingest` and `import`). It owns the store (open, follow, close; its state in StoreWatch), the
 * TradeJournal (messages -> fills -> trades -> durable commits), the SIM ledger with its mirror
 * (MirrorKeeper) and monthly resets, the closed trades' stats and the alerts; history changes
 * (SessionBulk) and the store checks (SessionChecks) are its rooms. It exposes read-only state and
 * typed events; projections (projections.ts) turn that state into view models.
 */
import type { AppSettings } from './settings';
import type { AppLogger } from './appApi';
import type { DtcMessage } from './dtc';
import type { RiskEventQuery, TradeQuery, TradeStore } from './store/types';
import type { Fill, Mode, OpenPosition, Trade } from './trading/types';
import type { StoreInfo } from './viewModels';
import type { TagEdit } from './trading/tags';
import { Alerts, type AlertKind } from './alerts';
import { Emitter } from './events';
import { errorText } from './errors';
import { TradeJournal, type JournalCounters } from './journal';
import { MirrorKeeper } from './sim/mirrorKeeper';
import { SimResets } from './sim/resets';
import { naturalCompare } from './sim';
import { ClosedTrades } from './stats/closedTrades';
import type { StatsCache } from './stats';
import { SessionChecks } from './diagnostics/sessionChecks';
import { ContractSpecs, isSpecError, modeOf, type AccountBalance, type ServerPositionObservation, type WorkingOrdersView } from './trading';
import type { ReplayOptions } from './import';
import { SessionBulk, type SessionImportOptions, type SessionRebuildOptions } from './import/sessionBulk';
import { StoreWatch } from './storeWatch';
import type { AssumedStopSettings } from './trading/assumedR';
import type { RiskEvent } from './risk/guard';

export type { SessionImportOptions, SessionRebuildOptions };

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
  /** Fill keys held in memory: this recent (TradeJournal); absent: all. */
  fillKeyWindowMs?: number;
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
  /** What only this running session can say about its store (Check Database, the report). */
  readonly checks: SessionChecks;
  /** Import, undo and rebuild: alone on the commit chain, then everything they touched reloads. */
  readonly history: SessionBulk;
  private readonly events: Emitter<SessionEvents>;
  private readonly closed = new ClosedTrades();
  private readonly mirror: MirrorKeeper | null;
  private readonly log: TradeSessionOptions['logger'];
  private sim: AppSettings['sim'];
  private store: TradeStore | null = null;
  private journal: TradeJournal | null = null;
  private readonly watch: StoreWatch;
  private readonly resets: SimResets;
  private healthTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private closing = false;

  constructor(private readonly opts: TradeSessionOptions) {
    this.sim = { ...opts.sim };
    this.log = opts.logger;
    const mirrorSource = () => (this.journal && !this.readOnly ? { ledger: this.journal.ledger, accounts: this.journal.simAccounts() } : null);
    this.mirror = opts.mirrorDir ? new MirrorKeeper(opts.mirrorDir, mirrorSource, this.log, () => this.now()) : null;
    this.watch = new StoreWatch(opts.storeDescription, this.alerts, () => this.pendingCommits, (readOnly) => {
      this.journal?.setFollower(readOnly);
      this.events.emit('store');
    });
    this.resets = new SimResets({
      journal: () => this.requireJournal(),
      isOpen: () => this.isOpen,
      readOnly: () => this.readOnly,
      sim: () => this.sim,
      mirror: this.mirror,
      log: this.log,
      changed: () => this.events.emit('state'),
    });
    this.checks = new SessionChecks({
      open: () => (this.store && this.journal ? { store: this.store, journal: this.journal } : { notOpen: this.storeInfo.detail }),
      mirror: this.mirror,
      startingBalance: () => this.sim.startingBalance,
      now: () => this.now(),
    });
    this.history = new SessionBulk({
      open: () => ({ journal: this.requireJournal(), store: this.requireStore() }),
      readOnly: () => this.readOnly,
      replayOptions: () => this.replayOptions(),
      now: opts.now,
      afterBulk: () => this.reload(true),
    });
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
      this.watch.openFailed(err);
      throw err;
    }
    if (this.closing) {
      await store.close();
      return;
    }
    this.store = store;
    this.watch.opened();
    const journal = new TradeJournal({ store, specs: this.opts.specs, simPattern: this.sim.accountPattern, startingBalance: this.sim.startingBalance, now: this.opts.now, retryMs: this.opts.retryMs, alerts: this.alerts, bulkChunk: this.opts.bulkChunk, assumedStop: this.opts.assumedStop, fillKeyWindowMs: this.opts.fillKeyWindowMs });
    await journal.open();
    this.journal = journal;
    await this.loadClosed(store);
    this.unsubscribe = journal.subscribe({
      onTradeCommitted: (t) => this.onTrade(t),
      onSimEvent: () => {
        this.events.emit('state');
        this.mirror?.schedule();
      },
      onStateChange: () => this.events.emit('state'),
      onProblem: (m, kind) => {
        this.log.warn(m);
        this.events.emit('problem', m, kind);
        this.events.emit('state');
      },
    });
    await this.refreshHealth();
    journal.setFollower(this.readOnly);
    this.mirror?.checkAtOpen(journal.ledger, journal.simAccounts());
    await this.applyMonthlyResets();
    const every = this.opts.healthMs ?? DEFAULT_HEALTH_MS;
    if (every > 0) {
      this.healthTimer = setInterval(() => {
        void this.refreshHealth();
        void this.applyMonthlyResets();
      }, every);
      this.healthTimer.unref?.();
    }
    this.log.info(`store ready: ${this.storeInfo.description} (${this.tradeCount} trades, ${this.now() - started} ms)`);
    this.events.emit('reloaded');
  }

  /** Flushes every commit, rewrites the mirror and closes the store. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.healthTimer = null;
    this.mirror?.dispose();
    if (this.journal) {
      await this.journal.flush();
      this.mirror?.writeNow();
      if (this.store && !this.readOnly) await this.saveClosed(this.store);
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
  async reload(ownChange = false): Promise<void> {
    if (!this.journal || !this.store) return;
    await this.journal.reload();
    await this.loadClosed(this.store);
    if (ownChange) {
      this.mirror?.writeNow();
      await this.applyMonthlyResets();
    }
    await this.refreshHealth();
    this.events.emit('reloaded');
  }

  /** Trades as stored (every trade, or a query). */
  async trades(query?: TradeQuery): Promise<Trade[]> {
    return this.requireStore().trades(query);
  }

  /** Tags by trade id (the journal's labels), as stored. */
  async tradeTags(): Promise<Map<string, string[]>> {
    return this.requireStore().tradeTags();
  }

  /** A trade's fills, as stored (the journal's trade detail). */
  async fills(account: string, executionIds: readonly string[]): Promise<Fill[]> {
    return this.requireStore().fills(account, executionIds);
  }

  /** Tags one trade, durably (through the outbox while PostgreSQL is down). */
  async editTags(edit: TagEdit): Promise<void> {
    const store = this.requireStore();
    if (this.readOnly) throw new Error('Another window or the CLI holds the store for writing: tag trades there, or close it and try again.');
    await store.editTags(edit);
  }

  // ---------------------------------------------------------------- bulk: import, undo, rebuild

  /** True while an import, undo or rebuild runs. */
  get bulkRunning(): boolean {
    return this.journal?.busy ?? false;
  }

  private replayOptions(): ReplayOptions {
    return { specs: this.opts.specs, simPattern: this.sim.accountPattern, startingBalance: this.sim.startingBalance };
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

  /** Stored risk breaches (all, or an account's / some session dates'), oldest first; [] when the store keeps none. */
  async riskEvents(query?: RiskEventQuery): Promise<RiskEvent[]> {
    return (await this.store?.riskEvents?.(query)) ?? [];
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
  resetSim(account: string): Promise<{ before: number; after: number }> {
    return this.resets.manual(account);
  }

  /** The first session of a new month resets SIM balances (checked at open and while running). */
  applyMonthlyResets(): Promise<string[]> {
    return this.resets.monthly();
  }

  // ---------------------------------------------------------------- read-only state

  get storeInfo(): StoreInfo {
    return this.watch.current;
  }

  get readOnly(): boolean {
    return this.watch.state === 'readonly';
  }

  get loading(): boolean {
    return this.watch.state === 'loading';
  }

  get pendingCommits(): number {
    return this.journal?.pendingCommits ?? 0;
  }

  get counters(): Readonly<JournalCounters> | null {
    return this.journal?.counters ?? null;
  }

  get tradeCount(): number {
    return this.closed.count;
  }

  /** The closed-trade statistics (read them; the session feeds them). */
  get tradeStats(): Pick<StatsCache, 'grid' | 'equityCurve' | 'daily' | 'latestExit' | 'size' | 'accounts' | 'prepared'> {
    return this.closed.stats;
  }

  modeOf(account: string): Mode {
    return modeOf(account, this.sim.accountPattern);
  }

  /** Every account seen (live state or closed trades), in natural order (Sim2 before Sim10). */
  accounts(): string[] {
    const set = new Set<string>(this.journal?.live.accounts());
    for (const m of ['SIM', 'LIVE'] as const) for (const a of this.closed.stats.accounts(m)) set.add(a);
    return [...set].sort(naturalCompare);
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
    return this.journal?.live.position(account, symbol);
  }

  accountBalance(account: string): AccountBalance | undefined {
    return this.journal?.live.balance(account);
  }

  simBalance(account: string): number | null {
    return this.journal ? this.journal.ledger.balance(account) : null;
  }

  lastReset(account: string): number | null {
    return this.journal ? this.journal.ledger.lastReset(account) : null;
  }

  lastTrade(mode: Mode, account: string): Trade | undefined {
    return this.closed.latest(mode, account);
  }

  // ---------------------------------------------------------------- internals

  private requireStore(): TradeStore {
    if (!this.store) throw new Error(`The trade store is not open: ${this.storeInfo.detail}`);
    return this.store;
  }

  private requireJournal(): TradeJournal {
    if (!this.journal) throw new Error('The trade store is not open, so nothing can be recorded. Run "APPSIERRA: Check Database".');
    return this.journal;
  }

  /** The writer committed (we follow it), or we just took over the writer lock: reload what we show. */
  private onStoreChanged(): void {
    this.reload().catch((e) => this.log.warn(`follow: ${errorText(e)}`));
  }

  /** The closed trades; when every trade had to be read (no saved columns, or a trade changed), the writer saves them at once. */
  private async loadClosed(store: TradeStore): Promise<void> {
    const source = await this.closed.loadFrom(store);
    if (source.from === 'saved') {
      this.log.info(`closed trades: saved columns + ${source.added} trades since`);
      return;
    }
    this.log.info(`closed trades: read every trade (${source.why})`);
    if (!this.readOnly) await this.saveClosed(store);
  }

  private async saveClosed(store: TradeStore): Promise<void> {
    const problem = await this.closed.saveTo(store).catch((e: unknown) => errorText(e));
    if (problem) this.log.info(`stats columns not saved: ${problem}`);
  }

  private async refreshHealth(): Promise<void> {
    if (this.store) await this.watch.refresh(this.store);
  }

  private onTrade(t: Trade): void {
    this.closed.add(t);
    this.events.emit('trade', t);
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}
