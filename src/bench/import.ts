/**
 * Import rows of `npm run bench`: 100k round trips (200k fills) from a Sierra Chart Trade Activity
 * Log export into SQLite (and PostgreSQL when reachable), `ingest` of the same fills on the bulk
 * path, and a rebuild of every trade; next to the old path (one durable commit per fill), timed on
 * a sample and extrapolated because it does not finish at full size.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as crypto from 'crypto';
import type { BenchSuite, BenchTable } from './suite';
import { SqliteStore } from '../core/store/sqlite';
import { PgStore } from '../core/store/postgres';
import { STORE_FILE } from '../core/store/files';
import type { TradeStore } from '../core/store/types';
import type { BulkWrite } from '../core/store/bulk';
import { TradeJournal } from '../core/journal';
import { rebuildPartitions, runImport, type ReplayOptions } from '../core/import';
import { ContractSpecs } from '../core/trading';
import type { Fill } from '../core/trading/types';

const PG_URL = process.env.APPSIERRA_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const SYMBOLS = ['MESH6', 'MNQH6', 'ESH6', 'NQH6'];
const T0 = Date.UTC(2025, 0, 2, 14, 30);

/** Fill i of n round trips: buy then sell, 1 lot, a second apart, four contracts in turn. */
function fillAt(i: number): Fill {
  const trip = Math.floor(i / 2);
  const price = 6000 + (trip % 40) * 0.25 + (i % 2) * (trip % 3 === 0 ? -0.5 : 1);
  return { account: 'Sim1', executionId: `B${i}`, symbol: SYMBOLS[trip % 4], side: i % 2 ? 'SELL' : 'BUY', qty: 1, price, timeMs: T0 + i * 1000, source: 'order_update' };
}

function writeExport(file: string, fills: number): void {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, 'ActivityType\tDateTime\tSymbol\tQuantity\tBuySell\tFillPrice\tTradeAccount\tFillExecutionServiceID\n');
  let buf: string[] = [];
  for (let i = 0; i < fills; i++) {
    const f = fillAt(i);
    buf.push(`Fills\t${new Date(f.timeMs).toISOString().replace('T', ' ').replace('Z', '')}\t${f.symbol}\t1\t${f.side === 'BUY' ? 'Buy' : 'Sell'}\t${(f.price * 100).toFixed(7)}\tSim1\t${f.executionId}`);
    if (buf.length === 10_000) (fs.writeSync(fd, buf.join('\n') + '\n'), (buf = []));
  }
  if (buf.length) fs.writeSync(fd, buf.join('\n') + '\n');
  fs.closeSync(fd);
}

/** Every contract's round-turn fee raised by 0.50: a rebuild rewrites every trade. */
const NEW_FEES = { MES: { tickSize: 0.25, pointValue: 5, roundTurnFee: 1.74 }, MNQ: { tickSize: 0.25, pointValue: 2, roundTurnFee: 1.74 }, ES: { tickSize: 0.25, pointValue: 50, roundTurnFee: 5 }, NQ: { tickSize: 0.25, pointValue: 20, roundTurnFee: 5 } };

const opts = (): ReplayOptions => ({ specs: new ContractSpecs(), simPattern: '^Sim', startingBalance: 10000 });
const secs = (ms: number) => Number((ms / 1000).toFixed(2));

/** Peak RSS seen while `fn` runs (sampled), in MB, and the process's CPU time (user + system) it took. */
async function withPeak<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; cpuMs: number; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    const cpu = process.cpuUsage(cpu0);
    return { value, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, peakMb: Math.round(peak / 1e6) };
  } finally {
    clearInterval(timer);
  }
}

/** Lets the collector give memory back between rows, so a row's peak RSS is mostly its own. */
function settle(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Wall seconds of the same rows at 100k round trips before the issue-13 speed work (same machine,
 * same day, 2026-12-02, load average 12-15 from parallel sessions): the bulk `ingest` copied the
 * SIM ledger's history per fill (measured 594 s at 20k round trips: quadratic, not run at 100k),
 * the import's duplicate check scanned every earlier fill at the same price, and a rebuild rewrote
 * every trade even when nothing changed.
 */
const BEFORE_100K: Record<string, string> = {
  import: '58.7 s, 482 MB',
  rebuild: '95.9 s, 805 MB',
  ingest: '594 s at 20k round trips (quadratic)',
  pg: '127.3 s, 845 MB',
};

/**
 * The same rows at 100k just before the second round of bulk work (same machine and day, load
 * average ~4): wall s / CPU s / peak RSS MB. Bulk writes then went through a JSON journal line
 * (SHA-1 of the whole chunk) into one long open batch, in chunks of 5000 fills.
 */
const LAST_100K: Record<string, string> = {
  import: '25.1 / 21.0 / 481',
  rebuild: '15.8 / 14.8 / 592',
  fee: '16.1 / 15.4 / 940',
  ingest: '13.2 / 12.3 / 578',
  pg: '30.5 / 16.5 / 780',
};

async function ingestFills(store: TradeStore, n: number, bulkChunk?: number): Promise<void> {
  const j = new TradeJournal({ store, specs: new ContractSpecs(), simPattern: '^Sim', startingBalance: 10000, bulkChunk });
  await j.open();
  for (let i = 0; i < n; i++) await j.applyFill(fillAt(i));
  await j.flush();
  j.dispose();
}

export const importBench: BenchSuite = {
  name: 'import',
  async run(o) {
    const trips = Math.max(100, o.trades ?? 100_000);
    const fills = trips * 2;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-bench-import-'));
    const rows: (string | number)[][] = [];
    try {
      const file = path.join(dir, 'TradeActivityLog_export.txt');
      writeExport(file, fills);
      const sizeMb = Number((fs.statSync(file).size / 1e6).toFixed(1));

      // Old path: one durable commit per fill (what `ingest` did), on a sample.
      const sample = Math.min(fills, 4000);
      const old = new SqliteStore(path.join(dir, 'old', STORE_FILE));
      const o1 = await withPeak(() => ingestFills(old, sample));
      await old.close();
      rows.push(['old: ingest, one commit per fill (SQLite)', `${sample} fills, x${(fills / sample).toFixed(0)}`, secs((o1.ms * fills) / sample), secs((o1.cpuMs * fills) / sample), '-', '-', '-', `measured ${secs(o1.ms)} s for ${sample} fills`]);

      const before = (k: keyof typeof BEFORE_100K) => (trips === 100_000 ? BEFORE_100K[k] : '-');
      const last = (k: keyof typeof LAST_100K) => (trips === 100_000 ? LAST_100K[k] : '-');
      const row = (what: string, n: number, r: { ms: number; cpuMs: number; peakMb: number }, was: string, note: string, lastKey: keyof typeof LAST_100K) => rows.push([what, n, secs(r.ms), secs(r.cpuMs), r.peakMb, last(lastKey), was, note]);

      settle();
      const s = new SqliteStore(path.join(dir, 'new', STORE_FILE));
      const imp = await withPeak(() => runImport({ ...opts(), store: s, files: [file] }));
      row(`import ${sizeMb} MB export (SQLite)`, fills, imp, before('import'), `${imp.value.tradesClosed} trades; target <= 15 s, RSS <= 300 MB`, 'import');
      settle();
      const same = await withPeak(() => rebuildPartitions(s, opts()));
      row('rebuild every trade, specs unchanged (SQLite)', same.value.tradesAfter, same, before('rebuild'), `${rewritten(same.value.result)} trades rewritten; target <= 10 s`, 'rebuild');
      settle();
      const fee = await withPeak(() => rebuildPartitions(s, { ...opts(), specs: new ContractSpecs(NEW_FEES) }));
      row('rebuild every trade after a fee change (SQLite)', fee.value.tradesAfter, fee, '-', `${rewritten(fee.value.result)} trades rewritten; target <= 10 s`, 'fee');
      await s.close();

      settle();
      const b = new SqliteStore(path.join(dir, 'bulk', STORE_FILE));
      const ing = await withPeak(() => ingestFills(b, fills, 5000));
      row('ingest, bulk path (SQLite)', fills, ing, before('ingest'), `${(await b.trades()).length} trades; target <= 15 s`, 'ingest');
      await b.close();

      settle();
      const schema = `as_bench_imp_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
      const pg = new PgStore({ connectionString: PG_URL, schema, connectTimeoutMs: 2000 });
      try {
        await pg.open();
        const p = await withPeak(() => runImport({ ...opts(), store: pg, files: [file] }));
        row('import (PostgreSQL, multi-row INSERTs)', fills, p, before('pg'), `${p.value.tradesClosed} trades; target <= 60 s`, 'pg');
        await pg.dropSchema();
      } catch (err) {
        rows.push(['import (PostgreSQL)', fills, '-', '-', '-', '-', '-', `skipped: ${(err as Error).message.slice(0, 80)}`]);
      } finally {
        await pg.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const table: BenchTable = {
      title: `Import and rebuild: ${trips} round trips (${fills} fills)`,
      columns: ['path', 'fills/trades', 'wall s', 'CPU s', 'peak RSS MB', 'last (wall / CPU / RSS)', 'before (wall, RSS)', 'note'],
      rows,
      note:
        'Import chunks of 20,000 fills, each one durable write (one SQLite transaction on the database file, one transaction in PostgreSQL); the bulk ingest keeps chunks of 5000 units. The old row extrapolates a timed sample linearly (it grows worse with history). ' +
        'CPU s is this process (user + system): on a shared machine wall time also counts other processes. Peak RSS is the whole bench process (run with --expose-gc to settle between rows). ' +
        'A rebuild writes only what differs, by id (rows of the same id updated in place, only vanished ids deleted); after a fee change every trade and pnl event differs, in its non-indexed columns only. ' +
        '"last" = the same row at 100k before bulk writes went straight into the SQLite file (same machine and day); "before" = before the issue-13 speed work (same machine and day, under load).',
    };
    return [table];
  },
};

/** Trades a rebuild wrote: upserted, restated in place (a fee change) or deleted. */
function rewritten(w: BulkWrite): number {
  return (w.trades?.length ?? 0) + (w.restateTrades?.length ?? 0) + (w.deleteTrades?.length ?? 0);
}
