/**
 * PostgreSQL with a local SQLite outbox. While the server is unreachable, commits go to the
 * outbox (durable before acknowledged) and health says 'outbox'; a background sync replays the
 * outbox in commit order, idempotently (fills keyed by account + execution id), and removes what
 * reached the server. While anything is pending, new commits queue behind it in the outbox so a
 * partition's position is never overwritten by an older state. Nothing durable anywhere = the
 * commit rejects loudly; there is no in-memory fallback.
 */
import { commitAll, CommitUnit, Outbox, ReadCoverage, StoreHealth, TradeQuery, TradeStore } from './types';
import type { Fill, OpenPosition, SimBalanceEvent, Trade } from '../trading/types';
import { byFillTime, contractKey, filterRiskEvents } from './schema';
import type { RiskEvent } from '../risk/guard';
import type { RiskEventQuery } from './types';
import { replicaOf, ReplicaOp } from './wal';
import { StoreReadError, StoreWriteError } from './fsErrors';
import { applyTagEdit, TagEdit } from '../trading/tags';
import type { BulkWrite, ImportBatch, StoredFill } from './bulk';

export interface ResilientStoreOptions {
  /** Background sync period (default 5000 ms; 0 = only syncNow()). */
  syncIntervalMs?: number;
  /** Told whenever the state or the outbox backlog changes (for the status bar). */
  onStateChange?: (health: StoreHealth) => void;
  /**
   * While PostgreSQL is unreachable, reads answer from the outbox alone (true, the default: a
   * running session keeps its own state) or throw StoreReadError (false: a one-shot read such as
   * the CLI's must not print a partial answer as if it were whole).
   */
  partialReads?: boolean;
}

type State = StoreHealth['state'];

export class ResilientStore implements TradeStore {
  private primaryUp = false;
  private primaryError: string | null = null;
  private outboxError: string | null = null;
  private state: State = 'failed';
  private pendingCount = 0;
  private opening: Promise<void> | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private replicaError: string | null = null;

  constructor(readonly primary: TradeStore, readonly outbox: Outbox, private readonly opts: ResilientStoreOptions = {}) {}

  describe(): string {
    return `${this.primary.describe()} (outbox ${this.outbox.describe()})`;
  }

  open(): Promise<void> {
    this.opening ??= this.doOpen();
    return this.opening;
  }

  private async doOpen(): Promise<void> {
    try {
      await this.outbox.open();
      this.pendingCount = await this.outbox.pendingCount();
    } catch (err) {
      this.outboxError = (err as Error).message;
    }
    await this.connectPrimary();
    if (!this.primaryUp && this.outboxError) {
      this.opening = null;
      throw new StoreWriteError(`No durable store available: ${this.primaryError} The local outbox failed too: ${this.outboxError}`);
    }
    this.updateState();
    const every = this.opts.syncIntervalMs ?? 5000;
    if (every > 0) {
      this.timer = setInterval(() => void this.syncNow().catch(() => undefined), every);
      this.timer.unref();
    }
    if (this.pendingCount > 0 && this.primaryUp) await this.syncNow();
    if (this.primaryUp && this.pendingCount === 0) await this.refreshCachedPositions();
  }

  private async connectPrimary(): Promise<void> {
    try {
      await this.primary.open();
      this.primaryUp = true;
      this.primaryError = null;
    } catch (err) {
      this.primaryDown(err);
    }
  }

  private primaryDown(err: unknown): void {
    this.primaryUp = false;
    this.primaryError = (err as Error).message;
  }

  /** Runs store operations one at a time (commits and the drain must not interleave). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  commit(unit: CommitUnit): Promise<boolean> {
    return this.route(
      async () => {
        const added = await this.primary.commit(unit);
        // A known fill's unit may be stale: only its key joins the cache.
        await this.replicate(added ? replicaOf([unit]) : { fills: replicaOf([unit]).fills, positions: [] });
        return added;
      },
      () => this.outbox.commit(unit),
    );
  }

  /**
   * Write-through of what PostgreSQL acknowledged into the outbox's primary cache, so a restart
   * while the server is down still knows open positions and recent fills. After the primary's
   * acknowledgement (the cache never leads the server); a failure leaves the commit stored and
   * is reported in health().
   */
  private async replicate(op: ReplicaOp): Promise<void> {
    if (this.outboxError || !this.outbox.isWriter) return;
    try {
      await this.outbox.replicate(op);
      this.replicaError = null;
    } catch (err) {
      this.replicaError = (err as Error).message;
    }
  }

  /** The whole set of open positions from the primary into the cache (on open, after a batch). */
  private async refreshCachedPositions(fills: ReplicaOp['fills'] = []): Promise<void> {
    if (this.outboxError || !this.outbox.isWriter || !this.primaryUp) return;
    try {
      const positions = await this.primary.openPositions();
      await this.replicate({ fills, positions: positions.map((p) => [p.account, p.symbol, JSON.stringify(p)]), replacePositions: true });
    } catch (err) {
      this.replicaError = (err as Error).message;
    }
  }

  /**
   * Bulk commits: PostgreSQL's one-transaction batch when it is up and nothing waits before us;
   * otherwise unit by unit into the outbox (each durable before the next).
   */
  async commitBatch(units: readonly CommitUnit[]): Promise<number> {
    let added = 0;
    await this.route(
      async () => {
        added = await commitAll(this.primary, units);
        await this.refreshCachedPositions(replicaOf(units).fills);
        return false;
      },
      async () => {
        try {
          for (const u of units) if (await this.outbox.commit(u)) added++;
        } finally {
          this.pendingCount = await this.outbox.pendingCount().catch(() => this.pendingCount + added);
        }
        return false;
      },
    );
    return added;
  }

  async appendSimEvent(event: SimBalanceEvent): Promise<void> {
    await this.route(
      async () => (await this.primary.appendSimEvent(event), true),
      async () => (await this.outbox.appendSimEvent(event), true),
    );
  }

  async recordRiskEvent(event: RiskEvent): Promise<void> {
    await this.route(
      async () => (await this.primary.recordRiskEvent!(event), true),
      async () => (await this.outbox.recordRiskEvent!(event), true),
    );
  }

  /** The server's risk events with those still waiting in the outbox. */
  async riskEvents(query?: RiskEventQuery): Promise<RiskEvent[]> {
    await this.open();
    const byId = new Map<string, RiskEvent>();
    for (const e of await this.fromPrimary((p) => p.riskEvents?.(query) ?? Promise.resolve([]), [] as RiskEvent[])) byId.set(e.id, e);
    if (!this.outboxError) for (const { op } of await this.outbox.pending()) if ('k' in op && !byId.has(op.k.id)) byId.set(op.k.id, op.k);
    return filterRiskEvents([...byId.values()], query).sort((a, b) => a.sessionDate.localeCompare(b.sessionDate) || a.timeMs - b.timeMs || a.id.localeCompare(b.id));
  }

  async editTags(edit: TagEdit): Promise<void> {
    if (!edit.add.length && !edit.remove.length) return;
    await this.route(
      async () => (await this.primary.editTags(edit), true),
      async () => (await this.outbox.editTags(edit), true),
    );
  }

  /**
   * Imports, rebuilds and undo go to PostgreSQL only, after the outbox backlog (they replace rows
   * the backlog may touch); while it is down they fail loudly and the caller keeps nothing half-done.
   */
  bulkWrite(write: BulkWrite): Promise<void> {
    return this.serial(async () => {
      await this.open();
      if (!this.primaryUp || this.pendingCount > 0) {
        throw new StoreWriteError(`Import and rebuild need PostgreSQL itself${this.pendingCount > 0 ? `, and ${this.pendingCount} commit(s) still wait in the local outbox` : ''}: ${this.primaryError ?? 'waiting for the outbox to drain'} Try again once the database is reachable.`);
      }
      await this.primary.bulkWrite(write);
    });
  }

  async storedFills(partition?: { account: string; symbol: string }): Promise<StoredFill[]> {
    await this.open();
    return this.primary.storedFills(partition);
  }

  async fillPartitions(): Promise<{ account: string; symbol: string }[]> {
    await this.open();
    return this.primary.fillPartitions();
  }

  async batchFills(batchId: string): Promise<StoredFill[]> {
    await this.open();
    return this.primary.batchFills(batchId);
  }

  async importBatches(): Promise<ImportBatch[]> {
    await this.open();
    return this.primary.importBatches();
  }

  /** Straight to PostgreSQL when it is up and nothing waits before us; otherwise into the outbox. */
  private route(toPrimary: () => Promise<boolean>, toLocal: () => Promise<boolean>): Promise<boolean> {
    return this.serial(async () => {
      await this.open();
      if (this.primaryUp && this.pendingCount === 0) {
        try {
          return await toPrimary();
        } catch (err) {
          this.primaryDown(err);
        }
      }
      return this.toOutbox(toLocal);
    });
  }

  private async toOutbox(write: () => Promise<boolean>): Promise<boolean> {
    try {
      const added = await write();
      if (added) this.pendingCount++;
      this.outboxError = null;
      this.updateState();
      return added;
    } catch (err) {
      this.outboxError = (err as Error).message;
      this.updateState();
      throw new StoreWriteError(`Trade data NOT stored: ${this.primaryError ?? 'PostgreSQL has an earlier backlog'} The local outbox failed too: ${this.outboxError} Keep the app open; the commit is retried.`);
    }
  }

  /** Replays the outbox into PostgreSQL (if reachable) and removes what arrived. Returns entries drained. */
  syncNow(): Promise<number> {
    return this.serial(async () => {
      if (this.closed) return 0;
      if (!this.primaryUp) await this.connectPrimary();
      if (!this.primaryUp || this.outboxError || !this.outbox.isWriter) return this.updateState(), 0;
      const entries = await this.outbox.pending();
      const done: number[] = [];
      for (const { seq, op } of entries) {
        try {
          if ('c' in op) await this.primary.commit(op.c);
          else if ('e' in op) await this.primary.appendSimEvent(op.e);
          else if ('k' in op) await this.primary.recordRiskEvent!(op.k);
          else await this.primary.editTags(op.g);
          done.push(seq);
        } catch (err) {
          this.primaryDown(err);
          break;
        }
      }
      if (done.length) await this.outbox.removePending(done);
      this.pendingCount = await this.outbox.pendingCount();
      this.updateState();
      return done.length;
    });
  }

  private updateState(): void {
    const next: State = this.primaryUp && this.pendingCount === 0 ? 'primary' : this.outboxError && !this.primaryUp ? 'failed' : 'outbox';
    if (next === this.state && !this.opts.onStateChange) return;
    const changed = next !== this.state;
    this.state = next;
    if (changed && this.opts.onStateChange) void this.health().then(this.opts.onStateChange, () => undefined);
  }

  async hasFill(account: string, executionId: string): Promise<boolean> {
    await this.open();
    if (!this.outboxError && (await this.outbox.hasFill(account, executionId))) return true;
    return this.fromPrimary((p) => p.hasFill(account, executionId), false);
  }

  async fillKeys(sinceMs?: number): Promise<Set<string>> {
    await this.open();
    const keys = await this.fromPrimary((p) => p.fillKeys(sinceMs), new Set<string>());
    if (!this.outboxError) for (const k of await this.outbox.fillKeys(sinceMs)) keys.add(k);
    return keys;
  }

  /** The server's fills with those still in the outbox, each once. */
  async fills(account: string, executionIds: readonly string[]): Promise<Fill[]> {
    await this.open();
    const byId = new Map<string, Fill>();
    for (const f of await this.fromPrimary((p) => p.fills(account, executionIds), [])) byId.set(f.executionId, f);
    if (!this.outboxError) for (const f of await this.outbox.fills(account, executionIds)) byId.set(f.executionId, f);
    return [...byId.values()].sort(byFillTime);
  }

  async trades(query?: TradeQuery): Promise<Trade[]> {
    await this.open();
    const byId = new Map<string, Trade>();
    for (const t of await this.fromPrimary((p) => p.trades(query), [])) byId.set(t.id, t);
    if (!this.outboxError) for (const t of await this.outbox.trades(query)) byId.set(t.id, t);
    return [...byId.values()].sort((a, b) => a.exitTime - b.exitTime || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** The server's tags with the edits still waiting in the outbox applied over them, in order. */
  async tradeTags(): Promise<Map<string, string[]>> {
    await this.open();
    const tags = await this.fromPrimary((p) => p.tradeTags(), new Map<string, string[]>());
    if (this.outboxError) return tags;
    for (const { op } of await this.outbox.pending()) {
      if (!('g' in op)) continue;
      const next = applyTagEdit(tags.get(op.g.tradeId) ?? [], op.g);
      if (next.length) tags.set(op.g.tradeId, next);
      else tags.delete(op.g.tradeId);
    }
    return tags;
  }

  async openPositions(): Promise<OpenPosition[]> {
    await this.open();
    const map = new Map<string, OpenPosition | null>();
    // PostgreSQL down: its positions as last acknowledged (the outbox's primary cache).
    const cached = this.outboxError ? [] : await this.outbox.cachedPositions();
    for (const p of await this.fromPrimary((s) => s.openPositions(), cached)) map.set(contractKey(p.account, p.symbol), p);
    // The outbox is newer: its rows (and flat tombstones) override the server's.
    if (!this.outboxError) for (const [k, p] of await this.outbox.positionOverrides()) map.set(k, p);
    return [...map.values()].filter((p): p is OpenPosition => p !== null);
  }

  async simEvents(account?: string): Promise<SimBalanceEvent[]> {
    return this.mergedSimEvents((s) => s.simEvents(account));
  }

  /** The server's and the outbox's: a reset still in the outbox is newer than the server's, so the union stands. */
  async balanceEvents(): Promise<SimBalanceEvent[]> {
    return this.mergedSimEvents((s) => s.balanceEvents());
  }

  private async mergedSimEvents(read: (s: Pick<TradeStore, 'simEvents' | 'balanceEvents'>) => Promise<SimBalanceEvent[]>): Promise<SimBalanceEvent[]> {
    await this.open();
    const byId = new Map<string, SimBalanceEvent>();
    for (const e of await this.fromPrimary((p) => read(p), [])) byId.set(e.id, e);
    if (!this.outboxError) for (const e of await read(this.outbox)) byId.set(e.id, e);
    return [...byId.values()].sort((a, b) => a.timeMs - b.timeMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async schemaVersion(): Promise<number> {
    await this.open();
    return this.fromPrimary((p) => p.schemaVersion(), this.outboxError ? 0 : await this.outbox.schemaVersion());
  }

  async health(): Promise<StoreHealth> {
    const pending = this.outboxError ? 0 : await this.outbox.pendingCount().catch(() => 0);
    const parts: string[] = [];
    parts.push(this.primaryUp ? `PostgreSQL ${this.primary.describe()} reachable` : `${this.primaryError ?? 'PostgreSQL not connected yet'}`);
    if (pending) parts.push(`${pending} commit(s) waiting in the outbox ${this.outbox.describe()}; they are replayed when the server is back`);
    if (this.outboxError) parts.push(`local outbox unavailable: ${this.outboxError}`);
    if (this.replicaError) parts.push(`the local copy of open positions and fill keys lags PostgreSQL (${this.replicaError}); a restart while PostgreSQL is down may not know the latest`);
    const outboxHealth = this.outbox.isWriter || this.outboxError ? null : await this.outbox.health().catch(() => null);
    if (outboxHealth?.lockHolder) parts.push(`another process owns the outbox (it drains it): ${outboxHealth.lockHolder}`);
    else if (outboxHealth) parts.push('outbox opened read-only');
    let version: number | null = null;
    if (this.primaryUp) version = await this.primary.schemaVersion().catch(() => null);
    return {
      // Degraded is not ok: the commits are safe, but PostgreSQL does not have them.
      ok: this.primaryUp && !this.outboxError,
      store: this.describe(),
      kind: 'resilient',
      schemaVersion: version,
      detail: parts.join('; '),
      outboxPending: pending,
      state: this.state,
      lockHolder: outboxHealth?.lockHolder ?? null,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    await this.chain;
    this.closed = true;
    await this.outbox.close();
    await this.primary.close();
  }

  /** What reads can see: the whole store, or only the outbox while PostgreSQL is unreachable. */
  coverage(): ReadCoverage {
    if (this.primaryUp) return { whole: true, source: this.primary.describe() + (this.pendingCount ? ` plus ${this.pendingCount} commit(s) from the outbox ${this.outbox.describe()}` : '') };
    const visible = this.outboxError ? 'nothing (the local outbox failed too)' : `only the ${this.pendingCount} commit(s) waiting in the local outbox ${this.outbox.describe()}`;
    return { whole: false, source: `${visible}; ${this.primaryError ?? 'PostgreSQL is not connected'}` };
  }

  private async fromPrimary<T>(read: (p: TradeStore) => Promise<T>, fallback: T): Promise<T> {
    if (this.primaryUp) {
      try {
        return await read(this.primary);
      } catch (err) {
        this.primaryDown(err);
        this.updateState();
      }
    }
    if (this.opts.partialReads === false) throw new StoreReadError(this.primaryError ?? `PostgreSQL ${this.primary.describe()} is not connected.`, this.pendingCount);
    return fallback;
  }
}
