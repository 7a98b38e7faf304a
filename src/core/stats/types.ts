/**
 * The stats grid (TRADING-MATH.md §5). Keys are the `appsierra stats --json` contract.
 * The engine returns numbers, null and Infinity; formatting belongs to the UI.
 */
export type Timeframe = '1D' | '1W' | '1M' | '3M' | 'YTD' | 'ALL';
export const TIMEFRAMES: readonly Timeframe[] = ['1D', '1W', '1M', '3M', 'YTD', 'ALL'];

export interface StatsGrid {
  trades: number;
  totalPnl: number;
  maxDrawdown: number;
  maxRunUp: number;
  expectancy: number | null;
  avgTimeSec: number | null;
  best: number | null;
  worst: number | null;
  hitRate: number | null;
  commissions: number;
  avgR: number | null;
  /** Infinity when there are gains and no losses. */
  profitFactor: number | null;
  streak: number;
  avgMae: number | null;
  avgMfe: number | null;
  wins: number;
  losses: number;
  scratches: number;
  grossProfit: number;
  grossLoss: number;
  /** Trades that have an R multiple (of `trades`). */
  rCoverage: number;
  /** Trades that have MAE/MFE (of `trades`). */
  maeCoverage: number;
}

/** Session and clock settings that decide which trades a timeframe sees (§4). */
export interface SessionConfig {
  /** 'HH:MM' local to `timeZone`; default '17:00'. */
  sessionStart: string;
  /** IANA zone, default 'America/Chicago'; 'local' = the machine's zone (midnight-local option uses '00:00'). */
  timeZone: string;
}

export interface EquityPoint {
  /** Exit time, epoch ms. */
  t: number;
  /** Cumulative net P&L after this trade. */
  v: number;
}

export interface DailyPnl {
  /** Trading-session date, 'YYYY-MM-DD'. */
  day: string;
  pnl: number;
  trades: number;
}
