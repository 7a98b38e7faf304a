/**
 * DTC enum values the trading domain reads (PROTOCOL.md §5). The one place they are written;
 * message numbers live in ../dtc/messageTypes.ts.
 */
export const BuySellEnum = { UNSET: 0, BUY: 1, SELL: 2 } as const;

export const OrderTypeEnum = {
  UNSET: 0,
  MARKET: 1,
  LIMIT: 2,
  STOP: 3,
  STOP_LIMIT: 4,
  MARKET_IF_TOUCHED: 5,
  LIMIT_IF_TOUCHED: 6,
  MARKET_LIMIT: 7,
} as const;

export const OrderStatusEnum = {
  UNSPECIFIED: 0,
  ORDER_SENT: 1,
  PENDING_OPEN: 2,
  PENDING_CHILD: 3,
  OPEN: 4,
  PENDING_CANCEL_REPLACE: 5,
  PENDING_CANCEL: 6,
  FILLED: 7,
  CANCELED: 8,
  REJECTED: 9,
  PARTIALLY_FILLED: 10,
} as const;

export const OrderUpdateReasonEnum = {
  UNSET: 0,
  OPEN_ORDERS_REQUEST_RESPONSE: 1,
  NEW_ORDER_ACCEPTED: 2,
  GENERAL_ORDER_UPDATE: 3,
  ORDER_FILLED: 4,
  ORDER_FILLED_PARTIALLY: 5,
  ORDER_CANCELED: 6,
  ORDER_CANCEL_REPLACE_COMPLETE: 7,
  NEW_ORDER_REJECTED: 8,
  ORDER_CANCEL_REJECTED: 9,
  ORDER_CANCEL_REPLACE_REJECTED: 10,
} as const;

/**
 * Statuses in which an order is working at the exchange (it can still fill). PENDING_CHILD is
 * not: a bracket child waits for its parent, and only becomes OPEN after the entry fills.
 */
export const WORKING_ORDER_STATUSES: ReadonlySet<number> = new Set([
  OrderStatusEnum.PENDING_OPEN,
  OrderStatusEnum.OPEN,
  OrderStatusEnum.PENDING_CANCEL_REPLACE,
  OrderStatusEnum.PENDING_CANCEL,
  OrderStatusEnum.PARTIALLY_FILLED,
]);
