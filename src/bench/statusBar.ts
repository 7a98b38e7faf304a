/**
 * `statusbar` rows of `npm run bench` (issue 12): a fill written to the socket by the simulator
 * over loopback -> DTC client -> TradeSession -> durable commit in a real SQLite store (file
 * engine, with history) -> AppCore's coalesced change -> the status bar presenter's text changed.
 * The presenter is the extension's own (src/views/statusBarPresenter.ts, no 'vscode'); only the
 * last hop (the item's property sent to the window) is not measured.
 * Each round trip opens a position (waited for), then closes it at a profit: t0 is taken just
 * before the closing fill is written, t1 when the text shows the new P&L.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { QUIET_LOG, type BenchSuite, type BenchTable } from './suite';
import { writeHistory } from './store';
import { AppCore } from '../core/app';
import { DEFAULT_SETTINGS, type AppSettings } from '../core/settings';
import { DEFAULT_SELECTION, type Selection } from '../core/viewModels';
import { DtcSimulator } from '../core/dtc/simulator';
import { BUY, SELL } from '../core/dtc/simBook';
import { SqliteStore } from '../core/store/sqlite';
import { STORE_FILE } from '../core/store/files';
import { StatusBarPresenter } from '../views/statusBarPresenter';
import { TrailingThrottle } from '../views/throttle';

const SIM1: Selection = { ...DEFAULT_SELECTION, account: 'Sim1' };
const SYMBOL = 'MESZ25';

export const statusBarBench: BenchSuite = {
  name: 'statusbar',
  async run(opts) {
    const history = Math.min(opts.trades ?? 100_000, 100_000);
    const rows: (string | number)[][] = [];
    rows.push(await measure({ history, roundTrips: 60, throttleMs: 0 }));
    rows.push(await measure({ history, roundTrips: 20, throttleMs: 250 }));
    const table: BenchTable = {
      title: 'Status bar: fill on the socket -> status bar text changed (ms)',
      columns: ['status bar', 'trades in history', 'round trips', 'p50 ms', 'p90 ms', 'max ms'],
      rows,
      note:
        'Simulator over loopback, a real SQLite store (file engine, every commit fdatasync\'ed before it counts), AppCore, and the status bar presenter the extension uses. ' +
        'The second row puts the same pipeline behind the old 250 ms trailing throttle, for comparison. Goal (issue 12): p90 <= 50 ms.',
    };
    return [table];
  },
};

interface Job {
  history: number;
  roundTrips: number;
  /** 0: render at once (the extension now); > 0: behind a TrailingThrottle of that many ms (before). */
  throttleMs: number;
}

async function measure(job: Job): Promise<(string | number)[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-bench-statusbar-'));
  const sim = new DtcSimulator({ scenario: path.join(dir, 'quiet.jsonl') });
  fs.writeFileSync(path.join(dir, 'quiet.jsonl'), '{"Wait":3600000}\n');
  let core: AppCore | null = null;
  let throttle: TrailingThrottle | null = null;
  try {
    if (job.history > 0) {
      const s = new SqliteStore(path.join(dir, STORE_FILE));
      await writeHistory(s, job.history);
      await s.close();
    }
    const { port } = await sim.start();
    const settings: AppSettings = { ...DEFAULT_SETTINGS, dtc: { ...DEFAULT_SETTINGS.dtc, port, autoConnect: false, heartbeatSeconds: 10 } };
    const app = new AppCore({ settings, storageDir: dir, logger: QUIET_LOG, getSecret: async () => undefined });
    core = app;
    const presenter = new StatusBarPresenter({ core: app, logger: QUIET_LOG, selection: () => SIM1, format: () => 'pnl' });
    let waiters: (() => void)[] = [];
    let textChangedAt = 0;
    const render = () => presenter.render(true, (c) => {
      if (c.text !== undefined) textChangedAt = performance.now();
    });
    throttle = job.throttleMs > 0 ? new TrailingThrottle(job.throttleMs, render) : null;
    app.onDidChange(() => {
      if (throttle) throttle.schedule();
      else render();
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    });
    // A text change can come from the throttle's trailing edge, after the change notification: poll it too.
    const until = async (what: string, ok: () => boolean, ms = 20_000): Promise<void> => {
      const end = Date.now() + ms;
      while (!ok()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 5).unref();
        });
      }
    };
    app.start();
    await app.ready();
    await app.connect();
    await until('logon', () => app.connectionInfo().state === 'connected');
    await until('the first status bar text', () => presenter.state !== null && !presenter.state.text.includes('sync~spin'));
    const lat: number[] = [];
    let price = 5000;
    for (let i = 0; i < job.roundTrips; i++) {
      const open = sim.book.newOrder('Sim1', SYMBOL, BUY, 1);
      sim.book.fillOrder(open, 1, price);
      await until('the open position', () => app.snapshot('position', SIM1).open !== null);
      const before = presenter.state?.text;
      const close = sim.book.newOrder('Sim1', SYMBOL, SELL, 1);
      textChangedAt = 0;
      const t0 = performance.now();
      sim.book.fillOrder(close, 1, price + 1 + (i % 4) * 0.25);
      await until('the new P&L in the status bar text', () => textChangedAt > 0 && presenter.state?.text !== before && app.snapshot('position', SIM1).open === null);
      lat.push(textChangedAt - t0);
      price += 0.25;
    }
    const label = job.throttleMs ? `behind a ${job.throttleMs} ms throttle (before)` : 'renders at once (now)';
    return [label, job.history, String(job.roundTrips), ms(pct(lat, 50)), ms(pct(lat, 90)), ms(Math.max(...lat))];
  } finally {
    throttle?.dispose();
    await core?.dispose();
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

function ms(x: number): number {
  return Number(x.toFixed(1));
}
