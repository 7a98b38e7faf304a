/**
 * DTC messages -> domain records. Input messages use the protocol's field names (PROTOCOL.md §8),
 * with unset sentinels already null and time fields already epoch ms (the DTC layer's
 * normalizeTimes). Each function returns the record, null when the message carries nothing for
 * it (e.g. NoPositions=1, a non-fill order update), or a DtcProblem naming what is wrong.
 */
import type { DtcMessage } from '../dtc';
import { MessageType } from '../dtc/messageTypes';
import { BuySellEnum, OrderStatusEnum, OrderTypeEnum, OrderUpdateReasonEnum, WORKING_ORDER_STATUSES } from './dtcEnums';
import type { ServerPositionObservation, WorkingOrderObservation, WorkingOrderType } from './engine';
import type { BuySell, Fill } from './types';
import type { ServerLimits } from '../risk/limits';

export type { DtcMessage };

/** A message that should have carried a record but could not be used; counted by the caller. */
export interface DtcProblem {
  kind: 'dtc-problem';
  messageType: number;
  message: string;
}

export function isDtcProblem(v: unknown): v is DtcProblem {
  return typeof v === 'object' && v !== null && (v as DtcProblem).kind === 'dtc-problem';
}

export interface AccountBalance {
  account: string;
  cashBalance: number | null;
  balanceAvailable: number | null;
  openPnl: number | null;
  dailyPnl: number | null;
  currency: string | null;
  timeMs: number | null;
  /** The account's limits as the server sends them (risk guard); null when it sends none. */
  limits?: ServerLimits | null;
}

export interface SecurityDefinition {
  symbol: string;
  minPriceIncrement: number;
  currencyValuePerIncrement: number;
  description: string | null;
}

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const flag = (v: unknown): boolean => v === 1 || v === true;
/** High/low during position: 0 is what an unset field decodes to, never a real extreme. */
const extreme = (v: unknown): number | null => (num(v) === 0 ? null : num(v));

function buySell(v: unknown): BuySell | null {
  if (v === BuySellEnum.BUY) return 'BUY';
  if (v === BuySellEnum.SELL) return 'SELL';
  return null;
}

function problem(msg: DtcMessage, what: string): DtcProblem {
  return { kind: 'dtc-problem', messageType: msg.Type, message: `${MessageType[msg.Type] ?? `DTC message ${msg.Type}`} ignored: ${what}` };
}

function wrongType(msg: DtcMessage, expected: MessageType): DtcProblem | null {
  return msg.Type === expected ? null : problem(msg, `expected ${MessageType[expected]}; this is a programming error in the caller.`);
}

/** Describes the missing fields of a would-be fill, naming the execution id when there is one. */
function fillProblem(msg: DtcMessage, execId: string, account: string, symbol: string, missing: string[]): DtcProblem {
  const who = `fill ${execId ? JSON.stringify(execId) : '(no execution id)'} for ${account || '(no account)'} ${symbol || '(no symbol)'}`;
  return problem(msg, `${who} lacks ${missing.join(', ')}; it cannot be turned into a trade. Request historical fills for the account to recover it.`);
}

/** Where each fill field lives in the message (the two fill-carrying messages name them differently). */
interface FillFields {
  executionId: string;
  price: string;
  qty: string;
  /** The fill's own time first, then fall-backs. */
  time: string[];
}

/** Builds a Fill from the named fields, or a problem value naming every missing one. */
function fillFrom(msg: DtcMessage, f: FillFields, rest: Pick<Fill, 'highDuringPosition' | 'lowDuringPosition' | 'positionAfter' | 'source'>): Fill | DtcProblem {
  const executionId = str(msg[f.executionId]);
  const account = str(msg.TradeAccount);
  const symbol = str(msg.Symbol);
  const side = buySell(msg.BuySell);
  const price = num(msg[f.price]);
  const qty = num(msg[f.qty]);
  const timeMs = f.time.map((t) => num(msg[t])).find((t) => t !== null) ?? null;
  const missing: string[] = [];
  if (!executionId) missing.push(f.executionId);
  if (!account) missing.push('TradeAccount');
  if (!symbol) missing.push('Symbol');
  if (!side) missing.push('BuySell (1 or 2)');
  if (price === null) missing.push(f.price);
  if (qty === null || qty <= 0) missing.push(`${f.qty} (> 0)`);
  if (timeMs === null) missing.push(f.time[0]);
  if (missing.length) return fillProblem(msg, executionId, account, symbol, missing);
  return {
    account,
    executionId,
    symbol,
    side: side!,
    qty: qty!,
    price: price!,
    timeMs: timeMs!,
    fee: null,
    serverOrderId: str(msg.ServerOrderID) || null,
    ...rest,
  };
}

/** ORDER_UPDATE with OrderUpdateReason ORDER_FILLED / ORDER_FILLED_PARTIALLY -> one Fill. */
export function fillFromOrderUpdate(msg: DtcMessage): Fill | null | DtcProblem {
  const wrong = wrongType(msg, MessageType.ORDER_UPDATE);
  if (wrong) return wrong;
  if (flag(msg.NoOrders)) return null;
  const reason = msg.OrderUpdateReason;
  if (reason !== OrderUpdateReasonEnum.ORDER_FILLED && reason !== OrderUpdateReasonEnum.ORDER_FILLED_PARTIALLY) return null;
  // LastFillDateTime is the fill's own time; LatestTransactionDateTime is the next best.
  return fillFrom(
    msg,
    { executionId: 'LastFillExecutionID', price: 'LastFillPrice', qty: 'LastFillQuantity', time: ['LastFillDateTime', 'LatestTransactionDateTime'] },
    { highDuringPosition: null, lowDuringPosition: null, positionAfter: null, source: 'order_update' },
  );
}

/** HISTORICAL_ORDER_FILL_RESPONSE -> one Fill; NoOrderFills=1 -> null. */
export function fillFromHistoricalFill(msg: DtcMessage): Fill | null | DtcProblem {
  const wrong = wrongType(msg, MessageType.HISTORICAL_ORDER_FILL_RESPONSE);
  if (wrong) return wrong;
  if (flag(msg.NoOrderFills)) return null;
  return fillFrom(
    msg,
    { executionId: 'UniqueExecutionID', price: 'Price', qty: 'Quantity', time: ['DateTime'] },
    {
      highDuringPosition: extreme(msg.HighPriceDuringPosition),
      lowDuringPosition: extreme(msg.LowPriceDuringPosition),
      positionAfter: num(msg.PositionQuantity),
      source: 'historical',
    },
  );
}

function orderType(v: unknown): WorkingOrderType {
  switch (v) {
    case OrderTypeEnum.MARKET:
      return 'MARKET';
    case OrderTypeEnum.LIMIT:
      return 'LIMIT';
    case OrderTypeEnum.STOP:
      return 'STOP';
    case OrderTypeEnum.STOP_LIMIT:
      return 'STOP_LIMIT';
    default:
      return 'OTHER';
  }
}

/**
 * Any ORDER_UPDATE -> the order's working state (stops and targets for R and the panel).
 * `nowMs` dates the observation when the message has no transaction time.
 */
export function workingOrderFromOrderUpdate(msg: DtcMessage, nowMs: number = Date.now()): WorkingOrderObservation | null | DtcProblem {
  const wrong = wrongType(msg, MessageType.ORDER_UPDATE);
  if (wrong) return wrong;
  if (flag(msg.NoOrders)) return null;
  // Rejects describe a failed request, not an order's state, and carry only a few fields (PROTOCOL.md §8).
  const reason = msg.OrderUpdateReason;
  if (
    reason === OrderUpdateReasonEnum.NEW_ORDER_REJECTED ||
    reason === OrderUpdateReasonEnum.ORDER_CANCEL_REJECTED ||
    reason === OrderUpdateReasonEnum.ORDER_CANCEL_REPLACE_REJECTED ||
    msg.OrderStatus === OrderStatusEnum.REJECTED
  )
    return null;
  const serverOrderId = str(msg.ServerOrderID);
  const account = str(msg.TradeAccount);
  const symbol = str(msg.Symbol);
  const side = buySell(msg.BuySell);
  const missing: string[] = [];
  if (!serverOrderId) missing.push('ServerOrderID');
  if (!account) missing.push('TradeAccount');
  if (!symbol) missing.push('Symbol');
  if (!side) missing.push('BuySell (1 or 2)');
  if (missing.length) return problem(msg, `order update lacks ${missing.join(', ')}; working stops and targets may be out of date until the next open-orders request.`);
  const type = orderType(msg.OrderType);
  const status = typeof msg.OrderStatus === 'number' ? msg.OrderStatus : -1;
  // Price1 is the limit price of a LIMIT and the trigger of a STOP / STOP_LIMIT.
  const price = type === 'MARKET' ? null : num(msg.Price1);
  const previous = str(msg.PreviousServerOrderID);
  const out: WorkingOrderObservation = {
    account,
    symbol,
    serverOrderId,
    orderType: type,
    side: side!,
    price,
    open: WORKING_ORDER_STATUSES.has(status),
    timeMs: num(msg.LatestTransactionDateTime) ?? num(msg.LastFillDateTime) ?? nowMs,
  };
  if (previous && previous !== serverOrderId) out.previousServerOrderId = previous;
  const parent = str(msg.ParentServerOrderID);
  if (parent && parent !== serverOrderId) out.parentServerOrderId = parent;
  return out;
}

/** POSITION_UPDATE -> the server's view of one position; NoPositions=1 -> null. Quantity 0 = flat. */
export function serverPositionFromUpdate(msg: DtcMessage, nowMs: number = Date.now()): ServerPositionObservation | null | DtcProblem {
  const wrong = wrongType(msg, MessageType.POSITION_UPDATE);
  if (wrong) return wrong;
  if (flag(msg.NoPositions)) return null;
  const account = str(msg.TradeAccount);
  const symbol = str(msg.Symbol);
  const qty = num(msg.Quantity);
  const missing: string[] = [];
  if (!account) missing.push('TradeAccount');
  if (!symbol) missing.push('Symbol');
  if (qty === null) missing.push('Quantity');
  if (missing.length) return problem(msg, `position update lacks ${missing.join(', ')}; missing-fill checks skip it.`);
  const flat = qty === 0;
  return {
    account,
    symbol,
    qty: qty!,
    // A flat row's price fields are leftovers of the last position: not shown.
    avgPrice: flat ? null : num(msg.AveragePrice),
    openPnl: flat ? null : num(msg.OpenProfitLoss),
    high: flat ? null : extreme(msg.HighPriceDuringPosition),
    low: flat ? null : extreme(msg.LowPriceDuringPosition),
    timeMs: nowMs,
  };
}

/** ACCOUNT_BALANCE_UPDATE -> balance figures; NoAccountBalances=1 -> null. */
export function balanceFromUpdate(msg: DtcMessage): AccountBalance | null | DtcProblem {
  const wrong = wrongType(msg, MessageType.ACCOUNT_BALANCE_UPDATE);
  if (wrong) return wrong;
  if (flag(msg.NoAccountBalances)) return null;
  const account = str(msg.TradeAccount);
  if (!account) return problem(msg, 'balance update lacks TradeAccount; it cannot be attributed to an account.');
  return {
    account,
    cashBalance: num(msg.CashBalance),
    balanceAvailable: num(msg.BalanceAvailableForNewPositions),
    openPnl: num(msg.OpenPositionsProfitLoss),
    dailyPnl: num(msg.DailyProfitLoss),
    currency: str(msg.AccountCurrency) || null,
    timeMs: num(msg.TransactionDateTime),
    limits: serverLimits(msg),
  };
}

/** DailyNetLossLimit / TrailingAccountValueToLimitPositions: 0 and unset mean "no limit" (Sierra sends 0 for accounts without one). */
function serverLimits(msg: DtcMessage): ServerLimits | null {
  const loss = num(msg.DailyNetLossLimit);
  const floor = num(msg.TrailingAccountValueToLimitPositions);
  const reached = flag(msg.DailyNetLossLimitReached);
  if (!loss && !floor && !reached) return null;
  return { dailyNetLossLimit: loss ? Math.abs(loss) : null, trailingAccountValueToLimitPositions: floor || null, dailyNetLossLimitReached: reached };
}

/**
 * SECURITY_DEFINITION_RESPONSE -> tick size and tick value. The binary fields are float32, so
 * 0.1 arrives as 0.10000000149…; values are trimmed to 7 significant digits (float32 precision).
 */
export function specFromSecurityDefinition(msg: DtcMessage): SecurityDefinition | null | DtcProblem {
  const wrong = wrongType(msg, MessageType.SECURITY_DEFINITION_RESPONSE);
  if (wrong) return wrong;
  const symbol = str(msg.Symbol);
  const mpi = num(msg.MinPriceIncrement);
  const cvpi = num(msg.CurrencyValuePerIncrement);
  if (!symbol) return problem(msg, 'security definition lacks Symbol.');
  if (mpi === null || mpi <= 0 || cvpi === null || cvpi <= 0) {
    return problem(msg, `security definition for ${symbol} has MinPriceIncrement ${mpi} and CurrencyValuePerIncrement ${cvpi}; both must be positive. Add a spec with appsierra.contractSpecs or --specs FILE.`);
  }
  return { symbol, minPriceIncrement: f32(mpi), currencyValuePerIncrement: f32(cvpi), description: str(msg.Description) || null };
}

function f32(x: number): number {
  return Number(x.toPrecision(7));
}
