/**
 * Messages between the extension host and the webviews, with guards. Shared by both sides, so it
 * holds types and pure checks only (no Node, no DOM, no vscode).
 */
import type { Mode, TradeSide } from '../core/trading/types';
import type { DailyPnl, EquityPoint, StatsGrid, Timeframe } from '../core/stats/types';

/** The live position as the Position view draws it (TRADING-MATH.md §6); the engine's LivePosition extends it. */
export interface OpenPositionView {
  symbol: string;
  side: TradeSide;
  /** Open quantity, unsigned. */
  qty: number;
  /** Average cost of the open quantity. */
  avgPrice: number;
  markPrice: number | null;
  openPnl: number | null;
  /** Money at risk to the current stop, >= 0; null without a stop. */
  heat: number | null;
  entryTime: number;
  stop: number | null;
  target: number | null;
  liveR: number | null;
  mae: number | null;
  mfe: number | null;
  /** Set when P&L is blocked (unknown contract spec): names the symbol and the fix. */
  specError: string | null;
}

export type ViewId = 'balance' | 'position' | 'stats';

export type ConnectionState =
  | 'disconnected'
  | 'connecting'
  | 'negotiating'
  | 'logging-on'
  | 'connected'
  | 'reconnecting'
  | 'stopped';

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
  detail: string;
}

export interface BalanceSnapshot {
  loading: boolean;
  mode: Mode;
  account: string | null;
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
}

export interface ClosedTradeRow {
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
  account: string | null;
  mode: Mode;
  /** null when flat. specError is set when P&L is blocked (unknown contract spec). */
  open: null | OpenPositionView;

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
}

export interface SnapshotMap {
  balance: BalanceSnapshot;
  position: PositionSnapshot;
  stats: StatsSnapshot;
}

/** Host -> webview. Always a full snapshot, never a delta. */
export type HostMessage = { [V in ViewId]: { type: 'snapshot'; view: V; data: SnapshotMap[V] } }[ViewId];

/** Actions a webview may ask for; the host confirms risky ones itself (modal). */
export const WEBVIEW_COMMANDS = ['resetSimBalance', 'connect', 'disconnect', 'startDemoFeed', 'showLog', 'checkDatabase'] as const;
export type WebviewCommand = (typeof WEBVIEW_COMMANDS)[number];

/** Webview -> host. Untrusted: checked by `isWebviewMessage` field by field. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'setTimeframe'; timeframe: Timeframe }
  | { type: 'setMode'; mode: Mode }
  | { type: 'setAccount'; account: string | null }
  | { type: 'command'; command: WebviewCommand };

const TIMEFRAME_SET: ReadonlySet<string> = new Set(['1D', '1W', '1M', '3M', 'YTD', 'ALL']);
const COMMAND_SET: ReadonlySet<string> = new Set(WEBVIEW_COMMANDS);

export function isWebviewMessage(value: unknown): value is WebviewMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  const keys = Object.keys(m);
  switch (m.type) {
    case 'ready':
      return keys.length === 1;
    case 'setTimeframe':
      return keys.length === 2 && typeof m.timeframe === 'string' && TIMEFRAME_SET.has(m.timeframe);
    case 'setMode':
      return keys.length === 2 && (m.mode === 'SIM' || m.mode === 'LIVE');
    case 'setAccount':
      return keys.length === 2 && (m.account === null || (typeof m.account === 'string' && m.account.length > 0 && m.account.length <= 64));
    case 'command':
      return keys.length === 2 && typeof m.command === 'string' && COMMAND_SET.has(m.command);
    default:
      return false;
  }
}

export function isHostMessage(value: unknown): value is HostMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return m.type === 'snapshot' && (m.view === 'balance' || m.view === 'position' || m.view === 'stats') && typeof m.data === 'object' && m.data !== null;
}
