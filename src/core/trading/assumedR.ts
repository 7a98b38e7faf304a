/**
 * Assumed R (TRADING-MATH §3, issue 15): when no protective stop was working, a user's default
 * stop distance in ticks (`appsierra.risk.defaultStopTicks`, with per-root overrides) stands in
 * for the initial stop. The result is stored apart from the stop-based R and never mixed with it.
 */

export interface AssumedStopSettings {
  /** Default stop distance in ticks for every root; null or absent = no assumed R. */
  defaultStopTicks?: number | null;
  /** Per-root overrides (`{"MES": 8, "CL": 20}`); null for a root turns assumed R off for it. */
  byRoot?: Record<string, number | null> | null;
}

const ticksOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null);

/** Stop distance in ticks for a root: its override when it has one, else the default; null = none. */
export function assumedStopTicks(settings: AssumedStopSettings | null | undefined, root: string): number | null {
  if (!settings) return null;
  const byRoot = settings.byRoot ?? {};
  const key = Object.keys(byRoot).find((k) => k.toUpperCase() === root.toUpperCase());
  if (key !== undefined) return ticksOrNull(byRoot[key]);
  return ticksOrNull(settings.defaultStopTicks);
}

/** Money at risk for an assumed stop: ticks x tickSize x qty x pointValue (null when any part is unusable). */
export function assumedRisk(ticks: number | null, tickSize: number, qty: number, pointValue: number): number | null {
  if (ticks === null) return null;
  const risk = ticks * tickSize * qty * pointValue;
  return Number.isFinite(risk) && risk > 0 ? risk : null;
}

/** R rounded like the stop-based one (4 decimals). */
export function rOf(netPnl: number, risk: number): number {
  return Math.round((netPnl / risk) * 1e4) / 1e4;
}
