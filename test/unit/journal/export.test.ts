import * as assert from 'assert';
import { exportTrades, parseExport } from '../../../src/core/export';
import type { Trade } from '../../../src/core/trading/types';

const base: Trade = {
  id: 'Sim1:MESZ5:E1',
  account: 'Sim1',
  mode: 'SIM',
  symbol: 'MESZ5',
  root: 'MES',
  side: 'LONG',
  qty: 2,
  maxPosition: 2,
  entryTime: Date.UTC(2026, 10, 20, 14, 30, 0, 125),
  exitTime: Date.UTC(2026, 10, 20, 14, 35, 10, 500),
  avgEntryPrice: 5000.25,
  avgExitPrice: 5003.5,
  grossPnl: 32.5,
  commissions: 2.48,
  netPnl: 30.02,
  mae: -12.5,
  mfe: 40,
  rMultiple: 1.2,
  fillIds: ['E1', 'E2', 'X1'],
};

describe('trade export', () => {
  const trades: Trade[] = [
    base,
    { ...base, id: 'x,"quoted"', account: '120045', mode: 'LIVE', side: 'SHORT', netPnl: -7.5, grossPnl: -5, commissions: 2.5, mae: null, mfe: null, rMultiple: null, exitTime: base.exitTime - 1000 },
  ];

  for (const format of ['csv', 'json'] as const) {
    it(`round-trips every field through ${format}`, () => {
      const back = parseExport(exportTrades(trades, format));
      const sorted = [...trades].sort((a, b) => a.exitTime - b.exitTime);
      assert.deepStrictEqual(back, sorted);
    });
  }

  it('writes ISO-8601 UTC times with milliseconds and the CLI contract field order', () => {
    const json = JSON.parse(exportTrades([base], 'json'));
    assert.strictEqual(json[0].entryTime, '2026-11-20T14:30:00.125Z');
    assert.deepStrictEqual(Object.keys(json[0]).slice(0, 4), ['id', 'account', 'mode', 'symbol']);
    const csv = exportTrades([base], 'csv').split('\n');
    assert.ok(csv[0].startsWith('id,account,mode,symbol,side,qty'));
  });

  it('names the line when an edited CSV has the wrong number of cells', () => {
    const csv = exportTrades([base], 'csv').replace('Sim1,', '');
    assert.throws(() => parseExport(csv), /line 2/);
  });
});
