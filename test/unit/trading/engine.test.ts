import * as assert from 'assert';
import { ContractSpecs } from '../../../src/core/trading/specs';
import { TradeEngine } from '../../../src/core/trading/engine';
import { fillKey } from '../../../src/core/trading/keys';
import type { BuySell, Fill, OpenPosition, Trade } from '../../../src/core/trading/types';

const T0 = Date.UTC(2025, 10, 3, 14, 30);
let seq = 0;
function fill(side: BuySell, qty: number, price: number, over: Partial<Fill> = {}): Fill {
  seq++;
  return { account: 'Sim1', executionId: `e${seq}`, symbol: 'MESZ5', side, qty, price, timeMs: T0 + seq * 1000, source: 'ingest', ...over };
}
function engine(specs = new ContractSpecs()): TradeEngine {
  return new TradeEngine({ specs });
}
function run(e: TradeEngine, fills: Fill[]): Trade[] {
  return fills.flatMap((f) => e.apply(f).trades);
}

describe('trading/engine: fills -> trades', () => {
  beforeEach(() => (seq = 0));

  it('scale in and out (MES): average cost, VWAPs, fees allocated per §2.3', () => {
    const e = engine();
    const fills = [fill('BUY', 1, 5000), fill('BUY', 1, 5002), fill('SELL', 1, 5005), fill('SELL', 1, 5003)];
    const out = fills.map((f) => e.apply(f));
    assert.strictEqual(out[1].position!.avgPrice, 5001);
    assert.strictEqual(out[1].position!.entryFees, 1.24);
    assert.strictEqual(out[1].fee, 0.62);
    assert.deepStrictEqual(out[2].trades, []);
    assert.strictEqual(out[2].position!.qty, 1);
    assert.strictEqual(out[2].position!.avgPrice, 5001, 'a reduction leaves avg unchanged');
    assert.strictEqual(out[3].position, null);
    const [t] = out[3].trades;
    // gross = (5005-5001)x5 + (5003-5001)x5 = 30; fees 4 x 0.62 = 2.48.
    assert.deepStrictEqual(
      { side: t.side, qty: t.qty, maxPosition: t.maxPosition, avgEntryPrice: t.avgEntryPrice, avgExitPrice: t.avgExitPrice, grossPnl: t.grossPnl, commissions: t.commissions, netPnl: t.netPnl, entryTime: t.entryTime, exitTime: t.exitTime, fillIds: t.fillIds, mode: t.mode, root: t.root },
      { side: 'LONG', qty: 2, maxPosition: 2, avgEntryPrice: 5001, avgExitPrice: 5004, grossPnl: 30, commissions: 2.48, netPnl: 27.52, entryTime: fills[0].timeMs, exitTime: fills[3].timeMs, fillIds: ['e1', 'e2', 'e3', 'e4'], mode: 'SIM', root: 'MES' },
    );
    assert.deepStrictEqual([t.mae, t.mfe, t.rMultiple], [null, null, null], 'no price info, no stop: null, never estimated');
    assert.strictEqual(e.counters.tradesClosed, 1);
  });

  it('partial fills of a short ES: each execution counts, quantities add up', () => {
    const e = engine();
    const trades = run(e, [
      fill('SELL', 1, 4500, { symbol: 'ESZ5' }),
      fill('SELL', 2, 4500, { symbol: 'ESZ5' }),
      fill('BUY', 2, 4498, { symbol: 'ESZ5' }),
      fill('BUY', 1, 4498, { symbol: 'ESZ5' }),
    ]);
    assert.strictEqual(trades.length, 1);
    // (4500-4498) x 3 x $50 = 300; 6 contract-sides x 2.25 = 13.50.
    assert.deepStrictEqual([trades[0].side, trades[0].qty, trades[0].grossPnl, trades[0].commissions, trades[0].netPnl], ['SHORT', 3, 300, 13.5, 286.5]);
  });

  it('flip in one fill: both trades list the fill, fee split by quantity to the cent', () => {
    const e = engine();
    const a = e.apply(fill('BUY', 2, 5000));
    const flip = e.apply(fill('SELL', 3, 5010));
    assert.strictEqual(flip.fee, 1.86);
    assert.strictEqual(flip.trades.length, 1);
    const t1 = flip.trades[0];
    // gross 10 x 2 x 5 = 100; fees: entry 1.24 + 2/3 of 1.86 = 1.24 -> 2.48.
    assert.deepStrictEqual([t1.side, t1.qty, t1.grossPnl, t1.commissions, t1.netPnl, t1.fillIds], ['LONG', 2, 100, 2.48, 97.52, ['e1', 'e2']]);
    const p = flip.position!;
    assert.deepStrictEqual([p.side, p.qty, p.avgPrice, p.entryFees, p.entryTime, p.fillIds], ['SHORT', -1, 5010, 0.62, flip.trades[0].exitTime, ['e2']]);
    const close = e.apply(fill('BUY', 1, 5000));
    const t2 = close.trades[0];
    assert.deepStrictEqual([t2.side, t2.qty, t2.grossPnl, t2.commissions, t2.netPnl, t2.fillIds], ['SHORT', 1, 50, 1.24, 48.76, ['e2', 'e3']]);
    assert.notStrictEqual(t1.id, t2.id);
    assert.strictEqual(a.position!.tradeId, t1.id);
    // Every cent of fees is in exactly one trade.
    assert.strictEqual(Math.round((t1.commissions + t2.commissions) * 100), Math.round((0.62 * 2 + 1.86 + 0.62) * 100));
  });

  it('uneven fee splits stay exact to the cent (given fees 1.00 over 3 contracts)', () => {
    const specs = new ContractSpecs({ XYZ: { tickSize: 1, pointValue: 10, roundTurnFee: 0 } });
    const e = engine(specs);
    const sym = { symbol: 'XYZZ5' };
    e.apply(fill('BUY', 1, 100, sym));
    const flip = e.apply(fill('SELL', 3, 101, { ...sym, fee: 1.0 }));
    assert.deepStrictEqual([flip.trades[0].grossPnl, flip.trades[0].commissions, flip.trades[0].netPnl], [10, 0.33, 9.67]);
    assert.strictEqual(flip.position!.entryFees, 0.67);
    const half = e.apply(fill('BUY', 1, 100, sym));
    // Half of 0.67 rounds half away from zero: 0.34 goes with the first contract, 0.33 stays.
    assert.strictEqual(half.position!.entryFees, 0.33);
    const [t2] = e.apply(fill('BUY', 1, 99, sym)).trades;
    assert.deepStrictEqual([t2.grossPnl, t2.commissions, t2.netPnl], [30, 0.67, 29.33]);
    assert.strictEqual(flip.trades[0].commissions + t2.commissions, 1);
  });

  it('duplicates (same account + execution id) are ignored; identical fills with different ids are not merged', () => {
    const e = engine();
    const f = fill('BUY', 1, 5000);
    assert.strictEqual(e.apply(f).duplicate, false);
    const again = e.apply({ ...f });
    assert.strictEqual(again.duplicate, true);
    assert.strictEqual(again.position!.qty, 1);
    const twin = e.apply({ ...f, executionId: 'other' });
    assert.strictEqual(twin.duplicate, false);
    assert.strictEqual(twin.position!.qty, 2);
    // The same execution id on another account is another fill.
    assert.strictEqual(e.apply({ ...f, account: 'Sim2' }).duplicate, false);
    assert.deepStrictEqual([e.counters.fills, e.counters.duplicates], [3, 1]);
  });

  it('micro vs full contract: MES $5/pt, ES $50/pt', () => {
    const e = engine();
    const [mes] = run(e, [fill('BUY', 1, 5000), fill('SELL', 1, 5004)]);
    const [es] = run(e, [fill('BUY', 1, 5000, { symbol: 'ESZ5' }), fill('SELL', 1, 5004, { symbol: 'ESZ5' })]);
    assert.deepStrictEqual([mes.grossPnl, mes.commissions, mes.netPnl], [20, 1.24, 18.76]);
    assert.deepStrictEqual([es.grossPnl, es.commissions, es.netPnl], [200, 4.5, 195.5]);
  });

  it('SIM and LIVE never net; accounts never net; contract months never net', () => {
    const e = engine();
    const trades = run(e, [
      fill('BUY', 1, 5000, { account: 'Sim1' }),
      fill('SELL', 1, 5001, { account: '700123' }),
      fill('SELL', 1, 5001, { account: 'Sim2' }),
      fill('SELL', 1, 5001, { account: 'Sim1', symbol: 'MESH6' }),
    ]);
    assert.deepStrictEqual(trades, []);
    const ps = e.positions().map((p) => [p.mode, p.account, p.symbol, p.qty]);
    assert.deepStrictEqual(ps, [
      ['SIM', 'Sim1', 'MESZ5', 1],
      ['LIVE', '700123', 'MESZ5', -1],
      ['SIM', 'Sim2', 'MESZ5', -1],
      ['SIM', 'Sim1', 'MESH6', -1],
    ]);
    const [t] = run(e, [fill('SELL', 1, 5002, { account: 'Sim1' })]);
    assert.deepStrictEqual([t.mode, t.account, t.symbol, t.grossPnl], ['SIM', 'Sim1', 'MESZ5', 10]);
  });

  it('unknown spec: the error names the symbol and the fix, P&L is blocked, no trade invented', () => {
    const e = engine();
    const o1 = e.apply(fill('BUY', 1, 100, { symbol: 'QQQZ5' }));
    assert.match(o1.error ?? '', /QQQZ5/);
    assert.match(o1.error ?? '', /appsierra\.contractSpecs/);
    assert.strictEqual(o1.fee, 0);
    assert.strictEqual(o1.position!.qty, 1, 'the quantity is still tracked');
    assert.match(o1.position!.specError ?? '', /QQQZ5/);
    const o2 = e.apply(fill('SELL', 1, 101, { symbol: 'QQQZ5' }));
    assert.deepStrictEqual(o2.trades, []);
    assert.strictEqual(o2.position, null);
    assert.match(o2.error ?? '', /closed but not recorded.*QQQZ5/);
    assert.strictEqual(e.counters.specErrors, 2);
    assert.strictEqual(e.counters.tradesClosed, 0);
    // Other symbols are unaffected.
    assert.strictEqual(e.apply(fill('BUY', 1, 5000)).error, null);
  });

  it('malformed fills are refused with a message and counted', () => {
    const e = engine();
    const r = e.apply(fill('BUY', 0, 5000));
    assert.match(r.error ?? '', /quantity must be a number above 0/);
    assert.match(e.apply(fill('BUY', 1, NaN)).error ?? '', /price must be a number/);
    assert.match(e.apply(fill('BUY', 1, 5000, { executionId: '' })).error ?? '', /execution id is empty/);
    assert.strictEqual(e.counters.rejected, 3);
    assert.deepStrictEqual(e.positions(), []);
  });

  it('trade ids are deterministic across runs and re-ingest', () => {
    const mk = () => [fill('BUY', 2, 5000, { executionId: 'a' }), fill('SELL', 3, 5001, { executionId: 'b' }), fill('BUY', 1, 5000, { executionId: 'c' })];
    const ids1 = run(engine(), mk()).map((t) => t.id);
    const ids2 = run(engine(), mk()).map((t) => t.id);
    assert.strictEqual(ids1.length, 2);
    assert.deepStrictEqual(ids1, ids2);
    assert.notStrictEqual(ids1[0], ids1[1]);
  });

  it('fractional quantities reach exactly flat (0.1 + 0.2 - 0.3)', () => {
    const e = engine();
    const sym = { symbol: 'MBTZ5' };
    const trades = run(e, [fill('BUY', 0.1, 90000, sym), fill('BUY', 0.2, 90000, sym), fill('SELL', 0.3, 90100, sym)]);
    assert.strictEqual(trades.length, 1);
    assert.deepStrictEqual(e.positions(), []);
  });

  it('out-of-order fills are applied in arrival order and counted', () => {
    const e = engine();
    e.apply(fill('BUY', 1, 5000, { timeMs: T0 + 5000 }));
    e.apply(fill('BUY', 1, 5000, { timeMs: T0 + 1000 }));
    assert.strictEqual(e.counters.outOfOrder, 1);
    assert.strictEqual(e.positions()[0].qty, 2);
  });
});

describe('trading/engine: MAE, MFE, R', () => {
  beforeEach(() => (seq = 0));

  it('MAE/MFE from High/LowPriceDuringPosition on a fill (long, maxPosition x pointValue)', () => {
    const e = engine();
    const [t] = run(e, [fill('BUY', 2, 5000), fill('SELL', 2, 5004, { highDuringPosition: 5010, lowDuringPosition: 4995 })]);
    // MAE = (4995-5000) x 2 x 5 = -50; MFE = (5010-5000) x 2 x 5 = 100.
    assert.deepStrictEqual([t.mae, t.mfe], [-50, 100]);
  });

  it('MAE/MFE from a POSITION_UPDATE high/low (short mirrors)', () => {
    const e = engine();
    e.apply(fill('SELL', 1, 4500, { symbol: 'ESZ5' }));
    e.observeServerPosition({ account: 'Sim1', symbol: 'ESZ5', qty: -1, high: 4504, low: 4490, timeMs: T0 });
    const [t] = run(e, [fill('BUY', 1, 4495, { symbol: 'ESZ5' })]);
    // MAE = -(4504-4500) x 50 = -200; MFE = (4500-4490) x 50 = 500.
    assert.deepStrictEqual([t.mae, t.mfe], [-200, 500]);
  });

  it('MAE/MFE per tick from a price stream', () => {
    const e = engine();
    e.apply(fill('BUY', 1, 5000));
    for (const p of [4998, 5006, 5001]) e.observePrice('MESZ5', p);
    e.observePrice('ESZ5', 1); // other symbols do not touch this position
    const [t] = run(e, [fill('SELL', 1, 5003)]);
    assert.deepStrictEqual([t.mae, t.mfe], [-10, 30]);
    assert.strictEqual(e.mark('MESZ5'), 5001);
  });

  it('R: initial stop = first opposite working stop after entry; later moves do not change it', () => {
    const e = engine();
    e.apply(fill('BUY', 1, 5000));
    e.observeWorkingOrder({ account: 'Sim1', symbol: 'MESZ5', serverOrderId: 's1', orderType: 'STOP', side: 'SELL', price: 4990, open: true, timeMs: T0 + 1500 });
    assert.strictEqual(e.positions()[0].initialStop, 4990);
    // Stop moved up (cancel/replace gives a new id); the initial stop stays 4990.
    e.observeWorkingOrder({ account: 'Sim1', symbol: 'MESZ5', serverOrderId: 's2', previousServerOrderId: 's1', orderType: 'STOP', side: 'SELL', price: 4998, open: true, timeMs: T0 + 1600 });
    e.observeWorkingOrder({ account: 'Sim1', symbol: 'MESZ5', serverOrderId: 't1', orderType: 'LIMIT', side: 'SELL', price: 5020, open: true, timeMs: T0 + 1700 });
    const w = e.workingOrders('Sim1', 'MESZ5');
    assert.deepStrictEqual([w.stop, w.target, w.orders.map((o) => o.serverOrderId)], [4998, 5020, ['s2', 't1']]);
    const [t] = run(e, [fill('SELL', 1, 5020)]);
    // risk = 10 x 1 x 5 = 50; net = 100 - 1.24 = 98.76; R = 1.9752.
    assert.strictEqual(t.netPnl, 98.76);
    assert.strictEqual(t.rMultiple, 1.9752);
  });

  it('R is null without a stop, and with a stop on the wrong side', () => {
    const e = engine();
    const [noStop] = run(e, [fill('BUY', 1, 5000), fill('SELL', 1, 5010)]);
    assert.strictEqual(noStop.rMultiple, null);
    e.apply(fill('BUY', 1, 5000));
    e.observeWorkingOrder({ account: 'Sim1', symbol: 'MESZ5', serverOrderId: 'w', orderType: 'STOP', side: 'SELL', price: 5005, open: true, timeMs: T0 });
    const [wrong] = run(e, [fill('SELL', 1, 5010)]);
    assert.strictEqual(wrong.rMultiple, null);
  });

  it('a stop reported just before the entry fill counts; a same-side stop does not', () => {
    const e = engine();
    e.observeWorkingOrder({ account: 'Sim1', symbol: 'ESZ5', serverOrderId: 'x', orderType: 'STOP', side: 'SELL', price: 4490, open: true, timeMs: T0 });
    e.apply(fill('BUY', 1, 4500, { symbol: 'ESZ5' }));
    e.observeWorkingOrder({ account: 'Sim1', symbol: 'ESZ5', serverOrderId: 'y', orderType: 'STOP', side: 'BUY', price: 4480, open: true, timeMs: T0 });
    const [t] = run(e, [fill('SELL', 1, 4495, { symbol: 'ESZ5' })]);
    // risk 10 x 50 = 500; net = -250 - 4.5 = -254.5; R = -0.509.
    assert.strictEqual(t.rMultiple, -0.509);
  });
});

describe('trading/engine: restore and server checks', () => {
  beforeEach(() => (seq = 0));

  it('restore() mid-position then close gives the same trade as an uninterrupted run', () => {
    const mk = () => {
      seq = 0;
      return [
        fill('BUY', 2, 5000),
        fill('BUY', 1, 5003, { highDuringPosition: 5006, lowDuringPosition: 4997 }),
        fill('SELL', 1, 5004),
        fill('SELL', 4, 5008, { highDuringPosition: 5012, lowDuringPosition: 4996 }),
        fill('BUY', 2, 5001),
      ];
    };
    const stop = { account: 'Sim1', symbol: 'MESZ5', serverOrderId: 's', orderType: 'STOP' as const, side: 'SELL' as const, price: 4995, open: true, timeMs: T0 };
    const a = engine();
    a.apply(mk()[0]);
    a.observeWorkingOrder(stop);
    const whole = run(a, mk().slice(1));

    const b = engine();
    const fills = mk();
    b.apply(fills[0]);
    b.observeWorkingOrder(stop);
    run(b, fills.slice(1, 3));
    // Persist as the store does (JSON), then a new process.
    const saved = JSON.parse(JSON.stringify(b.positions())) as OpenPosition[];
    const keys = fills.slice(0, 3).map((f) => fillKey(f.account, f.executionId));
    const c = engine();
    c.restore(saved, keys);
    assert.strictEqual(c.apply(fills[2]).duplicate, true, 'a replayed fill after restart is a duplicate');
    const resumed = run(c, fills.slice(3));
    assert.strictEqual(whole.length, 2);
    assert.deepStrictEqual(resumed, whole);
    assert.deepStrictEqual(c.positions(), a.positions());
  });

  it('missing fill: the server disagrees -> flagged (no trade invented), cleared once it agrees', () => {
    const e = engine();
    e.apply(fill('BUY', 1, 5000));
    assert.deepStrictEqual(e.observeServerPosition({ account: 'Sim1', symbol: 'MESZ5', qty: 1, timeMs: T0 }), { agrees: true, flag: null });
    const r = e.observeServerPosition({ account: 'Sim1', symbol: 'MESZ5', qty: 2, timeMs: T0 + 10 });
    assert.strictEqual(r.agrees, false);
    assert.match(r.flag!.message, /MESZ5.*Sim1.*2.*1/);
    assert.strictEqual(e.missingFillFlags().length, 1);
    assert.strictEqual(e.counters.missingFills, 1);
    // Same disagreement seen again is not counted twice.
    e.observeServerPosition({ account: 'Sim1', symbol: 'MESZ5', qty: 2, timeMs: T0 + 20 });
    assert.strictEqual(e.counters.missingFills, 1);
    assert.strictEqual(e.positions()[0].qty, 1, 'our position is not changed by the server');
    e.apply(fill('BUY', 1, 5001));
    // The fill in flight arrived: the flag is cleared without waiting for the next update.
    assert.deepStrictEqual(e.missingFillFlags(), []);
    assert.strictEqual(e.counters.missingFillsResolved, 1);
    assert.strictEqual(e.observeServerPosition({ account: 'Sim1', symbol: 'MESZ5', qty: 2, timeMs: T0 + 30 }).agrees, true);
    // A disagreement no fill explains stays flagged.
    e.observeServerPosition({ account: 'Sim1', symbol: 'MESZ5', qty: 5, timeMs: T0 + 40 });
    e.apply(fill('BUY', 1, 5001));
    assert.strictEqual(e.missingFillFlags().length, 1);
    assert.deepStrictEqual([e.counters.missingFills, e.counters.missingFillsResolved], [2, 1]);
    // Flat on both sides agrees; a position we never saw does not.
    assert.strictEqual(e.observeServerPosition({ account: 'Sim2', symbol: 'ESZ5', qty: 0, timeMs: T0 }).agrees, true);
    assert.strictEqual(e.observeServerPosition({ account: 'Sim2', symbol: 'ESZ5', qty: -3, timeMs: T0 }).agrees, false);
  });

  it("missing fill from a historical fill's PositionQuantity (history starting mid-position)", () => {
    const e = engine();
    const o = e.apply(fill('SELL', 1, 5000, { positionAfter: 0 }));
    assert.ok(o.missingFill, 'the server says flat after this sell: a buy before it is missing');
    assert.strictEqual(o.position!.qty, -1);
    const ok = e.apply(fill('SELL', 1, 5000, { positionAfter: 2, account: 'Sim2' }));
    assert.ok(ok.missingFill);
    const agree = e.apply(fill('BUY', 1, 5000, { positionAfter: 1, account: 'Sim3' }));
    assert.strictEqual(agree.missingFill, null);
  });
});

describe('trading/engine: bulk replay options', () => {
  beforeEach(() => (seq = 0));

  it('by default an outcome holds a copy of the position: changing it changes nothing in the engine', () => {
    const e = engine();
    const o = e.apply(fill('BUY', 1, 5000));
    o.position!.qty = 99;
    o.position!.fillIds.push('x');
    assert.strictEqual(e.position('Sim1', 'MESZ5')!.qty, 1);
    assert.deepStrictEqual(e.position('Sim1', 'MESZ5')!.fillIds, ['e1']);
  });

  it('livePositions: an outcome holds the engine\'s own position, which later fills move on; the trades are the same as with copies', () => {
    const live = new TradeEngine({ specs: new ContractSpecs(), livePositions: true });
    const fills = [fill('BUY', 1, 5000), fill('BUY', 1, 5002), fill('SELL', 2, 5004)];
    const first = live.apply(fills[0]).position!;
    const second = live.apply(fills[1]).position!;
    assert.strictEqual(first, second);
    assert.strictEqual(first.qty, 2);
    const closed = live.apply(fills[2]);
    assert.strictEqual(closed.position, null);
    assert.deepStrictEqual(closed.trades, run(engine(), fills).filter((t) => t.exitTime === fills[2].timeMs));
  });

  it('knownFills: the engine keeps its fill keys in the given set (a key already there is a duplicate)', () => {
    const keys = new Set([fillKey('Sim1', 'e1')]);
    const e = new TradeEngine({ specs: new ContractSpecs(), knownFills: keys });
    assert.strictEqual(e.apply(fill('BUY', 1, 5000)).duplicate, true);
    assert.strictEqual(e.apply(fill('BUY', 1, 5000)).duplicate, false);
    assert.ok(keys.has(fillKey('Sim1', 'e2')));
    assert.strictEqual(keys.size, 2);
  });
});
