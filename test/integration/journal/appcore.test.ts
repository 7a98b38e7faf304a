import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AppCore } from '../../../src/core/app';
import { DEFAULT_SETTINGS, type AppSettings } from '../../../src/core/settings';
import type { AppLogger } from '../../../src/core/appApi';
import { DEFAULT_SELECTION, type Selection } from '../../../src/core/viewModels';
import { statusBarModel } from '../../../src/views/statusBarModel';

const ALL: Selection = { ...DEFAULT_SELECTION, timeframe: 'ALL' };
const SIM1: Selection = { ...DEFAULT_SELECTION, account: 'Sim1' };
const quiet: AppLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

function settings(over: Partial<AppSettings['dtc']> = {}): AppSettings {
  return { ...DEFAULT_SETTINGS, dtc: { ...DEFAULT_SETTINGS.dtc, autoConnect: false, heartbeatSeconds: 2, ...over } };
}

async function until<T>(what: string, fn: () => T | undefined | null | false, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('AppCore against the built-in simulator (real TCP, real sql.js file)', function () {
  this.timeout(60_000);
  let dir: string;
  let core: AppCore | null = null;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-core-'));
  });
  afterEach(async () => {
    await core?.dispose();
    core = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function make(): AppCore {
    return new AppCore({ settings: settings(), storageDir: dir, logger: quiet, getSecret: async () => undefined });
  }

  it('runs a demo session end to end: fills -> a closed trade -> balance, stats, status bar, reset, reload', async () => {
    core = make();
    core.start();
    await core.ready();
    assert.strictEqual(core.snapshot('balance').store.state, 'primary');
    await core.startDemoFeed({ scenario: 'smoke', speed: 4 });
    await until('connected', () => core!.snapshot('balance').connection.state === 'connected');
    const stats = await until('a closed trade', () => {
      const s = core!.snapshot('stats');
      return s.grid.trades >= 1 ? s : null;
    });
    assert.strictEqual(stats.mode, 'SIM');
    const balance = core.snapshot('balance', SIM1);
    assert.strictEqual(balance.account, 'Sim1');
    assert.strictEqual(balance.mode, 'SIM');
    assert.strictEqual(balance.balance, Math.round((10000 + stats.grid.totalPnl) * 100) / 100);
    assert.strictEqual(balance.tradesToday, stats.grid.trades);
    assert.notStrictEqual(balance.balance, 10000);

    const bar = statusBarModel(core.snapshot('balance', SIM1), 'pnl');
    assert.match(bar.text, /SIM Sim1 (\$\(triangle-(up|down)\) )?[+-]?\$/);
    assert.strictEqual(bar.tone, stats.grid.totalPnl > 0 ? 'profit' : stats.grid.totalPnl < 0 ? 'loss' : 'flat');
    assert.strictEqual(bar.warning, false);

    const preview = core.simResetPreview();
    assert.deepStrictEqual(preview, { account: 'Sim1', balance: balance.balance, startingBalance: 10000 });
    const reset = await core.resetSimBalance();
    assert.deepStrictEqual(reset, { account: 'Sim1', before: balance.balance, after: 10000 });
    assert.strictEqual(core.snapshot('balance', SIM1).balance, 10000);

    const report = await core.database.report();
    assert.match(report, /CONSISTENT/);
    // The DTC client's counters are in the report, per session and per connection (issue 10 item 12).
    assert.match(report, /\| frames received \| [1-9]\d* \|/);
    assert.match(report, /\| malformed messages, this session \| 0 \|/);
    assert.match(report, /\| malformed messages, this connection \| 0 \|/);
    const csv = await core.database.exportTrades('csv', 'SIM');
    assert.strictEqual(csv.trim().split('\n').length, 1 + stats.grid.trades);

    await core.dispose();
    core = make();
    core.start();
    await core.ready();
    assert.strictEqual(core.snapshot('stats', ALL).grid.trades, stats.grid.trades, 'trades survive a restart');
    assert.strictEqual(core.snapshot('balance', SIM1).balance, 10000);
  });

  it('shows a clear error and a warning status bar when Sierra Chart is not there', async () => {
    const net = await import('net');
    const port = await new Promise<number>((res) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => res(p));
      });
    });
    const warnings: string[] = [];
    core = new AppCore({ settings: settings({ port }), storageDir: dir, logger: { ...quiet, warn: (m) => warnings.push(m) }, getSecret: async () => undefined });
    core.start();
    await core.ready();
    await core.connect();
    const b = await until('an error', () => {
      const s = core!.snapshot('balance');
      return s.connection.lastError ? s : null;
    });
    assert.match(b.connection.lastError!, /127\.0\.0\.1|refused|connect/i);
    // The client logs its own warning; AppCore does not log it a second time.
    assert.strictEqual(warnings.filter((w) => w.includes(b.connection.lastError!)).length, 1, warnings.join('\n'));
    assert.strictEqual(statusBarModel(core.snapshot('balance'), 'pnl').warning, true);
  });
});

describe('AppCore in two windows on one store (real lock, real files)', function () {
  this.timeout(60_000);
  let dir: string;
  const cores: AppCore[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-two-'));
  });
  afterEach(async () => {
    for (const c of cores.splice(0)) await c.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the second window follows read-only, sees the writer’s trades, refuses a SIM reset, and takes over when the writer closes', async () => {
    const make = () => {
      const c = new AppCore({ settings: settings(), storageDir: dir, logger: quiet, getSecret: async () => undefined });
      cores.push(c);
      c.start();
      return c;
    };
    const writer = make();
    await writer.ready();
    const follower = make();
    await follower.ready();
    assert.strictEqual(writer.snapshot('balance').store.state, 'primary');
    assert.strictEqual(follower.snapshot('balance').store.state, 'readonly');

    await writer.startDemoFeed({ scenario: 'smoke', speed: 4, seed: 3 });
    await until('a trade in the writer', () => writer.snapshot('stats').grid.trades >= 1);
    const trades = writer.snapshot('stats').grid.trades;
    await until('the follower to pick it up', () => follower.snapshot('stats').grid.trades === trades, 20_000);
    await assert.rejects(follower.resetSimBalance('Sim1'), /Another VS Code window/);

    // The writer window closes: the follower takes the lock and can write.
    await writer.dispose();
    cores.splice(cores.indexOf(writer), 1);
    await until('the follower to become the writer', () => follower.snapshot('balance').store.state === 'primary', 20_000);
    const r = await follower.resetSimBalance('Sim1');
    assert.strictEqual(r.after, 10000);
  });
});

describe('AppCore Check Database', function () {
  this.timeout(30_000);
  it('runs the CLI checks (incl. a real write/read round trip) beside the open writer, plus this window’s own', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-check-'));
    const core = new AppCore({ settings: settings(), storageDir: dir, logger: quiet, getSecret: async () => undefined });
    try {
      core.start();
      await core.ready();
      await core.resetSimBalance('Sim1').catch(() => undefined);
      const items = await core.database.check();
      const names = items.map((i) => i.name);
      for (const n of ['configuration', 'connectivity', 'schema version', 'write/read round trip', 'lock holder', 'unsaved commits', 'SIM balance mirror']) assert.ok(names.includes(n), `missing check '${n}' in ${names.join(', ')}`);
      assert.deepStrictEqual(items.filter((i) => !i.ok), []);
      assert.match(items.find((i) => i.name === 'lock holder')!.detail, new RegExp(`pid ${process.pid}|${process.pid}`));
      assert.strictEqual(core.snapshot('balance').store.state, 'primary', 'the check did not disturb the writer');
    } finally {
      await core.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('AppCore reopening the store keeps exactly one connection', function () {
  this.timeout(60_000);
  let dir: string;
  let core: AppCore | null = null;
  let sim: import('../../../src/core/dtc').DtcSimulator | null = null;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-reopen-'));
  });
  afterEach(async () => {
    await core?.dispose();
    await sim?.stop();
    core = null;
    sim = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a database change while auto-connected leaves one client on the server, not two', async () => {
    const { DtcSimulator } = await import('../../../src/core/dtc');
    sim = new DtcSimulator({ port: 0, scenario: 'smoke', seed: 1 });
    const { port } = await sim.start();
    const s = settings({ port, autoConnect: true });
    core = new AppCore({ settings: s, storageDir: dir, logger: quiet, getSecret: async () => undefined });
    core.start();
    await until('connected', () => core!.connectionInfo().state === 'connected');
    const other = { ...s, database: { ...s.database, url: `sqlite:${path.join(dir, 'other.db')}` } };
    await core.updateSettings(other, ['database.url']);
    await until('connected again', () => core!.connectionInfo().state === 'connected');
    await new Promise((r) => setTimeout(r, 1500));
    assert.strictEqual(sim.clientCount, 1, 'an orphaned DTC client is still connected');
    assert.match(core.snapshot('balance').store.description, /other\.db/);
  });

  it('a SIM pattern change rebuilds the engine and keeps the demo feed connected', async () => {
    const s = settings();
    core = new AppCore({ settings: s, storageDir: dir, logger: quiet, getSecret: async () => undefined });
    core.start();
    await core.ready();
    await core.startDemoFeed({ scenario: 'smoke', speed: 4, seed: 2 });
    await until('a trade', () => core!.snapshot('stats').grid.trades >= 1);
    const next = { ...s, sim: { ...s.sim, accountPattern: '^(sim|paper)' } };
    await core.updateSettings(next, ['sim.accountPattern']);
    await until('the demo feed again', () => core!.connectionInfo().state === 'connected' && core!.connectionInfo().demo);
    assert.ok(core.snapshot('stats', ALL).grid.trades >= 1, 'the stored trades are still there');
    assert.strictEqual(core.snapshot('balance').mode, 'SIM');
  });
});

describe('AppCore tells the views once per tick, and the first telling after a close shows the new P&L (issue 12)', function () {
  this.timeout(60_000);
  it('a round trip through the simulator: no two notifications in one tick; the status bar text changes with the notification that carries the trade', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-coalesce-'));
    const { DtcSimulator } = await import('../../../src/core/dtc');
    const { BUY, SELL } = await import('../../../src/core/dtc/simBook');
    fs.writeFileSync(path.join(dir, 'quiet.jsonl'), '{"Wait":3600000}\n');
    const sim = new DtcSimulator({ scenario: path.join(dir, 'quiet.jsonl') });
    let c: AppCore | null = null;
    try {
      const { port } = await sim.start();
      const core = (c = new AppCore({ settings: settings({ port }), storageDir: dir, logger: quiet, getSecret: async () => undefined }));
      const calls: { views: string[]; text: string }[] = [];
      let inTick = false;
      let twice = 0;
      core.onDidChange((views) => {
        if (inTick) twice++;
        inTick = true;
        setImmediate(() => (inTick = false));
        calls.push({ views: [...views], text: statusBarModel(core.snapshot('balance', SIM1), 'pnl').text });
      });
      core.start();
      await core.ready();
      await core.connect();
      await until('connected', () => core.connectionInfo().state === 'connected');
      const open = sim.book.newOrder('Sim1', 'MESZ25', BUY, 1);
      sim.book.fillOrder(open, 1, 5000);
      await until('the open position', () => core.snapshot('position', SIM1).open !== null);
      const before = statusBarModel(core.snapshot('balance', SIM1), 'pnl').text;
      const from = calls.length;
      sim.book.fillOrder(sim.book.newOrder('Sim1', 'MESZ25', SELL, 1), 1, 5002);
      await until('the closed trade', () => calls.slice(from).some((x) => x.views.includes('stats')));
      const first = calls.slice(from).find((x) => x.views.includes('stats'))!;
      assert.deepStrictEqual([...first.views].sort(), ['balance', 'position', 'stats']);
      assert.notStrictEqual(first.text, before);
      assert.match(first.text, /\+\$\d/);
      assert.strictEqual(twice, 0, 'two notifications in one tick');
    } finally {
      await c?.dispose();
      await sim.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('TradeJournal counts bad order updates once, and ignores rejects', () => {
  it('a broken order update is one malformed error with a message; a cancel reject is not an error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-journal-'));
    const { openStore } = await import('../../../src/core/store');
    const { TradeJournal } = await import('../../../src/core/journal');
    const { ContractSpecs } = await import('../../../src/core/trading');
    const { MessageType } = await import('../../../src/core/dtc/messageTypes');
    const store = await openStore(`sqlite:${path.join(dir, 'j.db')}`);
    const journal = new TradeJournal({ store, specs: new ContractSpecs(), simPattern: '^sim', startingBalance: 10000 });
    try {
      await journal.open();
      const problems: string[] = [];
      journal.subscribe({ onProblem: (m) => problems.push(m) });
      // A working stop with no ServerOrderID: the stop/target display would silently go stale.
      await journal.handle({ Type: MessageType.ORDER_UPDATE, Symbol: 'MESZ5', TradeAccount: 'Sim1', OrderStatus: 4, OrderUpdateReason: 3, OrderType: 3, BuySell: 2, Price1: 4990 });
      assert.strictEqual(journal.counters.malformedMessages, 1);
      assert.match(problems[0] ?? '', /ServerOrderID/);
      await journal.handle({ Type: MessageType.ORDER_UPDATE, Symbol: 'MESZ5', ClientOrderID: 'c-1', OrderStatus: 4, OrderUpdateReason: 9 });
      assert.strictEqual(journal.counters.malformedMessages, 1, 'a cancel reject is not malformed');
    } finally {
      journal.dispose();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
