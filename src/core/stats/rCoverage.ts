/**
 * Where the trades' R comes from (TRADING-MATH §3, issue 15): from a protective stop, assumed from
 * the user's default stop, or none. Counted apart so a view can say "R: 12 from stops, 30 assumed"
 * and never averages the two kinds together.
 */
import type { Trade } from '../trading/types';

export interface RCoverage {
  trades: number;
  /** Trades with a stop-based R. */
  fromStops: number;
  /** Trades with only an assumed R (no protective stop was working). */
  assumed: number;
  /** Trades with neither. */
  none: number;
}

const has = (v: number | null | undefined): boolean => typeof v === 'number' && Number.isFinite(v);

export function rCoverage(trades: Iterable<Trade>): RCoverage {
  const out: RCoverage = { trades: 0, fromStops: 0, assumed: 0, none: 0 };
  for (const t of trades) {
    out.trades++;
    if (has(t.rMultiple)) out.fromStops++;
    else if (has(t.assumedRMultiple)) out.assumed++;
    else out.none++;
  }
  return out;
}

/** "R: 12 from stops, 30 assumed" (the assumed part only when there is one). */
export function rCoverageText(c: RCoverage): string {
  return `R: ${c.fromStops} from stops${c.assumed ? `, ${c.assumed} assumed` : ''}`;
}
