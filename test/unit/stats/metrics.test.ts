import * as assert from 'assert';
import { computeGrid, computeStats } from '../../../src/core/stats/compute';
import { classify } from '../../../src/core/stats/accumulator';
import { GRID_KEYS, METRICS } from '../../../src/core/stats/metrics';
import { CME, q, tr } from './trades';

const H = 3_600_000;
const day = (d: number, hUtc = 15) => Date.UTC(2025, 0, d) + hUtc * H;

/**
 * The worked example (money in $):
 *   #  gross   fees  net    class    cum     session
 *   1  -47.5   2.5   -50    loss     -50     01-13
 *   2  102.5   2.5   100    win       50     01-13
 *   3    0     2.5   -2.5   scratch   47.5   01-14  (gross exactly 0)
 *   4  -27.5   2.5   -30    loss      17.5   01-14
 *   5   82.5   2.5    80    win       97.5   01-15
 *   6    2.5   2.5     0    scratch   97.5   01-15  (net exactly 0)
 * Drawdown: peak 0 -> -50 = 50 (the losing first trade counts). Run-up: trough -50 -> 97.5 = 147.5.
 * GP = 180, GL = 82.5 (the fee-paying scratch is in GL), GP - GL = 97.5 = total.
 */
function example() {
  return [
    tr({ id: 'a1', exitTime: day(13, 14), grossPnl: -47.5, commissions: 2.5, rMultiple: -1, mae: -60, mfe: 5 }),
    tr({ id: 'a2', exitTime: day(13, 15), grossPnl: 102.5, commissions: 2.5, rMultiple: 2, mae: -10, mfe: 120 }),
    tr({ id: 'a3', exitTime: day(14, 14), grossPnl: 0, commissions: 2.5 }),
    tr({ id: 'a4', exitTime: day(14, 15), grossPnl: -27.5, commissions: 2.5, rMultiple: -0.6 }),
    tr({ id: 'a5', exitTime: day(15, 14), grossPnl: 82.5, commissions: 2.5 }),
    tr({ id: 'a6', exitTime: day(15, 15), grossPnl: 2.5, commissions: 2.5 }),
  ].map((t, i) => ({ ...t, entryTime: t.exitTime - 60_000 * (i + 1) }));
}

describe('stats metrics (§5)', () => {
  it('the worked example, metric by metric', () => {
    const g = computeGrid(example());
    assert.strictEqual(g.trades, 6);
    assert.strictEqual(g.totalPnl, 97.5);
    assert.strictEqual(g.maxDrawdown, 50);
    assert.strictEqual(g.maxRunUp, 147.5);
    assert.strictEqual(g.expectancy, 16.25);
    assert.strictEqual(g.avgTimeSec, 210);
    assert.strictEqual(g.best, 100);
    assert.strictEqual(g.worst, -50);
    assert.strictEqual(g.wins, 2);
    assert.strictEqual(g.losses, 2);
    assert.strictEqual(g.scratches, 2);
    assert.strictEqual(g.hitRate, 0.5);
    assert.strictEqual(g.commissions, 15);
    assert.strictEqual(g.grossProfit, 180);
    assert.strictEqual(g.grossLoss, 82.5);
    assert.strictEqual(g.profitFactor, 180 / 82.5);
    assert.strictEqual(g.grossProfit - g.grossLoss, g.totalPnl);
    assert.strictEqual(g.avgR, (-1 + 2 - 0.6) / 3);
    assert.strictEqual(g.rCoverage, 3);
    assert.strictEqual(g.avgMae, -35);
    assert.strictEqual(g.avgMfe, 62.5);
    assert.strictEqual(g.maeCoverage, 2);
    // L W S L W S: the last decisive trade is a win after a loss.
    assert.strictEqual(g.streak, 1);
  });

  it('the worked example: extras, daily series and equity curve', () => {
    const r = computeStats(example(), q());
    assert.deepStrictEqual(r.daily, [
      { day: '2025-01-13', pnl: 50, trades: 2 },
      { day: '2025-01-14', pnl: -32.5, trades: 2 },
      { day: '2025-01-15', pnl: 80, trades: 2 },
    ]);
    assert.deepStrictEqual(r.equity.map((p) => p.v), [-50, 50, 47.5, 17.5, 97.5, 97.5]);
    const e = r.extras;
    assert.strictEqual(e.avgWin, 90);
    assert.strictEqual(e.avgLoss, -40);
    assert.strictEqual(e.payoffRatio, 2.25);
    assert.strictEqual(e.longestWinRun, 1);
    assert.strictEqual(e.longestLossRun, 1);
    assert.strictEqual(e.tradingDays, 3);
    assert.strictEqual(e.winningDayRate, 2 / 3);
    // mean 32.5, sample sd 58.2559 -> 8.85612; downside sd sqrt(32.5^2 / 2) -> 22.44994.
    assert.ok(Math.abs(e.sharpe! - 8.856124390867562) < 1e-9, String(e.sharpe));
    assert.ok(Math.abs(e.sortino! - 22.44994432064365) < 1e-9, String(e.sortino));
    assert.strictEqual(e.recoveryFactor, 1.95);
    assert.strictEqual(e.avgWinTimeSec, (120 + 300) / 2);
    assert.strictEqual(e.avgLossTimeSec, (60 + 240) / 2);
    assert.strictEqual(e.totalWinTimeSec, 420);
    assert.strictEqual(e.totalLossTimeSec, 300);
  });

  it('no trades: zeros and nulls per the edge column', () => {
    const g = computeGrid([]);
    assert.deepStrictEqual(g, {
      trades: 0, totalPnl: 0, maxDrawdown: 0, maxRunUp: 0, expectancy: null, avgTimeSec: null, best: null, worst: null, hitRate: null,
      commissions: 0, avgR: null, profitFactor: null, streak: 0, avgMae: null, avgMfe: null, wins: 0, losses: 0, scratches: 0,
      grossProfit: 0, grossLoss: 0, rCoverage: 0, maeCoverage: 0,
    });
    const e = computeStats([], q()).extras;
    assert.strictEqual(e.sharpe, null);
    assert.strictEqual(e.winningDayRate, null);
    assert.strictEqual(e.payoffRatio, null);
    assert.strictEqual(e.recoveryFactor, null);
  });

  it('all scratches: hit rate null, streak 0; fee-paid scratches make GL and a 0 profit factor', () => {
    const g = computeGrid([tr({ exitTime: day(13), grossPnl: 0, commissions: 1.24 }), tr({ exitTime: day(14), grossPnl: 0, commissions: 1.24 })]);
    assert.strictEqual(g.scratches, 2);
    assert.strictEqual(g.wins + g.losses, 0);
    assert.strictEqual(g.hitRate, null);
    assert.strictEqual(g.streak, 0);
    assert.strictEqual(g.grossLoss, 2.48);
    assert.strictEqual(g.profitFactor, 0);
    assert.strictEqual(g.totalPnl, -2.48);
    // Free scratches (net 0): GP = GL = 0 -> null.
    assert.strictEqual(computeGrid([tr({ exitTime: day(13), grossPnl: 0, commissions: 0 })]).profitFactor, null);
  });

  it('no losses: profit factor Infinity, drawdown 0', () => {
    const g = computeGrid([tr({ exitTime: day(13), grossPnl: 20, commissions: 1 }), tr({ exitTime: day(14), grossPnl: 5, commissions: 1 })]);
    assert.strictEqual(g.profitFactor, Infinity);
    assert.strictEqual(g.maxDrawdown, 0);
    assert.strictEqual(g.maxRunUp, 23);
    assert.strictEqual(g.hitRate, 1);
  });

  it('one trade: best = worst = expectancy = total; a losing one is the drawdown', () => {
    const g = computeGrid([tr({ exitTime: day(13), grossPnl: -10, commissions: 1.24, entryTime: day(13) - 90_500 })]);
    assert.strictEqual(g.trades, 1);
    assert.strictEqual(g.best, -11.24);
    assert.strictEqual(g.worst, -11.24);
    assert.strictEqual(g.expectancy, -11.24);
    assert.strictEqual(g.maxDrawdown, 11.24);
    assert.strictEqual(g.maxRunUp, 0);
    assert.strictEqual(g.avgTimeSec, 90.5);
    assert.strictEqual(g.streak, -1);
    assert.strictEqual(g.profitFactor, 0);
  });

  it('streak and runs: scratches neither extend nor break them', () => {
    const seq = [5, 5, 0, 5, -5, -5, 0, -5, 0];
    const trades = seq.map((g, i) => tr({ exitTime: day(13) + i * 1000, grossPnl: g, commissions: 0 }));
    const r = computeStats(trades, q());
    assert.strictEqual(r.grid.streak, -3);
    assert.strictEqual(r.extras.longestWinRun, 3);
    assert.strictEqual(r.extras.longestLossRun, 3);
    assert.strictEqual(computeGrid(trades.slice(0, 4)).streak, 3);
  });

  it('scratch tolerance in ticks: |gross| <= ticks x tick value x qty', () => {
    const t = [tr({ exitTime: day(13), grossPnl: 2.5, commissions: 1.24, qty: 2 }), tr({ exitTime: day(14), grossPnl: 3.75, commissions: 1.24, qty: 2 })];
    const opts = { scratchTicks: 1, tickValue: (root: string) => (root === 'MES' ? 1.25 : null) };
    assert.strictEqual(computeGrid(t, null, opts).scratches, 1);
    assert.strictEqual(computeGrid(t).scratches, 0);
    assert.strictEqual(classify(0, -124, 0), 0);
    assert.strictEqual(classify(1, 0, 0), 0);
    assert.strictEqual(classify(-1, -1, 0), -1);
  });

  it('money sums are exact to the cent (no float drift)', () => {
    const trades = Array.from({ length: 1000 }, (_, i) => tr({ exitTime: day(13) + i, grossPnl: 0.1, commissions: 0 }));
    const g = computeGrid(trades);
    assert.strictEqual(g.totalPnl, 100);
    assert.strictEqual(g.expectancy, 0.1);
  });

  it('a trade id seen twice counts once; ties in exit time go by id', () => {
    const a = tr({ id: 'b', exitTime: day(13), grossPnl: -5, commissions: 0 });
    const b = tr({ id: 'a', exitTime: day(13), grossPnl: 5, commissions: 0 });
    const g = computeGrid([a, b, a]);
    assert.strictEqual(g.trades, 2);
    assert.strictEqual(g.streak, -1); // 'a' (win) then 'b' (loss)
  });

  it('the metric table covers every contract key once, with label and formula', () => {
    assert.deepStrictEqual(METRICS.map((m) => m.id).sort(), [...GRID_KEYS].sort());
    assert.strictEqual(METRICS.filter((m) => m.headline).length, 15);
    for (const m of METRICS) assert.ok(m.label.length > 0 && m.formula.length > 10, m.id);
  });

  it('daily series uses the session: a 17:30 CT exit is the next day', () => {
    const r = computeStats([tr({ exitTime: Date.UTC(2025, 0, 13, 23, 30), grossPnl: 10, commissions: 0 })], q({ session: CME }));
    assert.strictEqual(r.daily[0].day, '2025-01-14');
  });
});
