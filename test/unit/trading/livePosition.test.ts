import * as assert from 'assert';
import { ContractSpecs } from '../../../src/core/trading/specs';
import { TradeEngine } from '../../../src/core/trading/engine';
import { equityOf, livePosition } from '../../../src/core/trading/livePosition';
import type { Fill } from '../../../src/core/trading/types';

const T0 = Date.UTC(2025, 10, 3, 14, 30);
const f = (id: string, side: 'BUY' | 'SELL', qty: number, price: number, symbol = 'MESZ5'): Fill => ({ account: 'Sim1', executionId: id, symbol, side, qty, price, timeMs: T0, source: 'ingest' });

describe('trading/livePosition (§6)', () => {
  it('long MES: open P&L from the mark, heat to the current stop, time in trade, live R, MAE/MFE so far', () => {
    const specs = new ContractSpecs();
    const e = new TradeEngine({ specs });
    e.apply(f('a', 'BUY', 2, 5000));
    e.observeWorkingOrder({ account: 'Sim1', symbol: 'MESZ5', serverOrderId: 's', orderType: 'STOP', side: 'SELL', price: 4990, open: true, timeMs: T0 });
    e.observeWorkingOrder({ account: 'Sim1', symbol: 'MESZ5', serverOrderId: 's2', previousServerOrderId: 's', orderType: 'STOP', side: 'SELL', price: 4996, open: true, timeMs: T0 + 1 });
    e.observeWorkingOrder({ account: 'Sim1', symbol: 'MESZ5', serverOrderId: 't', orderType: 'LIMIT', side: 'SELL', price: 5020, open: true, timeMs: T0 + 2 });
    e.observeServerPosition({ account: 'Sim1', symbol: 'MESZ5', qty: 2, high: 5008, low: 4997, timeMs: T0 });
    const w = e.workingOrders('Sim1', 'MESZ5');
    const lp = livePosition({ position: e.positions()[0], spec: specs.resolve('MESZ5'), mark: 5005, stop: w.stop, target: w.target, nowMs: T0 + 90_000 });
    assert.deepStrictEqual(lp, {
      symbol: 'MESZ5', side: 'LONG', qty: 2, avgPrice: 5000, markPrice: 5005,
      openPnl: 50, // (5005-5000) x 2 x 5
      heat: 40, // (5000-4996) x 2 x 5
      entryTime: T0, timeInTradeMs: 90_000, stop: 4996, target: 5020,
      initialRisk: 100, // |5000-4990| x 2 x 5 (the initial stop, not the moved one)
      liveR: 0.5,
      mae: -30, // (4997-5000) x 2 x 5
      mfe: 80, // (5008-5000) x 2 x 5
      specError: null,
    });
  });

  it("short ES without a mark uses the server's OpenProfitLoss; a stop beyond entry has heat 0 once in profit", () => {
    const specs = new ContractSpecs();
    const e = new TradeEngine({ specs });
    e.apply(f('a', 'SELL', 1, 4500, 'ESZ5'));
    const pos = e.positions()[0];
    const lp = livePosition({ position: pos, spec: specs.resolve('ESZ5'), serverOpenPnl: 125, stop: 4498, nowMs: T0 + 1000 });
    assert.deepStrictEqual([lp.openPnl, lp.heat, lp.liveR, lp.initialRisk, lp.mae, lp.mfe], [125, 0, null, null, 0, 125]);
    const risky = livePosition({ position: pos, spec: specs.resolve('ESZ5'), mark: 4502, stop: 4505, nowMs: T0 });
    assert.deepStrictEqual([risky.openPnl, risky.heat], [-100, 250]);
  });

  it('no price information at all: open P&L, MAE and MFE are null (never estimated)', () => {
    const specs = new ContractSpecs();
    const e = new TradeEngine({ specs });
    e.apply(f('a', 'BUY', 1, 5000));
    const lp = livePosition({ position: e.positions()[0], spec: specs.resolve('MESZ5'), nowMs: T0 });
    assert.deepStrictEqual([lp.openPnl, lp.mae, lp.mfe, lp.heat, lp.liveR], [null, null, null, null, null]);
  });

  it('unknown spec: money figures are null and the message names the symbol', () => {
    const specs = new ContractSpecs();
    const e = new TradeEngine({ specs });
    e.apply(f('a', 'BUY', 1, 100, 'QQQZ5'));
    const lp = livePosition({ position: e.positions()[0], spec: specs.resolve('QQQZ5'), mark: 101, nowMs: T0 });
    assert.strictEqual(lp.openPnl, null);
    assert.match(lp.specError ?? '', /QQQZ5.*appsierra\.contractSpecs/);
    assert.strictEqual(lp.qty, 1);
  });

  it('equity = balance + open P&L', () => {
    assert.strictEqual(equityOf(10000, -12.345), 9987.66);
    assert.strictEqual(equityOf(10000, null), 10000);
    assert.strictEqual(equityOf(null, 5), null);
  });
});
