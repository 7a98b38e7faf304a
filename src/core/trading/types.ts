/**
 * The trading domain's records, shared by the engine, the stores, the stats and the views.
 * Times are epoch milliseconds (UTC); money is in account currency.
 */

export type Mode = 'SIM' | 'LIVE';
export type BuySell = 'BUY' | 'SELL';
export type TradeSide = 'LONG' | 'SHORT';

/** One execution, keyed by account + executionId (a fill seen again is ignored). */
export interface Fill {
  account: string;
  executionId: string;
  /** Full contract symbol as the server sends it, e.g. `MESZ5`, `F.US.MESZ25`, `ESZ25-CME`. */
  symbol: string;
  side: BuySell;
  qty: number;
  price: number;
  timeMs: number;
  /** Fee for this fill when the source gives one; otherwise the engine derives it from the spec. */
  fee?: number | null;
  serverOrderId?: string | null;
  /** High/low price during the position, when the server reports them (for MAE/MFE). */
  highDuringPosition?: number | null;
  lowDuringPosition?: number | null;
  /** The server's signed position after this fill, when known (missing-fill detection). */
  positionAfter?: number | null;
  source: 'order_update' | 'historical' | 'ingest' | 'manual' | 'import';
}

/** A closed, flat-to-flat trade (TRADING-MATH.md §2.4). */
export interface Trade {
  /** Deterministic from account + symbol + opening fill (+ flip marker): replays give the same id. */
  id: string;
  account: string;
  mode: Mode;
  symbol: string;
  root: string;
  side: TradeSide;
  qty: number;
  maxPosition: number;
  entryTime: number;
  exitTime: number;
  avgEntryPrice: number;
  avgExitPrice: number;
  grossPnl: number;
  commissions: number;
  netPnl: number;
  mae: number | null;
  mfe: number | null;
  rMultiple: number | null;
  /**
   * R from the user's default stop (TRADING-MATH §3) when no protective stop was working; present
   * only then, and never mixed with `rMultiple` (which stays null for such a trade).
   */
  assumedRMultiple?: number | null;
  fillIds: string[];
}

/** Contract specification for a root (TRADING-MATH.md §1). */
export interface ContractSpec {
  root: string;
  tickSize: number;
  /** Money per 1.0 of price. */
  pointValue: number;
  /** Round-turn fee per contract. */
  roundTurnFee: number;
  source: 'override' | 'server' | 'builtin';
}

/**
 * The open state of one partition (mode, account, symbol), persisted so that a trade survives a
 * restart. Enough to resume the average-cost engine exactly.
 */
export interface OpenPosition {
  account: string;
  mode: Mode;
  symbol: string;
  /** Signed quantity: + long, - short. */
  qty: number;
  avgPrice: number;
  /** Unallocated entry fees. */
  entryFees: number;
  /** Id the trade will get when it closes. */
  tradeId: string;
  side: TradeSide;
  openedQty: number;
  maxPosition: number;
  entryTime: number;
  lastFillTime: number;
  /** Sums for VWAPs. */
  entryNotional: number;
  exitNotional: number;
  exitQty: number;
  grossPnl: number;
  commissions: number;
  highPrice: number | null;
  lowPrice: number | null;
  initialStop: number | null;
  fillIds: string[];
  /** Worst / best open P&L seen on a price stream (money, gross); absent or null without a stream. */
  minOpenPnl?: number | null;
  maxOpenPnl?: number | null;
  /** Set while P&L for this position is blocked (no contract spec when it opened): the message names the symbol and the fix. */
  specError?: string | null;
}

/** SIM balance ledger event (ARCHITECTURE.md: the ledger is the truth, the JSON file a mirror). */
export interface SimBalanceEvent {
  /** Deterministic id: `start:<account>`, `pnl:<tradeId>`, `reset:<account>:<timeMs>`. */
  id: string;
  account: string;
  kind: 'start' | 'pnl' | 'reset';
  /** start/reset: the balance it sets; pnl: the realized net P&L added. */
  amount: number;
  timeMs: number;
  tradeId?: string | null;
  note?: string | null;
}

/** The live position as the Position view draws it (TRADING-MATH.md §6); LivePosition extends it. */
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
