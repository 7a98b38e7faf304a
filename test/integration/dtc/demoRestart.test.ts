import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { encodeMessage, type DtcMessage } from '../../../src/core/dtc/codec';
import { DtcSimulator } from '../../../src/core/dtc/simulator';
import { HISTORY_SPAN_MS, historyAnchors } from '../../../src/core/dtc/scenarios';
import { AppCore } from '../../../src/core/app';
import type { AppLogger } from '../../../src/core/appApi';
import { DEFAULT_SETTINGS, type AppSettings } from '../../../src/core/settings';
import { sessionBounds } from '../../../src/core/stats/session';
import { DEFAULT_SELECTION, type Selection } from '../../../src/core/viewModels';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const ACCOUNTS = ['Sim1', 'Sim2', '120045'];
const CME = { sessionStart: '17:00', timeZone: 'America/Chicago' };
const quiet: AppLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** One demo run: start the simulator (it seeds its history), read every fill it would send at logon, stop. */
async function demoRun(seed: number): Promise<DtcMessage[]> {
  const sim = new DtcSimulator({ seed, scenario: 'random-day' });
  await sim.start();
  try {
    return ACCOUNTS.flatMap((a, i) => sim.book.fillsResponse(i + 1, a, 0)).filter((m) => m.UniqueExecutionID);
  } finally {
    await sim.stop();
  }
}

async function until<T>(what: string, fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('demo feed restart (issue 9 item 3)', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-demo-restart-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('two runs (any seeds) replay the same execution ids, and ingesting both adds nothing the second time', async () => {
    const first = await demoRun(7);
    // A later run with another seed (the extension picks a new seed per start): the old ids carried both.
    const t0 = Date.now();
    await until('the clock to move', () => Date.now() > t0 + 1);
    const second = await demoRun(8);
    const ids = (ms: DtcMessage[]) => ms.map((m) => String(m.UniqueExecutionID)).sort();
    assert.ok(first.length >= 4, `the demo seeds history fills (got ${first.length})`);
    assert.deepStrictEqual(ids(second), ids(first), 'a restarted demo feed must replay the same execution ids');

    const store = `sqlite:${path.join(dir, 'demo.db')}`;
    const ingest = (msgs: DtcMessage[], name: string) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, Buffer.concat(msgs.map((m) => encodeMessage(m, 'json'))));
      const r = spawnSync(process.execPath, [cli, 'ingest', '--store', store, '--encoding', 'json', file], { encoding: 'utf8' });
      assert.strictEqual(r.status, 0, r.stderr);
      return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { fills: number; duplicateFills: number; tradesClosed: number };
    };
    const a = ingest(first, 'run1.json');
    assert.ok(a.tradesClosed >= 2, JSON.stringify(a));
    const b = ingest(second, 'run2.json');
    assert.strictEqual(b.tradesClosed, 0, `the restart added trades: ${JSON.stringify(b)}`);
    assert.strictEqual(b.duplicateFills, second.length, JSON.stringify(b));
  });

  it("the seeded Sim1 history lies in today's trading session, before now (the views show trades today at once)", async () => {
    const now = Date.now();
    const fills = (await demoRun(3)).filter((m) => m.TradeAccount === 'Sim1');
    assert.ok(fills.length >= 4, `Sim1 history fills: ${fills.length}`);
    const today = sessionBounds(now, CME);
    // In a session's first minutes the history is the session before's (no fill may lie in the future).
    const window = now < today.fromMs + HISTORY_SPAN_MS ? sessionBounds(today.fromMs - 1, CME) : today;
    for (const f of fills) {
      const ms = Number(f.DateTime) * 1000;
      assert.ok(ms >= window.fromMs && ms <= Date.now(), `fill at ${new Date(ms).toISOString()} is outside [${new Date(window.fromMs).toISOString()}, now]`);
    }
  });

  it('history anchors: fixed offsets from the session start, the session before in its first minutes', () => {
    const start = Date.UTC(2026, 11, 1, 23, 0); // 17:00 Chicago (CST) on 1 December
    assert.deepStrictEqual(historyAnchors(start + 3_600_000, CME), { today: start, before: start - 86_400_000 });
    assert.deepStrictEqual(historyAnchors(start + 5 * 3_600_000, CME), historyAnchors(start + 3_600_000, CME), 'the same anchors all session long');
    assert.deepStrictEqual(historyAnchors(start + 60_000, CME), { today: start - 86_400_000, before: start - 2 * 86_400_000 });
  });

  it('AppCore: start the demo, stop, start again -> the same trade count and the same SIM balance', async () => {
    const settings: AppSettings = { ...DEFAULT_SETTINGS, dtc: { ...DEFAULT_SETTINGS.dtc, autoConnect: false, heartbeatSeconds: 2 } };
    const ALL: Selection = { ...DEFAULT_SELECTION, timeframe: 'ALL' };
    const SIM1: Selection = { ...DEFAULT_SELECTION, account: 'Sim1' };
    // A very slow random day: only the seeded history trades while the test looks.
    const run = async () => {
      const core = new AppCore({ settings, storageDir: dir, logger: quiet, getSecret: async () => undefined });
      core.start();
      await core.ready();
      await core.startDemoFeed({ scenario: 'random-day', speed: 0.0001 });
      return core;
    };
    const duplicates = async (core: AppCore) => Number(/duplicateFills: (\d+)/.exec(await core.database.report())?.[1] ?? NaN);
    const tradeCount = async (core: AppCore) => (JSON.parse(await core.database.exportTrades('json')) as unknown[]).length;

    let before: { trades: number; balance: number | null; all: number } | undefined;
    let core = await run();
    try {
      // Today (1D, the default) has the seeded Sim1 trades as soon as the feed is up (in a session's first
      // minutes they are the session before's).
      const fresh = Date.now() < sessionBounds(Date.now(), CME).fromMs + HISTORY_SPAN_MS;
      await until('the seeded Sim1 trades today', () => core.snapshot('stats', fresh ? { ...SIM1, timeframe: 'ALL' } : SIM1).grid.trades >= 2);
      await until('the seeded LIVE trade', () => core.accounts().some((a) => a.account === '120045'));
      before = { trades: await until('stored trades', () => tradeCount(core)), balance: core.snapshot('balance', SIM1).balance, all: core.snapshot('stats', ALL).grid.trades };
      assert.strictEqual(await duplicates(core), 0);
      await core.stopDemoFeed();
    } finally {
      await core.dispose();
    }

    core = await run();
    try {
      // The restarted feed replays its history (6 fills on three accounts): every one is a duplicate.
      await until('the replayed history to be recognised', async () => (await duplicates(core)) >= 6);
      const after = { trades: await tradeCount(core), balance: core.snapshot('balance', SIM1).balance, all: core.snapshot('stats', ALL).grid.trades };
      assert.deepStrictEqual(after, before, 'a restarted demo feed must not add trades or move the SIM balance');
      assert.notStrictEqual(after.balance, 10000, 'the seeded history moved the Sim1 balance');
    } finally {
      await core.dispose();
    }
  });
});
