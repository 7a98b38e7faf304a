/** A session state built from plain records, for the projection tests (not a test file itself). */
import { StatsCache } from '../../../src/core/stats';
import { ContractSpecs, modeOf } from '../../../src/core/trading';
import type { OpenPosition, Trade } from '../../../src/core/trading/types';
import type { ProjectionInput, SessionState } from '../../../src/core/projections';
import type { Selection, StoreInfo } from '../../../src/core/viewModels';
import { DEFAULT_SELECTION } from '../../../src/core/viewModels';
import type { ServerLimits } from '../../../src/core/risk';

export const NOW = Date.UTC(2026, 10, 3, 16, 0, 0); // a Tuesday, 10:00 in Chicago

export interface Fixture {
  trades?: Trade[];
  positions?: Partial<OpenPosition>[];
  simBalances?: Record<string, number>;
  cash?: Record<string, number>;
  serverOpenPnl?: Record<string, number>;
  orders?: Record<string, { stop: number | null; target: number | null }>;
  accounts?: string[];
  alerts?: string[];
  store?: Partial<StoreInfo>;
  /** Limits the server sent per account (ACCOUNT_BALANCE_UPDATE). */
  serverLimits?: Record<string, ServerLimits>;
  selection?: Partial<Selection>;
  connection?: Partial<ProjectionInput['connection']>;
}

export function position(over: Partial<OpenPosition>): OpenPosition {
  return {
    account: 'Sim1', mode: 'SIM', symbol: 'MESZ6', qty: 1, avgPrice: 5000, entryFees: 0, tradeId: 't-open', side: 'LONG', openedQty: Math.abs(over.qty ?? 1),
    maxPosition: Math.abs(over.qty ?? 1), entryTime: NOW - 120_000, lastFillTime: NOW - 120_000, entryNotional: 5000 * Math.abs(over.qty ?? 1), exitNotional: 0, exitQty: 0,
    grossPnl: 0, commissions: 0, highPrice: null, lowPrice: null, initialStop: null, fillIds: ['f1'], ...over,
  };
}

export function trade(over: Partial<Trade> & { account: string; netPnl: number; exitTime: number }): Trade {
  return {
    id: `${over.account}-${over.exitTime}`, mode: modeOf(over.account, '^sim'), symbol: 'MESZ6', root: 'MES', side: 'LONG', qty: 1, maxPosition: 1,
    entryTime: over.exitTime - 60_000, avgEntryPrice: 5000, avgExitPrice: 5001, grossPnl: over.netPnl + 1.24, commissions: 1.24, mae: null, mfe: null,
    rMultiple: null, fillIds: ['a', 'b'], ...over,
  };
}

export function input(f: Fixture = {}): ProjectionInput {
  const stats = new StatsCache();
  stats.load(f.trades ?? []);
  const positions = (f.positions ?? []).map(position);
  const last = new Map<string, Trade>();
  for (const t of f.trades ?? []) {
    const k = `${t.mode}|${t.account}`;
    if (!last.has(k) || last.get(k)!.exitTime <= t.exitTime) last.set(k, t);
  }
  const accounts = new Set<string>(f.accounts ?? []);
  for (const t of f.trades ?? []) accounts.add(t.account);
  for (const p of positions) accounts.add(p.account);
  for (const a of Object.keys(f.simBalances ?? {})) accounts.add(a);
  for (const a of Object.keys(f.cash ?? {})) accounts.add(a);
  const session: SessionState = {
    loading: false,
    storeInfo: { description: 'sqlite:/tmp/x.db', state: 'primary', outboxPending: 0, pendingCommits: 0, detail: '', ...f.store },
    alerts: { list: () => f.alerts ?? [] },
    tradeStats: stats,
    tradeCount: (f.trades ?? []).length,
    modeOf: (a: string) => modeOf(a, '^sim'),
    accounts: () => [...accounts].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
    openPositions: () => positions.filter((p) => p.qty !== 0),
    workingOrders: (a: string, s: string) => ({ ...(f.orders?.[`${a}|${s}`] ?? { stop: null, target: null }), orders: [] }),
    serverPosition: (a: string, s: string) => {
      const pnl = f.serverOpenPnl?.[`${a}|${s}`];
      const p = positions.find((x) => x.account === a && x.symbol === s);
      return pnl === undefined || !p ? undefined : { account: a, symbol: s, qty: p.qty, avgPrice: p.avgPrice, openPnl: pnl, timeMs: NOW };
    },
    accountBalance: (a: string) => (f.cash?.[a] === undefined ? undefined : { account: a, cashBalance: f.cash[a], balanceAvailable: null, openPnl: null, dailyPnl: null, currency: 'USD', timeMs: NOW, limits: f.serverLimits?.[a] ?? null }),
    simBalance: (a: string) => f.simBalances?.[a] ?? 10000,
    lastReset: () => null,
    lastTrade: (mode, a) => last.get(`${mode}|${a}`),
  };
  return {
    session,
    specs: new ContractSpecs(),
    connection: { state: 'connected', host: '127.0.0.1', port: 11099, serverName: 'SC', lastError: null, nextRetryAt: null, demo: false, ...f.connection },
    startingBalance: 10000,
    tradingSession: { sessionStart: '17:00', timeZone: 'America/Chicago' },
    dtc: { host: '127.0.0.1', port: 11099 },
    nowMs: NOW,
    selection: { ...DEFAULT_SELECTION, ...f.selection },
  };
}
