/**
 * What the views draw: the view models the projections build from a session's state. Defined in
 * core (types flow downward); src/shared/protocol.ts re-exports them for the webviews.
 */
import type { ConnectionState } from './dtc/state';
import type { DailyPnl, EquityPoint, StatsGrid, Timeframe } from './stats/types';
import type { Mode, OpenPositionView, TradeSide } from './trading/types';
import type { AccountRisk } from './risk/guard';

export type { AccountRisk, ConnectionState, OpenPositionView, Timeframe };

export type ViewId = 'balance' | 'position' | 'stats';
export const VIEW_IDS: readonly ViewId[] = ['balance', 'position', 'stats'];

/**
 * Which account the views show: one account, or every account of a mode (`account: null`).
 * The shell owns it (src/views/selection.ts persists it per workspace); projections read it.
 */
export interface Selection {
  mode: Mode;
  /** One account, or null for all accounts of `mode`. */
  account: string | null;
  timeframe: Timeframe;
}

export const DEFAULT_SELECTION: Readonly<Selection> = { mode: 'SIM', account: null, timeframe: '1D' };

export interface ConnectionInfo {
  state: ConnectionState;
  host: string;
  port: number;
  serverName: string | null;
  /** Last error in plain words (cause + fix), or null. */
  lastError: string | null;
  /** When the next reconnect attempt is due, epoch ms, or null. */
  nextRetryAt: number | null;
  demo: boolean;
}

export interface StoreInfo {
  /** e.g. `sqlite:/…/appsierra.db` or `postgres://user@host:5432/db` (never a password). */
  description: string;
  state: 'loading' | 'primary' | 'outbox' | 'readonly' | 'failed';
  outboxPending: number;
  /** Commits kept in memory because the store refused them (retried until they land). */
  pendingCommits: number;
  detail: string;
}

export interface BalanceSnapshot {
  loading: boolean;
  mode: Mode;
  /** The account shown, or null for all accounts of the mode (the figures are their sums). */
  account: string | null;
  /** Whose figures these are, in words: `Sim1` or `All SIM`. */
  scope: string;
  accounts: string[];
  /** SIM: ledger balance; LIVE: server cash balance; null when unknown. */
  balance: number | null;
  openPnl: number | null;
  equity: number | null;
  /** Net P&L of trades closed in the current trading session (+ nothing open). */
  dailyPnl: number;
  tradesToday: number;
  startingBalance: number;
  lastReset: number | null;
  connection: ConnectionInfo;
  store: StoreInfo;
  /** Problems the user must see (unknown contract spec, missing fill, store failure). */
  alerts: string[];
  /** The risk guard per account in scope that has a limit (empty: none set). */
  risk: AccountRisk[];
}

export interface ClosedTradeRow {
  account: string;
  symbol: string;
  side: TradeSide;
  qty: number;
  avgEntryPrice: number;
  avgExitPrice: number;
  netPnl: number;
  exitTime: number;
}

export interface PositionSnapshot {
  loading: boolean;
  /** The selected account, or null for all accounts of the mode. */
  account: string | null;
  /** Whose position this is, in words: `Sim1` or `All SIM`. */
  scope: string;
  mode: Mode;
  /** The most recently traded open position in scope, or null when flat. specError is set when P&L is blocked (unknown contract spec). */
  open: null | (OpenPositionView & { account: string });
  lastTrade: ClosedTradeRow | null;
  /** Host clock when the snapshot was made, so the webview can tick "time in trade". */
  now: number;
}

export interface StatsSnapshot {
  loading: boolean;
  mode: Mode;
  account: string | null;
  accounts: string[];
  timeframe: Timeframe;
  grid: StatsGrid;
  equityCurve: EquityPoint[];
  daily: DailyPnl[];
  /** Why the grid is empty, in words, or null. */
  emptyReason: string | null;
  /** What feeds trades now: the demo feed, a server (connected or on its way), or nothing (then the empty state offers both). */
  feed: 'demo' | 'server' | null;
}

export interface SnapshotMap {
  balance: BalanceSnapshot;
  position: PositionSnapshot;
  stats: StatsSnapshot;
}
