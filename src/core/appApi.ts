/**
 * What the shells (extension, tests) may ask of AppCore. AppCore (src/core/app.ts) implements it;
 * the views depend only on this contract and on the view models (src/core/viewModels.ts).
 */
import type { Mode } from './trading/types';
import type { ConnectionInfo, Selection, SnapshotMap, ViewId } from './viewModels';
import type { JournalModel } from './reports/journalModel';
import type { AppSettings, ChangedKey, SecretKey } from './settings';
import type { DemoFeedOptions } from './connection';
import type { StoreCommands } from './diagnostics/storeCommands';
import type { SessionBulk } from './import/sessionBulk';
import type { AccountRisk, RiskNotice } from './risk';

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
  getSecret(key: SecretKey): Promise<string | undefined>;
  now?: () => number;
}

export interface AppCoreApi {
  /** The journal's trade index (Trades, Calendar, Reports, day notes), built on first use. */
  readonly journal: JournalModel;
  /** Returns at once; the store loads and the connection starts in the background. */
  start(): void;
  /** Flushes the store and closes connections. */
  dispose(): Promise<void>;
  /** Resolves when the store has loaded (or failed loudly). */
  ready(): Promise<void>;

  /** A view's model for a selection (the shell owns the selection; default: all SIM accounts, 1D). */
  snapshot<V extends ViewId>(view: V, selection?: Selection): SnapshotMap[V];
  /** Called with the views whose data changed, at most once per tick (events of one tick are coalesced; the shell renders at once). */
  onDidChange(listener: (views: ViewId[]) => void): () => void;
  /** The store in use, in words (a masked URL: never a password). */
  storeDescription(): string;
  /** The connection alone (cheap: no snapshot is built), for context keys. */
  connectionInfo(): ConnectionInfo;
  /** Every known account, in natural order, with its mode (for pickers). */
  accounts(): { account: string; mode: Mode }[];

  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Starts the built-in simulator on a free loopback port and connects to it. */
  startDemoFeed(options?: DemoFeedOptions): Promise<{ port: number }>;
  stopDemoFeed(): Promise<void>;

  /** The SIM account a reset would apply to (`account` if it is SIM, else the first SIM account) and its balance now. */
  simResetPreview(account?: string | null): { account: string; balance: number; startingBalance: number } | null;
  resetSimBalance(account?: string | null): Promise<SimResetResult>;

  /** Check, init, health, persistence report and export of the configured store (after it loaded). */
  readonly database: StoreCommands;
  /** Import, undo and rebuild on the current session, once the store has loaded; the views reload after each. */
  history(): Promise<SessionBulk>;

  /** The risk guard's status now: every account with a limit set, or one account. */
  riskStatus(account?: string | null): AccountRisk[];
  /** A risk threshold (50 %, 80 %, breach, a tilt rule) crossed for the first time this session. */
  onRiskNotice(listener: (n: RiskNotice) => void): () => void;

  /** Applies new settings; `changed` lists dotted keys (e.g. 'dtc.port') so unrelated edits keep the connection. */
  updateSettings(settings: AppSettings, changed: readonly ChangedKey[]): Promise<void>;
}
