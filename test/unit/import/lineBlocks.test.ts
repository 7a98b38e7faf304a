import * as assert from 'assert';
import { Readable } from 'stream';
import { readLineBlocks, readLines } from '../../../src/core/import/lines';
import { parseSierraTextBlocks, parseWallTime } from '../../../src/core/import/sierraText';
import type { ImportItem } from '../../../src/core/import';

/** The bytes cut into pieces at the given offsets (each a read block). */
function cut(bytes: Buffer, at: number[]): Readable {
  const parts: Buffer[] = [];
  let prev = 0;
  for (const a of [...at, bytes.length]) (parts.push(bytes.subarray(prev, a)), (prev = a));
  return Readable.from(parts);
}

async function blockLines(bytes: Buffer, at: number[]): Promise<string[][]> {
  const out: string[][] = [];
  for await (const b of readLineBlocks(cut(bytes, at))) out.push(b);
  return out;
}

const HEADER = 'ActivityType\tDateTime\tSymbol\tQuantity\tBuySell\tFillPrice\tTradeAccount\tFillExecutionServiceID';
const row = (id: string, time = '2026-09-08 13:31:05.250') => `Fills\t${time}\tMESU6.CME\t2\tBuy\t651225.0000000\tSim1\t${id}`;

async function items(text: Buffer, at: number[]): Promise<ImportItem[]> {
  const out: ImportItem[] = [];
  for await (const b of parseSierraTextBlocks(cut(text, at), 'export')) out.push(...b);
  return out;
}

describe('import/lines: lines by read block', () => {
  it('a line split across read blocks comes whole, in the later block', async () => {
    const bytes = Buffer.from('alpha\nbravo charlie\ndelta\n');
    const blocks = await blockLines(bytes, [9]);
    assert.deepStrictEqual(blocks, [['alpha'], ['bravo charlie', 'delta']]);
  });

  it('every cut point gives the same lines (CRLF, CR and LF in different blocks, UTF-8 split mid-character)', async () => {
    const text = 'one\r\ntwo é\r\n\r\nthree\r\n';
    const bytes = Buffer.from(text, 'utf8');
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b++) {
        const lines = (await blockLines(bytes, [a, b])).flat();
        assert.deepStrictEqual(lines, ['one', 'two é', '', 'three'], `cut at ${a}, ${b}`);
      }
    }
  });

  it('the last line without a newline is kept, also when it is a block of its own', async () => {
    assert.deepStrictEqual((await blockLines(Buffer.from('a\nb'), [])).flat(), ['a', 'b']);
    assert.deepStrictEqual(await blockLines(Buffer.from('a\nb'), [2]), [['a'], ['b']]);
    assert.deepStrictEqual((await blockLines(Buffer.from('a\r\nlast\r'), [])).flat(), ['a', 'last']);
  });

  it('a UTF-8 BOM is not part of the first line; UTF-16LE with a BOM decodes the same', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('head\nx\n')]);
    assert.deepStrictEqual((await blockLines(bom, [1])).flat(), ['head', 'x']);
    const u16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('head\r\nx\r\n', 'utf16le')]);
    assert.deepStrictEqual((await blockLines(u16, [3, 7])).flat(), ['head', 'x']);
  });

  it('readLines yields the same lines one by one; an empty source yields none', async () => {
    const out: string[] = [];
    for await (const l of readLines(cut(Buffer.from('x\r\n\ny'), [2]))) out.push(l);
    assert.deepStrictEqual(out, ['x', '', 'y']);
    assert.deepStrictEqual(await blockLines(Buffer.alloc(0), []), []);
  });
});

describe('import/sierraText: rows parsed by read block', () => {
  it('CRLF, a BOM, a row split across blocks and a last row without newline give the same fills as whole LF text', async () => {
    const lf = Buffer.from([HEADER, row('A1'), row('A2'), row('A3')].join('\n') + '\n');
    const want = (await items(lf, [])).map((i) => (i.kind === 'fill' ? i.fill : i));
    assert.strictEqual(want.length, 3);
    const crlf = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([HEADER, row('A1'), row('A2'), row('A3')].join('\r\n'))]);
    for (const at of [[], [HEADER.length + 20], [crlf.length - 5], [50, 100, 150]]) {
      const got = (await items(crlf, at)).map((i) => (i.kind === 'fill' ? i.fill : i));
      assert.deepStrictEqual(got, want, `cut at ${at}`);
    }
  });

  it('a short row reads its missing cells as empty; blank lines are not rows; line numbers count every line', async () => {
    const text = Buffer.from([HEADER, row('A1'), '', 'Fills\t2026-09-08 13:31:05\tMESU6.CME', 'Orders\t2026-09-08 13:31:05'].join('\n'));
    const got = await items(text, [70]);
    assert.strictEqual(got.length, 3);
    assert.strictEqual(got[0].kind, 'fill');
    assert.deepStrictEqual(got[1], { kind: 'skip', reason: 'no TradeAccount (pass --account)', where: 'line 4' });
    assert.deepStrictEqual(got[2], { kind: 'other', where: 'line 5' });
  });

  it('cells are trimmed, and a header without a needed column is refused', async () => {
    const text = Buffer.from(`${HEADER}\n Fills \t 2026-09-08 13:31:05 \t MESU6.CME \t2\t Buy \t651225.0000000\t Sim1 \t A1 \n`);
    const [it] = await items(text, []);
    assert.ok(it.kind === 'fill');
    assert.deepStrictEqual([it.fill.account, it.fill.symbol, it.fill.executionId, it.fill.side, it.fill.timeMs], ['Sim1', 'MESU6.CME', 'A1', 'BUY', Date.UTC(2026, 8, 8, 13, 31, 5)]);
    await assert.rejects(items(Buffer.from('ActivityType\tDateTime\tSymbol\tBuySell\tFillPrice\nFills\n'), []), /no Quantity or FilledQuantity column/);
  });
});

describe('import/sierraText: wall times', () => {
  it('the Export formats read digit by digit agree with the general pattern; others fall back to it', () => {
    assert.strictEqual(parseWallTime('2026-09-08 13:31:05'), Date.UTC(2026, 8, 8, 13, 31, 5));
    assert.strictEqual(parseWallTime('2026-09-08 13:31:05.250'), Date.UTC(2026, 8, 8, 13, 31, 5, 250));
    assert.strictEqual(parseWallTime('2026-09-08T13:31:05.25Z'), Date.UTC(2026, 8, 8, 13, 31, 5, 250));
    assert.strictEqual(parseWallTime('2026-9-8 3:31'), Date.UTC(2026, 8, 8, 3, 31));
    assert.strictEqual(parseWallTime(' 2026-09-08 13:31:05 '), Date.UTC(2026, 8, 8, 13, 31, 5));
    for (const bad of ['2026-13-08 13:31:05', '2026-09-00 13:31:05', '2026-09-08 24:00:00', '2026-09-08 13:31:0x', '2026-09-08 13:31:05,250', 'not a time', '']) {
      assert.strictEqual(parseWallTime(bad), null, bad);
    }
  });
});
