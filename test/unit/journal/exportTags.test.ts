import * as assert from 'assert';
import { exportTrades, parseExport, parseExportWithTags } from '../../../src/core/export';
import type { Trade } from '../../../src/core/trading/types';
import { normalizeTag, normalizeTags } from '../../../src/core/trading/tags';

const t = (id: string, exitTime: number): Trade => ({
  id, account: 'Sim1', mode: 'SIM', symbol: 'MESZ5', root: 'MES', side: 'LONG', qty: 1, maxPosition: 1, entryTime: exitTime - 1000, exitTime,
  avgEntryPrice: 5000, avgExitPrice: 5001, grossPnl: 5, commissions: 1.24, netPnl: 3.76, mae: null, mfe: null, rMultiple: null, fillIds: ['a'],
});

describe('tags in the trade export', () => {
  const trades = [t('T1', 1_700_000_000_000), t('T2', 1_700_000_001_000), t('T3', 1_700_000_002_000)];
  const tags = new Map([['T1', ['A+ setup', 'breakout']], ['T3', ['fade, "quoted"']]]);

  for (const format of ['csv', 'json'] as const) {
    it(`round-trips tags through ${format} (trades untouched, untagged trades without an entry)`, () => {
      const text = exportTrades(trades, format, tags);
      const back = parseExportWithTags(text);
      assert.deepStrictEqual(back.trades, trades);
      assert.deepStrictEqual([...back.tags], [...tags]);
      assert.deepStrictEqual(parseExport(text), trades);
    });
  }

  it('JSON carries a tags array on every trade; CSV a tags column joined by ;', () => {
    const json = JSON.parse(exportTrades(trades, 'json', tags));
    assert.deepStrictEqual(json.map((j: { tags: string[] }) => j.tags), [['A+ setup', 'breakout'], [], ['fade, "quoted"']]);
    const csv = exportTrades(trades, 'csv', tags).split('\n');
    assert.ok(csv[0].endsWith(',root,tags'), csv[0]);
    assert.ok(csv[1].endsWith(',MES,A+ setup;breakout'), csv[1]);
  });

  it('reads an export written before tags existed', () => {
    const old = exportTrades(trades, 'csv').split('\n').map((l) => l.replace(/,[^,]*$/, '')).join('\n');
    assert.ok(old.split('\n')[0].endsWith(',root'));
    const back = parseExportWithTags(old);
    assert.deepStrictEqual(back.trades, trades);
    assert.strictEqual(back.tags.size, 0);
  });

  it('a tag that breaks the rule names the trade', () => {
    const json = exportTrades([trades[0]], 'json', new Map([['T1', ['ok']]])).replace('"ok"', '"(bad"');
    assert.throws(() => parseExportWithTags(json), /trade T1: tag '\(bad' starts with '\('/);
  });
});

describe('the tag rule', () => {
  it('trims, collapses whitespace, dedupes and sorts', () => {
    assert.deepStrictEqual(normalizeTags(['  b  x ', 'a', 'b x', 'A']), ['A', 'a', 'b x']);
  });
  it('refuses empty, too long, control characters, the CSV separator and a leading (', () => {
    assert.throws(() => normalizeTag('  '), /cannot be empty/);
    assert.throws(() => normalizeTag('x'.repeat(41)), /longer than 40/);
    assert.throws(() => normalizeTag('a\u0007b'), /control character/);
    assert.throws(() => normalizeTag('a;b'), /contains ';'/);
    assert.throws(() => normalizeTag('(untagged)'), /reserved/);
  });
});
