/**
 * The simulator's trading book: accounts, orders, fills, positions and balances, kept consistent
 * the way Sierra Chart's trade simulation does (average-price positions, realized P&L into the
 * cash balance). Every change is pushed as the DTC messages a real server sends unsolicited;
 * requests are answered from the same state.
 */
import type { DtcMessage } from './codec';
import { MessageType } from './messageTypes';

export interface SimContract {
  root: string;
  symbol: string;
  description: string;
  tick: number;
  tickValue: number;
  startPrice: number;
}

/** Front-month symbols in CME short form; specs per PROTOCOL/TRADING-MATH (tick, $ per tick). */
export const SIM_CONTRACTS: readonly SimContract[] = [
  { root: 'ES', symbol: 'ESZ25', description: 'E-mini S&P 500', tick: 0.25, tickValue: 12.5, startPrice: 5000 },
  { root: 'MES', symbol: 'MESZ25', description: 'Micro E-mini S&P 500', tick: 0.25, tickValue: 1.25, startPrice: 5000 },
  { root: 'NQ', symbol: 'NQZ25', description: 'E-mini Nasdaq-100', tick: 0.25, tickValue: 5, startPrice: 17500 },
  { root: 'MNQ', symbol: 'MNQZ25', description: 'Micro E-mini Nasdaq-100', tick: 0.25, tickValue: 0.5, startPrice: 17500 },
  { root: 'CL', symbol: 'CLF26', description: 'Crude Oil', tick: 0.01, tickValue: 10, startPrice: 75 },
  { root: 'GC', symbol: 'GCG26', description: 'Gold', tick: 0.1, tickValue: 10, startPrice: 2000 },
];

/** Contract for a symbol in any usual Sierra form (ESZ25, ESZ5, ESZ2025-CME, F.US.MESZ25), or undefined. */
export function contractFor(symbol: string): SimContract | undefined {
  const s = symbol.toUpperCase().replace(/^F\.US\./, '');
  const m = /^([A-Z0-9]+?)[FGHJKMNQUVXZ]\d{1,4}(?:[.-][A-Z]+)?$/.exec(s);
  const root = m ? m[1] : s;
  return SIM_CONTRACTS.find((c) => c.root === root);
}

export const BUY = 1;
export const SELL = 2;
const ORDER_TYPE = { MARKET: 1, LIMIT: 2, STOP: 3 } as const;
const STATUS = { OPEN: 4, FILLED: 7, CANCELED: 8, PARTIALLY_FILLED: 10 } as const;
const REASON = { OPEN_ORDERS_REQUEST_RESPONSE: 1, NEW_ORDER_ACCEPTED: 2, ORDER_FILLED: 4, ORDER_FILLED_PARTIALLY: 5, ORDER_CANCELED: 6 } as const;

export interface SimOrder {
  serverOrderId: string;
  clientOrderId: string;
  account: string;
  symbol: string;
  type: number;
  side: number;
  price1: number | null;
  qty: number;
  filled: number;
  avgFill: number | null;
  status: number;
  receivedSec: number;
  lastFill: { price: number; qty: number; ms: number; execId: string } | null;
  /** Bracket role, for the scenario. */
  role?: 'stop' | 'target';
}

interface SimPosition {
  qty: number;
  avg: number;
  entrySec: number;
  high: number;
  low: number;
}

interface SimFill {
  account: string;
  symbol: string;
  serverOrderId: string;
  side: number;
  price: number;
  qty: number;
  sec: number;
  execId: string;
  openClose: number;
  positionQty: number;
  high: number;
  low: number;
}

/**
 * Limits the simulated server sends in ACCOUNT_BALANCE_UPDATE, as a prop-firm account's server does
 * (the risk guard's end-to-end tests): a daily net loss limit, and a trailing drawdown the server
 * computes itself (TrailingAccountValueToLimitPositions = highest cash balance - amount).
 */
export interface SimLimits {
  dailyNetLossLimit?: number;
  trailingDrawdown?: number;
  /** Accounts that have the limits (default: every account). */
  accounts?: string[];
}

interface SimAccount {
  name: string;
  cash: number;
  /** Highest cash balance (the simulated server's trailing high-water mark). */
  peakCash: number;
  dailyPnl: number;
  positions: Map<string, SimPosition>;
  lastActivityMs: number;
}

export class SimBook {
  readonly accounts = new Map<string, SimAccount>();
  readonly orders = new Map<string, SimOrder>();
  private readonly fills: SimFill[] = [];
  private readonly marks = new Map<string, number>();
  private orderSeq = 1000;
  private execSeq = 0;
  private txSeq = 0;
  /** Limits sent with balances (null: none, like a plain Sierra Chart account). */
  limits: SimLimits | null = null;
  /** Unsolicited messages go here (the simulator broadcasts them); null while seeding history. */
  emit: ((msg: DtcMessage) => void) | null = null;

  constructor(accounts: readonly { name: string; cash: number }[], private readonly now: () => number = Date.now, private runTag = 'S') {
    for (const a of accounts) this.accounts.set(a.name, { name: a.name, cash: a.cash, peakCash: a.cash, dailyPnl: 0, positions: new Map(), lastActivityMs: 0 });
    for (const c of SIM_CONTRACTS) this.marks.set(c.symbol, c.startPrice);
  }

  /** Orders and fills made by `fn` carry ids under `prefix` (the seeded history's run-independent ids). */
  withIdPrefix(prefix: string, fn: () => void): void {
    const run = this.runTag;
    this.runTag = prefix;
    try {
      fn();
    } finally {
      this.runTag = run;
    }
  }

  markOf(symbol: string): number {
    return this.marks.get(symbol) ?? contractFor(symbol)?.startPrice ?? 0;
  }

  positionQty(account: string, symbol: string): number {
    return this.accounts.get(account)?.positions.get(symbol)?.qty ?? 0;
  }

  workingOrders(account?: string, symbol?: string): SimOrder[] {
    return [...this.orders.values()].filter((o) => (o.status === STATUS.OPEN || o.status === STATUS.PARTIALLY_FILLED) && (!account || o.account === account) && (!symbol || o.symbol === symbol));
  }

  private push(msg: DtcMessage): void {
    this.emit?.(msg);
  }

  newOrder(account: string, symbol: string, side: number, qty: number, type: number = ORDER_TYPE.MARKET, price1: number | null = null, role?: 'stop' | 'target'): SimOrder {
    const id = String(++this.orderSeq);
    const o: SimOrder = {
      serverOrderId: id, clientOrderId: `${this.runTag}-${id}`, account, symbol, type, side, price1, qty, filled: 0, avgFill: null,
      status: STATUS.OPEN, receivedSec: Math.floor(this.now() / 1000), lastFill: null, role,
    };
    this.orders.set(id, o);
    this.push(this.orderUpdate(o, REASON.NEW_ORDER_ACCEPTED));
    return o;
  }

  cancelOrder(o: SimOrder): void {
    if (o.status !== STATUS.OPEN && o.status !== STATUS.PARTIALLY_FILLED) return;
    o.status = STATUS.CANCELED;
    this.push(this.orderUpdate(o, REASON.ORDER_CANCELED));
    this.orders.delete(o.serverOrderId);
  }

  /** Fills (part of) an order at `price`, then pushes ORDER_UPDATE, POSITION_UPDATE and ACCOUNT_BALANCE_UPDATE. */
  fillOrder(o: SimOrder, qty: number, price: number, atMs: number = this.now()): void {
    const q = Math.min(qty, o.qty - o.filled);
    if (q <= 0) return;
    const c = contractFor(o.symbol);
    const pointValue = c ? c.tickValue / c.tick : 1;
    o.avgFill = ((o.avgFill ?? 0) * o.filled + price * q) / (o.filled + q);
    o.filled += q;
    o.status = o.filled >= o.qty ? STATUS.FILLED : STATUS.PARTIALLY_FILLED;
    const execId = `${this.runTag}${atMs.toString(36)}-${++this.execSeq}`;
    o.lastFill = { price, qty: q, ms: atMs, execId };

    const acct = this.accounts.get(o.account)!;
    acct.lastActivityMs = atMs;
    const pos = acct.positions.get(o.symbol) ?? { qty: 0, avg: 0, entrySec: 0, high: price, low: price };
    const signed = o.side === BUY ? q : -q;
    let openClose = 1;
    if (pos.qty === 0 || Math.sign(pos.qty) === Math.sign(signed)) {
      if (pos.qty === 0) Object.assign(pos, { entrySec: Math.floor(atMs / 1000), high: price, low: price });
      pos.avg = (pos.avg * Math.abs(pos.qty) + price * q) / (Math.abs(pos.qty) + q);
      pos.qty += signed;
    } else {
      openClose = 2;
      const closing = Math.min(Math.abs(pos.qty), q);
      const realized = (price - pos.avg) * closing * Math.sign(pos.qty) * pointValue;
      acct.cash = round2(acct.cash + realized);
      acct.dailyPnl = round2(acct.dailyPnl + realized);
      acct.peakCash = Math.max(acct.peakCash, acct.cash);
      pos.qty += signed;
      if (pos.qty === 0) pos.avg = 0;
      else if (Math.sign(pos.qty) === Math.sign(signed)) Object.assign(pos, { avg: price, entrySec: Math.floor(atMs / 1000), high: price, low: price }); // flipped
    }
    pos.high = Math.max(pos.high, price);
    pos.low = Math.min(pos.low, price);
    acct.positions.set(o.symbol, pos);
    this.marks.set(o.symbol, price);
    this.fills.push({
      account: o.account, symbol: o.symbol, serverOrderId: o.serverOrderId, side: o.side, price, qty: q, sec: Math.floor(atMs / 1000), execId,
      openClose, positionQty: pos.qty, high: pos.high, low: pos.low,
    });
    this.push(this.orderUpdate(o, o.status === STATUS.FILLED ? REASON.ORDER_FILLED : REASON.ORDER_FILLED_PARTIALLY));
    if (o.status === STATUS.FILLED) this.orders.delete(o.serverOrderId);
    this.push(this.positionUpdate(o.account, o.symbol, 0, true));
    this.push(this.balanceUpdate(acct, 0, true));
    if (pos.qty === 0) for (const w of this.workingOrders(o.account, o.symbol)) this.cancelOrder(w);
  }

  /** Replaces the stop and target of a position with fresh working orders for its full size. */
  setBracket(account: string, symbol: string, stop: number, target: number): void {
    for (const w of this.workingOrders(account, symbol)) if (w.role) this.cancelOrder(w);
    const qty = this.positionQty(account, symbol);
    if (qty === 0) return;
    const side = qty > 0 ? SELL : BUY;
    this.newOrder(account, symbol, side, Math.abs(qty), ORDER_TYPE.STOP, stop, 'stop');
    this.newOrder(account, symbol, side, Math.abs(qty), ORDER_TYPE.LIMIT, target, 'target');
  }

  /** Moves the price; triggers working stops/targets; pushes open P&L for positions in `symbol`. */
  mark(symbol: string, price: number): void {
    this.marks.set(symbol, price);
    for (const o of this.workingOrders(undefined, symbol)) {
      if (o.price1 === null) continue;
      const hit = o.type === ORDER_TYPE.STOP ? (o.side === BUY ? price >= o.price1 : price <= o.price1) : o.type === ORDER_TYPE.LIMIT ? (o.side === BUY ? price <= o.price1 : price >= o.price1) : false;
      if (hit && this.orders.has(o.serverOrderId)) this.fillOrder(o, o.qty - o.filled, o.price1);
    }
    for (const acct of this.accounts.values()) {
      const pos = acct.positions.get(symbol);
      if (!pos || pos.qty === 0) continue;
      pos.high = Math.max(pos.high, price);
      pos.low = Math.min(pos.low, price);
      this.push(this.positionUpdate(acct.name, symbol, 0, true));
    }
  }

  // ---- messages ----------------------------------------------------------------------------

  orderUpdate(o: SimOrder, reason: number, requestId = 0, total = 1, num = 1): DtcMessage {
    return {
      Type: MessageType.ORDER_UPDATE, RequestID: requestId, TotalNumMessages: total, MessageNumber: num, Symbol: o.symbol, Exchange: '',
      ServerOrderID: o.serverOrderId, ClientOrderID: o.clientOrderId, OrderStatus: o.status, OrderUpdateReason: reason, OrderType: o.type,
      BuySell: o.side, Price1: o.price1, TimeInForce: 1, OrderQuantity: o.qty, FilledQuantity: o.filled, RemainingQuantity: o.qty - o.filled,
      AverageFillPrice: o.avgFill, LastFillPrice: o.lastFill?.price ?? null, LastFillDateTime: o.lastFill?.ms ?? 0,
      LastFillQuantity: o.lastFill?.qty ?? null, LastFillExecutionID: o.lastFill?.execId ?? '', TradeAccount: o.account,
      InfoText: '', OrderReceivedDateTime: o.receivedSec, LatestTransactionDateTime: (o.lastFill?.ms ?? this.now()) / 1000,
    };
  }

  positionUpdate(account: string, symbol: string, requestId: number, unsolicited: boolean, total = 1, num = 1): DtcMessage {
    const pos = this.accounts.get(account)?.positions.get(symbol);
    const c = contractFor(symbol);
    const qty = pos?.qty ?? 0;
    const open = qty !== 0 && c ? round2((this.markOf(symbol) - pos!.avg) * qty * (c.tickValue / c.tick)) : 0;
    return {
      Type: MessageType.POSITION_UPDATE, RequestID: requestId, TotalNumberMessages: total, MessageNumber: num, Symbol: symbol, Exchange: '',
      Quantity: qty, AveragePrice: qty !== 0 ? pos!.avg : 0, TradeAccount: account, Unsolicited: unsolicited ? 1 : 0,
      EntryDateTime: qty !== 0 ? pos!.entrySec : 0, OpenProfitLoss: open, HighPriceDuringPosition: qty !== 0 ? pos!.high : 0,
      LowPriceDuringPosition: qty !== 0 ? pos!.low : 0,
    };
  }

  private balanceUpdate(acct: SimAccount, requestId: number, unsolicited: boolean, total = 1, num = 1): DtcMessage {
    let open = 0;
    for (const [symbol, pos] of acct.positions) {
      const c = contractFor(symbol);
      if (pos.qty !== 0 && c) open += (this.markOf(symbol) - pos.avg) * pos.qty * (c.tickValue / c.tick);
    }
    return {
      Type: MessageType.ACCOUNT_BALANCE_UPDATE, RequestID: requestId, CashBalance: acct.cash, BalanceAvailableForNewPositions: round2(acct.cash + open),
      AccountCurrency: 'USD', TradeAccount: acct.name, SecuritiesValue: round2(acct.cash + open), MarginRequirement: 0, TotalNumberMessages: total,
      MessageNumber: num, Unsolicited: unsolicited ? 1 : 0, OpenPositionsProfitLoss: round2(open), DailyProfitLoss: acct.dailyPnl,
      TransactionIdentifier: ++this.txSeq, TransactionDateTime: this.now() * 1000, LastOrderActivityDateTime: acct.lastActivityMs * 1000,
      ...this.limitFields(acct, open),
    };
  }

  private limitFields(acct: SimAccount, open: number): Record<string, number> {
    const l = this.limits;
    if (!l || (l.accounts && !l.accounts.includes(acct.name))) return {};
    const loss = l.dailyNetLossLimit ?? 0;
    return {
      DailyNetLossLimit: loss,
      TrailingAccountValueToLimitPositions: l.trailingDrawdown ? round2(acct.peakCash - l.trailingDrawdown) : 0,
      DailyNetLossLimitReached: loss > 0 && acct.dailyPnl + open <= -loss ? 1 : 0,
    };
  }

  tradeAccountResponses(requestId: number): DtcMessage[] {
    const names = [...this.accounts.keys()];
    return names.map((n, i) => ({ Type: MessageType.TRADE_ACCOUNT_RESPONSE, TotalNumberMessages: names.length, MessageNumber: i + 1, TradeAccount: n, RequestID: requestId, TradingIsDisabled: 0 }));
  }

  openOrdersResponse(requestId: number, account: string): DtcMessage[] {
    const list = this.workingOrders(account || undefined);
    if (!list.length) return [{ Type: MessageType.ORDER_UPDATE, RequestID: requestId, TotalNumMessages: 1, MessageNumber: 1, NoOrders: 1, OrderUpdateReason: REASON.OPEN_ORDERS_REQUEST_RESPONSE }];
    return list.map((o, i) => this.orderUpdate(o, REASON.OPEN_ORDERS_REQUEST_RESPONSE, requestId, list.length, i + 1));
  }

  positionsResponse(requestId: number, account: string): DtcMessage[] {
    const rows: [string, string][] = [];
    for (const a of this.accounts.values()) if (!account || a.name === account) for (const s of a.positions.keys()) rows.push([a.name, s]);
    if (!rows.length) return [{ Type: MessageType.POSITION_UPDATE, RequestID: requestId, TotalNumberMessages: 1, MessageNumber: 1, NoPositions: 1 }];
    return rows.map(([a, s], i) => this.positionUpdate(a, s, requestId, false, rows.length, i + 1));
  }

  fillsResponse(requestId: number, account: string, sinceSec: number): DtcMessage[] {
    const list = this.fills.filter((f) => f.account === account && f.sec >= sinceSec);
    if (!list.length) return [{ Type: MessageType.HISTORICAL_ORDER_FILL_RESPONSE, RequestID: requestId, TotalNumberMessages: 1, MessageNumber: 1, NoOrderFills: 1, TradeAccount: account }];
    return list.map((f, i) => ({
      Type: MessageType.HISTORICAL_ORDER_FILL_RESPONSE, RequestID: requestId, TotalNumberMessages: list.length, MessageNumber: i + 1, Symbol: f.symbol,
      Exchange: '', ServerOrderID: f.serverOrderId, BuySell: f.side, Price: f.price, DateTime: f.sec, Quantity: f.qty, UniqueExecutionID: f.execId,
      TradeAccount: f.account, OpenClose: f.openClose, HighPriceDuringPosition: f.high, LowPriceDuringPosition: f.low, PositionQuantity: f.positionQty,
    }));
  }

  balancesResponse(requestId: number, account: string): DtcMessage[] {
    const list = [...this.accounts.values()].filter((a) => !account || a.name === account);
    return list.map((a, i) => this.balanceUpdate(a, requestId, false, list.length, i + 1));
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

export const SIM_ORDER_TYPE = ORDER_TYPE;
