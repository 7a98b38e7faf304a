/**
 * The TradeEngine's terms: what it is told of working orders and the server's positions, what one
 * fill gives back, what it counts, and the working orders of a position as the views show them.
 */
import type { FillProblem } from './fillBounds';
import type { BuySell, Mode, OpenPosition, Trade } from './types';

export type WorkingOrderType = 'STOP' | 'STOP_LIMIT' | 'LIMIT' | 'MARKET' | 'OTHER';

export interface WorkingOrderObservation {
  account: string;
  symbol: string;
  serverOrderId: string;
  orderType: WorkingOrderType;
  side: BuySell;
  price: number | null;
  /** true while the order works (open, pending cancel/replace); false once filled, canceled, rejected. */
  open: boolean;
  timeMs: number;
  /** Set after a cancel/replace that gave the order a new id: the old id stops working. */
  previousServerOrderId?: string | null;
  /** The order this one is a bracket/OCO child of (DTC ParentServerOrderID), when the server says. */
  parentServerOrderId?: string | null;
}



export interface ServerPositionObservation {
  account: string;
  symbol: string;
  /** Signed: + long, - short, 0 flat. */
  qty: number;
  avgPrice?: number | null;
  openPnl?: number | null;
  high?: number | null;
  low?: number | null;
  timeMs: number;
}

export interface MissingFillFlag {
  account: string;
  symbol: string;
  mode: Mode;
  ourQty: number;
  serverQty: number;
  timeMs: number;
  message: string;
}

export interface FillOutcome {
  duplicate: boolean;
  /** Trades closed by this fill: 0 or 1; a flip closes one and opens the next (in `position`). */
  trades: Trade[];
  /** The partition's state after the fill; null when flat. */
  position: OpenPosition | null;
  positionKey: { account: string; symbol: string };
  mode: Mode;
  /** Fee charged for this fill (from the fill, else roundTurnFee / 2 x qty; 0 when no spec). */
  fee: number;
  /** Cause + fix when the fill could not be fully used (unknown spec, malformed fill), else null. */
  error: string | null;
  /** Set when the fill was refused (malformed or outside sane bounds): nothing changed, store nothing. */
  rejected: FillProblem | null;
  /** Set when the fill carried the server's position and it disagrees with ours. */
  missingFill: MissingFillFlag | null;
}

export interface EngineCounters {
  fills: number;
  duplicates: number;
  tradesClosed: number;
  /** Fills applied to a partition whose P&L is blocked by a missing contract spec. */
  specErrors: number;
  missingFills: number;
  /** Flags cleared because the fill that was in flight arrived (POSITION_UPDATE came first). */
  missingFillsResolved: number;
  /** Malformed fills refused (bad quantity, price, side, empty ids). */
  rejected: number;
  outOfOrder: number;
}

export interface WorkingOrdersView {
  /** Current protective stop / profit target for the open position (opposite side), else null. */
  stop: number | null;
  target: number | null;
  orders: WorkingOrderObservation[];
}
