/**
 * A hand-computed week of trades (not a test file itself). Times are Chicago wall clock in January
 * 2025 (CST = UTC-6); the session starts 17:00 and is named by the day it ends.
 */
import type { Trade } from '../../../src/core/trading/types';
import { tr } from '../stats/trades';

/** UTC ms of a Chicago wall-clock time in January 2025. */
export const ct = (day: number, h: number, m: number, s = 0): number => Date.UTC(2025, 0, day, h + 6, m, s);

const t = (id: string, over: Partial<Trade> & { entryTime: number; exitTime: number; grossPnl: number }): Trade =>
  tr({ id, commissions: 0, netPnl: over.grossPnl - (over.commissions ?? 0), ...over });

// id, what it is: net, class, R, session day, entry hour, duration bucket, tags
export const WEEK: Trade[] = [
  t('A', { symbol: 'MESZ5', side: 'LONG', entryTime: ct(6, 8, 30), exitTime: ct(6, 8, 32), grossPnl: 50, rMultiple: 1 }), // +50 win, Mon, 08, 1m-5m
  t('B', { symbol: 'MESZ5', side: 'SHORT', entryTime: ct(6, 9, 10), exitTime: ct(6, 9, 40), grossPnl: -25, rMultiple: -0.5 }), // -25 loss, Mon, 09, 15m-1h
  t('C', { symbol: 'MNQZ5', root: 'MNQ', side: 'LONG', entryTime: ct(6, 9, 15), exitTime: ct(6, 9, 15, 30), grossPnl: 0, commissions: 1.24 }), // -1.24 scratch, Mon, 09, <1m
  t('D', { symbol: 'MNQZ5', root: 'MNQ', side: 'LONG', entryTime: ct(7, 10, 5), exitTime: ct(7, 12, 5), grossPnl: 100, rMultiple: 2 }), // +100 win, Tue, 10, 1h-4h
  t('E', { symbol: 'MESZ5', side: 'LONG', entryTime: ct(7, 10, 20), exitTime: ct(7, 10, 24), grossPnl: -40, rMultiple: -1 }), // -40 loss, Tue, 10, 1m-5m
  t('F', { symbol: 'MESZ5', side: 'SHORT', entryTime: ct(6, 17, 30), exitTime: ct(6, 17, 45), grossPnl: 20 }), // +20 win, Tue (evening session), 17, 15m-1h
  t('G', { account: 'Live1', mode: 'LIVE', symbol: 'MESZ5', entryTime: ct(6, 8, 0), exitTime: ct(6, 8, 10), grossPnl: 500 }), // LIVE: never in SIM figures
  t('H', { account: 'Sim2', symbol: 'MNQZ5', root: 'MNQ', side: 'SHORT', entryTime: ct(8, 13, 0), exitTime: ct(8, 18, 0), grossPnl: -10 }), // -10 loss, Thu (evening), 13, >=4h
];

export const WEEK_TAGS = new Map<string, string[]>([
  ['A', ['breakout']],
  ['B', ['fade']],
  ['C', ['breakout', 'fomo']],
  ['E', ['breakout']],
  ['F', ['fade']],
]);
