/**
 * The Reports tab and `appsierra stats --by`: breakdowns by symbol, side, hour, weekday, duration
 * and tag, every metric with its formula, the equity curve with drawdown, and daily P&L, all in
 * one pass over the filtered trades in exit order. Each group gathers the sums of a StatsAccumulator
 * (GroupStats), so a row's figures are exactly what the stats engine gives for that subset.
 */
import { StatsAccumulator, TradeClass } from '../stats/accumulator';
import { dailyFrom } from '../stats/compute';
import { EXTRA_METRICS, extrasFrom, gridFrom, METRICS } from '../stats/metrics';
import { compareTags, UNTAGGED } from '../trading/tags';
import { DURATION_BUCKETS, TradeColumns, weekdayOf } from './columns';
import { GroupStats } from './groupStats';
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

/** The breakdowns keyed by a small integer code per trade, and how many codes each has. */
const CODED = ['symbol', 'side', 'hour', 'weekday', 'duration'] as const;
type CodedKey = (typeof CODED)[number];

function codeCount(by: CodedKey, c: TradeColumns): number {
  return by === 'symbol' ? c.symbols.values.length : by === 'side' ? 2 : by === 'hour' ? 24 : by === 'weekday' ? 7 : DURATION_BUCKETS.length;
}

/**
 * Everything the Reports tab shows for a filter, in one pass over the matching trades in exit
 * order: the totals (with daily figures), the equity and drawdown series, and one group per
 * breakdown per trade in a packed GroupStats (the coded dimensions share one, each in a block of
 * group ids; tags have their own, a trade feeding each of its tags or "untagged").
 */
export function buildReport(index: TradeIndex, filter: TradeFilter, opts: ReportOptions = {}): JournalReport {
  const c = index.columns();
  const wanted = new Set(opts.breakdowns ?? BREAKDOWN_KEYS);
  const base = { symbol: -1, side: -1, hour: -1, weekday: -1, duration: -1 };
  let groupCount = 0;
  for (const by of CODED) {
    if (!wanted.has(by)) continue;
    base[by] = groupCount;
    groupCount += codeCount(by, c);
  }
  const groups = new GroupStats(groupCount);
  const tagged = wanted.has('tag');
  const tagGroups = new GroupStats(tagged ? 16 : 0);
  const tagIds = new Map<string, number>();
  const tagId = (tag: string): number => {
    let g = tagIds.get(tag);
    if (g === undefined) {
      tagIds.set(tag, (g = tagIds.size));
      tagGroups.reserve(g + 1);
    }
    return g;
  };
  const daily: [number, number, number][] = [];
  const all = new StatsAccumulator(daily);
  // Typed arrays sized for the worst case: growing three plain arrays per trade costs more than the stats.
  const t = new Float64Array(c.len);
  const equity = new Float64Array(c.len);
  const drawdown = new Float64Array(c.len);
  let points = 0;
  const { cls: clsCol, netC: netCol, feesC: feesCol, durMs: durCol, r: rCol, maeC: maeCol, mfeC: mfeCol, day: dayCol, exit } = c;
  const { symbol: bSymbol, side: bSide, hour: bHour, weekday: bWeekday, duration: bDuration } = base;
  // The pass is written out here (not through scan's callback) so the compiler sees one loop.
  const f = index.compile(filter);
  for (let i = f ? f.lo : 0; f && i < f.hi; i++) {
    if (!index.matches(i, f)) continue;
    const cls = clsCol[i] as TradeClass;
    const net = netCol[i];
    const fees = feesCol[i];
    const dur = durCol[i];
    const r = rCol[i];
    const mae = maeCol[i];
    const mfe = mfeCol[i];
    all.add(cls, net, fees, dur, r, mae, mfe, dayCol[i]);
    t[points] = exit[i];
    equity[points] = all.cumC / 100;
    drawdown[points++] = (all.cumC - all.peakC) / 100;
    if (bSymbol >= 0) groups.add(bSymbol + c.symbol[i], cls, net, fees, dur, r, mae, mfe);
    if (bSide >= 0) groups.add(bSide + c.side[i], cls, net, fees, dur, r, mae, mfe);
    if (bHour >= 0) groups.add(bHour + c.hour[i], cls, net, fees, dur, r, mae, mfe);
    if (bWeekday >= 0) groups.add(bWeekday + weekdayOf(dayCol[i]), cls, net, fees, dur, r, mae, mfe);
    if (bDuration >= 0) groups.add(bDuration + c.durBucket[i], cls, net, fees, dur, r, mae, mfe);
    if (tagged) {
      const tags = index.tagsAt(i);
      if (tags.length === 0) tagGroups.add(tagId(UNTAGGED), cls, net, fees, dur, r, mae, mfe);
      else for (let k = 0; k < tags.length; k++) tagGroups.add(tagId(tags[k]), cls, net, fees, dur, r, mae, mfe);
    }
  }
  all.finish();
  const breakdowns: JournalReport['breakdowns'] = {};
  for (const by of CODED) {
    if (base[by] < 0) continue;
    const used = new Map<number, StatsAccumulator>();
    for (let k = 0; k < codeCount(by, c); k++) if (groups.count(base[by] + k) > 0) used.set(k, groups.accumulator(base[by] + k));
    breakdowns[by] = groupRows(by, c, used);
  }
  if (tagged) breakdowns.tag = groupRows('tag', c, new Map([...tagIds].map(([tag, g]) => [tag, tagGroups.accumulator(g)])));
  return {
    grid: gridFrom(all),
    extras: extrasFrom(all),
    metrics: metricValues(all),
    breakdowns,
    equity: thin(t.subarray(0, points), equity.subarray(0, points), drawdown.subarray(0, points), opts.maxPoints ?? 600),
    daily: dailyFrom(daily),
  };
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
