/**
 * Store rows of `npm run bench`: durable commit latency against history size (SQLite, PostgreSQL),
 * next to the floor (a bare append + fdatasync on the same disk) and the original app's ~50 ms,
 * and the two SQLite engines side by side (issue 12): open and ready time, RSS, the longest
 * event-loop stall during 1,000 commits with the default settings (snapshots and batches
 * included), each measured in a fresh process. History is bulk-loaded, not committed one by one.
 */
import { spawn } from 'child_process';
import { monitorEventLoopDelay } from 'perf_hooks';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as crypto from 'crypto';
import type { BenchSuite, BenchTable } from './suite';
import type { CommitUnit } from '../core/store/types';
import type { Fill, Trade } from '../core/trading/types';
import { SqliteStore, SqliteEngineKind } from '../core/store/sqlite';
import { STORE_FILE } from '../core/store/files';
import { PgStore } from '../core/store/postgres';
import { tradeIdFor } from '../core/trading/engine';

const PG_URL = process.env.APPSIERRA_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const SAMPLES = 300;

export const storeBench: BenchSuite = {
  name: 'store',
  async run(opts) {
    if (process.env[CHILD_ENV]) {
      await engineChild(JSON.parse(process.env[CHILD_ENV]) as EngineChildJob);
      return [];
    }
    const max = Math.max(10, opts.trades ?? 100_000);
    const sizes = [1000, 10_000, 100_000].map((n) => Math.min(n, max)).filter((n, i, a) => a.indexOf(n) === i);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-bench-store-'));
    const rows: (string | number)[][] = [];
    try {
      const floor = latencies(SAMPLES, appendFloor(path.join(dir, 'floor.log')));
      rows.push(['append + fdatasync (floor)', '-', ms(pct(floor, 50)), ms(pct(floor, 99))]);
      for (const n of sizes) {
        const s = new SqliteStore(path.join(dir, `h${n}`, STORE_FILE));
        await s.bulkLoad(history(n));
        const lat = await asyncLatencies(SAMPLES, (i) => s.commit(unitAt(n * 2 + i, 'X')));
        rows.push(['SqliteStore commit (file engine)', n, ms(pct(lat, 50)), ms(pct(lat, 99))]);
        await s.close();
      }
      const pgRows = await pgRowsFor(sizes);
      rows.push(...pgRows);
      rows.push(['original app (published)', '-', '~50', '-']);

      const engineRows = await engineComparison(dir, [...new Set([Math.min(1000, max), max])]);
      const tables: BenchTable[] = [
        {
          title: 'Store: durable commit latency (ms) vs history size',
          columns: ['store', 'trades in history', 'p50 ms', 'p99 ms'],
          rows,
          note: `Targets: SQLite p50 <= 0.5 ms and flat in history size; PostgreSQL loopback p50 <= 2 ms (one round trip per commit); PostgreSQL bulk of 100k round trips (200k fills) <= 60 s (its p50 column holds the total seconds). ${SAMPLES} commits each; every commit is fdatasync'ed (SQLite) or a committed transaction (PostgreSQL) before it resolves.`,
        },
        {
          title: 'Store engines: sql.js snapshots (old, `memory`) vs node-sqlite3-wasm on the file (new, `file`), each in a fresh process',
          columns: ['engine', 'trades', 'file MB', 'open ms', 'ready ms', 'RSS +MB open', 'RSS +MB ready', 'longest stall ms', 'commit p50', 'commit p99', 'floor p50', 'p50/floor', 'close ms'],
          rows: engineRows,
          note: 'open: store.open(); ready: open + what the journal and views load today (fill keys, positions, SIM events, all trades). RSS: growth of the process over itself before open, after open and after ready. ' +
            'Longest stall: the longest event-loop delay during 1,000 live commits with the default settings (memory: a snapshot every 1,000 operations; file: a batch every 256 operations or 200 ms), and 300 ms after. ' +
            'Commit p50/p99 (ms) over those commits, next to an append + fdatasync floor measured in the same process. close: the final snapshot (memory) or batch (file). Goals (issue 12) at 100k: stall <= 50 ms, p50 <= 2x floor. `--trades 1000000` adds 1M (minutes to build).',
        },
      ];
      return tables;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

async function pgRowsFor(sizes: number[]): Promise<(string | number)[][]> {
  const schema = `as_bench_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  const rows: (string | number)[][] = [];
  const probe = new PgStore({ connectionString: PG_URL, schema, connectTimeoutMs: 2000 });
  try {
    await probe.open();
  } catch (err) {
    await probe.close();
    return [['PgStore commit', '-', `skipped: ${(err as Error).message}`, '-']];
  }
  try {
    let loaded = 0;
    for (const n of sizes) {
      await bulkPg(probe, loaded, n);
      loaded = n;
      await probe.commit(unitAt(n * 3, `W${n}`)); // warm the prepared statements
      const lat = await asyncLatencies(SAMPLES, (i) => probe.commit(unitAt(n * 3 + 1 + i, `P${n}`)));
      rows.push(['PgStore commit (loopback)', n, ms(pct(lat, 50)), ms(pct(lat, 99))]);
    }
    rows.push(await pgBulkRow(sizes[sizes.length - 1]));
  } finally {
    await probe.dropSchema().catch(() => undefined);
    await probe.close();
  }
  return rows;
}

/** PgStore.commitBatch of `n` round trips (2n fills: an opening and a closing unit each) into a fresh schema. */
async function pgBulkRow(n: number): Promise<(string | number)[]> {
  const schema = `as_bench_bulk_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  const s = new PgStore({ connectionString: PG_URL, schema });
  try {
    await s.open();
    const units: CommitUnit[] = [];
    for (let i = 0; i < n; i++) {
      const close = unitAt(i, 'B');
      const open: CommitUnit = { ...close, fill: { ...close.fill, executionId: `B${i}o`, side: 'BUY', timeMs: close.fill.timeMs - 500 }, trades: [], simEvents: [],
        position: { account: 'Sim1', mode: 'SIM', symbol: 'MESZ5', qty: 1, avgPrice: 5000, entryFees: 0.62, tradeId: close.trades[0].id, side: 'LONG', openedQty: 1, maxPosition: 1, entryTime: close.fill.timeMs - 500, lastFillTime: close.fill.timeMs - 500, entryNotional: 5000, exitNotional: 0, exitQty: 0, grossPnl: 0, commissions: 0, highPrice: null, lowPrice: null, initialStop: null, fillIds: [`B${i}o`] } };
      units.push(open, close);
    }
    const t0 = performance.now();
    const added = await s.commitBatch(units);
    const secs = (performance.now() - t0) / 1000;
    return [`PgStore commitBatch: ${n} round trips (${added} fills), total s`, n, Number(secs.toFixed(2)), `${Math.round(added / secs)} fills/s`];
  } catch (err) {
    return ['PgStore commitBatch', n, `failed: ${(err as Error).message}`, '-'];
  } finally {
    await s.dropSchema().catch(() => undefined);
    await s.close();
  }
}

/** Bulk history for PostgreSQL through a plain client (multi-row inserts), not durable commits one by one. */
async function bulkPg(store: PgStore, from: number, to: number): Promise<void> {
  const { Client } = await import('pg');
  const c = new Client({ connectionString: PG_URL });
  await c.connect();
  try {
    const q = (s: string) => `"${store.schema}".${s}`;
    for (let start = from; start < to; start += 1000) {
      const end = Math.min(to, start + 1000);
      const ids = Array.from({ length: end - start }, (_, i) => start + i);
      await c.query(`INSERT INTO ${q('trades')} (id, account, mode, symbol, root, side, qty, max_position, entry_time, exit_time, avg_entry_price, avg_exit_price, gross_pnl, commissions, net_pnl, mae, mfe, r_multiple, fill_ids)
        SELECT 'H' || i, 'Sim1', 'SIM', 'MESZ5', 'MES', 'LONG', 1, 1, 1700000000000 + i * 1000, 1700000000500 + i * 1000, 5000, 5001, 5, 1.24, 3.76, NULL, NULL, NULL, '[]'
        FROM unnest($1::int[]) AS i`, [ids]);
      await c.query(`INSERT INTO ${q('fills')} (account, execution_id, symbol, side, qty, price, time_ms, source)
        SELECT 'Sim1', 'H' || i || s, 'MESZ5', 'BUY', 1, 5000, 1700000000000 + i * 1000, 'ingest' FROM unnest($1::int[]) AS i, unnest(ARRAY['a','b']) AS s`, [ids]);
    }
    await c.query(`ANALYZE ${q('trades')}; ANALYZE ${q('fills')}`);
  } finally {
    await c.end();
  }
}

function history(n: number): CommitUnit[] {
  return historyRange(0, n);
}

/** A scalper's pace: 400 round trips a day, so 100k trades are ~8 months and 1M ~7 years. */
const TRADE_SPACING_MS = 216_000;
const HISTORY_START_MS = 1_700_000_000_000;

function unitAt(i: number, tag: string, startMs = HISTORY_START_MS): CommitUnit {
  const t = startMs + i * TRADE_SPACING_MS;
  const fill: Fill = { account: 'Sim1', executionId: `${tag}${i}`, symbol: 'MESZ5', side: 'SELL', qty: 1, price: 5001, timeMs: t, fee: 0.62, source: 'ingest' };
  // Ids as the trade engine makes them (t- and 32 hex digits): their size is part of what a store holds.
  const trade: Trade = { id: tradeIdFor('Sim1', 'MESZ5', `${tag}${i}o`, false), account: 'Sim1', mode: 'SIM', symbol: 'MESZ5', root: 'MES', side: 'LONG', qty: 1, maxPosition: 1, entryTime: t - 500, exitTime: t, avgEntryPrice: 5000, avgExitPrice: 5001, grossPnl: 5, commissions: 1.24, netPnl: 3.76, mae: -1.25, mfe: 6.25, rMultiple: null, fillIds: [`${tag}${i}o`, `${tag}${i}`] };
  return { fill, trades: [trade], position: null, positionKey: { account: 'Sim1', symbol: 'MESZ5' }, simEvents: [{ id: `pnl:${trade.id}`, account: 'Sim1', kind: 'pnl', amount: 3.76, timeMs: t, tradeId: trade.id }] };
}

function appendFloor(file: string): () => void {
  const fd = fs.openSync(file, 'a');
  const line = Buffer.from('x'.repeat(700) + '\n');
  return () => {
    fs.writeSync(fd, line);
    fs.fdatasyncSync(fd);
  };
}

function latencies(n: number, fn: () => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out;
}

async function asyncLatencies(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

function ms(x: number): number {
  return Number(x.toFixed(3));
}

const CHILD_ENV = 'APPSIERRA_BENCH_STORE_CHILD';

interface EngineChildJob {
  engine: SqliteEngineKind;
  file: string;
  n: number;
  out: string;
}

/** Builds one store per engine and size, then measures each in a fresh process (RSS is per process). */
async function engineComparison(dir: string, sizes: number[]): Promise<(string | number)[][]> {
  const rows: (string | number)[][] = [];
  for (const n of sizes) {
    for (const engine of ['memory', 'file'] as SqliteEngineKind[]) {
      const file = path.join(dir, `e-${engine}-${n}`, STORE_FILE);
      const b = new SqliteStore(file, { engine });
      await writeHistory(b, n);
      await b.close();
      const sizeMb = Number((fs.statSync(file).size / 1e6).toFixed(1));
      const out = path.join(dir, `e-${engine}-${n}.json`);
      try {
        await runChild({ engine, file, n, out });
        const r = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, number>;
        rows.push([engine === 'memory' ? 'sql.js (old)' : 'file (new)', n, sizeMb, ms(r.openMs), ms(r.readyMs), Math.round(r.rssOpenDeltaMb), Math.round(r.rssDeltaMb), ms(r.stallMs), ms(r.p50), ms(r.p99), ms(r.floorP50), Number((r.p50 / r.floorP50).toFixed(2)), ms(r.closeMs)]);
      } catch (err) {
        rows.push([engine, n, sizeMb, `failed: ${(err as Error).message}`, '-', '-', '-', '-', '-', '-', '-', '-', '-']);
      }
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  }
  return rows;
}

function runChild(job: EngineChildJob): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [process.argv[1], 'bench', '--only', 'store'], { env: { ...process.env, [CHILD_ENV]: JSON.stringify(job) }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 && fs.existsSync(job.out) ? resolve() : reject(new Error(`child exited ${code}: ${err.slice(-300)}`))));
  });
}

async function engineChild(job: EngineChildJob): Promise<void> {
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const s = new SqliteStore(job.file, { engine: job.engine });
  await s.open();
  const openMs = performance.now() - t0;
  const rssOpen = process.memoryUsage().rss;
  await Promise.all([s.fillKeys(), s.openPositions(), s.simEvents()]);
  await s.trades();
  const readyMs = performance.now() - t0;
  const rss = process.memoryUsage().rss;
  const floor = latencies(1000, appendFloor(path.join(path.dirname(job.file), 'floor.log')));
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const lat = await asyncLatencies(1000, (i) => s.commit(unitAt(job.n * 2 + i, 'L')));
  await new Promise((r) => setTimeout(r, 300));
  h.disable();
  const c0 = performance.now();
  await s.close();
  const closeMs = performance.now() - c0;
  fs.writeFileSync(job.out, JSON.stringify({
    openMs, readyMs, rssOpenDeltaMb: (rssOpen - rss0) / 1e6, rssMb: rss / 1e6, rssDeltaMb: (rss - rss0) / 1e6, stallMs: h.max / 1e6,
    p50: pct(lat, 50), p99: pct(lat, 99), floorP50: pct(floor, 50), closeMs,
  }));
}

/** Exit time of the last of `n` history trades. */
export function historyEndMs(n: number, startMs = HISTORY_START_MS): number {
  return startMs + (n - 1) * TRADE_SPACING_MS;
}

/** The first `n` trades of the bench history written into a store, 100k per bulk write (memory stays flat). */
export async function writeHistory(store: Pick<SqliteStore, 'bulkLoad'>, n: number, startMs = HISTORY_START_MS): Promise<void> {
  for (let from = 0; from < n; from += 100_000) await store.bulkLoad(historyRange(from, Math.min(n, from + 100_000), startMs));
}

/**
 * Trades `from`..`to` of the bench history, with the SIM events the app itself stores beside them:
 * the account's start event and a reset at each month's first trade (appsierra.sim.monthlyReset,
 * on by default), so loading the ledger costs what it costs a real store. `startMs`: the first
 * trade's time (the host suite ends the history just before the real clock, which it cannot set).
 */
export function historyRange(from: number, to: number, startMs = HISTORY_START_MS): CommitUnit[] {
  return Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    const u = unitAt(i, 'H', startMs);
    const month = (j: number) => new Date(startMs + j * TRADE_SPACING_MS).toISOString().slice(0, 7);
    if (i === 0) u.simEvents.unshift({ id: 'start:Sim1', account: 'Sim1', kind: 'start', amount: 10000, timeMs: u.fill.timeMs, tradeId: null, note: null });
    else if (month(i) !== month(i - 1)) {
      const at = Date.parse(`${month(i)}-01T00:00:00Z`);
      u.simEvents.unshift({ id: `reset:Sim1:${at}`, account: 'Sim1', kind: 'reset', amount: 10000, timeMs: at, tradeId: null, note: `monthly reset ${month(i)}` });
    }
    return u;
  });
}
