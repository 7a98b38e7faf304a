/** The journal's read models: trades table, breakdown reports, calendar (issue 14). */
export * from './types';
export { TradeIndex } from './tradeIndex';
export type { TradeIndexOptions } from './tradeIndex';
export { buildReport, breakdown, metricValues } from './report';
export type { ReportOptions } from './report';
export { calendarMonth } from './calendar';
export { DURATION_BUCKETS } from './columns';
