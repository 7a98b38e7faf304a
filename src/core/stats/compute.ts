/**
 * From-scratch statistics over an array of trades: the reference the cache must always equal, and
 * the simple path for one-off callers. Trades are taken in exit order (ties by id), once per id.
 */
import type { Trade } from '../trading/types';
import { classify, StatsAccumulator, toCents, TradeClass } from './accumulator';
import { extrasFrom, gridFrom } from './metrics';
import { dayIndexToDate, sessionDayIndex, sessionStartMinutes, timeframeWindow } from './session';
import type { DailyPnl, EquityPoint, StatsExtras, StatsGrid, StatsOptions, StatsQuery } from './types';

/** Everything a stats view shows for one query. */
export interface StatsReport {
  grid: StatsGrid;
  extras: StatsExtras;
  daily: DailyPnl[];
  equity: EquityPoint[];
}

/** The per-trade inputs of the accumulator; the cache stores exactly these as columns. */
export interface TradeRow {
  exitMs: number;
  cls: TradeClass;
  netC: number;
  feesC: number;
  durMs: number;
  /** NaN when unknown. */
  r: number;
  maeC: number;
  mfeC: number;
}

export function tradeRow(t: Trade, opts: StatsOptions = {}): TradeRow {
  const grossC = toCents(t.grossPnl);
  const netC = toCents(t.netPnl);
  let tolC = 0;
  if (opts.scratchTicks && opts.scratchTicks > 0 && opts.tickValue) {
    const tick = opts.tickValue(t.root);
    if (tick !== null && tick > 0) tolC = Math.round(opts.scratchTicks * tick * t.qty * 100);
  }
  return {
    exitMs: t.exitTime,
    cls: classify(grossC, netC, tolC),
    netC,
    feesC: toCents(t.commissions),
    durMs: Math.max(0, t.exitTime - t.entryTime),
    r: t.rMultiple ?? NaN,
    maeC: t.mae === null || t.mae === undefined ? NaN : toCents(t.mae),
    mfeC: t.mfe === null || t.mfe === undefined ? NaN : toCents(t.mfe),
  };
}

/** The exit order used everywhere: exit time, then id. */
export function compareTrades(a: Trade, b: Trade): number {
  return a.exitTime - b.exitTime || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The trades a query sees (mode, account, timeframe window on exit), in exit order, once per id. */
export function selectTrades(trades: readonly Trade[], query: StatsQuery | null): Trade[] {
  const seen = new Set<string>();
  const win = query ? timeframeWindow(query.timeframe, query.nowMs, query.session) : null;
  const out: Trade[] = [];
  for (const t of trades) {
    if (seen.has(t.id)) continue;
    seen.add(t.id);
    if (query) {
      if (t.mode !== query.mode) continue;
      if (query.account != null && t.account !== query.account) continue;
      if (t.exitTime < win!.fromMs || t.exitTime >= win!.toMs) continue;
    }
    out.push(t);
  }
  return out.sort(compareTrades);
}

/** The stats grid of the trades a query sees (no query: all of `trades`). */
export function computeGrid(trades: readonly Trade[], query: StatsQuery | null = null, opts: StatsOptions = {}): StatsGrid {
  const acc = new StatsAccumulator();
  for (const t of selectTrades(trades, query)) {
    const r = tradeRow(t, opts);
    acc.add(r.cls, r.netC, r.feesC, r.durMs, r.r, r.maeC, r.mfeC, NaN);
  }
  return gridFrom(acc);
}

/** Grid, extras, daily P&L (by the query's session) and the equity curve of the trades a query sees. */
export function computeStats(trades: readonly Trade[], query: StatsQuery, opts: StatsOptions = {}): StatsReport {
  const dailyRaw: [number, number, number][] = [];
  const acc = new StatsAccumulator(dailyRaw);
  const equity: EquityPoint[] = [];
  const startMin = sessionStartMinutes(query.session);
  for (const t of selectTrades(trades, query)) {
    const r = tradeRow(t, opts);
    acc.add(r.cls, r.netC, r.feesC, r.durMs, r.r, r.maeC, r.mfeC, sessionDayIndex(t.exitTime, query.session, startMin));
    equity.push({ t: t.exitTime, v: acc.cumC / 100 });
  }
  acc.finish();
  return { grid: gridFrom(acc), extras: extrasFrom(acc), daily: dailyFrom(dailyRaw), equity };
}

export function dailyFrom(raw: readonly [number, number, number][]): DailyPnl[] {
  return raw.map(([day, c, n]) => ({ day: dayIndexToDate(day), pnl: c / 100, trades: n }));
}
