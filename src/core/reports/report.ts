/**
 * The Reports tab and `appsierra stats --by`: breakdowns by symbol, side, hour, weekday, duration
 * and tag, every metric with its formula, the equity curve with drawdown, and daily P&L, all in
 * one pass over the filtered trades in exit order. Each group feeds its own StatsAccumulator, so
 * a row's figures are exactly what the stats engine gives for that subset.
 */
import { StatsAccumulator } from '../stats/accumulator';
import { dailyFrom } from '../stats/compute';
import { EXTRA_METRICS, extrasFrom, gridFrom, METRICS } from '../stats/metrics';
import { compareTags, UNTAGGED } from '../trading/tags';
import { DURATION_BUCKETS, TradeColumns, weekdayOf } from './columns';
import type { TradeIndex } from './tradeIndex';
import { BREAKDOWN_KEYS, BreakdownKey, BreakdownRow, EquitySeries, JournalReport, MetricValue, TradeFilter } from './types';

const WEEKDAYS = [['Mon', 'Monday'], ['Tue', 'Tuesday'], ['Wed', 'Wednesday'], ['Thu', 'Thursday'], ['Fri', 'Friday'], ['Sat', 'Saturday'], ['Sun', 'Sunday']];

/** The key and label of each group a row falls in, per dimension. */
function groupRows(by: BreakdownKey, c: TradeColumns, groups: Map<number | string, StatsAccumulator>): BreakdownRow[] {
  const row = (key: string, label: string, acc: StatsAccumulator): BreakdownRow => ({ key, label, grid: gridFrom(acc) });
  const entries = [...groups];
  switch (by) {
    case 'symbol':
      return entries.map(([code, acc]) => row(c.symbols.values[code as number], c.symbols.values[code as number], acc)).sort((a, b) => compareTags(a.key, b.key));
    case 'side':
      return entries.sort((a, b) => (a[0] as number) - (b[0] as number)).map(([s, acc]) => row(s ? 'SHORT' : 'LONG', s ? 'Short' : 'Long', acc));
    case 'hour':
      return entries.sort((a, b) => (a[0] as number) - (b[0] as number)).map(([h, acc]) => {
        const hh = String(h).padStart(2, '0');
        return row(hh, `${hh}:00–${String((h as number) + 1).padStart(2, '0')}:00`, acc);
      });
    case 'weekday':
      return entries.sort((a, b) => (a[0] as number) - (b[0] as number)).map(([d, acc]) => row(WEEKDAYS[d as number][0], WEEKDAYS[d as number][1], acc));
    case 'duration':
      return entries.sort((a, b) => (a[0] as number) - (b[0] as number)).map(([b, acc]) => row(DURATION_BUCKETS[b as number].key, DURATION_BUCKETS[b as number].label, acc));
    case 'tag':
      return entries
        .sort((a, b) => (a[0] === UNTAGGED ? 1 : b[0] === UNTAGGED ? -1 : compareTags(a[0] as string, b[0] as string)))
        .map(([t, acc]) => row(t as string, t === UNTAGGED ? 'No tag' : (t as string), acc));
  }
}

export interface ReportOptions {
  /** Breakdowns to compute (default: all six). */
  breakdowns?: readonly BreakdownKey[];
  /** Thin the equity series to about this many points (default 600; 0 = every trade). */
  maxPoints?: number;
}

/** Everything the Reports tab shows for a filter. */
export function buildReport(index: TradeIndex, filter: TradeFilter, opts: ReportOptions = {}): JournalReport {
  const c = index.columns();
  const wanted = new Set(opts.breakdowns ?? BREAKDOWN_KEYS);
  // One accumulator per group; numeric dimensions index arrays by their code.
  const bySymbol: StatsAccumulator[] = [];
  const bySide: StatsAccumulator[] = [];
  const byHour: StatsAccumulator[] = [];
  const byWeekday: StatsAccumulator[] = [];
  const byDuration: StatsAccumulator[] = [];
  const byTag = new Map<string, StatsAccumulator>();
  const dims: [BreakdownKey, StatsAccumulator[], Int32Array | Uint8Array | null][] = (
    [['symbol', bySymbol, c.symbol], ['side', bySide, c.side], ['hour', byHour, c.hour], ['weekday', byWeekday, null], ['duration', byDuration, c.durBucket]] as [BreakdownKey, StatsAccumulator[], Int32Array | Uint8Array | null][]
  ).filter(([k]) => wanted.has(k));
  const dimAccs = dims.map((d) => d[1]);
  const dimCodes = dims.map((d) => d[2]);
  const tagged = wanted.has('tag');
  const daily: [number, number, number][] = [];
  const all = new StatsAccumulator(daily);
  // Typed arrays sized for the worst case: growing three plain arrays per trade costs more than the stats.
  const t = new Float64Array(c.len);
  const equity = new Float64Array(c.len);
  const drawdown = new Float64Array(c.len);
  let points = 0;
  const feed = (acc: StatsAccumulator, i: number) => acc.add(c.cls[i] as 1 | -1 | 0, c.netC[i], c.feesC[i], c.durMs[i], c.r[i], c.maeC[i], c.mfeC[i], NaN);
  index.scan(filter, (i) => {
    all.add(c.cls[i] as 1 | -1 | 0, c.netC[i], c.feesC[i], c.durMs[i], c.r[i], c.maeC[i], c.mfeC[i], c.day[i]);
    t[points] = c.exit[i];
    equity[points] = all.cumC / 100;
    drawdown[points++] = (all.cumC - all.peakC) / 100;
    for (let d = 0; d < dimAccs.length; d++) {
      const codes = dimCodes[d];
      const accs = dimAccs[d];
      const k = codes ? codes[i] : weekdayOf(c.day[i]);
      feed(accs[k] ?? (accs[k] = new StatsAccumulator()), i);
    }
    if (tagged) {
      const tags = index.tagsAt(i);
      if (tags.length === 0) feed(byTag.get(UNTAGGED) ?? set(byTag, UNTAGGED), i);
      else for (const tag of tags) feed(byTag.get(tag) ?? set(byTag, tag), i);
    }
  });
  all.finish();
  const breakdowns: JournalReport['breakdowns'] = {};
  for (const [by, accs] of dims) breakdowns[by] = groupRows(by, c, new Map(accs.flatMap((a, k) => (a ? [[k, a] as [number, StatsAccumulator]] : []))));
  if (tagged) breakdowns.tag = groupRows('tag', c, byTag);
  return {
    grid: gridFrom(all),
    extras: extrasFrom(all),
    metrics: metricValues(all),
    breakdowns,
    equity: thin(t.subarray(0, points), equity.subarray(0, points), drawdown.subarray(0, points), opts.maxPoints ?? 600),
    daily: dailyFrom(daily),
  };
}

function set(m: Map<string, StatsAccumulator>, key: string): StatsAccumulator {
  const acc = new StatsAccumulator();
  m.set(key, acc);
  return acc;
}

/** One breakdown (the CLI's `stats --by`). */
export function breakdown(index: TradeIndex, filter: TradeFilter, by: BreakdownKey): BreakdownRow[] {
  return buildReport(index, filter, { breakdowns: [by], maxPoints: 2 }).breakdowns[by] ?? [];
}

/** Every grid metric and §5 extra with its value and formula text, from the one metric table. */
export function metricValues(acc: StatsAccumulator): MetricValue[] {
  return [
    ...METRICS.map((m) => ({ id: m.id, label: m.label, kind: m.kind, formula: m.formula, section: 'grid' as const, value: m.value(acc) })),
    ...EXTRA_METRICS.map((m) => ({ id: m.id, label: m.label, kind: m.kind, formula: m.formula, section: 'extra' as const, value: m.value(acc) })),
  ];
}

/**
 * Thins the series for a chart: per bucket it keeps the points with the lowest and highest equity
 * and the deepest drawdown (plus the first and last point), so peaks and troughs stay visible.
 */
export function thin(t: Float64Array, equity: Float64Array, drawdown: Float64Array, maxPoints: number): EquitySeries {
  const n = t.length;
  if (maxPoints <= 0 || n <= maxPoints || maxPoints < 8) return { t: Array.from(t), equity: Array.from(equity), drawdown: Array.from(drawdown), total: n };
  const s = { t, equity, drawdown };
  const buckets = Math.floor((maxPoints - 2) / 3);
  const keep: number[] = [0];
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * (n - 2)) / buckets);
    const to = 1 + Math.floor(((b + 1) * (n - 2)) / buckets);
    if (from >= to) continue;
    let lo = from;
    let hi = from;
    let dd = from;
    for (let i = from + 1; i < to; i++) {
      if (s.equity[i] < s.equity[lo]) lo = i;
      if (s.equity[i] > s.equity[hi]) hi = i;
      if (s.drawdown[i] < s.drawdown[dd]) dd = i;
    }
    keep.push(...[...new Set([lo, hi, dd])].sort((a, b) => a - b));
  }
  keep.push(n - 1);
  return { t: keep.map((i) => t[i]), equity: keep.map((i) => equity[i]), drawdown: keep.map((i) => drawdown[i]), total: n };
}
