/** Trade builders for the stats tests (not a test file itself). */
import type { Trade } from '../../../src/core/trading/types';
import type { SessionConfig, StatsQuery } from '../../../src/core/stats/types';
import { seededRng } from '../../../src/core/dtc/random';

export const CME: SessionConfig = { sessionStart: '17:00', timeZone: 'America/Chicago' };

let seq = 0;

/** A closed MES trade; `net` defaults to gross - fees. */
export function tr(over: Partial<Trade> & { exitTime: number }): Trade {
  const gross = over.grossPnl ?? 10;
  const fees = over.commissions ?? 1.24;
  const id = over.id ?? `T${++seq}`;
  return {
    id, account: 'Sim1', mode: 'SIM', symbol: 'MESZ5', root: 'MES', side: 'LONG', qty: 1, maxPosition: 1,
    entryTime: over.exitTime - 60_000, avgEntryPrice: 5000, avgExitPrice: 5002, grossPnl: gross, commissions: fees,
    netPnl: Math.round((gross - fees) * 100) / 100, mae: null, mfe: null, rMultiple: null, fillIds: [`${id}-a`, `${id}-b`],
    ...over,
  };
}

export function q(over: Partial<StatsQuery> = {}): StatsQuery {
  return { mode: 'SIM', account: null, timeframe: 'ALL', nowMs: Date.UTC(2025, 5, 1), session: CME, ...over };
}

/** The project's seeded PRNG, re-exported for the property tests. */
export const rng = seededRng;
