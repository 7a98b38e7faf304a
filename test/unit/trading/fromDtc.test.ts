import * as assert from 'assert';
import { decodeBinary, encodeBinary, normalizeTimes, type DtcMessage } from '../../../src/core/dtc';
import { MessageType } from '../../../src/core/dtc/messageTypes';
import {
  balanceFromUpdate, fillFromHistoricalFill, fillFromOrderUpdate, isDtcProblem, serverPositionFromUpdate, specFromSecurityDefinition,
  workingOrderFromOrderUpdate,
} from '../../../src/core/trading/fromDtc';
import { BuySellEnum, OrderStatusEnum, OrderTypeEnum, OrderUpdateReasonEnum } from '../../../src/core/trading/dtcEnums';
import { ContractSpecs } from '../../../src/core/trading/specs';

/** Through the real binary codec: sentinels become null, times become epoch ms. */
function wire(msg: DtcMessage): DtcMessage {
  return normalizeTimes(decodeBinary(encodeBinary(msg))!);
}

const FILL_MS = Date.UTC(2025, 10, 3, 14, 30, 15, 250);

function orderFill(over: Record<string, unknown> = {}): DtcMessage {
  return {
    Type: MessageType.ORDER_UPDATE, Symbol: 'MESZ5', TradeAccount: 'Sim1', ServerOrderID: '1001', OrderStatus: OrderStatusEnum.FILLED,
    OrderUpdateReason: OrderUpdateReasonEnum.ORDER_FILLED, OrderType: OrderTypeEnum.MARKET, BuySell: BuySellEnum.BUY,
    LastFillPrice: 5000.25, LastFillQuantity: 2, LastFillDateTime: FILL_MS, LastFillExecutionID: 'X-1', ...over,
  };
}

describe('trading/fromDtc: fills', () => {
  it('ORDER_UPDATE fill (binary round trip) -> Fill with ms time', () => {
    const f = fillFromOrderUpdate(wire(orderFill()));
    assert.deepStrictEqual(f, {
      account: 'Sim1', executionId: 'X-1', symbol: 'MESZ5', side: 'BUY', qty: 2, price: 5000.25, timeMs: FILL_MS, fee: null, serverOrderId: '1001',
      highDuringPosition: null, lowDuringPosition: null, positionAfter: null, source: 'order_update',
    });
  });

  it('partial fill reason counts; other reasons and NoOrders are not fills', () => {
    const p = fillFromOrderUpdate(orderFill({ OrderUpdateReason: OrderUpdateReasonEnum.ORDER_FILLED_PARTIALLY, BuySell: BuySellEnum.SELL }));
    assert.ok(p && !isDtcProblem(p) && p.side === 'SELL');
    for (const reason of [OrderUpdateReasonEnum.OPEN_ORDERS_REQUEST_RESPONSE, OrderUpdateReasonEnum.NEW_ORDER_ACCEPTED, OrderUpdateReasonEnum.GENERAL_ORDER_UPDATE, OrderUpdateReasonEnum.ORDER_CANCELED]) {
      assert.strictEqual(fillFromOrderUpdate(orderFill({ OrderUpdateReason: reason })), null, `reason ${reason}`);
    }
    assert.strictEqual(fillFromOrderUpdate({ Type: MessageType.ORDER_UPDATE, NoOrders: 1 }), null);
  });

  it('malformed fills are problems naming what is missing (sentinel price, no execution id)', () => {
    // LastFillPrice unset: DBL_MAX on the wire, null after decoding.
    const noPrice = fillFromOrderUpdate(wire(orderFill({ LastFillPrice: null })));
    assert.ok(isDtcProblem(noPrice));
    assert.match(noPrice.message, /ORDER_UPDATE ignored: fill "X-1" for Sim1 MESZ5 lacks LastFillPrice/);
    const noId = fillFromOrderUpdate(orderFill({ LastFillExecutionID: '' }));
    assert.ok(isDtcProblem(noId));
    assert.match(noId.message, /\(no execution id\).*LastFillExecutionID/);
    const absent = fillFromOrderUpdate({ Type: MessageType.ORDER_UPDATE, OrderUpdateReason: 4 });
    assert.ok(isDtcProblem(absent));
    assert.match(absent.message, /LastFillExecutionID, TradeAccount, Symbol, BuySell \(1 or 2\), LastFillPrice, LastFillQuantity \(> 0\), LastFillDateTime/);
    const wrongType = fillFromOrderUpdate({ Type: MessageType.POSITION_UPDATE });
    assert.ok(isDtcProblem(wrongType));
  });

  it('missing LastFillDateTime falls back to LatestTransactionDateTime', () => {
    const f = fillFromOrderUpdate(wire(orderFill({ LastFillDateTime: 0, LatestTransactionDateTime: 1762180215.5 })));
    assert.ok(f && !isDtcProblem(f));
    assert.strictEqual(f.timeMs, 1762180215500);
  });

  it('HISTORICAL_ORDER_FILL_RESPONSE -> Fill with high/low and position quantity; NoOrderFills -> null', () => {
    const msg: DtcMessage = {
      Type: MessageType.HISTORICAL_ORDER_FILL_RESPONSE, Symbol: 'F.US.MESZ25', TradeAccount: 'Sim1', ServerOrderID: '77', BuySell: BuySellEnum.SELL,
      Price: 5010.5, DateTime: 1762180215, Quantity: 1, UniqueExecutionID: 'H-9', HighPriceDuringPosition: 5012, LowPriceDuringPosition: 4990.25, PositionQuantity: 0,
    };
    assert.deepStrictEqual(fillFromHistoricalFill(wire(msg)), {
      account: 'Sim1', executionId: 'H-9', symbol: 'F.US.MESZ25', side: 'SELL', qty: 1, price: 5010.5, timeMs: 1762180215000, fee: null, serverOrderId: '77',
      highDuringPosition: 5012, lowDuringPosition: 4990.25, positionAfter: 0, source: 'historical',
    });
    // Absent extremes (0 on the wire) and unset PositionQuantity (DBL_MAX) are null, never values.
    const bare = fillFromHistoricalFill(wire({ ...msg, HighPriceDuringPosition: undefined, LowPriceDuringPosition: undefined, PositionQuantity: null }));
    assert.ok(bare && !isDtcProblem(bare));
    assert.deepStrictEqual([bare.highDuringPosition, bare.lowDuringPosition, bare.positionAfter], [null, null, null]);
    assert.strictEqual(fillFromHistoricalFill({ Type: MessageType.HISTORICAL_ORDER_FILL_RESPONSE, NoOrderFills: 1 }), null);
    const bad = fillFromHistoricalFill({ ...msg, UniqueExecutionID: '', Quantity: 0 });
    assert.ok(isDtcProblem(bad));
    assert.match(bad.message, /UniqueExecutionID, Quantity/);
  });
});

describe('trading/fromDtc: orders, positions, balances, definitions', () => {
  it('working order: stop price from Price1, open by status, cancel/replace keeps the previous id', () => {
    const w = workingOrderFromOrderUpdate(wire({
      Type: MessageType.ORDER_UPDATE, Symbol: 'MESZ5', TradeAccount: 'Sim1', ServerOrderID: '2002', PreviousServerOrderID: '2001', OrderStatus: OrderStatusEnum.OPEN,
      OrderUpdateReason: OrderUpdateReasonEnum.ORDER_CANCEL_REPLACE_COMPLETE, OrderType: OrderTypeEnum.STOP, BuySell: BuySellEnum.SELL, Price1: 4990.5,
      LatestTransactionDateTime: 1762180215.25,
    }), 1);
    assert.deepStrictEqual(w, { account: 'Sim1', symbol: 'MESZ5', serverOrderId: '2002', orderType: 'STOP', side: 'SELL', price: 4990.5, open: true, timeMs: 1762180215250, previousServerOrderId: '2001' });
    const filled = workingOrderFromOrderUpdate(orderFill(), 5);
    assert.ok(filled && !isDtcProblem(filled));
    assert.deepStrictEqual([filled.open, filled.orderType, filled.price, filled.timeMs], [false, 'MARKET', null, FILL_MS]);
    const child = workingOrderFromOrderUpdate(orderFill({ OrderStatus: OrderStatusEnum.PENDING_CHILD, OrderType: OrderTypeEnum.LIMIT, Price1: 5020, LastFillDateTime: null }), 9);
    assert.ok(child && !isDtcProblem(child));
    assert.deepStrictEqual([child.open, child.orderType, child.price, child.timeMs], [false, 'LIMIT', 5020, 9]);
    assert.strictEqual(workingOrderFromOrderUpdate(orderFill({ OrderUpdateReason: OrderUpdateReasonEnum.NEW_ORDER_REJECTED, ServerOrderID: '' })), null);
    // Cancel and cancel-replace rejects carry only the reject fields: not an order state, not an error.
    for (const reason of [OrderUpdateReasonEnum.ORDER_CANCEL_REJECTED, OrderUpdateReasonEnum.ORDER_CANCEL_REPLACE_REJECTED]) {
      const reject: DtcMessage = { Type: MessageType.ORDER_UPDATE, Symbol: 'MESZ5', ClientOrderID: 'c-1', OrderStatus: OrderStatusEnum.OPEN, OrderUpdateReason: reason };
      assert.strictEqual(workingOrderFromOrderUpdate(reject), null);
      assert.strictEqual(fillFromOrderUpdate(reject), null);
    }
    assert.ok(isDtcProblem(workingOrderFromOrderUpdate(orderFill({ ServerOrderID: '' }))));
  });

  it('position update: signed quantity, flat rows carry no prices, NoPositions -> null', () => {
    const base = { Type: MessageType.POSITION_UPDATE, Symbol: 'ESZ5', TradeAccount: '700123', Quantity: -2, AveragePrice: 4500.25, OpenProfitLoss: -125, HighPriceDuringPosition: 4503, LowPriceDuringPosition: 4490 };
    assert.deepStrictEqual(serverPositionFromUpdate(wire(base), 42), { account: '700123', symbol: 'ESZ5', qty: -2, avgPrice: 4500.25, openPnl: -125, high: 4503, low: 4490, timeMs: 42 });
    assert.deepStrictEqual(serverPositionFromUpdate(wire({ ...base, Quantity: 0 }), 42), { account: '700123', symbol: 'ESZ5', qty: 0, avgPrice: null, openPnl: null, high: null, low: null, timeMs: 42 });
    assert.strictEqual(serverPositionFromUpdate({ Type: MessageType.POSITION_UPDATE, NoPositions: 1 }), null);
    assert.ok(isDtcProblem(serverPositionFromUpdate({ Type: MessageType.POSITION_UPDATE, Symbol: 'ESZ5' })));
  });

  it('account balance update, incl. µs transaction time; NoAccountBalances -> null', () => {
    const b = balanceFromUpdate(wire({
      Type: MessageType.ACCOUNT_BALANCE_UPDATE, TradeAccount: 'Sim1', CashBalance: 10250.5, BalanceAvailableForNewPositions: 9000, AccountCurrency: 'USD',
      OpenPositionsProfitLoss: -12.5, DailyProfitLoss: 250.5, TransactionDateTime: 1762180215123456,
    }));
    assert.deepStrictEqual(b, { account: 'Sim1', cashBalance: 10250.5, balanceAvailable: 9000, openPnl: -12.5, dailyPnl: 250.5, currency: 'USD', timeMs: 1762180215123, limits: null });
    assert.strictEqual(balanceFromUpdate({ Type: MessageType.ACCOUNT_BALANCE_UPDATE, NoAccountBalances: 1 }), null);
    assert.ok(isDtcProblem(balanceFromUpdate({ Type: MessageType.ACCOUNT_BALANCE_UPDATE, CashBalance: 1 })));
  });

  it('account balance update: the server limits (risk guard); 0 and unset are no limit', () => {
    const base = { Type: MessageType.ACCOUNT_BALANCE_UPDATE, TradeAccount: 'Apex-1', CashBalance: 50000 };
    const b = balanceFromUpdate(wire({ ...base, DailyNetLossLimit: 1000, TrailingAccountValueToLimitPositions: 47500, DailyNetLossLimitReached: 1 }));
    assert.deepStrictEqual(!isDtcProblem(b) && b?.limits, { dailyNetLossLimit: 1000, trailingAccountValueToLimitPositions: 47500, dailyNetLossLimitReached: true });
    const none = balanceFromUpdate(wire({ ...base, DailyNetLossLimit: 0, TrailingAccountValueToLimitPositions: 0 }));
    assert.strictEqual(!isDtcProblem(none) && none?.limits, null);
  });

  it('security definition: float32 tick and tick value give the exact point value', () => {
    const cases: Array<[string, number, number, number]> = [
      ['GCZ5', 0.1, 10, 100],
      ['6EZ5', 0.00005, 6.25, 125000],
      ['ZNZ5', 0.015625, 15.625, 1000],
      ['MESZ5', 0.25, 1.25, 5],
    ];
    for (const [symbol, tick, tickValue, pv] of cases) {
      const d = specFromSecurityDefinition(wire({ Type: MessageType.SECURITY_DEFINITION_RESPONSE, Symbol: symbol, MinPriceIncrement: tick, CurrencyValuePerIncrement: tickValue }));
      assert.ok(d && !isDtcProblem(d));
      assert.strictEqual(d.minPriceIncrement, tick, symbol);
      const specs = new ContractSpecs();
      assert.strictEqual(specs.setServerDefinition(d.symbol, d.minPriceIncrement, d.currencyValuePerIncrement), null);
      const s = specs.resolve(symbol);
      assert.ok(!('kind' in s));
      assert.strictEqual(s.pointValue, pv, symbol);
      assert.strictEqual(s.source, 'server');
    }
    const bad = specFromSecurityDefinition({ Type: MessageType.SECURITY_DEFINITION_RESPONSE, Symbol: 'XYZZ5', MinPriceIncrement: 0 });
    assert.ok(isDtcProblem(bad));
    assert.match(bad.message, /XYZZ5.*both must be positive.*appsierra\.contractSpecs/);
  });
});
