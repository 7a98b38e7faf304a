/** CSV export never hands a spreadsheet a formula (OWASP CSV injection), and numbers stay numbers. */
import * as assert from 'assert';
import { exportTrades, neutraliseFormula, parseExport, restoreFormula } from '../../../src/core/export';
import type { Trade } from '../../../src/core/trading/types';

const base: Trade = {
  id: 'Sim1:MESZ5:E1', account: 'Sim1', mode: 'SIM', symbol: 'MESZ5', root: 'MES', side: 'LONG', qty: 1, maxPosition: 1,
  entryTime: Date.UTC(2026, 10, 20, 14, 30), exitTime: Date.UTC(2026, 10, 20, 14, 35), avgEntryPrice: 5000, avgExitPrice: 4997.5,
  grossPnl: -12.5, commissions: 1.24, netPnl: -13.74, mae: -20, mfe: 2.5, rMultiple: -0.5, fillIds: ['E1', 'X1'],
};

/** Splits one CSV data line into cells (the test data has no quoted commas except where stated). */
function cellsOf(csv: string, line = 1): Record<string, string> {
  const [header, ...rows] = csv.trimEnd().split('\n');
  const names = header.split(',');
  const cells = rows[line - 1].split(',');
  return Object.fromEntries(names.map((n, i) => [n, cells[i]]));
}

/** Every cell's text as a spreadsheet sees it (CSV quotes removed), all lines together. */
function csvCells(text: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',' || ch === '\n') (cells.push(cell), (cell = ''));
    else cell += ch;
  }
  if (cell) cells.push(cell);
  return cells;
}

describe('CSV export: formula injection (OWASP) and numbers', () => {
  const hostile = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd', "'=already", "''+x"];

  for (const text of hostile) {
    it(`neutralises a text cell starting ${JSON.stringify(text.slice(0, 2))} and reads it back unchanged`, () => {
      const t = { ...base, account: text, symbol: text, fillIds: [text, 'X1'] };
      const csv = exportTrades([t], 'csv');
      for (const cell of csvCells(csv.slice(csv.indexOf('\n') + 1))) {
        // A plain number (a negative P&L) is data a spreadsheet reads as a number, not a formula.
        const isNumber = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(cell);
        assert.ok(isNumber || !/^[=+\-@\t\r]/.test(cell), `cell ${JSON.stringify(cell)} would run as a formula`);
      }
      assert.deepStrictEqual(parseExport(csv), [t]);
    });
  }

  it('keeps negative money and R as plain numbers (no apostrophe)', () => {
    const c = cellsOf(exportTrades([base], 'csv'));
    assert.strictEqual(c.grossPnl, '-12.5');
    assert.strictEqual(c.netPnl, '-13.74');
    assert.strictEqual(c.mae, '-20');
    assert.strictEqual(c.rMultiple, '-0.5');
    assert.deepStrictEqual(parseExport(exportTrades([base], 'csv')), [base]);
  });

  it('leaves ordinary text alone, and restore undoes exactly one added apostrophe', () => {
    assert.strictEqual(neutraliseFormula('Sim1'), 'Sim1');
    assert.strictEqual(neutraliseFormula("it's"), "it's");
    assert.strictEqual(neutraliseFormula('=1'), "'=1");
    assert.strictEqual(neutraliseFormula("'=1"), "''=1");
    for (const s of ['Sim1', "it's", '=1', "'=1", "''-2", "'", '']) assert.strictEqual(restoreFormula(neutraliseFormula(s)), s);
  });
});
