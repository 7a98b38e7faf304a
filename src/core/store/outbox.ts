/**
 * The local outbox of ResilientStore: a SQLite store (same durability, journal and writer lock)
 * whose every operation also records an entry in the `outbox` table, in the same transaction.
 * A flat position is kept as a `null` tombstone so it hides the primary's older row. Draining
 * (a journaled operation too) removes the entries that reached the primary and the rows they
 * added; a partition's local position goes only when no pending entry still speaks for it.
 */
import type { CommitUnit, Outbox, OutboxOp, StoreHealth, TradeQuery } from './types';
import type { Fill, OpenPosition, SimBalanceEvent, Trade } from '../trading/types';
import { SqliteStore, SqliteStoreOptions, SqliteExtension, SqlRunner } from './sqlite';
import { SQL, contractKey, fillKey, parsePosition } from './schema';
import { replicaOf, ReplicaOp } from './wal';

import type { TagEdit } from '../trading/tags';
import type { RiskEvent } from '../risk/guard';

export type SqliteOutboxOptions = Pick<SqliteStoreOptions, 'wasmPath' | 'readOnly' | 'lockStaleMs'>;

const parseOp = (entry: unknown): OutboxOp => JSON.parse(String(entry)) as OutboxOp;

/**
 * Fill keys the primary cache keeps: those of the newest week of fills (by fill time), what a DTC
 * server replays after a restart; older keys stay in PostgreSQL only, so the cache stays small.
 */
export const REPLICA_FILL_WINDOW_MS = 7 * 86_400_000;

/** The primary cache: fill keys and positions PostgreSQL acknowledged (see ResilientStore). */
function replicate(op: ReplicaOp, db: SqlRunner): void {
  if (op.replacePositions) db.run(SQL.replicaClearPositions);
  for (const [account, symbol, position] of op.positions) {
    if (position === null) db.run(SQL.replicaDeletePosition, [account, symbol]);
    else db.run(SQL.replicaUpsertPosition, [account, symbol, position]);
  }
  if (!op.fills.length) return;
  for (const f of op.fills) db.run(SQL.replicaInsertFill, f);
  const newest = Number(db.get(SQL.replicaNewestFill)?.t ?? 0);
  db.run(SQL.replicaPruneFills, [newest - REPLICA_FILL_WINDOW_MS]);
}

const outboxRows: SqliteExtension = {
  keepFlatTombstones: true,
  ddl: SQL.replicaDdl,
  replicated: replicate,
  committed: (seq, unit, db) => db.run(SQL.outboxInsert, [seq, JSON.stringify({ c: unit })]),
  simEventAdded: (seq, event, db) => db.run(SQL.outboxInsert, [seq, JSON.stringify({ e: event })]),
  drained: (seqs, db) => drain(seqs, db),
  // Queued, not applied: ResilientStore applies pending edits over the primary's tags.
  tagEdited: (seq, edit, db) => db.run(SQL.outboxInsert, [seq, JSON.stringify({ g: edit })]),
  // Queued likewise: ResilientStore reads pending risk events beside the primary's.
  riskRecorded: (seq, event, db) => db.run(SQL.outboxInsert, [seq, JSON.stringify({ k: event })]),
};

function drain(seqs: number[], db: SqlRunner): void {
  const partitions = new Set<string>();
  const arrived: CommitUnit[] = [];
  for (const seq of seqs) {
    const row = db.get(SQL.outboxEntry, [seq]);
    if (!row) continue;
    const op = parseOp(row.entry);
    if ('c' in op) {
      const u = op.c;
      arrived.push(u);
      db.run(SQL.deleteFill, [u.fill.account, u.fill.executionId]);
      for (const t of u.trades) db.run(SQL.deleteTrade, [t.id]);
      for (const s of u.simEvents) db.run(SQL.deleteSimEvent, [s.id]);
      partitions.add(JSON.stringify([u.positionKey.account, u.positionKey.symbol]));
    } else if ('e' in op) {
      db.run(SQL.deleteSimEvent, [op.e.id]);
    }
    db.run(SQL.outboxDelete, [seq]);
  }
  const still = new Set(db.all(SQL.outboxEntries).flatMap((r) => {
    const op = parseOp(r.entry);
    return 'c' in op ? [JSON.stringify([op.c.positionKey.account, op.c.positionKey.symbol])] : [];
  }));
  for (const p of partitions) {
    if (still.has(p)) continue;
    const [account, symbol] = JSON.parse(p) as [string, string];
    db.run(SQL.deletePosition, [account, symbol]);
  }
  // What reached the primary joins the primary cache (the outbox rows above are gone).
  replicate(replicaOf(arrived), db);
}

export class SqliteOutbox implements Outbox {
  readonly store: SqliteStore;

  constructor(readonly filePath: string, opts: SqliteOutboxOptions = {}) {
    this.store = new SqliteStore(filePath, { ...opts, extension: outboxRows });
  }

  describe(): string {
    return this.store.describe();
  }

  get isWriter(): boolean {
    return this.store.isWriter;
  }

  open(): Promise<void> {
    return this.store.open();
  }

  close(): Promise<void> {
    return this.store.close();
  }

  /** A fill the primary already acknowledged (the cache knows it) adds nothing, like a pending one. */
  async commit(unit: CommitUnit): Promise<boolean> {
    await this.store.open();
    if (await this.store.read((db) => db.get(SQL.replicaHasFill, [unit.fill.account, unit.fill.executionId]) !== null)) return false;
    return this.store.commit(unit);
  }

  appendSimEvent(event: SimBalanceEvent): Promise<void> {
    return this.store.appendSimEvent(event);
  }

  editTags(edit: TagEdit): Promise<void> {
    return this.store.editTags(edit);
  }

  recordRiskEvent(event: RiskEvent): Promise<void> {
    return this.store.recordRiskEvent(event);
  }

  /** Always empty: the outbox queues tag edits (pending()) instead of applying them. */
  tradeTags(): Promise<Map<string, string[]>> {
    return this.store.tradeTags();
  }

  /** Pending fills and the primary cache's (fills PostgreSQL acknowledged, newest week). */
  async hasFill(account: string, executionId: string): Promise<boolean> {
    if (await this.store.hasFill(account, executionId)) return true;
    return this.store.read((db) => db.get(SQL.replicaHasFill, [account, executionId]) !== null);
  }

  async fillKeys(sinceMs?: number): Promise<Set<string>> {
    const keys = await this.store.fillKeys(sinceMs);
    return this.store.read((db) => {
      for (const r of db.all(SQL.replicaFillKeys, [sinceMs ?? Number.MIN_SAFE_INTEGER])) keys.add(fillKey(String(r.account), String(r.execution_id)));
      return keys;
    });
  }

  /** Write-through of what the primary acknowledged (journaled, so it survives a crash). */
  replicate(op: ReplicaOp): Promise<void> {
    return this.store.journalReplica(op);
  }

  /** Open positions as PostgreSQL last acknowledged them (the primary cache). */
  cachedPositions(): Promise<OpenPosition[]> {
    return this.store.read((db) => db.all(SQL.replicaPositions).map((r) => parsePosition(String(r.position))).filter((p): p is OpenPosition => p !== null));
  }

  fills(account: string, executionIds: readonly string[]): Promise<Fill[]> {
    return this.store.fills(account, executionIds);
  }

  trades(query?: TradeQuery): Promise<Trade[]> {
    return this.store.trades(query);
  }

  simEvents(account?: string): Promise<SimBalanceEvent[]> {
    return this.store.simEvents(account);
  }

  balanceEvents(): Promise<SimBalanceEvent[]> {
    return this.store.balanceEvents();
  }

  schemaVersion(): Promise<number> {
    return this.store.schemaVersion();
  }

  positionOverrides(): Promise<Map<string, OpenPosition | null>> {
    return this.store.read((db) => new Map(db.all(SQL.positions).map((r) => [contractKey(String(r.account), String(r.symbol)), parsePosition(String(r.position))])));
  }

  pending(): Promise<{ seq: number; op: OutboxOp }[]> {
    return this.store.read((db) => db.all(SQL.outboxEntries).map((r) => ({ seq: Number(r.seq), op: parseOp(r.entry) })));
  }

  pendingCount(): Promise<number> {
    return this.store.read((db) => Number(db.get(SQL.outboxCount)?.n ?? 0));
  }

  removePending(seqs: number[]): Promise<void> {
    return this.store.journalDrain(seqs);
  }

  async health(): Promise<StoreHealth> {
    const h = await this.store.health();
    return { ...h, outboxPending: await this.pendingCount().catch(() => 0) };
  }
}
