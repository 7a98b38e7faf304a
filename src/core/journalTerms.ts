/**
 * The TradeJournal's terms: its options, what it counts (bad input is counted, never silent) and
 * what it tells its listeners.
 */
import type { AlertKind, Alerts } from './alerts';
import type { TradeStore } from './store/types';
import type { ContractSpecs } from './trading';
import type { AssumedStopSettings } from './trading/assumedR';
import type { SimBalanceEvent, Trade } from './trading/types';

export interface JournalCounters {
  messages: number;
  fills: number;
  duplicateFills: number;
  tradesClosed: number;
  errors: number;
  specErrors: number;
  malformedMessages: number;
  /** Fills refused by the trading checks (empty ids, absurd quantity, price or time): never stored. */
  rejectedFills: number;
  missingFills: number;
  commitFailures: number;
}

export interface JournalListener {
  /** A trade is durably stored (after the fsync / transaction). */
  onTradeCommitted?(trade: Trade): void;
  /** A SIM balance event is durably stored. */
  onSimEvent?(event: SimBalanceEvent): void;
  /** Any state the views show changed (positions, balances, accounts, orders). */
  onStateChange?(): void;
  /** Something the user must know: cause and fix in one sentence (also raised in `alerts`). */
  onProblem?(message: string, kind: AlertKind): void;
}

export interface JournalOptions {
  store: TradeStore;
  specs: ContractSpecs;
  simPattern: string;
  startingBalance: number;
  /** Default stop for an assumed R when no protective stop was working (none by default). */
  assumedStop?: AssumedStopSettings | null;
  /** Read-only follower (another process holds the writer lock): track state, never commit. */
  follower?: boolean;
  now?: () => number;
  retryMs?: number;
  /** Where problems are raised and cleared (the session shares one with its own alerts). */
  alerts?: Alerts;
  /**
   * Bulk mode (ingest of a recording): commit units are gathered and stored `bulkChunk` at a time,
   * each chunk one durable write (store.bulkWrite); flush() stores the rest. Acknowledged per chunk.
   */
  bulkChunk?: number;
  /**
   * Fill keys held in memory: those of fills this recent (the DTC fill history a connect replays);
   * an older fill is looked up in the store (an index query) before it is applied. Absent: every
   * key is loaded (issue 12).
   */
  fillKeyWindowMs?: number;
}
