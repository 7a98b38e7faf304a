/**
 * The one check every fill passes before it can move a position (live ORDER_UPDATE fills,
 * historical fills, imports, manual entries): identity present, numbers finite and within sane
 * bounds. A fill outside them is refused with a named problem (cause + fix), counted by the
 * caller, never stored: one absurd quantity would otherwise hold a position that never closes.
 */
import type { Fill } from './types';

export const FILL_BOUNDS = {
  /** Contracts per fill; no futures fill comes near it (crypto may be fractional, so no lower bound but > 0). */
  maxQty: 1_000_000,
  /** |price|: prices may be zero or negative (spreads; CL settled at -37.63 in April 2020), never astronomical. */
  maxAbsPrice: 1e9,
  /** |fee| of one fill when the source gives one (rebates may be negative). */
  maxAbsFee: 1e6,
  /** Earliest fill time: 2000-01-01T00:00:00Z. */
  minTimeMs: Date.UTC(2000, 0, 1),
  /** Latest fill time: now + 1 day (clock skew and time-zone slips, never a year 57,900). */
  maxFutureMs: 86_400_000,
} as const;

export type FillProblemCode = 'account' | 'symbol' | 'execution-id' | 'side' | 'quantity' | 'price' | 'fee' | 'time';

export interface FillProblem {
  /** Names the kind of problem: counters and de-duplicated messages are keyed by it. */
  code: FillProblemCode;
  message: string;
}

const show = (v: unknown): string => (typeof v === 'number' ? String(v) : JSON.stringify(v) ?? String(v));
const iso = (ms: number): string => new Date(ms).toISOString();

/** Null when the fill may be applied; otherwise why not (TRADING-MATH §2 needs every one of these). */
export function checkFill(fill: Fill, nowMs: number): FillProblem | null {
  const account = typeof fill.account === 'string' ? fill.account.trim() : '';
  const symbol = typeof fill.symbol === 'string' ? fill.symbol.trim() : '';
  const id = typeof fill.executionId === 'string' ? fill.executionId : '';
  // Built only on failure: this runs for every fill.
  const no = (code: FillProblemCode, why: string): FillProblem => ({
    code,
    message: `Fill ${id ? JSON.stringify(id) : '(no execution id)'} for ${account || '(no account)'} ${symbol || '(no symbol)'} refused: ${why}. ` +
      'It is refused and not stored; check the source (Sierra Chart trade activity, the DTC message or the import file).',
  });

  if (!account) return no('account', 'the account is empty');
  if (!symbol) return no('symbol', 'the symbol is empty');
  if (!id) return no('execution-id', 'the execution id is empty, so it could not be de-duplicated');
  if (fill.side !== 'BUY' && fill.side !== 'SELL') return no('side', `side must be BUY or SELL (got ${show(fill.side)})`);
  const q = fill.qty;
  if (typeof q !== 'number' || !Number.isFinite(q) || q <= 0 || q > FILL_BOUNDS.maxQty) {
    return no('quantity', `quantity must be a number above 0 and at most ${FILL_BOUNDS.maxQty.toLocaleString('en-US')} (got ${show(q)})`);
  }
  const p = fill.price;
  if (typeof p !== 'number' || !Number.isFinite(p) || Math.abs(p) > FILL_BOUNDS.maxAbsPrice) {
    return no('price', `price must be a number between -${FILL_BOUNDS.maxAbsPrice.toExponential()} and ${FILL_BOUNDS.maxAbsPrice.toExponential()} (got ${show(p)})`);
  }
  const fee = fill.fee;
  if (fee !== undefined && fee !== null && (typeof fee !== 'number' || !Number.isFinite(fee) || Math.abs(fee) > FILL_BOUNDS.maxAbsFee)) {
    return no('fee', `the fee must be a number of at most ${FILL_BOUNDS.maxAbsFee.toLocaleString('en-US')} in size (got ${show(fee)})`);
  }
  const t = fill.timeMs;
  const latest = nowMs + FILL_BOUNDS.maxFutureMs;
  if (typeof t !== 'number' || !Number.isFinite(t) || t < FILL_BOUNDS.minTimeMs || t > latest) {
    const got = typeof t === 'number' && Number.isFinite(t) && Math.abs(t) < 8.64e15 ? `${t} = ${iso(t)}` : show(t);
    return no('time', `the time must be between ${iso(FILL_BOUNDS.minTimeMs)} and now + 1 day (${iso(latest)}) (got ${got})`);
  }
  return null;
}

/** A price-like auxiliary value (high/low during position) that is safe to use, else null. */
export function sanePrice(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= FILL_BOUNDS.maxAbsPrice ? v : null;
}
