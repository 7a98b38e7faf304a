/**
 * Projections: pure functions from a session's read-only state (plus the connection, the settings
 * that word things, the clock and the selection) to the view models the views draw. No I/O, no
 * timers; unit-tested with fixtures.
 */
import type { TradeSession } from './session';
import type { ContractSpecs } from './trading';
import type { Mode, OpenPosition } from './trading/types';
import type { BalanceSnapshot, ConnectionInfo, PositionSnapshot, Selection, SnapshotMap, StatsSnapshot, ViewId } from './viewModels';
import { downsampleEquity } from './stats';
import { isSpecError, livePosition, roundCents, type LivePosition } from './trading';

/** What a projection reads of a session (TradeSession implements it; tests pass fixtures). */
export type SessionState = Pick<
  TradeSession,
  | 'loading'
  | 'storeInfo'
  | 'tradeStats'
  | 'tradeCount'
  | 'modeOf'
  | 'accounts'
  | 'openPositions'
  | 'workingOrders'
  | 'serverPosition'
  | 'accountBalance'
  | 'simBalance'
  | 'lastReset'
  | 'lastTrade'
  | 'mostRecentTrade'
> & { readonly alerts: { list(): string[] } };

export interface ProjectionInput {
  session: SessionState;
  specs: Pick<ContractSpecs, 'resolve'>;
  connection: ConnectionInfo;
  startingBalance: number;
  tradingSession: { sessionStart: string; timeZone: string };
  /** Where Connect goes, for the empty-state hint. */
  dtc: { host: string; port: number };
  nowMs: number;
  selection: Selection;
}

/** Points of the equity curve sent to the ~300 px chart: every peak and trough, without flooding postMessage. */
export const EQUITY_POINTS = 600;
/** Daily bars the Stats view draws (the most recent sessions). */
export const DAILY_BARS = 120;

export function project<V extends ViewId>(view: V, input: ProjectionInput): SnapshotMap[V] {
  switch (view) {
    case 'balance':
      return balanceView(input) as SnapshotMap[V];
    case 'position':
      return positionView(input) as SnapshotMap[V];
    default:
      return statsView(input) as SnapshotMap[V];
  }
}

/**
 * The account the Balance and Position views follow: the chosen one, else the one with the most
 * recent open position of the mode, else the one that traded last, else the first of the mode.
 */
export function activeAccount(input: ProjectionInput): string | null {
  const { session, selection } = input;
  if (selection.account) return selection.account;
  const open = session.openPositions().filter((p) => session.modeOf(p.account) === selection.mode).sort((a, b) => b.lastFillTime - a.lastFillTime)[0];
  if (open) return open.account;
  const last = session.mostRecentTrade;
  if (last && last.mode === selection.mode) return last.account;
  return accountsOf(input, selection.mode)[0] ?? null;
}

export function accountsOf(input: ProjectionInput, mode: Mode): string[] {
  return input.session.accounts().filter((a) => input.session.modeOf(a) === mode);
}

export function balanceView(input: ProjectionInput): BalanceSnapshot {
  const { session } = input;
  const account = activeAccount(input);
  const mode = account ? session.modeOf(account) : input.selection.mode;
  const today = session.tradeStats.grid({ mode, account, timeframe: '1D', nowMs: clock(input, mode), session: input.tradingSession });
  const openPnl = account ? openPnlOf(input, account) : null;
  let balance: number | null = null;
  let lastReset: number | null = null;
  if (account) {
    if (mode === 'SIM') {
      balance = session.simBalance(account);
      lastReset = session.lastReset(account);
    } else {
      balance = session.accountBalance(account)?.cashBalance ?? null;
    }
  }
  return {
    loading: session.loading,
    mode,
    account,
    accounts: session.accounts(),
    balance,
    openPnl,
    equity: balance === null ? null : roundCents(balance + (openPnl ?? 0)),
    dailyPnl: today.totalPnl,
    tradesToday: today.trades,
    startingBalance: input.startingBalance,
    lastReset,
    connection: { ...input.connection },
    store: session.storeInfo,
    alerts: session.alerts.list(),
  };
}

export function positionView(input: ProjectionInput): PositionSnapshot {
  const { session } = input;
  const account = activeAccount(input);
  const mode = account ? session.modeOf(account) : input.selection.mode;
  const base: PositionSnapshot = { loading: session.loading, account, mode, open: null, lastTrade: null, now: input.nowMs };
  if (!account) return base;
  const p = session
    .openPositions()
    .filter((x) => x.account === account)
    .sort((a, b) => b.lastFillTime - a.lastFillTime)[0];
  if (p) {
    // The view shows the live position minus the engine's bookkeeping fields.
    const { timeInTradeMs: _elapsed, initialRisk: _risk, ...open } = live(input, p);
    base.open = open;
  }
  const last = session.lastTrade(mode, account);
  if (last) {
    base.lastTrade = { symbol: last.symbol, side: last.side, qty: last.qty, avgEntryPrice: last.avgEntryPrice, avgExitPrice: last.avgExitPrice, netPnl: last.netPnl, exitTime: last.exitTime };
  }
  return base;
}

export function statsView(input: ProjectionInput): StatsSnapshot {
  const { session, selection } = input;
  const mode = selection.mode;
  const account = selection.account && session.modeOf(selection.account) === mode ? selection.account : null;
  const filter = { mode, account, timeframe: selection.timeframe, nowMs: clock(input, mode), session: input.tradingSession };
  const grid = session.tradeStats.grid(filter);
  let emptyReason: string | null = null;
  if (grid.trades === 0) {
    const scope = account ? `${mode} trades on ${account}` : `${mode} trades`;
    emptyReason =
      session.tradeCount === 0
        ? `No closed trades yet. Connect to Sierra Chart (DTC server on ${input.dtc.host}:${input.dtc.port}) or start the demo feed.`
        : `No closed ${scope} in ${selection.timeframe === 'ALL' ? 'the history' : selection.timeframe}. Pick a longer timeframe or switch SIM/LIVE.`;
  }
  return {
    loading: session.loading,
    mode,
    account,
    accounts: accountsOf(input, mode),
    timeframe: selection.timeframe,
    grid,
    equityCurve: downsampleEquity(session.tradeStats.equityCurve(filter), EQUITY_POINTS),
    daily: session.tradeStats.daily(filter).slice(-DAILY_BARS),
    emptyReason,
  };
}

/** Now, or the latest exit if the server's clock runs ahead of ours, so a trade just closed never drops out of 1D. */
function clock(input: ProjectionInput, mode: Mode): number {
  return Math.max(input.nowMs, (input.session.tradeStats.latestExit(mode) ?? 0) + 1);
}

/** Open P&L of an account's positions; null when some position's P&L is unknown. */
function openPnlOf(input: ProjectionInput, account: string): number | null {
  const positions = input.session.openPositions().filter((p) => p.account === account);
  let total = 0;
  let known = false;
  for (const p of positions) {
    const pnl = live(input, p).openPnl;
    if (pnl != null) {
      total += pnl;
      known = true;
    }
  }
  return known ? roundCents(total) : positions.length ? null : 0;
}

function live(input: ProjectionInput, p: OpenPosition): LivePosition {
  const spec = input.specs.resolve(p.symbol);
  const server = input.session.serverPosition(p.account, p.symbol);
  const orders = input.session.workingOrders(p.account, p.symbol);
  const serverOpenPnl = server && server.qty === p.qty ? (server.openPnl ?? null) : null;
  const tick = isSpecError(spec) ? null : spec;
  return livePosition({
    position: p,
    spec,
    mark: impliedMark(p.avgPrice, p.qty, serverOpenPnl, tick?.pointValue ?? null, tick?.tickSize ?? null),
    serverOpenPnl,
    stop: orders.stop,
    target: orders.target,
    nowMs: input.nowMs,
  });
}

/**
 * Sierra's DTC server sends no market data (PROTOCOL.md §9), but POSITION_UPDATE carries the open
 * P&L at its own mark: mark = avg + openPnl / (signed qty x point value), rounded to the tick.
 */
export function impliedMark(avg: number, qty: number, openPnl: number | null, pointValue: number | null, tickSize: number | null): number | null {
  if (openPnl === null || !pointValue || qty === 0) return null;
  const mark = avg + openPnl / (qty * pointValue);
  return tickSize ? Math.round(mark / tickSize) * tickSize : mark;
}
