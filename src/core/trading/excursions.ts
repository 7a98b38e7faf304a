/** TRADING-MATH §3: MAE/MFE of a position and the initial risk behind R. */
import { roundCents } from './money';
import type { OpenPosition, TradeSide } from './types';

/** §3 MAE/MFE: price stream extremes if any, else the server's high/low (x maxPosition), else null. */
export function excursionsAt(pos: Pick<OpenPosition, 'side' | 'maxPosition' | 'highPrice' | 'lowPrice' | 'minOpenPnl' | 'maxOpenPnl'>, pointValue: number, avgEntry: number): { mae: number | null; mfe: number | null } {
  const hasStream = typeof pos.minOpenPnl === 'number' && typeof pos.maxOpenPnl === 'number';
  if (hasStream) return { mae: roundCents(Math.min(0, pos.minOpenPnl!)), mfe: roundCents(Math.max(0, pos.maxOpenPnl!)) };
  const k = pos.maxPosition * pointValue;
  const long = pos.side === 'LONG';
  const worst = long ? pos.lowPrice : pos.highPrice;
  const best = long ? pos.highPrice : pos.lowPrice;
  const sign = long ? 1 : -1;
  return {
    mae: worst === null ? null : roundCents(Math.min(0, (worst - avgEntry) * sign * k)),
    mfe: best === null ? null : roundCents(Math.max(0, (best - avgEntry) * sign * k)),
  };
}

/** §3 risk = |avgEntry - initial stop| x qty x pointValue; null without a stop or with one on the wrong side. */
export function initialRisk(side: TradeSide, avgEntry: number, stop: number | null, qty: number, pointValue: number): number | null {
  if (stop === null || !Number.isFinite(stop)) return null;
  const perUnit = side === 'LONG' ? avgEntry - stop : stop - avgEntry;
  if (!(perUnit > 0)) return null;
  return perUnit * qty * pointValue;
}
