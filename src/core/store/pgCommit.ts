/**
 * PostgreSQL commit statements. A live commit is ONE statement (one round trip): a data-modifying
 * CTE whose every part runs only if the fill row was new, so the fill key decides idempotency as
 * in a transaction, and a single statement is atomic on its own (implicit transaction). Trades and
 * SIM events travel as column arrays (`unnest`), so one prepared statement serves any count and
 * numbers keep their exact text form (NaN included; JSON would lose it). The bulk path inserts
 * the same way in chunks inside one transaction.
 */
import type { CommitUnit } from './types';
import type { SimBalanceEvent, Trade } from '../trading/types';
import { fillParams, quoteIdent, simEventParams, tradeParams } from './schema';

const FILL_COLS = ['account', 'execution_id', 'symbol', 'side', 'qty', 'price', 'time_ms', 'fee', 'server_order_id',
  'high_during_position', 'low_during_position', 'position_after', 'source'];
const FILL_TYPES = ['text', 'text', 'text', 'text', 'float8', 'float8', 'int8', 'float8', 'text', 'float8', 'float8', 'float8', 'text'];
const TRADE_COLS = ['id', 'account', 'mode', 'symbol', 'root', 'side', 'qty', 'max_position', 'entry_time', 'exit_time',
  'avg_entry_price', 'avg_exit_price', 'gross_pnl', 'commissions', 'net_pnl', 'mae', 'mfe', 'r_multiple', 'fill_ids', 'assumed_r_multiple'];
const TRADE_TYPES = ['text', 'text', 'text', 'text', 'text', 'text', 'float8', 'float8', 'int8', 'int8', 'float8', 'float8', 'float8',
  'float8', 'float8', 'float8', 'float8', 'float8', 'text', 'float8'];
const SIM_COLS = ['id', 'account', 'kind', 'amount', 'time_ms', 'trade_id', 'note'];
const SIM_TYPES = ['text', 'text', 'text', 'float8', 'int8', 'text', 'text'];

/** `unnest($a::t[], $b::u[], ...) AS x(c1, c2, ...)` with parameters numbered from `first`. */
function unnestFrom(cols: string[], types: string[], first: number): string {
  return `unnest(${types.map((t, i) => `$${first + i}::${t}[]`).join(', ')}) AS x(${cols.join(', ')})`;
}

const tradeUpdate = TRADE_COLS.slice(1).map((c) => `${c} = excluded.${c}`).join(', ');

/** Rows as column arrays (what `unnest` takes). */
function columns(rows: unknown[][], width: number): unknown[][] {
  const out: unknown[][] = Array.from({ length: width }, () => new Array(rows.length));
  rows.forEach((r, i) => r.forEach((v, j) => (out[j][i] = v)));
  return out;
}

/** Later trades with the same id win, as successive upserts would (one statement may touch a row once). */
function lastTradePerId(trades: Trade[]): Trade[] {
  return [...new Map(trades.map((t) => [t.id, t])).values()];
}

export function commitStatement(schema: string): string {
  const s = `${quoteIdent(schema)}.`;
  const t0 = FILL_COLS.length + 1;
  const p0 = t0 + TRADE_COLS.length;
  const e0 = p0 + 3;
  return `WITH f AS (
    INSERT INTO ${s}fills (${FILL_COLS.join(', ')}) VALUES (${FILL_COLS.map((_, i) => `$${i + 1}::${FILL_TYPES[i]}`).join(', ')})
    ON CONFLICT (account, execution_id) DO NOTHING RETURNING 1),
  t AS (
    INSERT INTO ${s}trades (${TRADE_COLS.join(', ')}) SELECT ${TRADE_COLS.join(', ')} FROM ${unnestFrom(TRADE_COLS, TRADE_TYPES, t0)}
    WHERE EXISTS (SELECT 1 FROM f) ON CONFLICT (id) DO UPDATE SET ${tradeUpdate}),
  p AS (
    INSERT INTO ${s}open_positions (account, symbol, position) SELECT $${p0}::text, $${p0 + 1}::text, $${p0 + 2}::text
    WHERE $${p0 + 2}::text IS NOT NULL AND EXISTS (SELECT 1 FROM f)
    ON CONFLICT (account, symbol) DO UPDATE SET position = excluded.position),
  d AS (
    DELETE FROM ${s}open_positions WHERE account = $${p0}::text AND symbol = $${p0 + 1}::text
    AND $${p0 + 2}::text IS NULL AND EXISTS (SELECT 1 FROM f)),
  e AS (
    INSERT INTO ${s}sim_events (${SIM_COLS.join(', ')}) SELECT ${SIM_COLS.join(', ')} FROM ${unnestFrom(SIM_COLS, SIM_TYPES, e0)}
    WHERE EXISTS (SELECT 1 FROM f) ON CONFLICT (id) DO NOTHING)
  SELECT (SELECT count(*) FROM f)::int AS added`;
}

export function commitParams(unit: CommitUnit): unknown[] {
  const k = unit.positionKey;
  return [
    ...fillParams(unit.fill),
    ...columns(lastTradePerId(unit.trades).map(tradeParams), TRADE_COLS.length),
    k.account, k.symbol, unit.position ? JSON.stringify(unit.position) : null,
    ...columns(unit.simEvents.map(simEventParams), SIM_COLS.length),
  ];
}

/** Bulk statements (one chunk each): the fills insert says which keys were new. */
export function bulkStatements(schema: string): { fills: string; trades: string; sims: string; positions: string; deletes: string } {
  const s = `${quoteIdent(schema)}.`;
  return {
    fills: `INSERT INTO ${s}fills (${FILL_COLS.join(', ')}) SELECT ${FILL_COLS.join(', ')} FROM ${unnestFrom(FILL_COLS, FILL_TYPES, 1)}
      ON CONFLICT (account, execution_id) DO NOTHING RETURNING account, execution_id`,
    trades: `INSERT INTO ${s}trades (${TRADE_COLS.join(', ')}) SELECT ${TRADE_COLS.join(', ')} FROM ${unnestFrom(TRADE_COLS, TRADE_TYPES, 1)}
      ON CONFLICT (id) DO UPDATE SET ${tradeUpdate}`,
    sims: `INSERT INTO ${s}sim_events (${SIM_COLS.join(', ')}) SELECT ${SIM_COLS.join(', ')} FROM ${unnestFrom(SIM_COLS, SIM_TYPES, 1)}
      ON CONFLICT (id) DO NOTHING`,
    positions: `INSERT INTO ${s}open_positions (account, symbol, position) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
      ON CONFLICT (account, symbol) DO UPDATE SET position = excluded.position`,
    deletes: `DELETE FROM ${s}open_positions o USING unnest($1::text[], $2::text[]) AS x(account, symbol)
      WHERE o.account = x.account AND o.symbol = x.symbol`,
  };
}

export const bulkColumns = {
  fills: (units: CommitUnit[]) => columns(units.map((u) => fillParams(u.fill)), FILL_COLS.length),
  trades: (trades: Trade[]) => columns(lastTradePerId(trades).map(tradeParams), TRADE_COLS.length),
  sims: (events: SimBalanceEvent[]) => columns(events.map(simEventParams), SIM_COLS.length),
};
