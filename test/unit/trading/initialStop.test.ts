import * as assert from 'assert';
import { ContractSpecs } from '../../../src/core/trading/specs';
import { TradeEngine, type WorkingOrderObservation } from '../../../src/core/trading/engine';
import type { BuySell, Fill, Trade } from '../../../src/core/trading/types';

const T0 = Date.UTC(2025, 10, 3, 14, 30);
let seq = 0;
function fill(side: BuySell, qty: number, price: number, over: Partial<Fill> = {}): Fill {
  seq++;
  return { account: 'Sim1', executionId: `e${seq}`, symbol: 'MESZ5', side, qty, price, timeMs: T0 + seq * 60_000, source: 'order_update', ...over };
}
function stop(id: string, price: number, timeMs: number, over: Partial<WorkingOrderObservation> = {}): WorkingOrderObservation {
  return { account: 'Sim1', symbol: 'MESZ5', serverOrderId: id, orderType: 'STOP', side: 'SELL', price, open: true, timeMs, ...over };
}
function close(e: TradeEngine, f: Fill): Trade {
  const [t] = e.apply(f).trades;
  assert.ok(t, 'the fill closes a trade');
  return t;
}

/** TRADING-MATH §3: a stop left working from an earlier position is not the new position's initial stop (issue 9.4). */
describe('trading/engine: initial stop for R', () => {
  beforeEach(() => (seq = 0));

  it('a stop left working after the account went flat does not give the next position an R', () => {
    const e = new TradeEngine({ specs: new ContractSpecs() });
    e.apply(fill('BUY', 1, 5000));
    e.observeWorkingOrder(stop('s1', 4990, T0 + 90_000));
    assert.strictEqual(close(e, fill('SELL', 1, 5010)).rMultiple, 0.9752, 'the first position has its stop');
    // The trader exits by hand and leaves the stop working; later buys again with no stop of their own.
    e.apply(fill('BUY', 1, 5005));
    assert.strictEqual(e.positions()[0].initialStop, null);
    // The server re-reports the old stop (reconnect, open-orders request): still not this position's.
    e.observeWorkingOrder(stop('s1', 4990, T0 + 90_000));
    // Modified with a new id (cancel/replace): the same old order.
    e.observeWorkingOrder(stop('s1b', 4992, T0 + 200_000, { previousServerOrderId: 's1' }));
    assert.strictEqual(e.positions()[0].initialStop, null);
    assert.strictEqual(close(e, fill('SELL', 1, 5015)).rMultiple, null, 'no stop of its own: no R');
    // The working-orders view still shows the old stop: it can fill, so the panel shows it.
    assert.strictEqual(e.workingOrders('Sim1', 'MESZ5').orders.length, 1);
  });

  it('a stop placed after the entry fill counts, even with an old stop still working', () => {
    const e = new TradeEngine({ specs: new ContractSpecs() });
    e.apply(fill('BUY', 1, 5000));
    e.observeWorkingOrder(stop('old', 4980, T0 + 90_000));
    close(e, fill('SELL', 1, 5001));
    e.apply(fill('BUY', 1, 5010));
    e.observeWorkingOrder(stop('new', 5000, T0 + 250_000));
    // risk 10 x 5 = 50; net 5 x 5 - 1.24 = 23.76.
    assert.strictEqual(close(e, fill('SELL', 1, 5015)).rMultiple, 0.4752);
  });

  it('a bracket child reported just before the fill counts: by ParentServerOrderID, or first seen since the account was flat', () => {
    const e = new TradeEngine({ specs: new ContractSpecs() });
    e.apply(fill('BUY', 1, 5000));
    e.observeWorkingOrder(stop('stale', 4970, T0 + 90_000));
    close(e, fill('SELL', 1, 5001));
    // The child of entry order P7 is reported working just before P7's fill.
    e.observeWorkingOrder(stop('child', 4995, T0 + 179_000, { parentServerOrderId: 'P7' }));
    e.apply(fill('BUY', 1, 5005, { serverOrderId: 'P7' }));
    assert.strictEqual(e.positions()[0].initialStop, 4995);
    close(e, fill('SELL', 1, 5010));
    // A child of some other (unfilled) order is not this entry's stop.
    e.observeWorkingOrder(stop('other', 4990, T0 + 299_000, { parentServerOrderId: 'P9' }));
    e.apply(fill('BUY', 1, 5000, { serverOrderId: 'P8' }));
    assert.strictEqual(e.positions()[0].initialStop, null);
    close(e, fill('SELL', 1, 5001));
    // No parent id from this server: a stop first seen since the account was last flat counts.
    e.observeWorkingOrder(stop('plain', 4985, T0 + 479_000));
    e.apply(fill('BUY', 1, 5000));
    assert.strictEqual(e.positions()[0].initialStop, 4985);
  });

  it('an old stop first reported after the fill history showed the account flat (logon) is not the initial stop', () => {
    const e = new TradeEngine({ specs: new ContractSpecs() });
    // Fill history: a position opened and closed by hand; its stop (placed at T0+90s) is still working.
    e.apply(fill('BUY', 1, 5000, { source: 'historical' }));
    close(e, fill('SELL', 1, 5004, { source: 'historical' }));
    // Open orders arrive after the history: the stop's own time says it predates the flat.
    e.observeWorkingOrder(stop('s-old', 4990, T0 + 90_000));
    e.apply(fill('BUY', 1, 5002));
    assert.strictEqual(close(e, fill('SELL', 1, 5003)).rMultiple, null);
  });

  it('a flip: the stop of the old position never becomes the new one\'s', () => {
    const e = new TradeEngine({ specs: new ContractSpecs() });
    e.apply(fill('BUY', 1, 5000));
    e.observeWorkingOrder(stop('s', 4990, T0 + 90_000));
    // Sell 2: closes the long, opens a short. A BUY stop left from before the flip is not its stop either.
    e.observeWorkingOrder(stop('b', 5020, T0 + 100_000, { side: 'BUY' }));
    e.apply(fill('SELL', 2, 5005));
    assert.strictEqual(e.positions()[0].side, 'SHORT');
    assert.strictEqual(e.positions()[0].initialStop, null);
    e.observeWorkingOrder(stop('b2', 5015, T0 + 200_000, { side: 'BUY' }));
    assert.strictEqual(e.positions()[0].initialStop, 5015);
  });
});

describe('trading/fromDtc: ParentServerOrderID links a bracket child to its entry order', () => {
  it('through the binary codec, the child carries its parent; a plain order carries none', async () => {
    const { decodeBinary, encodeBinary, normalizeTimes } = await import('../../../src/core/dtc');
    const { MessageType } = await import('../../../src/core/dtc/messageTypes');
    const { workingOrderFromOrderUpdate, isDtcProblem } = await import('../../../src/core/trading/fromDtc');
    const msg = {
      Type: MessageType.ORDER_UPDATE, Symbol: 'MESZ5', TradeAccount: 'Sim1', ServerOrderID: 'C1', ParentServerOrderID: 'P7', OrderStatus: 2,
      OrderUpdateReason: 1, OrderType: 3, BuySell: 2, Price1: 4995, LatestTransactionDateTime: 1762180215,
    };
    const child = workingOrderFromOrderUpdate(normalizeTimes(decodeBinary(encodeBinary(msg))!), 1);
    assert.ok(child && !isDtcProblem(child));
    assert.strictEqual(child.parentServerOrderId, 'P7');
    const plain = workingOrderFromOrderUpdate(normalizeTimes(decodeBinary(encodeBinary({ ...msg, ParentServerOrderID: '' }))!), 1);
    assert.ok(plain && !isDtcProblem(plain));
    assert.strictEqual('parentServerOrderId' in plain, false);
  });
});
