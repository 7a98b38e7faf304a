/**
 * The metric table (§5): one entry per grid key with its label, the formula shown in tooltips,
 * how to display it, and its value derived from one accumulator pass. The UI, the CLI table and
 * the JSON all read this table, so a metric is defined once.
 */
import type { StatsAccumulator } from './accumulator';
import type { StatsExtras, StatsGrid } from './types';

/** How a value reads (src/shared/format.ts words it). */
export type MetricKind = 'money' | 'count' | 'percent' | 'ratio' | 'duration' | 'signed' | 'r';

export interface MetricDef<K extends string = string> {
  id: K;
  label: string;
  /** Formula and edge cases in words, for tooltips. */
  formula: string;
  kind: MetricKind;
  /** One of the 15 headline metrics (the rest are the contract's supporting keys). */
  headline: boolean;
  value(a: StatsAccumulator): number | null;
}

const money = (cents: number): number => cents / 100;
/** Money that is a mean: rounded to cents. */
const meanMoney = (sumC: number, n: number): number | null => (n === 0 ? null : Math.round(sumC / n) / 100);

export const METRICS: readonly MetricDef<keyof StatsGrid>[] = [
  { id: 'totalPnl', label: 'Total PnL', kind: 'money', headline: true, formula: 'Sum of net P&L (gross − fees) of the closed trades.', value: (a) => money(a.netC) },
  { id: 'maxDrawdown', label: 'Max Drawdown', kind: 'money', headline: true, formula: 'Largest fall of the closed-trade equity curve (starting at 0) from a running peak, trade by trade; a positive amount.', value: (a) => money(a.maxDrawdownC) },
  { id: 'maxRunUp', label: 'Max Run-Up', kind: 'money', headline: true, formula: 'Largest rise of the closed-trade equity curve (starting at 0) above a running trough.', value: (a) => money(a.maxRunUpC) },
  { id: 'expectancy', label: 'Expectancy', kind: 'money', headline: true, formula: 'Total PnL / trades (mean net per trade).', value: (a) => meanMoney(a.netC, a.n) },
  { id: 'avgTimeSec', label: 'Avg Time', kind: 'duration', headline: true, formula: 'Mean of exit time − entry time.', value: (a) => (a.n === 0 ? null : a.durMs / a.n / 1000) },
  { id: 'trades', label: 'Trades', kind: 'count', headline: true, formula: 'Closed trades (a flip makes two).', value: (a) => a.n },
  { id: 'best', label: 'Best', kind: 'money', headline: true, formula: 'Highest net of any trade (may be negative).', value: (a) => (a.n === 0 ? null : money(a.bestC)) },
  { id: 'worst', label: 'Worst', kind: 'money', headline: true, formula: 'Lowest net of any trade.', value: (a) => (a.n === 0 ? null : money(a.worstC)) },
  { id: 'hitRate', label: 'Hit Rate', kind: 'percent', headline: true, formula: 'Wins / (wins + losses); scratches excluded. — when no trade won or lost.', value: (a) => (a.wins + a.losses === 0 ? null : a.wins / (a.wins + a.losses)) },
  { id: 'commissions', label: 'Commissions', kind: 'money', headline: true, formula: 'Sum of fees.', value: (a) => money(a.feesC) },
  { id: 'avgR', label: 'Avg R', kind: 'r', headline: true, formula: 'Mean R multiple over the trades that have one (net / initial risk to the first stop).', value: (a) => (a.rN === 0 ? null : a.rSum / a.rN) },
  { id: 'profitFactor', label: 'Profit Factor', kind: 'ratio', headline: true, formula: 'Gross profit / gross loss (net of every trade, scratches included). ∞ with gains and no losses; — with neither.', value: profitFactor },
  { id: 'streak', label: 'Streak', kind: 'signed', headline: true, formula: 'Current run: +k for k wins in a row at the end, −k for losses; scratches neither extend nor break it.', value: (a) => a.streak },
  { id: 'avgMae', label: 'Avg MAE', kind: 'money', headline: true, formula: 'Mean maximum adverse excursion (worst open P&L) over the trades that have it.', value: (a) => meanMoney(a.maeSumC, a.maeN) },
  { id: 'avgMfe', label: 'Avg MFE', kind: 'money', headline: true, formula: 'Mean maximum favorable excursion (best open P&L) over the trades that have it.', value: (a) => meanMoney(a.mfeSumC, a.mfeN) },
  { id: 'wins', label: 'Wins', kind: 'count', headline: false, formula: 'Trades with net > 0 that are not scratches.', value: (a) => a.wins },
  { id: 'losses', label: 'Losses', kind: 'count', headline: false, formula: 'Trades with net < 0 that are not scratches.', value: (a) => a.losses },
  { id: 'scratches', label: 'Scratches', kind: 'count', headline: false, formula: 'Trades with gross 0 (within the tick tolerance) or net exactly 0.', value: (a) => a.scratches },
  { id: 'grossProfit', label: 'Gross Profit', kind: 'money', headline: false, formula: 'Sum of net over trades with net > 0.', value: (a) => money(a.grossProfitC) },
  { id: 'grossLoss', label: 'Gross Loss', kind: 'money', headline: false, formula: '− Sum of net over trades with net < 0 (a positive amount).', value: (a) => money(a.grossLossC) },
  { id: 'rCoverage', label: 'R Coverage', kind: 'count', headline: false, formula: 'Trades that have an R multiple (of Trades).', value: (a) => a.rN },
  { id: 'maeCoverage', label: 'MAE/MFE Coverage', kind: 'count', headline: false, formula: 'Trades that have MAE/MFE (of Trades).', value: (a) => a.maeN },
];

/** The contract's key order (CLI.md): the 15 metrics, then the supporting keys. */
export const GRID_KEYS: readonly (keyof StatsGrid)[] = [
  'trades', 'totalPnl', 'maxDrawdown', 'maxRunUp', 'expectancy', 'avgTimeSec', 'best', 'worst', 'hitRate', 'commissions', 'avgR', 'profitFactor', 'streak', 'avgMae', 'avgMfe',
  'wins', 'losses', 'scratches', 'grossProfit', 'grossLoss', 'rCoverage', 'maeCoverage',
];

const BY_ID = new Map(METRICS.map((m) => [m.id, m]));

export function metricDef(id: keyof StatsGrid): MetricDef<keyof StatsGrid> {
  return BY_ID.get(id)!;
}

function profitFactor(a: StatsAccumulator): number | null {
  if (a.grossLossC === 0) return a.grossProfitC > 0 ? Infinity : null;
  return a.grossProfitC / a.grossLossC;
}

export function gridFrom(a: StatsAccumulator): StatsGrid {
  const g = {} as Record<keyof StatsGrid, number | null>;
  for (const key of GRID_KEYS) g[key] = BY_ID.get(key)!.value(a);
  return g as unknown as StatsGrid;
}

const ANNUAL = Math.sqrt(252);

export const EXTRA_METRICS: readonly MetricDef<keyof StatsExtras>[] = [
  { id: 'avgWin', label: 'Average Win', kind: 'money', headline: false, formula: 'Mean net of the winning trades.', value: (a) => meanMoney(a.winNetC, a.wins) },
  { id: 'avgLoss', label: 'Average Loss', kind: 'money', headline: false, formula: 'Mean net of the losing trades (negative).', value: (a) => meanMoney(a.lossNetC, a.losses) },
  { id: 'payoffRatio', label: 'Payoff Ratio', kind: 'ratio', headline: false, formula: 'Average win / |average loss|; — without both.', value: (a) => (a.wins === 0 || a.losses === 0 ? null : (a.winNetC / a.wins) / (-a.lossNetC / a.losses)) },
  { id: 'longestWinRun', label: 'Longest Win Run', kind: 'count', headline: false, formula: 'Most wins in a row (scratches neither extend nor break a run).', value: (a) => a.longestWin },
  { id: 'longestLossRun', label: 'Longest Loss Run', kind: 'count', headline: false, formula: 'Most losses in a row (scratches neither extend nor break a run).', value: (a) => a.longestLoss },
  { id: 'tradingDays', label: 'Trading Days', kind: 'count', headline: false, formula: 'Trading sessions with at least one closed trade.', value: (a) => a.days },
  { id: 'winningDayRate', label: 'Winning Days', kind: 'percent', headline: false, formula: 'Sessions with net > 0 / sessions with trades.', value: (a) => (a.days === 0 ? null : a.winDays / a.days) },
  { id: 'sharpe', label: 'Sharpe', kind: 'ratio', headline: false, formula: 'Mean daily net / sample stdev of daily net × √252 (days with trades); needs 2+ days.', value: sharpe },
  { id: 'sortino', label: 'Sortino', kind: 'ratio', headline: false, formula: 'Mean daily net / downside deviation (sample, target 0) × √252; needs 2+ days and a losing day.', value: sortino },
  { id: 'recoveryFactor', label: 'Recovery Factor', kind: 'ratio', headline: false, formula: 'Total PnL / Max Drawdown; — without a drawdown.', value: (a) => (a.maxDrawdownC === 0 ? null : a.netC / a.maxDrawdownC) },
  { id: 'avgWinTimeSec', label: 'Avg Time in Winners', kind: 'duration', headline: false, formula: 'Mean exit − entry of the winning trades.', value: (a) => (a.wins === 0 ? null : a.winDurMs / a.wins / 1000) },
  { id: 'avgLossTimeSec', label: 'Avg Time in Losers', kind: 'duration', headline: false, formula: 'Mean exit − entry of the losing trades.', value: (a) => (a.losses === 0 ? null : a.lossDurMs / a.losses / 1000) },
  { id: 'totalWinTimeSec', label: 'Time in Winners', kind: 'duration', headline: false, formula: 'Total exit − entry of the winning trades.', value: (a) => a.winDurMs / 1000 },
  { id: 'totalLossTimeSec', label: 'Time in Losers', kind: 'duration', headline: false, formula: 'Total exit − entry of the losing trades.', value: (a) => a.lossDurMs / 1000 },
];

function sharpe(a: StatsAccumulator): number | null {
  if (a.days < 2) return null;
  const mean = a.daySumC / a.days;
  const ss = a.daySqC - a.daySumC * mean;
  // Float noise must not turn identical days into a huge ratio.
  if (ss <= 1e-9 * a.daySqC) return null;
  return (mean / Math.sqrt(ss / (a.days - 1))) * ANNUAL;
}

function sortino(a: StatsAccumulator): number | null {
  if (a.days < 2 || a.downSqC === 0) return null;
  return (a.daySumC / a.days / Math.sqrt(a.downSqC / (a.days - 1))) * ANNUAL;
}

export function extrasFrom(a: StatsAccumulator): StatsExtras {
  const e = {} as Record<keyof StatsExtras, number | null>;
  for (const m of EXTRA_METRICS) e[m.id] = m.value(a);
  return e as unknown as StatsExtras;
}
