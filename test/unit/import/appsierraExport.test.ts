import * as assert from 'assert';
import { Readable } from 'stream';
import { exportTrades } from '../../../src/core/export';
import { detectFormat, parseAs, type ImportItem } from '../../../src/core/import';
import { parseBlocksAs } from '../../../src/core/import/detect';
import { ContractSpecs, TradeEngine, isSpecError } from '../../../src/core/trading';
import type { BuySell, Fill, Trade } from '../../../src/core/trading/types';

const T0 = Date.UTC(2026, 8, 8, 13, 30, 0, 125);
let n = 0;
const f = (account: string, symbol: string, side: BuySell, qty: number, price: number, extra: Partial<Fill> = {}): Fill => ({
  account, executionId: `E${++n}`, symbol, side, qty, price, timeMs: T0 + n * 61_001, source: 'order_update', ...extra,
});

function run(fills: Fill[], specs = new ContractSpecs()): Trade[] {
  const e = new TradeEngine({ specs });
  return fills.flatMap((x) => e.apply(x).trades);
}

async function parse(text: string, chunk = 11): Promise<ImportItem[]> {
  const specs = new ContractSpecs();
  const pv = (s: string) => {
    const r = specs.resolve(s);
    return isSpecError(r) ? null : r.pointValue;
  };
  const d = detectFormat(Buffer.from(text.slice(0, 65536)));
  const b = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < b.length; i += chunk) chunks.push(b.subarray(i, i + chunk));
  const out: ImportItem[] = [];
  for await (const it of parseAs(d.format, Readable.from(chunks), { pointValue: pv })) out.push(it);
  return out;
}

describe('import/appsierra export: the round trip', () => {
  const original = run([
    f('Sim1', 'MESZ5', 'BUY', 2, 6000.25, { highDuringPosition: 6004, lowDuringPosition: 5998.5 }),
    f('Sim1', 'MESZ5', 'SELL', 2, 6003.5),
    f('Sim1', 'MNQZ5', 'SELL', 1, 21000, { highDuringPosition: 21010, lowDuringPosition: 20990.25 }),
    f('Sim1', 'MNQZ5', 'BUY', 1, 21012.75),
    f('Live7', 'ESZ5', 'BUY', 1, 6001, { fee: 2.1 }),
    f('Live7', 'ESZ5', 'SELL', 1, 5999.75, { fee: 2.15 }),
    f('Sim1', 'MESZ5', 'SELL', 3, 6010),
    f('Sim1', 'MESZ5', 'BUY', 3, 6011.25),
  ]);

  for (const format of ['csv', 'json'] as const) {
    it(`${format}: export -> parse -> engine gives identical trades`, async () => {
      const text = exportTrades(original, format);
      assert.strictEqual(detectFormat(Buffer.from(text)).format, `appsierra-${format}`);
      const items = await parse(text);
      const fills = items.flatMap((i) => (i.kind === 'fill' ? [i.fill] : []));
      assert.strictEqual(fills.length, original.length * 2);
      const back = run(fills.sort((a, b) => a.timeMs - b.timeMs));
      const key = (t: Trade) => t.id;
      assert.deepStrictEqual([...back].sort((a, b) => key(a).localeCompare(key(b))), [...original].sort((a, b) => key(a).localeCompare(key(b))));
    });
  }

  for (const format of ['csv', 'json'] as const) {
    it(`${format}: the import reads a read block of rows per await, the same items as one at a time`, async () => {
      const many: Trade[] = [];
      for (let i = 0; i < 60; i++) many.push(...run([f('Sim1', 'MESZ5', 'BUY', 1, 6000 + i / 4), f('Sim1', 'MESZ5', 'SELL', 1, 6001 + i / 4)]));
      const text = exportTrades(many, format);
      const b = Buffer.from(text);
      const chunks: Buffer[] = [];
      for (let i = 0; i < b.length; i += 4096) chunks.push(b.subarray(i, i + 4096));
      const blocks: ImportItem[][] = [];
      for await (const block of parseBlocksAs(`appsierra-${format}`, Readable.from(chunks))) blocks.push(block);
      assert.ok(blocks.length <= chunks.length + 1 && blocks.length < 60, `${blocks.length} blocks for ${chunks.length} reads`);
      const one: ImportItem[] = [];
      for await (const it of parseAs(`appsierra-${format}`, Readable.from(chunks))) one.push(it);
      assert.deepStrictEqual(blocks.flat(), one);
      assert.strictEqual(one.filter((i) => i.kind === 'fill').length, 120);
    });
  }

  it('odd characters in tags (braces, quotes, backslashes, commas, newlines) survive CSV and JSON, compact or pretty, in any read size', async () => {
    const tags = new Map(original.map((t, i) => [t.id, [`a{b${i}`, 'c"d}', 'e\\f', 'g,h', 'i\nj']]));
    const fillsOf = (items: ImportItem[]) => items.map((i) => (i.kind === 'fill' ? { fill: i.fill, tags: i.tags } : i.kind === 'skip' ? i.reason : i.kind));
    const pretty = exportTrades(original, 'json', tags);
    const compact = JSON.stringify(JSON.parse(pretty));
    const csv = exportTrades(original, 'csv', tags);
    const want = fillsOf(await parse(pretty, 1 << 16));
    assert.strictEqual(want.length, original.length * 2);
    assert.deepStrictEqual((want[1] as { tags: { tags: string[] } }).tags.tags, ['a{b0', 'c"d}', 'e\\f', 'g,h', 'i\nj']);
    for (const chunk of [7, 64, 1 << 16]) {
      assert.deepStrictEqual(fillsOf(await parse(pretty, chunk)), want, `pretty JSON, reads of ${chunk}`);
      assert.deepStrictEqual(fillsOf(await parse(compact, chunk)), want, `compact JSON, reads of ${chunk}`);
      assert.deepStrictEqual(fillsOf(await parse(csv, chunk)), want, `CSV, reads of ${chunk}`);
    }
  });

  it('a bad row is skipped with its reason; a truncated JSON export is refused', async () => {
    const text = exportTrades(original.slice(0, 1), 'csv').replace(/,LONG,/, ',SIDEWAYS,');
    const items = await parse(text);
    assert.deepStrictEqual(items.map((i) => i.kind), ['skip']);
    assert.match((items[0] as { reason: string }).reason, /SIDEWAYS/);
    const json = exportTrades(original, 'json');
    await assert.rejects(parse(json.slice(0, json.length - 40)), /truncated/);
  });
});
