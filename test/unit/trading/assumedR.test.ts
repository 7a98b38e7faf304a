import * as assert from 'assert';
import { assumedRisk, assumedStopTicks } from '../../../src/core/trading/assumedR';
import { ContractSpecs } from '../../../src/core/trading/specs';
import { TradeEngine } from '../../../src/core/trading/engine';
import { rCoverage, rCoverageText } from '../../../src/core/stats/rCoverage';
import type { BuySell, Fill, Trade } from '../../../src/core/trading/types';

const T0 = Date.UTC(2025, 10, 3, 14, 30);
let seq = 0;
function fill(side: BuySell, qty: number, price: number, over: Partial<Fill> = {}): Fill {
  seq++;
  return { account: 'Sim1', executionId: `e${seq}`, symbol: 'MESZ5', side, qty, price, timeMs: T0 + seq * 1000, source: 'order_update', ...over };
}
function trip(e: TradeEngine, entry: Fill, exit: Fill, stop?: number): Trade {
  e.apply(entry);
  if (stop !== undefined) e.observeWorkingOrder({ account: entry.account, symbol: entry.symbol, serverOrderId: `s${seq}`, orderType: 'STOP', side: exit.side, price: stop, open: true, timeMs: entry.timeMs + 1 });
  const [t] = e.apply(exit).trades;
  if (stop !== undefined) e.observeWorkingOrder({ account: entry.account, symbol: entry.symbol, serverOrderId: `s${seq - 1}`, orderType: 'STOP', side: exit.side, price: stop, open: false, timeMs: exit.timeMs });
  return t;
}

/** Issue 15 "R for every trade": an assumed R from the default stop, stored apart from the stop-based R. */
describe('trading/assumedR: R from the default stop when no protective stop was working', () => {
  beforeEach(() => (seq = 0));

  it('ticks per root: the override wins (any case), null turns it off for that root, junk is no setting', () => {
    const s = { defaultStopTicks: 8, byRoot: { cl: 20, NQ: null } };
    assert.strictEqual(assumedStopTicks(s, 'MES'), 8);
    assert.strictEqual(assumedStopTicks(s, 'CL'), 20);
    assert.strictEqual(assumedStopTicks(s, 'NQ'), null);
    assert.strictEqual(assumedStopTicks({ defaultStopTicks: 0 }, 'MES'), null);
    assert.strictEqual(assumedStopTicks({ defaultStopTicks: -4 }, 'MES'), null);
    assert.strictEqual(assumedStopTicks({ defaultStopTicks: NaN }, 'MES'), null);
    assert.strictEqual(assumedStopTicks({ byRoot: { ES: 12 } }, 'MES'), null, 'no default: only the listed roots');
    assert.strictEqual(assumedStopTicks(null, 'MES'), null);
    // 8 ticks x 0.25 x 2 contracts x $5 = $20.
    assert.strictEqual(assumedRisk(8, 0.25, 2, 5), 20);
    assert.strictEqual(assumedRisk(null, 0.25, 2, 5), null);
  });

  it('a trade without a stop gets an assumed R (rMultiple stays null); one with a stop gets only its R', () => {
    const e = new TradeEngine({ specs: new ContractSpecs(), assumedStop: { defaultStopTicks: 8, byRoot: { ES: 4 } } });
    const bare = trip(e, fill('BUY', 1, 5000), fill('SELL', 1, 5002));
    // risk 8 x 0.25 x 1 x $5 = $10; net 2 x $5 - 1.24 = 8.76.
    assert.strictEqual(bare.rMultiple, null);
    assert.strictEqual(bare.assumedRMultiple, 0.876);
    const stopped = trip(e, fill('BUY', 1, 5000), fill('SELL', 1, 5002), 4995);
    assert.strictEqual(stopped.rMultiple, 0.3504);
    assert.strictEqual('assumedRMultiple' in stopped, false, 'never both');
    // Per-root override: ES 4 ticks x 0.25 x 2 x $50 = $100; short, net = 1 x 2 x 50 - 2 x 4.5 (ES fee) = ...
    const es = trip(e, fill('SELL', 2, 4500, { symbol: 'ESZ5' }), fill('BUY', 2, 4499, { symbol: 'ESZ5' }));
    assert.strictEqual(es.rMultiple, null);
    assert.strictEqual(es.assumedRMultiple, Math.round((es.netPnl / 100) * 1e4) / 1e4);
  });

  it('a stop on the wrong side is a fact, not a gap: no R of either kind', () => {
    const e = new TradeEngine({ specs: new ContractSpecs(), assumedStop: { defaultStopTicks: 8 } });
    const t = trip(e, fill('BUY', 1, 5000), fill('SELL', 1, 5010), 5005);
    assert.strictEqual(t.rMultiple, null);
    assert.strictEqual(t.assumedRMultiple, undefined);
  });

  it('off by default; a settings change applies to trades closed afterwards', () => {
    const e = new TradeEngine({ specs: new ContractSpecs() });
    const before = trip(e, fill('BUY', 1, 5000), fill('SELL', 1, 5002));
    assert.strictEqual('assumedRMultiple' in before, false);
    e.setAssumedStop({ defaultStopTicks: 4 });
    assert.strictEqual(trip(e, fill('BUY', 1, 5000), fill('SELL', 1, 5002)).assumedRMultiple, 1.752);
  });

  it('stats count where R comes from, never mixing them: "R: 1 from stops, 2 assumed"', () => {
    const e = new TradeEngine({ specs: new ContractSpecs(), assumedStop: { defaultStopTicks: 8 } });
    const trades = [
      trip(e, fill('BUY', 1, 5000), fill('SELL', 1, 5002), 4995),
      trip(e, fill('BUY', 1, 5000), fill('SELL', 1, 5001)),
      trip(e, fill('SELL', 1, 5000), fill('BUY', 1, 5003)),
      trip(e, fill('BUY', 1, 5000), fill('SELL', 1, 5003), 5001),
    ];
    const c = rCoverage(trades);
    assert.deepStrictEqual(c, { trades: 4, fromStops: 1, assumed: 2, none: 1 });
    assert.strictEqual(rCoverageText(c), 'R: 1 from stops, 2 assumed');
    assert.strictEqual(rCoverageText(rCoverage(trades.slice(0, 1))), 'R: 1 from stops');
  });
});
