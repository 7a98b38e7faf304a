/**
 * The journal's read models (issue 14): what the Trades, Calendar and Reports tabs and the CLI ask
 * for, and what they get. Everything here is plain data a webview message can carry, except that
 * `profitFactor` may be Infinity: encode grids with `gridToJsonObject` (stats/json.ts) before
 * JSON, as `appsierra stats --json` does.
 */
import type { Mode, Trade, TradeSide } from '../trading/types';
import type { DailyPnl, StatsExtras, StatsGrid } from '../stats/types';
import type { MetricKind } from '../stats/metrics';

/** Which trades a view sees. Every field is optional and narrows the set (AND). */
export interface TradeFilter {
  /** SIM or LIVE; unset lists both (stats views always set it: the modes never mix in a total). */
  mode?: Mode;
  account?: string | null;
  symbol?: string;
  side?: TradeSide;
  /** One tag; `UNTAGGED` (trading/tags.ts) selects trades without any tag. */
  tag?: string;
  /** Exit time bounds, epoch ms: inclusive from, exclusive to. */
  fromMs?: number;
  toMs?: number;
  /** Session days 'YYYY-MM-DD', inclusive (the days the calendar and the 1D timeframe use). */
  fromDay?: string;
  toDay?: string;
  /** Winners (net > 0, not a scratch), losers, or scratches (TRADING-MATH §5 classification). */
  outcome?: 'win' | 'loss' | 'scratch';
}

/** Sortable columns of the trades table. */
export const TRADE_COLUMNS = [
  'exitTime', 'entryTime', 'account', 'symbol', 'side', 'qty', 'avgEntryPrice', 'avgExitPrice', 'grossPnl', 'commissions', 'netPnl',
  'mae', 'mfe', 'rMultiple', 'durationSec', 'tags',
] as const;
export type TradeColumn = (typeof TRADE_COLUMNS)[number];

export interface TradeSort {
  column: TradeColumn;
  dir: 'asc' | 'desc';
}

export interface TradePageRequest {
  filter: TradeFilter;
  /** Default: exit time, newest first. Ties keep exit order (reversed when descending); unknown values (null R/MAE/MFE, no tags) sort last either way. */
  sort?: TradeSort;
  offset?: number;
  /** Rows wanted (default 100, at most MAX_PAGE). */
  limit?: number;
}

export const MAX_PAGE = 1000;

/** One row of the trades table. */
export interface TradeListRow {
  trade: Trade;
  tags: readonly string[];
  /** Exit minus entry, seconds. */
  durationSec: number;
  /** Session day the trade belongs to (its exit), 'YYYY-MM-DD'. */
  sessionDay: string;
  /** 'win' | 'loss' | 'scratch' (§5). */
  outcome: 'win' | 'loss' | 'scratch';
}

export interface TradePage {
  /** Trades matching the filter (all pages). */
  total: number;
  offset: number;
  rows: TradeListRow[];
  /** The stats grid of the whole filtered set: identical to the stats engine for the same trades. */
  totals: StatsGrid;
}

/** Dimensions of the breakdown reports. */
export const BREAKDOWN_KEYS = ['symbol', 'side', 'hour', 'weekday', 'duration', 'tag'] as const;
export type BreakdownKey = (typeof BREAKDOWN_KEYS)[number];

/** The columns a breakdown row shows; labels and formulas come from the metric table. */
export const BREAKDOWN_COLUMNS: readonly (keyof StatsGrid)[] = ['trades', 'totalPnl', 'hitRate', 'expectancy', 'avgR', 'profitFactor'];

export interface BreakdownRow {
  /** Stable key (CLI JSON `key`): the symbol, 'LONG', '09' (hour), 'Mon', '1m-5m', a tag, '(untagged)'. */
  key: string;
  /** Human label ('09:00–10:00', 'Monday', '1–5 min'). */
  label: string;
  /** The full stats grid of the subset, from the one metric table (so `stats --by` rows equal `stats`). */
  grid: StatsGrid;
}

/** A metric with its value and the formula text for the tooltip (from stats/metrics.ts). */
export interface MetricValue {
  id: string;
  label: string;
  kind: MetricKind;
  formula: string;
  /** A grid metric (the 15 + supporting keys) or an extra (§5 extras). */
  section: 'grid' | 'extra';
  value: number | null;
}

/** The closed-trade equity curve with its drawdown underneath, both from the accumulator. */
export interface EquitySeries {
  /** Exit times, epoch ms. */
  t: number[];
  /** Cumulative net after each trade. */
  equity: number[];
  /** Equity minus its running peak (0 or negative); the curve starts at 0 like Max Drawdown. */
  drawdown: number[];
  /** Points before downsampling. */
  total: number;
}

export interface JournalReport {
  grid: StatsGrid;
  extras: StatsExtras;
  /** Every grid metric and extra, in table order, with formula text. */
  metrics: MetricValue[];
  breakdowns: Partial<Record<BreakdownKey, BreakdownRow[]>>;
  equity: EquitySeries;
  daily: DailyPnl[];
}

export interface CalendarDay {
  /** Session day 'YYYY-MM-DD'. */
  day: string;
  /** Day of the month shown (1-31). */
  dayOfMonth: number;
  /** False for the leading/trailing days of the neighbouring months. */
  inMonth: boolean;
  /** Net of the day's trades; null on a day without trades. */
  net: number | null;
  trades: number;
}

export interface CalendarWeek {
  days: CalendarDay[];
  /** Totals over the 7 days of the row (a trading week, neighbouring months included). */
  net: number;
  trades: number;
}

export interface CalendarMonth {
  year: number;
  /** 1-12. */
  month: number;
  /** 1 = weeks start on Monday, 0 = Sunday. */
  weekStart: 0 | 1;
  weeks: CalendarWeek[];
  /** Totals over the month's own days. */
  net: number;
  trades: number;
  tradingDays: number;
  winningDays: number;
  /** Stats grid of the month's trades (hit rate, profit factor...). */
  grid: StatsGrid;
  /** First and last session day with trades for the filter (month navigation bounds); null when none. */
  firstDay: string | null;
  lastDay: string | null;
}
