import type { Fill, Mode, OpenPosition, SimBalanceEvent, Trade } from '../trading/types';

/**
 * One durable unit: a fill, the trades it closed, the open position it left (or a delete when it
 * left the partition flat) and the SIM balance events it caused. A store acknowledges (resolves
 * `commit`) only once the unit would survive a crash. Committing the same fill twice adds nothing.
 */
export interface CommitUnit {
  fill: Fill;
  trades: Trade[];
  /** Position state after the fill; `null` with `positionKey` set means the partition is flat. */
  position: OpenPosition | null;
  positionKey: { account: string; symbol: string };
  simEvents: SimBalanceEvent[];
}

export interface TradeQuery {
  mode?: Mode;
  account?: string;
  /** Exit time bounds, epoch ms, inclusive from, exclusive to. */
  fromMs?: number;
  toMs?: number;
}

export interface StoreHealth {
  ok: boolean;
  /** Human description of the store in use, password masked, e.g. `sqlite:/path/appsierra.db`. */
  store: string;
  kind: 'sqlite' | 'postgres' | 'resilient';
  schemaVersion: number | null;
  detail: string;
  /** Commits waiting in the local outbox (PostgreSQL down); 0 for plain stores. */
  outboxPending: number;
  /** 'primary' | 'outbox' (degraded) | 'readonly' (another process holds the writer lock). */
  state: 'primary' | 'outbox' | 'readonly' | 'failed';
  lockHolder?: string | null;
}

export interface TradeStore {
  open(): Promise<void>;
  close(): Promise<void>;
  /** Durable and idempotent; resolves after the unit is safe. Returns false if the fill was known. */
  commit(unit: CommitUnit): Promise<boolean>;
  hasFill(account: string, executionId: string): Promise<boolean>;
  /** All known fill keys (`account\u0000executionId`), for the engine's duplicate filter. */
  fillKeys(): Promise<Set<string>>;
  trades(query?: TradeQuery): Promise<Trade[]>;
  openPositions(): Promise<OpenPosition[]>;
  appendSimEvent(event: SimBalanceEvent): Promise<void>;
  simEvents(account?: string): Promise<SimBalanceEvent[]>;
  schemaVersion(): Promise<number>;
  health(): Promise<StoreHealth>;
  /** Human description, password masked. */
  describe(): string;
}
