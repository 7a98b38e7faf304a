import type { Mode } from '../trading/types';

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

/** Which trades a stats view sees (§4): one mode, optionally one account, one timeframe. */
export interface StatsQuery {
  mode: Mode;
  /** One account, or null/undefined for every account of the mode. */
  account?: string | null;
  timeframe: Timeframe;
  nowMs: number;
  session: SessionConfig;
}

/** How trades are classified (§5). */
export interface StatsOptions {
  /** Scratch tolerance on gross, in ticks (default 0: gross exactly 0). */
  scratchTicks?: number;
  /** Money per tick per contract of a root; needed only when scratchTicks > 0. */
  tickValue?: (root: string) => number | null;
}

/** The §5 extras, for hover and details views. Money in account currency, null where undefined. */
export interface StatsExtras {
  avgWin: number | null;
  avgLoss: number | null;
  /** avgWin / |avgLoss|. */
  payoffRatio: number | null;
  longestWinRun: number;
  longestLossRun: number;
  /** Trading-session days with at least one trade. */
  tradingDays: number;
  /** Days with net > 0 / trading days. */
  winningDayRate: number | null;
  /** Mean daily net / sample stdev x sqrt(252); null under 2 days or zero deviation. */
  sharpe: number | null;
  /** Mean daily net / downside deviation (sample, target 0) x sqrt(252); null under 2 days or no down day. */
  sortino: number | null;
  /** Total P&L / max drawdown; null without a drawdown. */
  recoveryFactor: number | null;
  avgWinTimeSec: number | null;
  avgLossTimeSec: number | null;
  totalWinTimeSec: number;
  totalLossTimeSec: number;
}
