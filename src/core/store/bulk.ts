/**
 * Bulk writes shared by both stores: an import chunk, a rebuild or an undo is one BulkWrite, made
 * durable as one unit (one journal line + fdatasync in SQLite, one transaction in PostgreSQL) and
 * turned into statements here once, for both dialects. Rows go in multi-row INSERTs of ROWS rows.
 */
import type { Fill, OpenPosition, SimBalanceEvent, Trade } from '../trading/types';
import type { CommitUnit } from './types';
import { contractKey } from '../trading/keys';
import { SQL, fillParams, rowToFill, simEventParams, tradeParams } from './schema';

export interface ImportBatchFile {
  name: string;
  sha256: string;
  format: string;
  rows: number;
  fills: number;
}

export type ImportBatchStatus = 'running' | 'complete' | 'cancelled' | 'undone' | 'failed';

/** One `appsierra import` run: its files (by content hash) and counts; its fills carry its id. */
export interface ImportBatch {
  id: string;
  createdMs: number;
  status: ImportBatchStatus;
  files: ImportBatchFile[];
  counts: Record<string, number>;
}

export interface PositionWrite {
  account: string;
  symbol: string;
  /** null: the partition is flat (its row goes). */
  position: OpenPosition | null;
}

/** Applied in this order: batch fills deleted, batch upserted, partitions cleared, rows removed by id, rows inserted. */
export interface BulkWrite {
  /** Removes every fill of this import batch (undo). */
  deleteBatchFills?: string;
  batch?: ImportBatch;
  /**
   * Partitions (account + symbol) whose trades, SIM pnl events and open position are replaced
   * wholesale. Rebuilds no longer write it (they restate by id, below); kept so that a journaled
   * write from before still replays.
   */
  replace?: { account: string; symbol: string }[];
  /** Trades removed by id (a rebuilt partition no longer produces them). */
  deleteTrades?: string[];
  /** SIM events removed by id (the pnl events of removed trades). */
  deleteSimEvents?: string[];
  fills?: Fill[];
  /** Import batch the `fills` belong to. */
  batchId?: string | null;
  trades?: Trade[];
  positions?: PositionWrite[];
  simEvents?: SimBalanceEvent[];
  /** SIM events written over the stored ones of the same id (a rebuild's restated pnl); `simEvents` never overwrite. */
  upsertSimEvents?: SimBalanceEvent[];
  /** Trades stored with the same id, mode, account and exit time: the other columns are written over (no index entry moves). */
  restateTrades?: Trade[];
  /** SIM events stored with the same id, account, kind, time and trade: only amount and note are written over. */
  restateSimEvents?: SimBalanceEvent[];
  /** Tags added to trades (normalized; a tag already there stays once): an import restoring an export's tags. */
  tags?: { tradeId: string; tags: string[] }[];
}

export interface StoredFill extends Fill {
  batchId: string | null;
}

/** A single-row statement with its VALUES list opened up for several rows (`ROWS`): columns are defined once. */
function multiRow(sql: string): string {
  return sql.replace(/VALUES \([?, ]+\)/, 'VALUES ROWS');
}

/** The bulk statements (with `ROWS` where the multi-row VALUES go) live in schema.ts's SQL table. */
export const BULK_SQL = {
  insertFill: SQL.bulkInsertFill,
  insertTrade: multiRow(SQL.upsertTrade),
  insertSimEvent: multiRow(SQL.insertSimEvent),
  upsertSimEvent: multiRow(SQL.upsertSimEvent),
  restateSimEvent: multiRow(SQL.restateSimEvent),
  restateTrade: multiRow(SQL.restateTrade),
  deleteTrades: SQL.deleteTrades,
  deleteSimEvents: SQL.deleteSimEvents,
  deleteBatchFills: SQL.deleteBatchFills,
  upsertBatch: SQL.upsertBatch,
  clearPnl: SQL.clearPnl,
  clearTrades: SQL.clearTrades,
  fillsAll: SQL.fillsAll,
  fillPartitions: SQL.fillPartitions,
  fillsFor: SQL.fillsFor,
  fillsOfBatch: SQL.fillsOfBatch,
  batches: SQL.batches,
  simEventAccounts: SQL.simEventAccounts,
};

/** Rows per multi-row INSERT (19 columns x 200 stays far below both engines' parameter limits). */
export const ROWS = 200;

export interface Step {
  sql: string;
  params: unknown[];
}

/** Statement texts by table, column count and row count (built once: they are also the engines' statement-cache keys). */
const rowsSqlCache = new Map<string, string>();

function rowsSql(sql: string, cols: number, rows: number): string {
  const key = `${rows}:${cols}:${sql}`;
  let text = rowsSqlCache.get(key);
  if (text === undefined) {
    const one = `(${new Array(cols).fill('?').join(', ')})`;
    rowsSqlCache.set(key, (text = sql.replace('ROWS', new Array(rows).fill(one).join(', '))));
  }
  return text;
}

/**
 * Full statements of ROWS rows, then the rest one row each: at most two statement texts per table.
 * Parameters are made one statement at a time (a rebuild's 100k trades never exist as rows all at once).
 */
function* inserts<T>(sql: string, items: readonly T[], paramsOf: (item: T) => unknown[]): Generator<Step> {
  if (items.length === 0) return;
  const first = paramsOf(items[0]);
  const cols = first.length;
  const many = rowsSql(sql, cols, ROWS);
  const one = rowsSql(sql, cols, 1);
  let i = 0;
  for (; i + ROWS <= items.length; i += ROWS) {
    const params: unknown[] = new Array(ROWS * cols);
    for (let r = 0, k = 0; r < ROWS; r++) {
      const row = i + r === 0 ? first : paramsOf(items[i + r]);
      for (let c = 0; c < cols; c++) params[k++] = row[c];
    }
    yield { sql: many, params };
  }
  for (; i < items.length; i++) yield { sql: one, params: i === 0 ? first : paramsOf(items[i]) };
}

/** The statements of a write, made as they are consumed (both stores run each before taking the next). */
export function* bulkSteps(w: BulkWrite): Generator<Step> {
  if (w.deleteBatchFills) yield { sql: BULK_SQL.deleteBatchFills, params: [w.deleteBatchFills] };
  if (w.batch) {
    const b = w.batch;
    yield { sql: BULK_SQL.upsertBatch, params: [b.id, b.createdMs, b.status, JSON.stringify(b.files), JSON.stringify(b.counts)] };
  }
  for (const p of w.replace ?? []) {
    yield { sql: BULK_SQL.clearPnl, params: [p.account, p.symbol] };
    yield { sql: BULK_SQL.clearTrades, params: [p.account, p.symbol] };
    yield { sql: SQL.deletePosition, params: [p.account, p.symbol] };
  }
  // By primary key, ROWS ids a statement: no scan of the partition's rows (a fee change removes none).
  yield* inserts(BULK_SQL.deleteTrades, w.deleteTrades ?? [], (id) => [id]);
  yield* inserts(BULK_SQL.deleteSimEvents, w.deleteSimEvents ?? [], (id) => [id]);
  const batchId = w.batchId ?? null;
  yield* inserts(BULK_SQL.insertFill, w.fills ?? [], (f) => {
    const row = fillParams(f);
    row.push(batchId);
    return row;
  });
  yield* inserts(BULK_SQL.insertTrade, w.trades ?? [], tradeParams);
  yield* inserts(BULK_SQL.restateTrade, w.restateTrades ?? [], tradeParams);
  for (const p of w.positions ?? []) {
    if (p.position) yield { sql: SQL.upsertPosition, params: [p.account, p.symbol, JSON.stringify(p.position)] };
    else yield { sql: SQL.deletePosition, params: [p.account, p.symbol] };
  }
  yield* inserts(BULK_SQL.insertSimEvent, w.simEvents ?? [], simEventParams);
  yield* inserts(BULK_SQL.upsertSimEvent, w.upsertSimEvents ?? [], simEventParams);
  yield* inserts(BULK_SQL.restateSimEvent, w.restateSimEvents ?? [], simEventParams);
  for (const t of w.tags ?? []) for (const tag of t.tags) yield { sql: SQL.insertTag, params: [t.tradeId, tag] };
}

/** Rows a write touches (SQLite snapshots sooner after big ones). */
export function bulkSize(w: BulkWrite): number {
  return (w.fills?.length ?? 0) + (w.trades?.length ?? 0) + (w.positions?.length ?? 0) + (w.simEvents?.length ?? 0) + (w.upsertSimEvents?.length ?? 0) +
    (w.restateTrades?.length ?? 0) + (w.restateSimEvents?.length ?? 0) +
    (w.deleteTrades?.length ?? 0) + (w.deleteSimEvents?.length ?? 0) + (w.replace?.length ?? 0) + (w.tags?.length ?? 0);
}

type Row = Record<string, unknown>;

export function rowToStoredFill(r: Row): StoredFill {
  return { ...rowToFill(r), batchId: r.batch_id === null || r.batch_id === undefined ? null : String(r.batch_id) };
}

export function rowToBatch(r: Row): ImportBatch {
  return { id: String(r.id), createdMs: Number(r.created_ms), status: r.status as ImportBatchStatus, files: JSON.parse(String(r.files)), counts: JSON.parse(String(r.counts)) };
}

/** Commit units (in order) as one bulk write: every fill and trade, each partition's last position, SIM events once. */
export function unitsToBulk(units: CommitUnit[]): BulkWrite {
  const positions = new Map<string, PositionWrite>();
  const sim = new Map<string, SimBalanceEvent>();
  for (const u of units) {
    positions.set(contractKey(u.positionKey.account, u.positionKey.symbol), { ...u.positionKey, position: u.position });
    for (const e of u.simEvents) if (!sim.has(e.id)) sim.set(e.id, e);
  }
  return { fills: units.map((u) => u.fill), trades: units.flatMap((u) => u.trades), positions: [...positions.values()], simEvents: [...sim.values()] };
}
