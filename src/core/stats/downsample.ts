/**
 * Thins an equity curve for a chart a few hundred pixels wide: per bucket it keeps the lowest and
 * the highest point (in time order), plus the first and last point, so drawdowns and peaks stay visible.
 */
import type { EquityPoint } from './types';

export function downsampleEquity(points: readonly EquityPoint[], maxPoints: number): EquityPoint[] {
  if (points.length <= maxPoints || maxPoints < 4) return points.slice();
  const buckets = Math.floor((maxPoints - 2) / 2);
  const inner = points.length - 2;
  const out: EquityPoint[] = [points[0]];
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * inner) / buckets);
    const to = 1 + Math.floor(((b + 1) * inner) / buckets);
    if (from >= to) continue;
    let lo = from;
    let hi = from;
    for (let i = from + 1; i < to; i++) {
      if (points[i].v < points[lo].v) lo = i;
      if (points[i].v > points[hi].v) hi = i;
    }
    if (lo === hi) out.push(points[lo]);
    else out.push(points[Math.min(lo, hi)], points[Math.max(lo, hi)]);
  }
  out.push(points[points.length - 1]);
  return out;
}

/**
 * The same curve and points as `downsampleEquity` over the cumulative net of `net[lo..hi)` (cents,
 * in exit order), computed from the cache's columns: no object per trade, only the kept points, and
 * no array of the running sum (the buckets cover the points in order, so one running sum serves).
 */
export function equityFromColumns(exit: Float64Array, net: Float64Array, lo: number, hi: number, maxPoints: number): EquityPoint[] {
  const n = Math.max(0, hi - lo);
  let cum = 0;
  if (n <= maxPoints || maxPoints < 4) return Array.from({ length: n }, (_, i) => ({ t: exit[lo + i], v: (cum += net[lo + i]) / 100 }));
  const point = (i: number, v: number): EquityPoint => ({ t: exit[lo + i], v });
  const buckets = Math.floor((maxPoints - 2) / 2);
  const inner = n - 2;
  const out: EquityPoint[] = [point(0, (cum += net[lo]) / 100)];
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * inner) / buckets);
    const to = 1 + Math.floor(((b + 1) * inner) / buckets);
    if (from >= to) continue;
    let min = from;
    let max = from;
    let minV = (cum += net[lo + from]) / 100;
    let maxV = minV;
    for (let i = from + 1; i < to; i++) {
      const v = (cum += net[lo + i]) / 100;
      if (v < minV) (min = i), (minV = v);
      if (v > maxV) (max = i), (maxV = v);
    }
    if (min === max) out.push(point(min, minV));
    else if (min < max) out.push(point(min, minV), point(max, maxV));
    else out.push(point(max, maxV), point(min, minV));
  }
  out.push(point(n - 1, (cum += net[lo + n - 1]) / 100));
  return out;
}
