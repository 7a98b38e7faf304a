import * as assert from 'assert';
import { breakdown, buildReport, TradeIndex } from '../../../src/core/reports';
import { METRICS, EXTRA_METRICS } from '../../../src/core/stats/metrics';
import { CME } from '../stats/trades';
import { WEEK, WEEK_TAGS } from './fixture';

/** key -> [trades, net, hitRate, expectancy, avgR, profitFactor] */
type Expect = Record<string, [number, number, number | null, number | null, number | null, number | null]>;

function rows(by: Parameters<typeof breakdown>[2]): Expect {
  const index = new TradeIndex({ session: CME });
  index.load(WEEK, WEEK_TAGS);
  const out: Expect = {};
  for (const r of breakdown(index, { mode: 'SIM' }, by)) out[r.key] = [r.grid.trades, r.grid.totalPnl, r.grid.hitRate, r.grid.expectancy, r.grid.avgR, r.grid.profitFactor];
  return out;
}

function close(actual: Expect, expected: Expect): void {
  assert.deepStrictEqual(Object.keys(actual), Object.keys(expected), 'row keys in order');
  for (const k of Object.keys(expected)) {
    expected[k].forEach((v, j) => {
      const a = actual[k][j];
      if (v === null || a === null || !Number.isFinite(v)) assert.strictEqual(a, v, `${k}[${j}]`);
      else assert.ok(Math.abs(a - v) < 1e-9, `${k}[${j}]: ${a} != ${v}`);
    });
  }
}

describe('journal breakdowns (hand-computed week)', () => {
  it('by symbol', () => {
    close(rows('symbol'), {
      // MES: A +50 (1R), B -25 (-0.5R), F +20, E -40 (-1R). GP 70, GL 65.
      MESZ5: [4, 5, 0.5, 1.25, -0.5 / 3, 70 / 65],
      // MNQ: C -1.24 scratch, D +100 (2R), H -10. Expectancy 88.76 / 3 rounded to the cent.
      MNQZ5: [3, 88.76, 0.5, 29.59, 2, 100 / 11.24],
    });
  });

  it('by side', () => {
    close(rows('side'), {
      LONG: [4, 108.76, 2 / 3, 27.19, 2 / 3, 150 / 41.24],
      SHORT: [3, -15, 1 / 3, -5, -0.5, 20 / 35],
    });
  });

  it('by hour of entry in the session time zone', () => {
    close(rows('hour'), {
      '08': [1, 50, 1, 50, 1, Infinity],
      '09': [2, -26.24, 0, -13.12, -0.5, 0],
      '10': [2, 60, 0.5, 30, 0.5, 100 / 40],
      '13': [1, -10, 0, -10, null, 0],
      '17': [1, 20, 1, 20, null, Infinity],
    });
  });

  it('by weekday of the session day (an evening trade belongs to the next day)', () => {
    close(rows('weekday'), {
      Mon: [3, 23.76, 0.5, 7.92, 0.25, 50 / 26.24],
      Tue: [3, 80, 2 / 3, 26.67, 0.5, 120 / 40],
      Thu: [1, -10, 0, -10, null, 0],
    });
  });

  it('by duration bucket', () => {
    close(rows('duration'), {
      '<1m': [1, -1.24, null, -1.24, null, 0],
      '1m-5m': [2, 10, 0.5, 5, 0, 50 / 40],
      '15m-1h': [2, -5, 0.5, -2.5, -0.5, 20 / 25],
      '1h-4h': [1, 100, 1, 100, 2, Infinity],
      '>=4h': [1, -10, 0, -10, null, 0],
    });
  });

  it('by tag: a trade counts under each of its tags; untagged trades last', () => {
    close(rows('tag'), {
      breakout: [3, 8.76, 0.5, 2.92, 0, 50 / 41.24],
      fade: [2, -5, 0.5, -2.5, -0.5, 20 / 25],
      fomo: [1, -1.24, null, -1.24, null, 0],
      '(untagged)': [2, 90, 0.5, 45, 2, 10],
    });
  });

  it('a report has every metric with its formula, the equity curve with drawdown, and daily P&L', () => {
    const index = new TradeIndex({ session: CME });
    index.load(WEEK, WEEK_TAGS);
    const r = buildReport(index, { mode: 'SIM' });
    assert.deepStrictEqual(r.metrics.map((m) => m.id), [...METRICS.map((m) => m.id), ...EXTRA_METRICS.map((m) => m.id)]);
    for (const m of r.metrics) assert.ok(m.formula.length > 10, m.id);
    const byId = Object.fromEntries(r.metrics.map((m) => [m.id, m.value]));
    assert.strictEqual(byId.totalPnl, 93.76);
    assert.strictEqual(byId.maxDrawdown, 46.24);
    assert.strictEqual(byId.longestLossRun, 1);
    assert.strictEqual(byId.tradingDays, 3);
    assert.ok(Math.abs((byId.winningDayRate as number) - 2 / 3) < 1e-12);
    assert.strictEqual(byId.avgWin, Math.round(17000 / 3) / 100);
    // Exit order A C B F E D H.
    assert.deepStrictEqual(r.equity.equity, [50, 48.76, 23.76, 43.76, 3.76, 103.76, 93.76]);
    assert.deepStrictEqual(r.equity.drawdown, [0, -1.24, -26.24, -6.24, -46.24, 0, -10]);
    assert.deepStrictEqual(r.daily, [
      { day: '2025-01-06', pnl: 23.76, trades: 3 },
      { day: '2025-01-07', pnl: 80, trades: 3 },
      { day: '2025-01-09', pnl: -10, trades: 1 },
    ]);
    assert.deepStrictEqual(Object.keys(r.breakdowns), ['symbol', 'side', 'hour', 'weekday', 'duration', 'tag']);
  });

  it('thins a long equity series but keeps its deepest drawdown and its ends', () => {
    const index = new TradeIndex({ session: CME });
    const many = Array.from({ length: 5000 }, (_, i) => ({ ...WEEK[0], id: `M${i}`, exitTime: WEEK[0].exitTime + i * 1000, entryTime: WEEK[0].entryTime + i * 1000, grossPnl: i === 3000 ? -900 : 1, netPnl: i === 3000 ? -900 : 1 }));
    index.load(many);
    const full = buildReport(index, {}, { maxPoints: 0 }).equity;
    const thin = buildReport(index, {}, { maxPoints: 300 }).equity;
    assert.strictEqual(full.t.length, 5000);
    assert.ok(thin.t.length <= 300 && thin.total === 5000, `${thin.t.length}`);
    assert.strictEqual(Math.min(...thin.drawdown), Math.min(...full.drawdown));
    assert.strictEqual(thin.equity[thin.equity.length - 1], full.equity[4999]);
  });
});
