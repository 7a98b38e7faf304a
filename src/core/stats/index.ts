/** The statistics engine (TRADING-MATH.md §4, §5): what the UI, AppCore and the CLI use. */
export * from './types';
export { StatsCache } from './cache';
export { computeGrid, computeStats, selectTrades, compareTrades, tradeRow } from './compute';
export type { StatsReport, TradeRow } from './compute';
export { METRICS, EXTRA_METRICS, GRID_KEYS, metricDef, gridFrom, extrasFrom } from './metrics';
export type { MetricDef, MetricKind } from './metrics';
export { StatsAccumulator, classify } from './accumulator';
export { downsampleEquity } from './downsample';
export { rCoverage, rCoverageText } from './rCoverage';
export type { RCoverage } from './rCoverage';
export { gridToJson, gridToJsonObject, gridToTable, formatMetric } from './json';
export type { GridJson } from './json';
export {
  DEFAULT_SESSION, timeframeWindow, sessionDate, sessionDayIndex, sessionBounds, sessionDayBounds, checkSessionConfig, resolveTimeZone, zoneOffsetMs,
} from './session';
export type { TimeWindow } from './session';
