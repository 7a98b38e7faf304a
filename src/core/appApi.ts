/**
 * What the shells (extension, tests) may ask of AppCore. AppCore (src/core/app.ts) implements it;
 * the views depend only on this contract and on src/shared/protocol.ts.
 */
import type { Mode } from './trading/types';
import type { Timeframe } from './stats/types';
import type { ConnectionInfo, SnapshotMap, ViewId } from '../shared/protocol';
import type { AppSettings } from './settings';

export interface StatusBarModel {
  /** e.g. `$(pulse) SIM +$512.50` (codicons allowed). */
  text: string;
  tone: 'profit' | 'loss' | 'flat';
  /** Disconnected or store degraded: the item gets the warning background. */
  warning: boolean;
  /** Markdown: balance, open P&L, trades today, connection, store. */
  tooltip: string;
}

export interface SimResetResult {
  account: string;
  before: number;
  after: number;
}

export interface CheckItem {
  name: string;
  ok: boolean;
  detail: string;
}

export interface AppLogger {
  trace(msg: string): void;
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export interface AppCoreOptions {
  settings: AppSettings;
  /** Folder for the SQLite store, sim_balance.json and the writer lock (globalStorage). */
  storageDir: string;
  /** Path of sql-wasm.wasm (next to the bundle). */
  wasmPath?: string;
  logger: AppLogger;
  /** Secrets come from the shell (SecretStorage in the extension). */
  getSecret(key: 'dtcPassword' | 'postgresPassword'): Promise<string | undefined>;
  now?: () => number;
}

export interface AppCoreApi {
  /** Returns at once; the store loads and the connection starts in the background. */
  start(): void;
  /** Flushes the store and closes connections. */
  dispose(): Promise<void>;
  /** Resolves when the store has loaded (or failed loudly). */
  ready(): Promise<void>;

  snapshot<V extends ViewId>(view: V): SnapshotMap[V];
  /** Called with the views whose data changed (not throttled; the shell throttles). */
  onDidChange(listener: (views: ViewId[]) => void): () => void;
  statusBar(): StatusBarModel;
  /** The connection alone (cheap: no snapshot is built), for context keys. */
  connectionInfo(): ConnectionInfo;

  setTimeframe(tf: Timeframe): void;
  setMode(mode: Mode): void;
  setAccount(account: string | null): void;

  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Starts the built-in simulator on a free loopback port and connects to it. */
  startDemoFeed(options?: { seed?: number; speed?: number; scenario?: string }): Promise<{ port: number }>;
  stopDemoFeed(): Promise<void>;

  /** The SIM account a reset would apply to, and its balance now (for the modal text). */
  simResetPreview(account?: string): { account: string; balance: number; startingBalance: number } | null;
  resetSimBalance(account?: string): Promise<SimResetResult>;

  checkDatabase(): Promise<CheckItem[]>;
  initDatabase(): Promise<string>;
  databaseHealth(): Promise<{ ok: boolean; detail: string }>;
  persistenceReport(): Promise<string>;
  exportTrades(format: 'csv' | 'json', mode?: Mode): Promise<string>;

  /** Applies new settings; `changed` lists dotted keys (e.g. 'dtc.port') so unrelated edits keep the connection. */
  updateSettings(settings: AppSettings, changed: string[]): Promise<void>;
}
