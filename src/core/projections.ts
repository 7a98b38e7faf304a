/**
 * Projections: pure functions from a session's read-only state (plus the connection, the settings
 * that word things, the clock and the selection) to the view models the views draw. No I/O, no
 * timers; unit-tested with fixtures.
 */
import type { TradeSession } from './session';
import type { ContractSpecs } from './trading';
import type { Mode, OpenPosition } from './trading/types';
import type { BalanceSnapshot, ConnectionInfo, PositionSnapshot, Selection, SnapshotMap, StatsSnapshot, ViewId } from './viewModels';
import { isSpecError, livePosition, roundCents, type LivePosition } from './trading';
import type { AccountRisk } from './risk/guard';

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
  /** The risk guard's status of an account (null: no limit set); absent: no guard (tests, the CLI). */
  riskOf?: (account: string) => AccountRisk | null;
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
 * Whose figures the views show: the selected account when it is known, else every account of the
 * selected mode ("All SIM" / "All LIVE"). Never "whichever traded last": one explicit choice.
 */
export interface Scope {
  mode: Mode;
  /** The one account, or null for all accounts of `mode`. */
  account: string | null;
  /** The accounts whose figures count. */
  accounts: string[];
  /** Words for it: `Sim1`, or `All SIM`. */
  label: string;
}

export function scopeOf(input: ProjectionInput): Scope {
  const { session, selection } = input;
  const chosen = selection.account && session.accounts().includes(selection.account) ? selection.account : null;
  if (chosen) return { mode: session.modeOf(chosen), account: chosen, accounts: [chosen], label: chosen };
  return { mode: selection.mode, account: null, accounts: accountsOf(input, selection.mode), label: `All ${selection.mode}` };
}

export function accountsOf(input: ProjectionInput, mode: Mode): string[] {
  return input.session.accounts().filter((a) => input.session.modeOf(a) === mode);
}

export function balanceView(input: ProjectionInput): BalanceSnapshot {
  const { session } = input;
  const scope = scopeOf(input);
  const { mode, account } = scope;
  const today = session.tradeStats.grid({ mode, account, timeframe: '1D', nowMs: clock(input, mode), session: input.tradingSession });
  const openPnl = scope.accounts.length ? openPnlOf(input, scope.accounts) : null;
  const balance = balanceOf(input, scope);
  const resets = mode === 'SIM' ? scope.accounts.map((a) => session.lastReset(a)).filter((t): t is number => t !== null) : [];
  return {
    loading: session.loading,
    mode,
    account,
    scope: scope.label,
    accounts: session.accounts(),
    balance,
    openPnl,
    equity: balance === null ? null : roundCents(balance + (openPnl ?? 0)),
    dailyPnl: today.totalPnl,
    tradesToday: today.trades,
    startingBalance: input.startingBalance,
    lastReset: resets.length ? Math.max(...resets) : null,
    connection: { ...input.connection },
    store: session.storeInfo,
    alerts: session.alerts.list(),
    risk: input.riskOf ? scope.accounts.map((a) => input.riskOf!(a)).filter((r): r is AccountRisk => r !== null) : [],
  };
}

/** SIM: the ledger's balances; LIVE: the server's cash balances. Summed over the scope; null when none is known. */
function balanceOf(input: ProjectionInput, scope: Scope): number | null {
  let total = 0;
  let known = false;
  for (const a of scope.accounts) {
    const b = scope.mode === 'SIM' ? input.session.simBalance(a) : (input.session.accountBalance(a)?.cashBalance ?? null);
    if (b === null) continue;
    total += b;
    known = true;
  }
  return known ? roundCents(total) : null;
}

export function positionView(input: ProjectionInput): PositionSnapshot {
  const { session } = input;
  const scope = scopeOf(input);
  const { mode, account } = scope;
  const base: PositionSnapshot = { loading: session.loading, account, scope: scope.label, mode, open: null, lastTrade: null, now: input.nowMs };
  // The most recently traded open position in scope (one account may hold several contracts).
  const p = session
    .openPositions()
    .filter((x) => scope.accounts.includes(x.account))
    .sort((a, b) => b.lastFillTime - a.lastFillTime)[0];
  if (p) {
    // The view shows the live position minus the engine's bookkeeping fields.
    const { timeInTradeMs: _elapsed, initialRisk: _risk, ...open } = live(input, p);
    base.open = { ...open, account: p.account };
  }
  const last = scope.accounts
    .map((a) => session.lastTrade(mode, a))
    .filter((t) => t !== undefined)
    .sort((a, b) => b.exitTime - a.exitTime)[0];
  if (last) {
    base.lastTrade = { account: last.account, symbol: last.symbol, side: last.side, qty: last.qty, avgEntryPrice: last.avgEntryPrice, avgExitPrice: last.avgExitPrice, netPnl: last.netPnl, exitTime: last.exitTime };
  }
  return base;
}

export function statsView(input: ProjectionInput): StatsSnapshot {
  const { session, selection } = input;
  const { mode, account } = scopeOf(input);
  const filter = { mode, account, timeframe: selection.timeframe, nowMs: clock(input, mode), session: input.tradingSession };
  const grid = session.tradeStats.grid(filter);
  const feed = feedOf(input.connection);
  let emptyReason: string | null = null;
  if (grid.trades === 0) {
    const scope = account ? `${mode} trades on ${account}` : `${mode} trades`;
    const waiting =
      feed === 'demo'
        ? `The demo feed is running: its trades are SIM and appear here as they close.`
        : feed === 'server'
          ? `Connected (or connecting) to Sierra Chart at ${input.connection.host}:${input.connection.port}: trades appear here as they close.`
          : `Connect to Sierra Chart (DTC server on ${input.dtc.host}:${input.dtc.port}) or start the demo feed.`;
    emptyReason =
      session.tradeCount === 0
        ? `No closed trades yet. ${waiting}`
        : `No closed ${scope} in ${selection.timeframe === 'ALL' ? 'the history' : selection.timeframe}. Pick a longer timeframe or switch SIM/LIVE.`;
  }
  return {
    loading: session.loading,
    mode,
    account,
    accounts: accountsOf(input, mode),
    timeframe: selection.timeframe,
    grid,
    equityCurve: session.tradeStats.equityCurve(filter, EQUITY_POINTS),
    daily: session.tradeStats.daily(filter).slice(-DAILY_BARS),
    emptyReason,
    feed,
  };
}

/** Whether a feed is running or on its way, so the empty state never offers to start what already runs. */
function feedOf(c: ProjectionInput['connection']): StatsSnapshot['feed'] {
  if (c.state === 'disconnected' || c.state === 'stopped') return null;
  return c.demo ? 'demo' : 'server';
}

/** The clock the 1D window of a mode uses (the risk guard reads the same day as the views). */
export const accountClock = (input: ProjectionInput, mode: Mode): number => clock(input, mode);

/** Now, or the latest exit if the server's clock runs ahead of ours, so a trade just closed never drops out of 1D. */
function clock(input: ProjectionInput, mode: Mode): number {
  return Math.max(input.nowMs, (input.session.tradeStats.latestExit(mode) ?? 0) + 1);
}

/** Open P&L of the accounts' positions; null when no position's P&L is known. */
export function openPnlOf(input: ProjectionInput, accounts: readonly string[]): number | null {
  const positions = input.session.openPositions().filter((p) => accounts.includes(p.account));
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
