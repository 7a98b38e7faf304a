/**
 * TradeJournal: the one pipeline from DTC messages to durable trades, shared by the extension
 * (through AppCore) and the CLI (`appsierra ingest`). Message -> Fill -> TradeEngine -> one durable
 * commit (fill + closed trades + position + SIM balance events) -> ledger -> listeners.
 *
 * Commits are serialized in arrival order. A commit that fails (disk full, store read-only,
 * database gone with no outbox) is never dropped: it waits in `pending` and is retried in order,
 * and `onProblem` says so loudly until it lands.
 */
import { LiveAccounts } from './trading/liveAccounts';
import type { JournalCounters, JournalListener, JournalOptions } from './journalTerms';
import { MessageType } from './dtc/messageTypes';
import type { DtcMessage } from './dtc';
import type { CommitUnit } from './store/types';
import { unitsToBulk } from './store/bulk';
import type { Fill, OpenPosition, SimBalanceEvent } from './trading/types';
import {
  TradeEngine,
  contractKey,
  isDtcProblem,
  balanceFromUpdate,
  fillFromHistoricalFill,
  fillFromOrderUpdate,
  modeOf,
  serverPositionFromUpdate,
  specFromSecurityDefinition,
  workingOrderFromOrderUpdate,
} from './trading';
import { SimBalanceLedger } from './sim';
import { Alerts, type AlertKind } from './alerts';
import { errorText } from './errors';
import { DEFAULT_TOLERANCE_MS, FillIndex } from './import/fillIndex';
import { isSyntheticId } from './import/types';
import { splitFillKey } from './trading/keys';

export type { JournalCounters, JournalListener, JournalOptions };

interface HeldFill {
  fill: Fill;
  done: () => void;
  fail: (e: unknown) => void;
}

export class TradeJournal {
  readonly engine: TradeEngine;
  readonly ledger: SimBalanceLedger;
  readonly counters: JournalCounters = {
    messages: 0,
    fills: 0,
    duplicateFills: 0,
    tradesClosed: 0,
    errors: 0,
    specErrors: 0,
    malformedMessages: 0,
    rejectedFills: 0,
    missingFills: 0,
    commitFailures: 0,
  };
  /** Accounts seen, the server's positions and balances (read-only for everyone else). */
  readonly live = new LiveAccounts();
  /** Problems worth showing until they are fixed, keyed so a repeat does not pile up. */
  readonly alerts: Alerts;

  private readonly listeners = new Set<JournalListener>();
  private readonly pending: CommitUnit[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | null = null;
  private historical: Fill[] = [];
  private historicalTimer: NodeJS.Timeout | null = null;
  private disposed = false;
  /** Fill keys from this time on are all in the engine; an older fill is asked of the store. */
  private keysSince = Number.NEGATIVE_INFINITY;
  /** Fills that arrived during a bulk change, waiting for it (null: none running). */
  private held: HeldFill[] | null = null;
  /**
   * Imported fills of the key window whose file gave no execution id (made-up ids): the same fill
   * from DTC, with its real id, is a duplicate of one of them (as an import finds a DTC fill), each
   * absorbing at most one. Null when there are none.
   */
  private madeUp: FillIndex | null = null;

  constructor(private readonly opts: JournalOptions) {
    this.engine = new TradeEngine({ specs: opts.specs, simPattern: opts.simPattern, now: () => this.now(), assumedStop: opts.assumedStop });
    this.ledger = new SimBalanceLedger(opts.startingBalance);
    this.alerts = opts.alerts ?? new Alerts();
  }

  /**
   * Loads what the store knows: fill keys (duplicate filter), open positions, and the SIM events the
   * balances stand on (each account's latest reset onwards: what is older changes no balance, and a
   * replayed old trade is stopped by its fill key first). `replace` forgets what was loaded before.
   */
  async open(replace = false): Promise<void> {
    const window = this.opts.fillKeyWindowMs;
    const since = window === undefined ? undefined : this.now() - window;
    const [keys, positions, events] = await Promise.all([this.opts.store.fillKeys(since), this.opts.store.openPositions(), this.opts.store.balanceEvents()]);
    this.keysSince = since ?? Number.NEGATIVE_INFINITY;
    this.madeUp = await this.madeUpFills(keys);
    this.engine.restore(positions, keys, replace);
    this.ledger.load(events, replace);
    for (const p of positions) this.live.see(p.account);
    for (const e of events) this.live.see(e.account);
  }

  private async madeUpFills(keys: Set<string>): Promise<FillIndex | null> {
    // Only an import makes up ids: a store without batches skips the scan of every key (start time).
    let batches: number | null = null;
    try {
      batches = (await this.opts.store.importBatches?.())?.length ?? null;
    } catch {
      // PostgreSQL down at start: look at the keys (what the outbox and the primary gave).
    }
    if (batches === 0) return null;
    const byAccount = new Map<string, string[]>();
    for (const k of keys) {
      const [account, id] = splitFillKey(k);
      if (!isSyntheticId(id)) continue;
      const ids = byAccount.get(account);
      if (ids) ids.push(id);
      else byAccount.set(account, [id]);
    }
    if (byAccount.size === 0) return null;
    const index = new FillIndex(DEFAULT_TOLERANCE_MS);
    for (const [account, ids] of byAccount) for (const f of await this.opts.store.fills(account, ids)) index.add(f, -1);
    return index;
  }

  /** Reloads after another process (the writer) changed the store. */
  async reload(): Promise<void> {
    // What another writer or a bulk change (import, undo, rebuild) removed is forgotten too.
    await this.open(true);
    this.emit((l) => l.onStateChange?.());
  }

  subscribe(listener: JournalListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get pendingCommits(): number {
    return this.pending.length;
  }

  setStartingBalance(startingBalance: number): void {
    this.opts.startingBalance = startingBalance;
  }

  setFollower(follower: boolean): void {
    this.opts.follower = follower;
  }

  /** Routes one decoded (time-normalized) DTC message. Resolves once any commit it caused is durable. */
  async handle(msg: DtcMessage): Promise<void> {
    this.counters.messages++;
    switch (msg.Type) {
      case MessageType.ORDER_UPDATE: {
        const order = workingOrderFromOrderUpdate(msg, this.now());
        const fill = fillFromOrderUpdate(msg);
        // One bad message is one error, even when it is both a broken fill and a broken order.
        if (isDtcProblem(fill)) return this.malformed(fill.message);
        if (isDtcProblem(order)) return this.malformed(order.message);
        if (order) {
          this.engine.observeWorkingOrder(order);
          this.live.see(order.account);
        }
        // An old fill is looked up first; a current one goes to the engine before any await (arrival order).
        if (fill && this.beforeWindow(fill) && (await this.storedBefore(fill))) return;
        if (fill) await this.applyFill(fill);
        else if (order) this.emit((l) => l.onStateChange?.());
        return;
      }
      case MessageType.HISTORICAL_ORDER_FILL_RESPONSE: {
        const fill = fillFromHistoricalFill(msg);
        if (isDtcProblem(fill)) return this.malformed(fill.message);
        if (!fill) return;
        // A history batch can arrive after newer live fills; sort the batch by time before applying.
        this.historical.push(fill);
        const last = Number(msg.MessageNumber) > 0 && Number(msg.MessageNumber) === Number(msg.TotalNumberMessages);
        if (last) return this.flushHistorical();
        if (this.historicalTimer) clearTimeout(this.historicalTimer);
        this.historicalTimer = setTimeout(() => void this.flushHistorical(), 1500);
        return;
      }
      case MessageType.POSITION_UPDATE: {
        const p = serverPositionFromUpdate(msg, this.now());
        if (isDtcProblem(p)) return this.malformed(p.message);
        if (!p) return;
        this.live.setPosition(p);
        const { flag } = this.engine.observeServerPosition(p);
        if (flag) {
          this.counters.missingFills++;
          this.problem('missing', contractKey(p.account, p.symbol), flag.message);
        } else {
          // The server and our fills agree (again): a late fill arrived, so the warning goes.
          this.alerts.clear('missing', contractKey(p.account, p.symbol));
        }
        this.emit((l) => l.onStateChange?.());
        return;
      }
      case MessageType.ACCOUNT_BALANCE_UPDATE: {
        const b = balanceFromUpdate(msg);
        if (isDtcProblem(b)) return this.malformed(b.message);
        if (!b) return;
        this.live.setBalance({ ...b, timeMs: b.timeMs ?? this.now() });
        this.emit((l) => l.onStateChange?.());
        return;
      }
      case MessageType.SECURITY_DEFINITION_RESPONSE: {
        const s = specFromSecurityDefinition(msg);
        if (isDtcProblem(s)) return this.malformed(s.message);
        if (s) {
          this.opts.specs.setServerDefinition(s.symbol, s.minPriceIncrement, s.currencyValuePerIncrement);
          this.emit((l) => l.onStateChange?.());
        }
        return;
      }
      case MessageType.TRADE_ACCOUNT_RESPONSE: {
        const a = typeof msg.TradeAccount === 'string' ? msg.TradeAccount : '';
        if (a) {
          // The ledger's start is recorded with the account's first fill, so replayed history counts.
          this.live.see(a);
          this.emit((l) => l.onStateChange?.());
        }
        return;
      }
      default:
        return;
    }
  }

  /**
   * Runs a bulk change of the store (an import, an undo, a rebuild) alone. Queued commits are
   * stored first; fills arriving meanwhile wait and are applied after `then` (the reload), on the
   * state the bulk change left, so none is computed from positions it replaced.
   */
  async exclusive<T>(work: () => Promise<T>, then: () => Promise<void>): Promise<T> {
    if (this.held) throw new Error('An import or rebuild is already running; wait for it to finish.');
    const held: HeldFill[] = [];
    this.held = held;
    try {
      await this.flush();
      return await this.serialize(work);
    } finally {
      try {
        await then();
      } finally {
        this.held = null;
        // In arrival order: applyFill runs the engine synchronously before its first await.
        for (const h of held) this.applyFill(h.fill).then(h.done, h.fail);
      }
    }
  }

  /** True while a bulk change runs (see `exclusive`). */
  get busy(): boolean {
    return this.held !== null;
  }

  /** Applies one fill and commits the result durably (in order with every other commit). */
  async applyFill(fill: Fill): Promise<void> {
    const held = this.held;
    if (held) return new Promise<void>((done, fail) => held.push({ fill, done, fail }));
    this.counters.fills++;
    if (this.madeUp && !isSyntheticId(fill.executionId) && !this.engine.knowsFill(fill.account, fill.executionId) && this.madeUp.match(fill, 0) === 'match') {
      // Imported before without its id: known from now on by the real one too.
      this.engine.rememberFill(fill.account, fill.executionId);
      this.live.see(fill.account);
      this.counters.duplicateFills++;
      return;
    }
    const outcome = this.engine.apply(fill);
    if (outcome.rejected) {
      // Refused fills are never stored: one absurd quantity would hold a position forever.
      this.counters.rejectedFills++;
      this.counters.errors++;
      this.problem('fill', outcome.rejected.code, outcome.rejected.message);
      return;
    }
    this.live.see(fill.account);
    if (outcome.duplicate) {
      this.counters.duplicateFills++;
      return;
    }
    if (outcome.error) {
      this.counters.specErrors++;
      this.problem('spec', fill.symbol, outcome.error);
    }
    const simEvents: SimBalanceEvent[] = [...this.startEventFor(fill.account, fill.timeMs)];
    for (const t of outcome.trades) simEvents.push(...this.ledger.eventsForTrade(t));
    const unit: CommitUnit = {
      // The stored fill carries the fee the engine charged, so a rebuild never guesses it again.
      fill: { ...fill, fee: fill.fee ?? outcome.fee },
      trades: outcome.trades,
      position: outcome.position as OpenPosition | null,
      positionKey: outcome.positionKey,
      simEvents,
    };
    await this.enqueue(unit);
  }

  /** Records a manual or monthly reset as an event (never a deletion). */
  async reset(account: string, reason: 'manual' | 'monthly', startingBalance = this.opts.startingBalance): Promise<{ before: number; after: number }> {
    const before = this.ledger.balance(account);
    const event: SimBalanceEvent =
      reason === 'monthly' ? this.ledger.monthlyResetEvent(account, this.now(), startingBalance, this.timeZone) : { ...this.ledger.resetEvent(account, this.now(), startingBalance), note: 'manual' };
    await this.serialize(async () => {
      await this.opts.store.appendSimEvent(event);
      this.ledger.add(event);
      this.emit((l) => l.onSimEvent?.(event));
    });
    this.emit((l) => l.onStateChange?.());
    return { before, after: this.ledger.balance(account) };
  }

  /** Resets every SIM account whose month has rolled over since its last reset or start. */
  async applyMonthlyResets(): Promise<string[]> {
    const done: string[] = [];
    for (const account of this.simAccounts()) {
      if (this.ledger.monthlyResetDue(account, this.now(), this.timeZone)) {
        await this.reset(account, 'monthly');
        done.push(account);
      }
    }
    return done;
  }

  simAccounts(): string[] {
    return this.live.accounts().filter((a) => modeOf(a, this.opts.simPattern) === 'SIM').sort();
  }

  /** Waits for every queued commit (resolves even when some are pending retry). */
  async flush(): Promise<void> {
    if (this.historical.length) await this.flushHistorical();
    if (this.opts.bulkChunk && this.pending.length) await this.serialize(() => this.drainBulk());
    await this.chain.catch(() => undefined);
  }

  dispose(): void {
    this.disposed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.historicalTimer) clearTimeout(this.historicalTimer);
  }

  private async flushHistorical(): Promise<void> {
    if (this.historicalTimer) clearTimeout(this.historicalTimer);
    this.historicalTimer = null;
    const batch = this.historical.sort((a, b) => a.timeMs - b.timeMs);
    this.historical = [];
    for (const f of batch) {
      if (this.beforeWindow(f) && (await this.storedBefore(f))) continue;
      await this.applyFill(f);
    }
  }

  /** A fill older than the keys held in memory, and not one of them. */
  private beforeWindow(fill: Fill): boolean {
    return fill.timeMs < this.keysSince && !this.engine.knowsFill(fill.account, fill.executionId);
  }

  /** Whether the store has this (old) fill: a duplicate is counted and remembered, never applied. */
  private async storedBefore(fill: Fill): Promise<boolean> {
    if (!(await this.opts.store.hasFill(fill.account, fill.executionId))) return false;
    this.engine.rememberFill(fill.account, fill.executionId);
    this.counters.fills++;
    this.counters.duplicateFills++;
    return true;
  }

  /**
   * The explicit `start` event with a SIM account's first fill (the ledger is the truth). Its time
   * is only informative: the ledger puts the start before every trade, so fill history arriving
   * after a live fill still counts (issue 9.2).
   */
  private startEventFor(account: string, atMs: number): SimBalanceEvent[] {
    if (modeOf(account, this.opts.simPattern) !== 'SIM') return [];
    if (this.ledger.hasEvents(account)) return [];
    return [this.ledger.startEvent(account, Math.min(atMs, this.now()), this.opts.startingBalance)];
  }

  private enqueue(unit: CommitUnit): Promise<void> {
    if (this.opts.follower) {
      // The writer process records this fill; we only keep our in-memory view current.
      this.afterCommit(unit, false);
      return Promise.resolve();
    }
    this.pending.push(unit);
    if (this.opts.bulkChunk) return this.pending.length >= this.opts.bulkChunk ? this.serialize(() => this.drainBulk()) : Promise.resolve();
    return this.serialize(() => this.drain());
  }

  private async drainBulk(): Promise<void> {
    const chunk = Math.max(1, this.opts.bulkChunk ?? 1);
    while (this.pending.length > 0 && !this.disposed) {
      const units = this.pending.slice(0, chunk);
      try {
        await this.opts.store.bulkWrite(unitsToBulk(units));
      } catch {
        // A store that cannot take bulk writes right now (PostgreSQL down: outbox) gets them one by one.
        return this.drain();
      }
      this.pending.splice(0, units.length);
      for (const u of units) this.afterCommit(u, true);
    }
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0 && !this.disposed) {
      const unit = this.pending[0];
      try {
        await this.opts.store.commit(unit);
      } catch (err) {
        this.counters.commitFailures++;
        this.problem('commit', 'commit', `Trades are NOT saved yet (${this.pending.length} waiting): ${errorText(err)}. They are kept in memory and retried every ${Math.round(this.retryMs / 1000)} s; fix the store (see "Check Database") and keep VS Code open.`);
        this.scheduleRetry();
        return;
      }
      this.pending.shift();
      this.afterCommit(unit, true);
      if (this.alerts.clear('commit')) this.emit((l) => l.onStateChange?.());
    }
  }

  private afterCommit(unit: CommitUnit, durable: boolean): void {
    // The ledger is whole before anyone hears; then trades before SIM events, so a listener that
    // renders on the first event already shows the new P&L (issue 12).
    for (const e of unit.simEvents) this.ledger.add(e);
    for (const t of unit.trades) {
      this.counters.tradesClosed++;
      this.emit((l) => l.onTradeCommitted?.(t));
    }
    if (durable) for (const e of unit.simEvents) this.emit((l) => l.onSimEvent?.(e));
    this.emit((l) => l.onStateChange?.());
  }

  /** Monthly resets follow the machine's local month (ARCHITECTURE.md). */
  private get timeZone(): string {
    return 'local';
  }

  private get retryMs(): number {
    return this.opts.retryMs ?? 5000;
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.disposed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.serialize(() => this.drain());
    }, this.retryMs);
    this.retryTimer.unref?.();
  }

  private serialize<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private malformed(problem: string): void {
    this.counters.malformedMessages++;
    this.counters.errors++;
    this.problem('malformed', problem, problem);
  }

  private problem(kind: AlertKind, key: string, message: string): void {
    if (this.alerts.raise(kind, key, message)) this.emit((l) => l.onProblem?.(message, kind));
  }

  private emit(fn: (l: JournalListener) => void): void {
    for (const l of this.listeners) {
      try {
        fn(l);
      } catch {
        // A listener's bug must not stop the pipeline.
      }
    }
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}
