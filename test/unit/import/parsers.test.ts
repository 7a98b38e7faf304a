import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Readable } from 'stream';
import {
  checkTimeZone, detectFormat, ImportFormatError, isSyntheticId, parseAs, readHead, zonedToUtc, type ImportFormat, type ImportItem, type ParseOptions,
} from '../../../src/core/import';
import { builtinSpec, rootOf } from '../../../src/core/trading';
import type { Fill } from '../../../src/core/trading/types';

const FIX = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'import');
const fx = (name: string) => path.join(FIX, name);
const tickSize = (s: string) => builtinSpec(rootOf(s) ?? '')?.tickSize ?? null;

async function collect(file: string, opts: ParseOptions = {}, format?: ImportFormat, chunk = 7): Promise<ImportItem[]> {
  const head = readHead(file);
  const d = detectFormat(head);
  const bytes = fs.readFileSync(file);
  // Tiny chunks prove that lines and records split across reads are put back together.
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
  const out: ImportItem[] = [];
  for await (const it of parseAs(format ?? d.format, Readable.from(chunks), { tickSize, ...opts }, !format && !!d.variantUndecided)) out.push(it);
  return out;
}
const fills = (items: ImportItem[]): Fill[] => items.flatMap((i) => (i.kind === 'fill' ? [i.fill] : []));
const T = (iso: string) => Date.parse(iso);

/** The session every Sierra fixture holds, in real prices and UTC. */
const SESSION = [
  { symbol: 'MESU6.CME', side: 'BUY', qty: 2, price: 6512.25, timeMs: T('2026-09-08T13:31:05.250Z') },
  { symbol: 'MESU6.CME', side: 'SELL', qty: 2, price: 6514.75, timeMs: T('2026-09-08T13:40:10.000Z') },
  { symbol: 'ESU6.CME', side: 'SELL', qty: 1, price: 6515, timeMs: T('2026-09-08T14:02:00.000Z') },
  { symbol: 'ESU6.CME', side: 'BUY', qty: 1, price: 6514, timeMs: T('2026-09-08T14:05:30.500Z') },
];
const shape = (f: Fill) => ({ symbol: f.symbol, side: f.side, qty: f.qty, price: f.price, timeMs: f.timeMs });

describe('import/parsers: Sierra Chart Trade Activity Log', () => {
  it('File >> Export: only Fills rows, UTC times, x100 prices divided by 100, columns by name', async () => {
    assert.deepStrictEqual(detectFormat(readHead(fx('sierra-export.txt'))), { format: 'sierra-export' });
    const items = await collect(fx('sierra-export.txt'));
    assert.deepStrictEqual(fills(items).map(shape), SESSION);
    assert.strictEqual(items.filter((i) => i.kind === 'other').length, 2, 'the two Orders rows are counted, not fills');
    const bad = items.filter((i) => i.kind === 'skip');
    assert.strictEqual(bad.length, 1);
    assert.match((bad[0] as { reason: string }).reason, /DateTime "not a time"/);
    assert.strictEqual(bad[0].where, 'line 7');
    const [f1, f2, f3, f4] = fills(items);
    assert.strictEqual(f1.account, 'RTSL00000000000');
    assert.strictEqual(f1.executionId, 'X-1001');
    assert.strictEqual(f2.highDuringPosition, 6515.5);
    assert.strictEqual(f2.lowDuringPosition, 6511);
    assert.strictEqual(f1.source, 'import');
    // No FillExecutionServiceID: a stable id made from the row, marked as made up.
    assert.ok(isSyntheticId(f3.executionId) && isSyntheticId(f4.executionId));
    assert.notStrictEqual(f3.executionId, f4.executionId);
    assert.deepStrictEqual(fills(await collect(fx('sierra-export.txt'), {}, undefined, 1 << 16)).map((f) => f.executionId), fills(items).map((f) => f.executionId));
  });

  it('a newer build (IsAutomated, columns moved) reads the same fills', async () => {
    const items = await collect(fx('sierra-export-newer-build.txt'));
    assert.deepStrictEqual(fills(items).map(shape), SESSION.slice(0, 2));
  });

  it('Save Log As: refused without a time zone, with why and how', async () => {
    assert.strictEqual(detectFormat(readHead(fx('sierra-save-log-as.txt'))).format, 'sierra-log');
    await assert.rejects(collect(fx('sierra-save-log-as.txt')), (e: Error) => {
      assert.ok(e instanceof ImportFormatError);
      assert.match(e.message, /Save Log As/);
      assert.match(e.message, /shift every trade/);
      assert.match(e.message, /--time-zone/);
      return true;
    });
  });

  it('Save Log As with --time-zone America/New_York: display prices, local times -> UTC', async () => {
    const items = await collect(fx('sierra-save-log-as.txt'), { timeZone: 'America/New_York' });
    assert.deepStrictEqual(fills(items).map(shape), SESSION);
  });

  it('Export forced on a Save Log As file: display prices fail the tick-grid check (x100 is checked, not trusted)', async () => {
    const items = await collect(fx('sierra-save-log-as.txt'), {}, 'sierra-export');
    assert.strictEqual(fills(items).length, 0);
    const reasons = items.flatMap((i) => (i.kind === 'skip' ? [i.reason] : []));
    assert.strictEqual(reasons.length, 4);
    assert.match(reasons[0], /display price, not the x100 Export scale/);
  });

  it('seven-decimal display prices (6J) are not mistaken for x100 prices', async () => {
    const file = path.join(fs.mkdtempSync(path.join(require('os').tmpdir(), 'imp-')), 'yen.txt');
    fs.writeFileSync(file, 'ActivityType\tDateTime\tSymbol\tQuantity\tBuySell\tFillPrice\tTradeAccount\nFills\t2026-09-08 13:00:00\t6JU6\t1\tBuy\t0.0066125\tA1\n');
    const items = await collect(file);
    assert.strictEqual(items[0].kind, 'skip');
    assert.match((items[0] as { reason: string }).reason, /sierra-log/);
  });
});

describe('import/parsers: Sierra Chart .data (binary)', () => {
  it('header, fields by id, fills only, unknown fields skipped, x100 prices, times from 1899-12-30', async () => {
    const file = fx('TradeActivityLog_2026-09-08_UTC.simulated.data');
    assert.deepStrictEqual(detectFormat(readHead(file)), { format: 'sierra-data' });
    const items = await collect(file, {}, undefined, 5);
    assert.deepStrictEqual(fills(items).map(shape), SESSION);
    assert.strictEqual(items.filter((i) => i.kind === 'other').length, 1);
    assert.strictEqual(items.filter((i) => i.kind === 'skip').length, 0);
    assert.strictEqual(fills(items)[0].executionId, 'X-1001');
    assert.strictEqual(fills(items)[0].positionAfter, 2);
    assert.strictEqual(fills(items)[0].serverOrderId, '101');
  });

  it('a truncated file keeps the whole records and reports the torn one', async () => {
    const bytes = fs.readFileSync(fx('TradeActivityLog_2026-09-08_UTC.simulated.data'));
    const items: ImportItem[] = [];
    for await (const it of parseAs('sierra-data', Readable.from([bytes.subarray(0, bytes.length - 20)]))) items.push(it);
    assert.strictEqual(fills(items).length, 3);
    assert.match((items.at(-1) as { reason: string }).reason, /truncated last record/);
  });
});

describe('import/parsers: detection of other files', () => {
  for (const [name, why] of [['garbage.bin', /binary file of another kind/], ['other-tool.csv', /CSV from another tool/]] as const) {
    it(`${name}: names what was expected and what the first line holds`, () => {
      assert.throws(() => detectFormat(readHead(fx(name))), (e: Error) => {
        assert.ok(e instanceof ImportFormatError);
        assert.match(e.message, /expected a Sierra Chart Trade Activity Log/);
        assert.match(e.message, /the first line is/);
        assert.match(e.message, why);
        return true;
      });
    });
  }

  it('a recorded DTC stream is pointed to ingest', () => {
    assert.throws(() => detectFormat(Buffer.from('{"Type":301,"Symbol":"ESZ5"}\n')), /appsierra ingest/);
  });

  it('a wrong --format is refused on the first line', async () => {
    await assert.rejects(collect(fx('sierra-export.txt'), {}, 'appsierra-csv'), (e: Error) => e instanceof ImportFormatError && /APPSIERRA trade export/.test(e.message) && /ActivityType/.test(e.message));
    await assert.rejects(collect(fx('other-tool.csv'), {}, 'sierra-data'), (e: Error) => e instanceof ImportFormatError && /TradeActivityLog \.data/.test(e.message));
  });

  it('UTF-16 text (Windows tools) decodes like UTF-8', async () => {
    const text = fs.readFileSync(fx('sierra-export.txt'), 'utf8');
    const file = path.join(fs.mkdtempSync(path.join(require('os').tmpdir(), 'imp-')), 'u16.txt');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    assert.deepStrictEqual(fills(await collect(file)).map(shape), SESSION);
  });
});

describe('import/timeZone', () => {
  it('wall clock in a zone -> UTC across daylight saving', () => {
    assert.strictEqual(zonedToUtc(Date.UTC(2026, 8, 8, 9, 31), 'America/New_York'), Date.UTC(2026, 8, 8, 13, 31));
    assert.strictEqual(zonedToUtc(Date.UTC(2026, 0, 8, 9, 31), 'America/New_York'), Date.UTC(2026, 0, 8, 14, 31));
    assert.strictEqual(zonedToUtc(Date.UTC(2026, 0, 8, 9, 31), 'UTC'), Date.UTC(2026, 0, 8, 9, 31));
    assert.strictEqual(zonedToUtc(Date.UTC(2026, 6, 1, 15, 0), 'Europe/Berlin'), Date.UTC(2026, 6, 1, 13, 0));
  });
  it('a bad zone name is named with the fix', () => {
    assert.strictEqual(checkTimeZone('America/Chicago'), null);
    assert.match(checkTimeZone('Mars/Olympus') ?? '', /IANA name/);
  });
});
