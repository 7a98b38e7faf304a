/**
 * Messages between the extension host and the webviews, with guards. Shared by both sides, so it
 * holds types and pure checks only (no Node, no DOM, no vscode).
 */
import type { Mode } from '../core/trading/types';
import { TIMEFRAMES, type DailyPnl, type EquityPoint, type StatsGrid, type Timeframe } from '../core/stats/types';
import { VIEW_IDS, type SnapshotMap, type ViewId } from '../core/viewModels';

// The view models are defined in core (types flow downward); the webviews import them from here.
export type {
  BalanceSnapshot,
  ClosedTradeRow,
  ConnectionInfo,
  ConnectionState,
  OpenPositionView,
  PositionSnapshot,
  Selection,
  SnapshotMap,
  StatsSnapshot,
  StoreInfo,
  ViewId,
} from '../core/viewModels';
export type { DailyPnl, EquityPoint, Mode, StatsGrid, Timeframe };
export { TIMEFRAMES, VIEW_IDS };

/** Host -> webview. Always a full snapshot, never a delta. */
export type HostMessage = { [V in ViewId]: { type: 'snapshot'; view: V; data: SnapshotMap[V] } }[ViewId];

/** Actions a webview may ask for; the host confirms risky ones itself (modal). */
export const WEBVIEW_COMMANDS = ['resetSimBalance', 'connect', 'disconnect', 'startDemoFeed', 'showLog', 'checkDatabase', 'selectAccount'] as const;
export type WebviewCommand = (typeof WEBVIEW_COMMANDS)[number];

/** Webview -> host. Untrusted: checked by `isWebviewMessage` field by field. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'setTimeframe'; timeframe: Timeframe }
  | { type: 'setMode'; mode: Mode }
  | { type: 'setAccount'; account: string | null }
  | { type: 'command'; command: WebviewCommand };

const TIMEFRAME_SET: ReadonlySet<string> = new Set(TIMEFRAMES);
const VIEW_SET: ReadonlySet<string> = new Set(VIEW_IDS);
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
  return m.type === 'snapshot' && typeof m.view === 'string' && VIEW_SET.has(m.view) && typeof m.data === 'object' && m.data !== null;
}
