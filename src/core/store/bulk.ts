/**
 * Bulk writes shared by both stores: an import chunk, a rebuild or an undo is one BulkWrite, made
 * durable as one unit (one journal line + fdatasync in SQLite, one transaction in PostgreSQL) and
 * turned into statements here once, for both dialects. Rows go in multi-row INSERTs of ROWS rows.
 */
import type { Fill, OpenPosition, SimBalanceEvent, Trade } from '../trading/types';
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

/** Applied in this order: batch fills deleted, batch upserted, partitions cleared, rows inserted. */
export interface BulkWrite {
  /** Removes every fill of this import batch (undo). */
  deleteBatchFills?: string;
  batch?: ImportBatch;
  /** Partitions (account + symbol) whose trades, SIM pnl events and open position are replaced. */
  replace?: { account: string; symbol: string }[];
  fills?: Fill[];
  /** Import batch the `fills` belong to. */
  batchId?: string | null;
  trades?: Trade[];
  positions?: PositionWrite[];
  simEvents?: SimBalanceEvent[];
}

export interface StoredFill extends Fill {
  batchId: string | null;
}

export const BULK_SQL = {
  insertFill: `INSERT INTO {s}fills (account, execution_id, symbol, side, qty, price, time_ms, fee, server_order_id,
    high_during_position, low_during_position, position_after, source, batch_id) VALUES ROWS
    ON CONFLICT (account, execution_id) DO NOTHING`,
  insertTrade: `INSERT INTO {s}trades (id, account, mode, symbol, root, side, qty, max_position, entry_time, exit_time,
    avg_entry_price, avg_exit_price, gross_pnl, commissions, net_pnl, mae, mfe, r_multiple, fill_ids) VALUES ROWS
    ON CONFLICT (id) DO UPDATE SET account = excluded.account, mode = excluded.mode, symbol = excluded.symbol,
    root = excluded.root, side = excluded.side, qty = excluded.qty, max_position = excluded.max_position,
    entry_time = excluded.entry_time, exit_time = excluded.exit_time, avg_entry_price = excluded.avg_entry_price,
    avg_exit_price = excluded.avg_exit_price, gross_pnl = excluded.gross_pnl, commissions = excluded.commissions,
    net_pnl = excluded.net_pnl, mae = excluded.mae, mfe = excluded.mfe, r_multiple = excluded.r_multiple,
    fill_ids = excluded.fill_ids`,
  insertSimEvent: `INSERT INTO {s}sim_events (id, account, kind, amount, time_ms, trade_id, note) VALUES ROWS ON CONFLICT (id) DO NOTHING`,
  deleteBatchFills: `DELETE FROM {s}fills WHERE batch_id = ?`,
  upsertBatch: `INSERT INTO {s}import_batches (id, created_ms, status, files, counts) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET status = excluded.status, files = excluded.files, counts = excluded.counts`,
  clearPnl: `DELETE FROM {s}sim_events WHERE kind = 'pnl' AND trade_id IN (SELECT id FROM {s}trades WHERE account = ? AND symbol = ?)`,
  clearTrades: `DELETE FROM {s}trades WHERE account = ? AND symbol = ?`,
  fillsAll: `SELECT * FROM {s}fills ORDER BY time_ms, execution_id`,
  fillsFor: `SELECT * FROM {s}fills WHERE account = ? AND symbol = ? ORDER BY time_ms, execution_id`,
  fillsOfBatch: `SELECT * FROM {s}fills WHERE batch_id = ? ORDER BY time_ms, execution_id`,
  batches: `SELECT * FROM {s}import_batches ORDER BY created_ms, id`,
};

/** Rows per multi-row INSERT (19 columns x 200 stays far below both engines' parameter limits). */
export const ROWS = 200;

export interface Step {
  sql: string;
  params: unknown[];
}

function rowsSql(sql: string, cols: number, rows: number): string {
  const one = `(${new Array(cols).fill('?').join(', ')})`;
  return sql.replace('ROWS', new Array(rows).fill(one).join(', '));
}

/** Full chunks of ROWS rows, then the rest one row each: at most two statement texts per table. */
function inserts(sql: string, rows: unknown[][], out: Step[]): void {
  if (rows.length === 0) return;
  const cols = rows[0].length;
  let i = 0;
  for (; i + ROWS <= rows.length; i += ROWS) out.push({ sql: rowsSql(sql, cols, ROWS), params: rows.slice(i, i + ROWS).flat() });
  for (; i < rows.length; i++) out.push({ sql: rowsSql(sql, cols, 1), params: rows[i] });
}

export function bulkSteps(w: BulkWrite): Step[] {
  const out: Step[] = [];
  if (w.deleteBatchFills) out.push({ sql: BULK_SQL.deleteBatchFills, params: [w.deleteBatchFills] });
  if (w.batch) {
    const b = w.batch;
    out.push({ sql: BULK_SQL.upsertBatch, params: [b.id, b.createdMs, b.status, JSON.stringify(b.files), JSON.stringify(b.counts)] });
  }
  for (const p of w.replace ?? []) {
    out.push({ sql: BULK_SQL.clearPnl, params: [p.account, p.symbol] });
    out.push({ sql: BULK_SQL.clearTrades, params: [p.account, p.symbol] });
    out.push({ sql: SQL.deletePosition, params: [p.account, p.symbol] });
  }
  inserts(BULK_SQL.insertFill, (w.fills ?? []).map((f) => [...fillParams(f), w.batchId ?? null]), out);
  inserts(BULK_SQL.insertTrade, (w.trades ?? []).map(tradeParams), out);
  for (const p of w.positions ?? []) {
    if (p.position) out.push({ sql: SQL.upsertPosition, params: [p.account, p.symbol, JSON.stringify(p.position)] });
    else out.push({ sql: SQL.deletePosition, params: [p.account, p.symbol] });
  }
  inserts(BULK_SQL.insertSimEvent, (w.simEvents ?? []).map(simEventParams), out);
  return out;
}

/** Rows a write touches (SQLite snapshots sooner after big ones). */
export function bulkSize(w: BulkWrite): number {
  return (w.fills?.length ?? 0) + (w.trades?.length ?? 0) + (w.positions?.length ?? 0) + (w.simEvents?.length ?? 0) + (w.replace?.length ?? 0);
}

type Row = Record<string, unknown>;

export function rowToStoredFill(r: Row): StoredFill {
  return { ...rowToFill(r), batchId: r.batch_id === null || r.batch_id === undefined ? null : String(r.batch_id) };
}

export function rowToBatch(r: Row): ImportBatch {
  return { id: String(r.id), createdMs: Number(r.created_ms), status: r.status as ImportBatchStatus, files: JSON.parse(String(r.files)), counts: JSON.parse(String(r.counts)) };
}
