import * as assert from 'assert';
import { FILL_BOUNDS, checkFill } from '../../../src/core/trading/fillBounds';
import { ContractSpecs } from '../../../src/core/trading/specs';
import { TradeEngine } from '../../../src/core/trading/engine';
import type { Fill } from '../../../src/core/trading/types';

const NOW = Date.UTC(2026, 11, 2, 3, 0);
const good: Fill = { account: 'Sim1', executionId: 'x1', symbol: 'MESZ5', side: 'BUY', qty: 1, price: 5000, timeMs: NOW - 60_000, source: 'order_update' };

/** Issue 10.6: a fill outside sane bounds is refused with a named problem, never applied. */
describe('trading/fillBounds: the one sanity check for every fill', () => {
  it('refuses non-finite, absurd or missing values, naming the field and the value', () => {
    const cases: [Partial<Fill>, string, RegExp][] = [
      [{ qty: 1e300 }, 'quantity', /quantity .* at most 1,000,000 \(got 1e\+300\)/],
      [{ qty: FILL_BOUNDS.maxQty + 1 }, 'quantity', /quantity/],
      [{ qty: 0 }, 'quantity', /got 0/],
      [{ qty: -2 }, 'quantity', /got -2/],
      [{ qty: NaN }, 'quantity', /got NaN/],
      [{ qty: Infinity }, 'quantity', /got Infinity/],
      [{ price: NaN }, 'price', /price/],
      [{ price: -Infinity }, 'price', /price/],
      [{ price: 1e300 }, 'price', /got 1e\+300/],
      [{ price: -2e9 }, 'price', /price/],
      [{ fee: 6.2e299 }, 'fee', /fee/],
      [{ fee: NaN }, 'fee', /fee/],
      [{ timeMs: -5 }, 'time', /-5 = 1969-12-31T23:59:59\.995Z/],
      [{ timeMs: -5000 }, 'time', /time must be between 2000-01-01T00:00:00\.000Z and now \+ 1 day/],
      [{ timeMs: Date.UTC(1999, 11, 31, 23, 59, 59) }, 'time', /1999-12-31/],
      [{ timeMs: NOW + FILL_BOUNDS.maxFutureMs + 1 }, 'time', /2026-12-03T03:00:00\.000Z/],
      // LastFillDateTime in ms read as seconds: the year 57,900.
      [{ timeMs: NOW * 1000 }, 'time', /time/],
      [{ timeMs: NaN }, 'time', /got NaN/],
      [{ account: '' }, 'account', /account is empty/],
      [{ symbol: ' ' }, 'symbol', /symbol is empty/],
      [{ executionId: '' }, 'execution-id', /execution id/],
      [{ side: 'HOLD' as Fill['side'] }, 'side', /"HOLD"/],
    ];
    for (const [over, code, re] of cases) {
      const p = checkFill({ ...good, ...over }, NOW);
      assert.ok(p, `refused: ${JSON.stringify(over)}`);
      assert.strictEqual(p.code, code, JSON.stringify(over));
      assert.match(p.message, re);
      assert.match(p.message, /refused: .* not stored; check the source/);
    }
  });

  it('accepts real-world edges: negative and zero prices, fractional and large quantities, the bounds themselves', () => {
    const ok: Partial<Fill>[] = [
      { symbol: 'CLK0', price: -37.63 },
      { price: 0 },
      { qty: 0.0001 },
      { qty: FILL_BOUNDS.maxQty },
      { price: -FILL_BOUNDS.maxAbsPrice },
      { fee: -0.25 },
      { fee: null },
      { timeMs: FILL_BOUNDS.minTimeMs },
      { timeMs: NOW + FILL_BOUNDS.maxFutureMs },
    ];
    for (const over of ok) assert.strictEqual(checkFill({ ...good, ...over }, NOW), null, JSON.stringify(over));
  });

  it('the engine refuses such a fill without touching the position, then carries on', () => {
    const e = new TradeEngine({ specs: new ContractSpecs(), now: () => NOW });
    e.apply(good);
    const bad = e.apply({ ...good, executionId: 'x2', side: 'SELL', qty: 1e300 });
    assert.strictEqual(bad.rejected?.code, 'quantity');
    assert.deepStrictEqual(bad.trades, []);
    assert.strictEqual(bad.position!.qty, 1, 'the open position is unchanged');
    assert.strictEqual(e.counters.rejected, 1);
    assert.strictEqual(e.apply({ ...good, executionId: 'x3', side: 'SELL', timeMs: -5 }).rejected?.code, 'time');
    // The refused ids are not "known": a corrected resend is applied.
    const [t] = e.apply({ ...good, executionId: 'x2', side: 'SELL', price: 5002 }).trades;
    assert.strictEqual(t.grossPnl, 10);
    assert.strictEqual(e.positions().length, 0);
  });

  it('absurd high/low during position is ignored like a missing one (MAE/MFE null, never 1e300)', () => {
    const e = new TradeEngine({ specs: new ContractSpecs(), now: () => NOW });
    e.apply({ ...good, highDuringPosition: 1e300, lowDuringPosition: -Infinity });
    const [t] = e.apply({ ...good, executionId: 'x2', side: 'SELL', price: 5001 }).trades;
    assert.deepStrictEqual([t.mae, t.mfe], [null, null]);
  });
});
