/**
 * The one schema of the trade stores (SQLite and PostgreSQL share it), its versioned migrations,
 * and the statements both stores run. Statements use `?` placeholders and a `{s}` table prefix;
 * each dialect rewrites them (`$n` and a quoted schema for PostgreSQL).
 */
import type { CommitUnit } from './types';
import type { Fill, OpenPosition, SimBalanceEvent, Trade } from '../trading/types';
import { compareTags } from '../trading/tags';
import type { RiskEvent } from '../risk/guard';
import type { RiskEventQuery } from './types';

export type Dialect = 'sqlite' | 'postgres';

export interface Migration {
  version: number;
  description: string;
  statements: string[];
  /** SQLite only, after `statements` (what PostgreSQL has no use for or writes differently). */
  sqlite?: string[];
}

/** Append only: a released migration is never edited, a change is a new version. */
export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'fills, trades, open positions, SIM events, outbox',
    statements: [
      `CREATE TABLE IF NOT EXISTS {s}fills (
        account TEXT NOT NULL, execution_id TEXT NOT NULL, symbol TEXT NOT NULL, side TEXT NOT NULL,
        qty DOUBLE PRECISION NOT NULL, price DOUBLE PRECISION NOT NULL, time_ms BIGINT NOT NULL,
        fee DOUBLE PRECISION, server_order_id TEXT, high_during_position DOUBLE PRECISION,
        low_during_position DOUBLE PRECISION, position_after DOUBLE PRECISION, source TEXT NOT NULL,
        PRIMARY KEY (account, execution_id))`,
      `CREATE TABLE IF NOT EXISTS {s}trades (
        id TEXT PRIMARY KEY, account TEXT NOT NULL, mode TEXT NOT NULL, symbol TEXT NOT NULL, root TEXT NOT NULL,
        side TEXT NOT NULL, qty DOUBLE PRECISION NOT NULL, max_position DOUBLE PRECISION NOT NULL,
        entry_time BIGINT NOT NULL, exit_time BIGINT NOT NULL, avg_entry_price DOUBLE PRECISION NOT NULL,
        avg_exit_price DOUBLE PRECISION NOT NULL, gross_pnl DOUBLE PRECISION NOT NULL,
        commissions DOUBLE PRECISION NOT NULL, net_pnl DOUBLE PRECISION NOT NULL, mae DOUBLE PRECISION,
        mfe DOUBLE PRECISION, r_multiple DOUBLE PRECISION, fill_ids TEXT NOT NULL)`,
      `CREATE INDEX IF NOT EXISTS trades_mode_account_exit ON {s}trades (mode, account, exit_time)`,
      // position is the OpenPosition as JSON; the text 'null' is a flat tombstone (outbox only).
      `CREATE TABLE IF NOT EXISTS {s}open_positions (
        account TEXT NOT NULL, symbol TEXT NOT NULL, position TEXT NOT NULL, PRIMARY KEY (account, symbol))`,
      `CREATE TABLE IF NOT EXISTS {s}sim_events (
        id TEXT PRIMARY KEY, account TEXT NOT NULL, kind TEXT NOT NULL, amount DOUBLE PRECISION NOT NULL,
        time_ms BIGINT NOT NULL, trade_id TEXT, note TEXT)`,
      // Commits waiting to reach the primary (used by the local outbox of ResilientStore).
      `CREATE TABLE IF NOT EXISTS {s}outbox (seq BIGINT PRIMARY KEY, entry TEXT NOT NULL)`,
    ],
  },
  {
    version: 2,
    description: 'trade tags',
    statements: [
      // Keyed by trade id, not a column of trades: a restated or rebuilt trade (same id) keeps its tags.
      `CREATE TABLE IF NOT EXISTS {s}trade_tags (trade_id TEXT NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (trade_id, tag))`,
      `CREATE INDEX IF NOT EXISTS trade_tags_tag ON {s}trade_tags (tag)`,
    ],
  },
  {
    version: 3,
    description: 'assumed R (from the default stop) beside the stop-based R',
    // Nullable: every existing trade simply has none.
    statements: [`ALTER TABLE {s}trades ADD COLUMN assumed_r_multiple DOUBLE PRECISION`],
  },
  {
    version: 4,
    description: 'import batches: the batch table, fills.batch_id, fills by partition and time (rebuild)',
    statements: [
      `ALTER TABLE {s}fills ADD COLUMN batch_id TEXT`,
      `CREATE INDEX IF NOT EXISTS fills_batch ON {s}fills (batch_id)`,
      `CREATE INDEX IF NOT EXISTS fills_partition_time ON {s}fills (account, symbol, time_ms)`,
      `CREATE TABLE IF NOT EXISTS {s}import_batches (
        id TEXT PRIMARY KEY, created_ms BIGINT NOT NULL, status TEXT NOT NULL, files TEXT NOT NULL, counts TEXT NOT NULL)`,
    ],
  },
  {
    version: 5,
    description: "risk events: a day's breach of a risk limit (one per account, session date and limit)",
    statements: [
      `CREATE TABLE IF NOT EXISTS {s}risk_events (
        id TEXT PRIMARY KEY, account TEXT NOT NULL, session_date TEXT NOT NULL, kind TEXT NOT NULL, level TEXT NOT NULL,
        limit_amount DOUBLE PRECISION NOT NULL, used DOUBLE PRECISION NOT NULL, time_ms BIGINT NOT NULL, message TEXT NOT NULL)`,
      `CREATE INDEX IF NOT EXISTS risk_events_account_date ON {s}risk_events (account, session_date)`,
    ],
  },
  {
    version: 6,
    description: 'fills by time: the recent fill keys a window loads (issue 12), older ones are asked for one by one',
    statements: [`CREATE INDEX IF NOT EXISTS fills_time ON {s}fills (time_ms)`],
  },
  {
    version: 7,
    description: 'SIM events by account and time (a window loads what the balances stand on); SQLite: the stats columns kept at close',
    statements: [
      `CREATE INDEX IF NOT EXISTS sim_events_account_time ON {s}sim_events (account, time_ms)`,
      `CREATE INDEX IF NOT EXISTS sim_events_kind_account_time ON {s}sim_events (kind, account, time_ms)`,
    ],
    sqlite: [
      // One row: the saved stats cache columns (stats/columnsFile.ts) hold the trades up to max_rowid.
      // The columns themselves are a file beside the database (SIDECAR.statsColumns): through the
      // WebAssembly heap they would grow it for good.
      `CREATE TABLE IF NOT EXISTS stats_columns (id INTEGER PRIMARY KEY CHECK (id = 1), token TEXT NOT NULL,
        max_rowid INTEGER NOT NULL, trade_count INTEGER NOT NULL)`,
      // A trade changed or removed (a restatement, a rebuild, an undo; by any writer) makes the kept
      // columns wrong: they go. New trades do not: they are read after max_rowid.
      `CREATE TRIGGER IF NOT EXISTS trades_update_drops_stats AFTER UPDATE ON trades BEGIN DELETE FROM stats_columns; END`,
      `CREATE TRIGGER IF NOT EXISTS trades_delete_drops_stats AFTER DELETE ON trades BEGIN DELETE FROM stats_columns; END`,
    ],
  },
  {
    version: 8,
    description: "fills by time with their keys: a window's recent fill keys come from the index alone",
    // fills_time made every key of the window a lookup in the table (about half of a start's reads).
    statements: [`CREATE INDEX IF NOT EXISTS fills_time_key ON {s}fills (time_ms, account, execution_id)`, `DROP INDEX IF EXISTS {s}fills_time`],
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export const META_DDL = `CREATE TABLE IF NOT EXISTS {s}meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`;

/** Columns of a stored trade, in tradeParams' order. */
const TRADE_COLUMNS = ['id', 'account', 'mode', 'symbol', 'root', 'side', 'qty', 'max_position', 'entry_time', 'exit_time', 'avg_entry_price',
  'avg_exit_price', 'gross_pnl', 'commissions', 'net_pnl', 'mae', 'mfe', 'r_multiple', 'fill_ids', 'assumed_r_multiple'];
/** The trade columns of the (mode, account, exit_time) index. */
const TRADE_INDEXED = ['mode', 'account', 'exit_time'];
/** Columns of a stored SIM event, in simEventParams' order. */
const SIM_EVENT_COLUMNS = ['id', 'account', 'kind', 'amount', 'time_ms', 'trade_id', 'note'];
/** What the stats cache reads of a trade (TradeStatRow): no fill ids. */
const TRADE_STAT_COLUMNS = 'id, account, mode, root, qty, entry_time, exit_time, gross_pnl, commissions, net_pnl, mae, mfe, r_multiple';

/** One row in, `set` written over on a conflict of `key` (default: every other column; none: DO NOTHING). */
function upsertSql(table: string, columns: readonly string[], key: string, set: readonly string[] = columns.filter((c) => c !== key)): string {
  const action = set.length ? `DO UPDATE SET ${set.map((c) => `${c} = excluded.${c}`).join(', ')}` : 'DO NOTHING';
  return `INSERT INTO {s}${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
    ON CONFLICT (${key}) ${action}`;
}

export const SQL = {
  getMeta: `SELECT value FROM {s}meta WHERE key = ?`,
  setMeta: `INSERT INTO {s}meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  hasFill: `SELECT 1 FROM {s}fills WHERE account = ? AND execution_id = ?`,
  insertFill: `INSERT INTO {s}fills (account, execution_id, symbol, side, qty, price, time_ms, fee, server_order_id,
    high_during_position, low_during_position, position_after, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (account, execution_id) DO NOTHING`,
  upsertTrade: upsertSql('trades', TRADE_COLUMNS, 'id'),
  upsertPosition: `INSERT INTO {s}open_positions (account, symbol, position) VALUES (?, ?, ?)
    ON CONFLICT (account, symbol) DO UPDATE SET position = excluded.position`,
  deletePosition: `DELETE FROM {s}open_positions WHERE account = ? AND symbol = ?`,
  insertSimEvent: upsertSql('sim_events', SIM_EVENT_COLUMNS, 'id', []),
  upsertSimEvent: upsertSql('sim_events', SIM_EVENT_COLUMNS, 'id'),
  // A rebuild's restatement of a row whose indexed columns are unchanged (a fee change): the SET
  // leaves them out, so SQLite rewrites no index entry (sim_events' two, trades' mode/account/exit).
  restateSimEvent: upsertSql('sim_events', SIM_EVENT_COLUMNS, 'id', ['amount', 'note']),
  restateTrade: upsertSql('trades', TRADE_COLUMNS, 'id', TRADE_COLUMNS.filter((c) => c !== 'id' && !TRADE_INDEXED.includes(c))),
  fillKeys: `SELECT account, execution_id FROM {s}fills`,
  fillKeysSince: `SELECT account, execution_id FROM {s}fills WHERE time_ms >= ?`,
  // SQLite: the same keys as one JSON text (one row out of WebAssembly instead of one per key).
  fillKeysSinceJson: `SELECT json_group_array(json_array(account, execution_id)) AS k FROM fills WHERE time_ms >= ?`,
  // The stats cache's columns (stats/cache.ts), in its order: no fill ids, no Trade objects.
  tradeStatColumns: `SELECT ${TRADE_STAT_COLUMNS} FROM {s}trades ORDER BY exit_time, id`,
  // Those added after a saved copy of the columns (stats/closedTrades.ts).
  tradeStatColumnsAfter: `SELECT ${TRADE_STAT_COLUMNS} FROM {s}trades WHERE rowid > ? ORDER BY exit_time, id`,
  // SQLite only (migration 7): which saved stats columns file is valid, and for which trades.
  statsColumnsRow: `SELECT token, max_rowid, trade_count FROM stats_columns WHERE id = 1`,
  setStatsColumnsRow: `INSERT OR REPLACE INTO stats_columns (id, token, max_rowid, trade_count) VALUES (1, ?, ?, ?)`,
  maxTradeRowid: `SELECT MAX(rowid) AS max_rowid FROM trades`,
  tradesAfterRowid: `SELECT COUNT(*) AS n FROM trades WHERE rowid > ?`,
  fillByKey: `SELECT * FROM {s}fills WHERE account = ? AND execution_id = ?`,
  /** PostgreSQL only: many fills of one account in one round trip (the ids as one array parameter). */
  fillsByKeysPg: `SELECT * FROM {s}fills WHERE account = ? AND execution_id = ANY(?)`,
  positions: `SELECT account, symbol, position FROM {s}open_positions`,
  simEventsAll: `SELECT * FROM {s}sim_events ORDER BY time_ms, id`,
  simEventsFor: `SELECT * FROM {s}sim_events WHERE account = ? ORDER BY time_ms, id`,
  // balanceEvents(): accounts by skipping through the index, then each one's latest reset onwards.
  simEventAccounts: `WITH RECURSIVE a(account) AS (SELECT MIN(account) FROM {s}sim_events
    UNION ALL SELECT (SELECT MIN(account) FROM {s}sim_events WHERE account > a.account) FROM a WHERE a.account IS NOT NULL)
    SELECT account FROM a WHERE account IS NOT NULL`,
  latestReset: `SELECT MAX(time_ms) AS t FROM {s}sim_events WHERE kind = 'reset' AND account = ?`,
  simEventsForSince: `SELECT * FROM {s}sim_events WHERE account = ? AND time_ms >= ? ORDER BY time_ms, id`,
  // SQLite: the same events as one JSON text of value arrays in SIM_EVENT_COLUMNS' order (one row out
  // of WebAssembly instead of an object per event; SQLite's JSON renders reals that read back exactly).
  simEventsForSinceJson: `SELECT json_group_array(json_array(${SIM_EVENT_COLUMNS.join(', ')})) AS e
    FROM (SELECT * FROM sim_events WHERE account = ? AND time_ms >= ? ORDER BY time_ms, id)`,
  hasSimEvent: `SELECT 1 FROM {s}sim_events WHERE id = ?`,
  insertRiskEvent: `INSERT INTO {s}risk_events (id, account, session_date, kind, level, limit_amount, used, time_ms, message)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
  hasRiskEvent: `SELECT 1 FROM {s}risk_events WHERE id = ?`,
  riskEventsAll: `SELECT * FROM {s}risk_events ORDER BY session_date, time_ms, id`,
  tradeCount: `SELECT COUNT(*) AS n FROM {s}trades`,
  hasTrade: `SELECT 1 AS x FROM {s}trades WHERE id = ?`,
  deleteMeta: `DELETE FROM {s}meta WHERE key = ?`,
  // The local outbox (outbox.ts): entries in commit order, and undoing what a drained entry added.
  outboxInsert: `INSERT INTO {s}outbox (seq, entry) VALUES (?, ?)`,
  outboxEntry: `SELECT entry FROM {s}outbox WHERE seq = ?`,
  outboxEntries: `SELECT seq, entry FROM {s}outbox ORDER BY seq`,
  outboxDelete: `DELETE FROM {s}outbox WHERE seq = ?`,
  outboxCount: `SELECT COUNT(*) AS n FROM {s}outbox`,
  // The outbox's primary cache (outbox.ts): what PostgreSQL acknowledged, for reads while it is down.
  replicaDdl: [
    `CREATE TABLE IF NOT EXISTS {s}replica_fills (account TEXT NOT NULL, execution_id TEXT NOT NULL, time_ms BIGINT NOT NULL, PRIMARY KEY (account, execution_id))`,
    `CREATE INDEX IF NOT EXISTS replica_fills_time ON {s}replica_fills (time_ms)`,
    `CREATE TABLE IF NOT EXISTS {s}replica_positions (account TEXT NOT NULL, symbol TEXT NOT NULL, position TEXT NOT NULL, PRIMARY KEY (account, symbol))`,
  ],
  replicaInsertFill: `INSERT INTO {s}replica_fills (account, execution_id, time_ms) VALUES (?, ?, ?) ON CONFLICT (account, execution_id) DO NOTHING`,
  replicaPruneFills: `DELETE FROM {s}replica_fills WHERE time_ms < ?`,
  replicaNewestFill: `SELECT MAX(time_ms) AS t FROM {s}replica_fills`,
  replicaHasFill: `SELECT 1 FROM {s}replica_fills WHERE account = ? AND execution_id = ?`,
  replicaFillKeys: `SELECT account, execution_id FROM {s}replica_fills WHERE time_ms >= ?`,
  replicaUpsertPosition: `INSERT INTO {s}replica_positions (account, symbol, position) VALUES (?, ?, ?)
    ON CONFLICT (account, symbol) DO UPDATE SET position = excluded.position`,
  replicaDeletePosition: `DELETE FROM {s}replica_positions WHERE account = ? AND symbol = ?`,
  replicaClearPositions: `DELETE FROM {s}replica_positions`,
  replicaPositions: `SELECT account, symbol, position FROM {s}replica_positions`,
  deleteFill: `DELETE FROM {s}fills WHERE account = ? AND execution_id = ?`,
  deleteTrade: `DELETE FROM {s}trades WHERE id = ?`,
  deleteSimEvent: `DELETE FROM {s}sim_events WHERE id = ?`,
  insertTag: `INSERT INTO {s}trade_tags (trade_id, tag) VALUES (?, ?) ON CONFLICT (trade_id, tag) DO NOTHING`,
  deleteTag: `DELETE FROM {s}trade_tags WHERE trade_id = ? AND tag = ?`,
  tagsAll: `SELECT trade_id, tag FROM {s}trade_tags`,
  // Imports, rebuilds and undo (bulk.ts): `ROWS` is replaced by the multi-row VALUES list.
  bulkInsertFill: `INSERT INTO {s}fills (account, execution_id, symbol, side, qty, price, time_ms, fee, server_order_id,
    high_during_position, low_during_position, position_after, source, batch_id) VALUES ROWS
    ON CONFLICT (account, execution_id) DO NOTHING`,
  deleteBatchFills: `DELETE FROM {s}fills WHERE batch_id = ?`,
  upsertBatch: `INSERT INTO {s}import_batches (id, created_ms, status, files, counts) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET status = excluded.status, files = excluded.files, counts = excluded.counts`,
  clearPnl: `DELETE FROM {s}sim_events WHERE kind = 'pnl' AND trade_id IN (SELECT id FROM {s}trades WHERE account = ? AND symbol = ?)`,
  clearTrades: `DELETE FROM {s}trades WHERE account = ? AND symbol = ?`,
  // A rebuild's restatement by id (bulk.ts): ROWS is a list of one-id rows, `(?), (?)`.
  deleteTrades: `DELETE FROM {s}trades WHERE id IN (VALUES ROWS)`,
  deleteSimEvents: `DELETE FROM {s}sim_events WHERE id IN (VALUES ROWS)`,
  fillsAll: `SELECT * FROM {s}fills ORDER BY time_ms, execution_id`,
  fillPartitions: `SELECT DISTINCT account, symbol FROM {s}fills ORDER BY account, symbol`,
  fillsFor: `SELECT * FROM {s}fills WHERE account = ? AND symbol = ? ORDER BY time_ms, execution_id`,
  fillsOfBatch: `SELECT * FROM {s}fills WHERE batch_id = ? ORDER BY time_ms, execution_id`,
  batches: `SELECT * FROM {s}import_batches ORDER BY created_ms, id`,
};

/** Rows of `SQL.tagsAll` -> tags by trade id, each list in tag order. */
export function rowsToTags(rows: Record<string, unknown>[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const id = String(r.trade_id);
    const list = out.get(id);
    if (list) list.push(String(r.tag));
    else out.set(id, [String(r.tag)]);
  }
  for (const list of out.values()) list.sort(compareTags);
  return out;
}

/** Rewrites a shared statement for a dialect: table prefix, and `$n` placeholders for PostgreSQL. */
export function dialectSql(sql: string, dialect: Dialect, schema?: string): string {
  const prefix = dialect === 'postgres' && schema ? `${quoteIdent(schema)}.` : '';
  let out = sql.split('{s}').join(prefix);
  if (dialect === 'postgres') {
    let n = 0;
    out = out.replace(/\?/g, () => `$${++n}`);
  }
  return out;
}

/**
 * The SIM events today's balances stand on (sim/ledger.ts): per account, its latest reset and
 * everything from that instant on, or all its events when it has none. Older events only tell the
 * history (the CLI reads them all); a window loads these, so its start does not grow with history.
 */
export async function balanceEvents(
  all: (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>,
  eventsSince: (account: string, sinceMs: number | null) => Promise<SimBalanceEvent[]>,
): Promise<SimBalanceEvent[]> {
  const out: SimBalanceEvent[] = [];
  for (const { account } of await all(SQL.simEventAccounts, [])) {
    const t = (await all(SQL.latestReset, [account]))[0]?.t;
    // A loop, not push(...events): an account that never reset can hold a million events.
    for (const e of await eventsSince(String(account), t === null || t === undefined ? null : Number(t))) out.push(e);
  }
  return out;
}

export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** WHERE clause + params for a TradeQuery, oldest exit first (served by the (mode, account, exit_time) index). */
export function tradesQuery(q: { mode?: string; account?: string; fromMs?: number; toMs?: number; unordered?: boolean } = {}): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.mode !== undefined) (where.push('mode = ?'), params.push(q.mode));
  if (q.account !== undefined) (where.push('account = ?'), params.push(q.account));
  if (q.fromMs !== undefined) (where.push('exit_time >= ?'), params.push(q.fromMs));
  if (q.toMs !== undefined) (where.push('exit_time < ?'), params.push(q.toMs));
  return { sql: `SELECT * FROM {s}trades${where.length ? ' WHERE ' + where.join(' AND ') : ''}${q.unordered ? '' : ' ORDER BY exit_time, id'}`, params };
}

export function fillParams(f: Fill): unknown[] {
  return [f.account, f.executionId, f.symbol, f.side, f.qty, f.price, f.timeMs, f.fee ?? null, f.serverOrderId ?? null,
    f.highDuringPosition ?? null, f.lowDuringPosition ?? null, f.positionAfter ?? null, f.source];
}

export function tradeParams(t: Trade): unknown[] {
  return [t.id, t.account, t.mode, t.symbol, t.root, t.side, t.qty, t.maxPosition, t.entryTime, t.exitTime, t.avgEntryPrice,
    t.avgExitPrice, t.grossPnl, t.commissions, t.netPnl, t.mae, t.mfe, t.rMultiple, JSON.stringify(t.fillIds), t.assumedRMultiple ?? null];
}

export function riskEventParams(e: RiskEvent): unknown[] {
  return [e.id, e.account, e.sessionDate, e.kind, e.level, e.limit, e.used, e.timeMs, e.message];
}

export function rowToRiskEvent(r: Record<string, unknown>): RiskEvent {
  return {
    id: String(r.id), account: String(r.account), sessionDate: String(r.session_date), kind: String(r.kind) as RiskEvent['kind'], level: 'breached',
    limit: Number(r.limit_amount), used: Number(r.used), timeMs: Number(r.time_ms), message: String(r.message),
  };
}

/** Risk events matching a query (account, session dates inclusive), oldest first. */
export function filterRiskEvents(events: RiskEvent[], q: RiskEventQuery = {}): RiskEvent[] {
  return events.filter((e) => (!q.account || e.account === q.account) && (!q.fromDate || e.sessionDate >= q.fromDate) && (!q.toDate || e.sessionDate <= q.toDate));
}

export function simEventParams(e: SimBalanceEvent): unknown[] {
  return [e.id, e.account, e.kind, e.amount, e.timeMs, e.tradeId ?? null, e.note ?? null];
}

type Row = Record<string, unknown>;
const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function rowToTrade(r: Row): Trade {
  return {
    id: String(r.id), account: String(r.account), mode: r.mode as Trade['mode'], symbol: String(r.symbol), root: String(r.root),
    side: r.side as Trade['side'], qty: num(r.qty), maxPosition: num(r.max_position), entryTime: num(r.entry_time),
    exitTime: num(r.exit_time), avgEntryPrice: num(r.avg_entry_price), avgExitPrice: num(r.avg_exit_price),
    grossPnl: num(r.gross_pnl), commissions: num(r.commissions), netPnl: num(r.net_pnl), mae: numOrNull(r.mae),
    mfe: numOrNull(r.mfe), rMultiple: numOrNull(r.r_multiple), fillIds: JSON.parse(String(r.fill_ids)) as string[],
    // Present only when there is one (as the engine makes it).
    ...(r.assumed_r_multiple === null || r.assumed_r_multiple === undefined ? {} : { assumedRMultiple: Number(r.assumed_r_multiple) }),
  };
}

export function rowToFill(r: Row): Fill {
  return {
    account: String(r.account), executionId: String(r.execution_id), symbol: String(r.symbol), side: r.side as Fill['side'],
    qty: num(r.qty), price: num(r.price), timeMs: num(r.time_ms), fee: numOrNull(r.fee),
    serverOrderId: r.server_order_id === null || r.server_order_id === undefined ? null : String(r.server_order_id),
    highDuringPosition: numOrNull(r.high_during_position), lowDuringPosition: numOrNull(r.low_during_position),
    positionAfter: numOrNull(r.position_after), source: r.source as Fill['source'],
  };
}

/** Fills in time order, then execution id (a trade's timeline). */
export const byFillTime = (a: Fill, b: Fill): number => a.timeMs - b.timeMs || (a.executionId < b.executionId ? -1 : a.executionId > b.executionId ? 1 : 0);

/** One element of simEventsForSinceJson's array. */
export function simEventFromJson(v: readonly unknown[]): SimBalanceEvent {
  return rowToSimEvent(Object.fromEntries(SIM_EVENT_COLUMNS.map((c, i) => [c, v[i]])));
}

export function rowToSimEvent(r: Row): SimBalanceEvent {
  return {
    id: String(r.id), account: String(r.account), kind: r.kind as SimBalanceEvent['kind'], amount: num(r.amount),
    timeMs: num(r.time_ms), tradeId: r.trade_id === null || r.trade_id === undefined ? null : String(r.trade_id),
    note: r.note === null || r.note === undefined ? null : String(r.note),
  };
}

import { contractKey } from '../trading/keys';
export { contractKey, fillKey } from '../trading/keys';

export function positionKeyOf(unit: CommitUnit): string {
  return contractKey(unit.positionKey.account, unit.positionKey.symbol);
}

export function parsePosition(text: string): OpenPosition | null {
  return JSON.parse(text) as OpenPosition | null;
}
