import type { BulkWrite, ImportBatch, StoredFill } from './bulk';
import type { Fill, Mode, OpenPosition, SimBalanceEvent, Trade } from '../trading/types';
import type { TagEdit } from '../trading/tags';
import type { ReplicaOp } from './wal';
import type { RiskEvent } from '../risk/guard';

/**
 * One durable unit: a fill, the trades it closed, the open position it left (or a delete when it
 * left the partition flat) and the SIM balance events it caused. A store acknowledges (resolves
 * `commit`) only once the unit would survive a crash. Committing the same fill twice adds nothing.
 */
export interface CommitUnit {
  fill: Fill;
  trades: Trade[];
  /** Position state after the fill; `null` with `positionKey` set means the partition is flat. */
  position: OpenPosition | null;
  positionKey: { account: string; symbol: string };
  simEvents: SimBalanceEvent[];
}

/** Risk events of one account and/or session dates (`YYYY-MM-DD`, inclusive). */
export interface RiskEventQuery {
  account?: string;
  fromDate?: string;
  toDate?: string;
}

export interface TradeQuery {
  mode?: Mode;
  account?: string;
  /** Exit time bounds, epoch ms, inclusive from, exclusive to. */
  fromMs?: number;
  toMs?: number;
  /** Any order (a rebuild groups them itself): spares the database a sort of every trade. */
  unordered?: boolean;
}

export interface StoreHealth {
  ok: boolean;
  /** Human description of the store in use, password masked, e.g. `sqlite:/path/appsierra.db`. */
  store: string;
  kind: 'sqlite' | 'postgres' | 'resilient';
  schemaVersion: number | null;
  detail: string;
  /** Commits waiting in the local outbox (PostgreSQL down); 0 for plain stores. */
  outboxPending: number;
  /** 'primary' | 'outbox' (degraded) | 'readonly' (another process holds the writer lock). */
  state: 'primary' | 'outbox' | 'readonly' | 'failed';
  lockHolder?: string | null;
  /** The store's recovery story: what opening it recovered, else the last recorded recovery. */
  recovery?: string | null;
}

/** One trade as the stats cache reads it (TradeStore.eachTradeStat): the database row itself. */
export interface TradeStatRow {
  id: unknown;
  account: unknown;
  mode: unknown;
  root: unknown;
  qty: unknown;
  entry_time: unknown;
  exit_time: unknown;
  gross_pnl: unknown;
  commissions: unknown;
  net_pnl: unknown;
  mae: unknown;
  mfe: unknown;
  r_multiple: unknown;
}

/** What opening a store recovered (a missing or corrupt snapshot, garbled lines); null: nothing. */
export interface Recoverable {
  recovery(): { current: boolean; text: string } | null;
}

/** Where a store's answers come from, and whether they cover all of it. */
export interface ReadCoverage {
  whole: boolean;
  /** e.g. `sqlite:/path/appsierra.db`, or which part is visible and why the rest is not. */
  source: string;
}

export interface TradeStore {
  open(): Promise<void>;
  close(): Promise<void>;
  /** Durable and idempotent; resolves after the unit is safe. Returns false if the fill was known. */
  commit(unit: CommitUnit): Promise<boolean>;
  /**
   * Many units as if committed one by one in order (idempotent per fill key), for bulk imports;
   * atomic where the store can (PostgreSQL: one transaction). Returns how many units were new.
   * Absent: callers commit one by one (commitAll).
   */
  commitBatch?(units: readonly CommitUnit[]): Promise<number>;
  hasFill(account: string, executionId: string): Promise<boolean>;
  /**
   * Known fill keys (`account\u0000executionId`) for the engine's duplicate filter: all, or those of
   * fills at or after `sinceMs` (a window; older fills are asked for with hasFill, issue 12).
   */
  fillKeys(sinceMs?: number): Promise<Set<string>>;
  /**
   * Closed trades in exit order (time, then id), each as a plain row of the columns the stats cache
   * keeps (no fill ids, no Trade objects kept). Absent: the caller reads trades().
   */
  eachTradeStat?(fn: (row: TradeStatRow) => void, afterRowid?: number): Promise<void>;
  /**
   * The stats columns saved at the last clean close (bytes of stats/columnsFile.ts), the rowid after
   * which trades were added since and how many, or null when none are kept or a trade changed since.
   */
  savedStatsColumns?(): Promise<{ data: Uint8Array; afterRowid: number; added: number } | null>;
  /** Saves the stats columns of all `tradeCount` trades stored now; a problem (counts differ, disk) comes back as text. */
  saveStatsColumns?(encode: () => Uint8Array, tradeCount: number): Promise<string | null>;
  /** The stored fills of one account with these execution ids, in time order (a trade's fills, for its detail). */
  fills(account: string, executionIds: readonly string[]): Promise<Fill[]>;
  trades(query?: TradeQuery): Promise<Trade[]>;
  openPositions(): Promise<OpenPosition[]>;
  appendSimEvent(event: SimBalanceEvent): Promise<void>;
  simEvents(account?: string): Promise<SimBalanceEvent[]>;
  /** The events the SIM balances stand on (schema.ts balanceEvents), in time order: what a window loads. */
  balanceEvents(): Promise<SimBalanceEvent[]>;
  /**
   * Adds, then removes, tags of one trade (normalized by the caller: trading/tags.ts). Durable
   * like a commit (through the outbox while PostgreSQL is down) and idempotent.
   */
  editTags(edit: TagEdit): Promise<void>;
  /** Tags by trade id (trades with at least one tag), each list in tag order. */
  tradeTags(): Promise<Map<string, string[]>>;
  /** Records a day's risk breach (idempotent by id; through the outbox while PostgreSQL is down). */
  recordRiskEvent?(event: RiskEvent): Promise<void>;
  /** Stored risk breaches, oldest first: all, or one account's. */
  riskEvents?(query?: RiskEventQuery): Promise<RiskEvent[]>;
  schemaVersion(): Promise<number>;
  health(): Promise<StoreHealth>;
  /** Human description, password masked. */
  describe(): string;
  /** What the reads can see now (default: the whole store, describe()). */
  coverage?(): ReadCoverage;
  /** One durable unit for imports, rebuilds and undo (bulk.ts); resolves once it is safe. */
  bulkWrite(write: BulkWrite): Promise<void>;
  /** Stored fills, oldest first (time, then execution id): all, or one account + symbol. */
  storedFills(partition?: { account: string; symbol: string }): Promise<StoredFill[]>;
  /**
   * Every stored fill in turn, oldest first, without an array of them all (an import's duplicate
   * check reads them once; at 200k fills the array alone is ~100 MB of heap). Optional: callers
   * fall back to storedFills().
   */
  eachStoredFill?(fn: (fill: Fill) => void): Promise<void>;
  /** Accounts with SIM events (optional: callers fall back to reading simEvents()). */
  simEventAccounts?(): Promise<string[]>;
  /** Every account + symbol that has stored fills (a rebuild reads them one partition at a time). */
  fillPartitions(): Promise<{ account: string; symbol: string }[]>;
  /** Fills of one import batch. */
  batchFills(batchId: string): Promise<StoredFill[]>;
  importBatches(): Promise<ImportBatch[]>;
}

/** One outbox entry: a commit, a SIM event, a tag edit or a risk event that has not reached the primary yet. */
export type OutboxOp = { c: CommitUnit } | { e: SimBalanceEvent } | { g: TagEdit } | { k: RiskEvent };

/**
 * The local outbox of ResilientStore: a durable store of commits waiting for the primary, in
 * commit order. Its positions override the primary's (a flat one is a `null` tombstone) until the
 * entries that wrote them are drained.
 */
export interface Outbox extends Omit<TradeStore, 'openPositions' | 'bulkWrite' | 'storedFills' | 'fillPartitions' | 'batchFills' | 'importBatches'> {
  /** True while this process may write (and so drain) the outbox. */
  readonly isWriter: boolean;
  /** Positions by `account\0symbol`; null = flat (hides the primary's row). */
  positionOverrides(): Promise<Map<string, OpenPosition | null>>;
  /** Entries in commit order. */
  pending(): Promise<{ seq: number; op: OutboxOp }[]>;
  pendingCount(): Promise<number>;
  /** Drops entries that reached the primary, and the rows they added locally (they join the primary cache). */
  removePending(seqs: number[]): Promise<void>;
  /**
   * The primary cache: records what the primary acknowledged (fill keys, positions), durably, so
   * a restart while the primary is down still knows them. hasFill/fillKeys include it.
   */
  replicate(op: ReplicaOp): Promise<void>;
  /** Open positions as the primary last acknowledged them. */
  cachedPositions(): Promise<OpenPosition[]>;
}

/** Bulk commit through the store's commitBatch when it has one, else unit by unit. Returns units added. */
export async function commitAll(store: Pick<TradeStore, 'commit' | 'commitBatch'>, units: readonly CommitUnit[]): Promise<number> {
  if (store.commitBatch) return store.commitBatch(units);
  let added = 0;
  for (const u of units) if (await store.commit(u)) added++;
  return added;
}
