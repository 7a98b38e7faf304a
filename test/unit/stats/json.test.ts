import * as assert from 'assert';
import { computeGrid } from '../../../src/core/stats/compute';
import { gridToJson, gridToJsonObject, gridToTable } from '../../../src/core/stats/json';
import { GRID_KEYS } from '../../../src/core/stats/metrics';
import { tr } from './trades';

const CONTRACT = 'trades, totalPnl, maxDrawdown, maxRunUp, expectancy, avgTimeSec, best, worst, hitRate, commissions, avgR, profitFactor, streak, avgMae, avgMfe, wins, losses, scratches, grossProfit, grossLoss, rCoverage, maeCoverage';

describe('stats JSON and table (CLI.md contract)', () => {
  it('exactly the contract keys in the contract order', () => {
    assert.deepStrictEqual(GRID_KEYS.join(', '), CONTRACT);
    assert.deepStrictEqual(Object.keys(JSON.parse(gridToJson(computeGrid([])))).join(', '), CONTRACT);
  });

  it('profitFactor "Infinity" when infinite; nulls stay null; numbers stay numbers', () => {
    const j = JSON.parse(gridToJson(computeGrid([tr({ exitTime: 1e12, grossPnl: 10, commissions: 1 })])));
    assert.strictEqual(j.profitFactor, 'Infinity');
    assert.strictEqual(j.totalPnl, 9);
    assert.strictEqual(j.avgR, null);
    const empty = gridToJsonObject(computeGrid([]));
    assert.strictEqual(empty.profitFactor, null);
    assert.strictEqual(empty.expectancy, null);
    assert.strictEqual(empty.trades, 0);
  });

  it('the table has one aligned line per key, money and coverage in words', () => {
    const g = computeGrid([tr({ exitTime: 1e12, grossPnl: -1234.5, commissions: 0, rMultiple: -1.5 })]);
    const lines = gridToTable(g).trimEnd().split('\n');
    assert.strictEqual(lines.length, GRID_KEYS.length);
    assert.ok(lines.includes('Total PnL         -$1,234.50'), lines.join('\n'));
    assert.ok(lines.includes('Avg R             -1.50R  (1 of 1)'), lines.join('\n'));
    assert.ok(lines.includes('Streak            -1'), lines.join('\n'));
  });
});
