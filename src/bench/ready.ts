/**
 * `ready` rows of `npm run bench` (issue 12): what a window pays for its history. A store of N
 * trades (built with bulkLoad, as the store suite does) is opened by AppCore in a fresh process,
 * exactly as the extension does on activation: start() -> ready() -> the three views' snapshots.
 * Reported: the time to that point, the RSS the process grew by (over itself before AppCore, i.e.
 * over a bare host with our modules loaded), and a Stats view refresh (ALL) afterwards.
 */
import { spawn } from 'child_process';
import { monitorEventLoopDelay } from 'perf_hooks';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { QUIET_LOG, type BenchSuite, type BenchTable } from './suite';
import { historyEndMs, writeHistory } from './store';
import { AppCore } from '../core/app';
import { DEFAULT_SETTINGS, type AppSettings } from '../core/settings';
import { DEFAULT_SELECTION, VIEW_IDS } from '../core/viewModels';
import { SqliteStore } from '../core/store/sqlite';
import { STORE_FILE } from '../core/store/files';
import { tradeIdFor } from '../core/trading/engine';
import type { Trade } from '../core/trading/types';

const CHILD_ENV = 'APPSIERRA_BENCH_READY_CHILD';

interface ReadyJob {
  dir: string;
  out: string;
  /** The clock of the window: just after the last trade of the history (its fill-key window is full). */
  nowMs: number;
}

interface ReadyResult {
  readyMs: number;
  /** CPU time (user + system) of the process until ready: what a busy machine does not inflate. */
  readyCpuMs: number;
  viewsMs: number;
  rssBeforeMb: number;
  rssDeltaMb: number;
  heapDeltaMb: number;
  statsAllMs: number;
  /** From ready until the restored stats columns were prepared for appends (StatsCache.prepareSlice), and the longest event-loop stall meanwhile. */
  preparedMs: number;
  prepareStallMs: number;
  /** RSS growth once prepared and after the first live trade reached the stats cache (what a running window holds). */
  rssLiveDeltaMb: number;
  firstTradeMs: number;
}

export const readyBench: BenchSuite = {
  name: 'ready',
  async run(opts) {
    if (process.env[CHILD_ENV]) {
      await readyChild(JSON.parse(process.env[CHILD_ENV]) as ReadyJob);
      return [];
    }
    const max = Math.max(10, opts.trades ?? 100_000);
    const sizes = [...new Set([Math.min(1000, max), Math.min(100_000, max), max])];
    const rows: (string | number)[][] = [];
    for (const n of sizes) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-bench-ready-'));
      try {
        const s = new SqliteStore(path.join(dir, STORE_FILE));
        await writeHistory(s, n);
        await s.close();
        // The first start reads every trade (and saves the stats columns); later ones restore them.
        for (const start of ['first start', 'next start']) {
          const out = path.join(dir, 'ready.json');
          await runChild({ dir, out, nowMs: historyEndMs(n) + 3_600_000 });
          const r = JSON.parse(fs.readFileSync(out, 'utf8')) as ReadyResult;
          rows.push([n, start, ms(r.readyMs), ms(r.readyCpuMs), ms(r.viewsMs), ms(r.readyMs + r.viewsMs), Math.round(r.rssBeforeMb), Math.round(r.rssDeltaMb), Math.round(r.heapDeltaMb), ms(r.statsAllMs), ms(r.preparedMs), ms(r.prepareStallMs), ms(r.firstTradeMs), Math.round(r.rssLiveDeltaMb)]);
        }
      } catch (err) {
        rows.push([n, `failed: ${(err as Error).message}`, ...Array<string>(12).fill('-')]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    const table: BenchTable = {
      title: 'Extension ready: AppCore opens a store of N trades in a fresh process (SQLite file engine)',
      columns: ['trades', 'start', 'ready ms', 'ready CPU ms', 'views ms', 'ready + views ms', 'RSS before MB', 'RSS +MB', 'heap +MB', 'stats refresh ALL ms', 'prepared after ms', 'longest stall ms', 'first live trade ms', 'RSS +MB live'],
      rows,
      note: 'first start: no saved stats columns (a store from before them, or a trade changed since the last close): every trade is read, then the columns are saved; ' +
        'next start: the columns saved at the last close plus the trades added since. The history holds a monthly SIM reset, as the app stores them. ' +
        'ready: AppCore.start() until ready() resolves (store open, journal and stats loaded), wall and CPU (on a busy machine the CPU time is the fair figure); views: the Balance, Position and Stats snapshots the extension sends next. ' +
        'RSS +MB: growth of the process over itself just before AppCore (our modules loaded, nothing opened). stats refresh ALL: median of 5 Stats view snapshots with timeframe ALL, after 2 untimed ones. ' +
        'prepared after: from ready (views and refreshes included) until the restored trade ids are hashed and columns split per account have room (slices between events), with the longest event-loop stall from ready to then (views and refreshes included); first live trade: one closed trade into the stats cache after that; RSS +MB live: growth at that point, what a running window holds. ' +
        'Goals (issue 12): ready <= 0.5 s at 100k and <= 1.5 s at 1M; RSS <= +60 MB at 100k and <= +150 MB at 1M; refresh <= 20 ms at 100k. `--trades 1000000` adds 1M.',
    };
    return [table];
  },
};

function runChild(job: ReadyJob): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--expose-gc', process.argv[1], 'bench', '--only', 'ready'], { env: { ...process.env, [CHILD_ENV]: JSON.stringify(job) }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 && fs.existsSync(job.out) ? resolve() : reject(new Error(`child exited ${code}: ${err.slice(-300)}`))));
  });
}

async function readyChild(job: ReadyJob): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rss0 = process.memoryUsage().rss;
  const heap0 = process.memoryUsage().heapUsed;
  const settings: AppSettings = { ...DEFAULT_SETTINGS, dtc: { ...DEFAULT_SETTINGS.dtc, autoConnect: false } };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const core = new AppCore({ settings, storageDir: job.dir, logger: QUIET_LOG, getSecret: async () => undefined, now: () => job.nowMs });
  core.start();
  await core.ready();
  const readyMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const stall = monitorEventLoopDelay({ resolution: 1 });
  stall.enable();
  const v0 = performance.now();
  for (const v of VIEW_IDS) core.snapshot(v, DEFAULT_SELECTION);
  const viewsMs = performance.now() - v0;
  gc?.();
  const rss = process.memoryUsage().rss;
  const heap = process.memoryUsage().heapUsed;
  const all = { ...DEFAULT_SELECTION, timeframe: 'ALL' as const };
  // Two untimed refreshes first: the first computes the session days of every trade and warms the
  // JIT, which a running window has long done; the five timed ones are what each refresh costs.
  for (let i = 0; i < 2; i++) core.snapshot('stats', all);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const s0 = performance.now();
    core.snapshot('stats', all);
    times.push(performance.now() - s0);
  }
  times.sort((a, b) => a - b);
  // The window keeps running: the restore is prepared for appends between events, then a trade closes.
  const session = (core as unknown as { session: { tradeStats: { prepared: boolean } } }).session;
  while (!session.tradeStats.prepared) await new Promise((r) => setImmediate(r));
  const preparedMs = performance.now() - t0 - readyMs;
  stall.disable();
  const trade = liveTrade(job.nowMs);
  const f0 = performance.now();
  (session as unknown as { closed: { add(t: Trade): void } }).closed.add(trade);
  const firstTradeMs = performance.now() - f0;
  gc?.();
  const rssLive = process.memoryUsage().rss;
  await core.dispose();
  const result: ReadyResult = {
    readyMs, readyCpuMs: (cpu.user + cpu.system) / 1000, viewsMs, rssBeforeMb: rss0 / 1e6, rssDeltaMb: (rss - rss0) / 1e6, heapDeltaMb: (heap - heap0) / 1e6, statsAllMs: times[2],
    preparedMs, prepareStallMs: stall.max / 1e6, rssLiveDeltaMb: (rssLive - rss0) / 1e6, firstTradeMs,
  };
  fs.writeFileSync(job.out, JSON.stringify(result));
}

/** A trade closing just now, with an id of the engine's form. */
function liveTrade(nowMs: number): Trade {
  return {
    id: tradeIdFor('Sim1', 'MESZ5', `live-${nowMs}`, false), account: 'Sim1', mode: 'SIM', symbol: 'MESZ5', root: 'MES', side: 'LONG', qty: 1, maxPosition: 1,
    entryTime: nowMs - 60_000, exitTime: nowMs, avgEntryPrice: 5000, avgExitPrice: 5001, grossPnl: 5, commissions: 1.24, netPnl: 3.76, mae: -1.25, mfe: 6.25, rMultiple: null, fillIds: ['live-o', 'live-c'],
  };
}

function ms(x: number): number {
  return Number(x.toFixed(1));
}
