/**
 * The Calendar tab: a month grid of session days (the boundary the 1D timeframe uses) with each
 * day's net and trade count, weekly and monthly totals. Day sums come from the stats accumulator's
 * daily aggregation, the same one behind winning-day %, Sharpe and the daily P&L series.
 */
import { StatsAccumulator } from '../stats/accumulator';
import { gridFrom } from '../stats/metrics';
import { dayIndexToDate } from '../stats/session';
import { weekdayOf } from './columns';
import type { TradeIndex } from './tradeIndex';
import type { CalendarDay, CalendarMonth, CalendarWeek, TradeFilter } from './types';

const DAY = 86_400_000;

/**
 * The month `year`-`month` (1-12) for the trades a filter sees; the filter's own date range is
 * ignored (the grid is the range). Weeks start on Monday unless `weekStart` is 0 (Sunday).
 */
export function calendarMonth(index: TradeIndex, filter: TradeFilter, year: number, month: number, weekStart: 0 | 1 = 1): CalendarMonth {
  if (!Number.isInteger(year) || !Number.isInteger(month) || month < 1 || month > 12) throw new RangeError(`no such month: ${year}-${month}`);
  const first = Math.round(Date.UTC(year, month - 1, 1) / DAY);
  const last = Math.round(Date.UTC(year, month, 1) / DAY) - 1;
  // Monday-first offset of the 1st (weekdayOf: Monday 0), shifted for Sunday-first weeks.
  const lead = weekStart === 1 ? weekdayOf(first) : (weekdayOf(first) + 1) % 7;
  const gridStart = first - lead;
  const gridEnd = last + (6 - ((last - gridStart) % 7));
  const base: TradeFilter = { ...filter, fromMs: undefined, toMs: undefined, fromDay: undefined, toDay: undefined };

  const c = index.columns();
  const raw: [number, number, number][] = [];
  const days = new StatsAccumulator(raw);
  const inMonth = new StatsAccumulator();
  let firstDay: number | null = null;
  let lastDay: number | null = null;
  index.scan(base, (i) => {
    const d = c.day[i];
    if (firstDay === null) firstDay = d;
    lastDay = d;
    if (d < gridStart || d > gridEnd) return;
    days.add(c.cls[i] as 1 | -1 | 0, c.netC[i], c.feesC[i], c.durMs[i], c.r[i], c.maeC[i], c.mfeC[i], d);
    if (d >= first && d <= last) inMonth.add(c.cls[i] as 1 | -1 | 0, c.netC[i], c.feesC[i], c.durMs[i], c.r[i], c.maeC[i], c.mfeC[i], d);
  });
  days.finish();
  inMonth.finish();
  const byDay = new Map(raw.map(([d, netC, n]) => [d, { netC, n }]));

  const weeks: CalendarWeek[] = [];
  for (let w = gridStart; w <= gridEnd; w += 7) {
    const cells: CalendarDay[] = [];
    let netC = 0;
    let trades = 0;
    for (let d = w; d < w + 7; d++) {
      const hit = byDay.get(d);
      netC += hit?.netC ?? 0;
      trades += hit?.n ?? 0;
      cells.push({ day: dayIndexToDate(d), dayOfMonth: new Date(d * DAY).getUTCDate(), inMonth: d >= first && d <= last, net: hit ? hit.netC / 100 : null, trades: hit?.n ?? 0 });
    }
    weeks.push({ days: cells, net: netC / 100, trades });
  }
  return {
    year, month, weekStart, weeks,
    net: inMonth.netC / 100,
    trades: inMonth.n,
    tradingDays: inMonth.days,
    winningDays: inMonth.winDays,
    grid: gridFrom(inMonth),
    firstDay: firstDay === null ? null : dayIndexToDate(firstDay),
    lastDay: lastDay === null ? null : dayIndexToDate(lastDay),
  };
}
