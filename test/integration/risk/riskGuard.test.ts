/**
 * The risk guard end to end (issue 15): the simulator, told limits like a prop-firm account's
 * server, over loopback TCP into AppCore and its real SQLite store; each threshold is driven by
 * real fills and checked in the status bar model (text, colour), the single notification, the
 * Balance view model and the stored breach event.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AppCore } from '../../../src/core/app';
import type { AppLogger } from '../../../src/core/appApi';
import { DtcSimulator } from '../../../src/core/dtc/simulator';
import { BUY, SELL } from '../../../src/core/dtc/simBook';
import type { SimLimits } from '../../../src/core/dtc/simBook';
import type { RiskNotice } from '../../../src/core/risk';
import { DEFAULT_SETTINGS, type AppSettings } from '../../../src/core/settings';
import type { Selection } from '../../../src/core/viewModels';
import { formatMoney } from '../../../src/shared/format';
import { statusBarModel } from '../../../src/views/statusBarModel';
import { daySummaryBlock } from '../../../src/core/notes';
import { DEFAULT_SESSION } from '../../../src/core/stats/session';
import { runInProcess } from '../../fixtures/inProcessCli';

const quiet: AppLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

async function until<T>(what: string, fn: () => T | undefined | null | false, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function poll<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('risk guard end to end: the simulator with limits over TCP -> AppCore -> status bar, notices, Balance view, stored breach', function () {
  this.timeout(90_000);
  let dir: string;
  let sim: DtcSimulator | null = null;
  let core: AppCore | null = null;
  let notices: RiskNotice[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-risk-'));
    notices = [];
  });
  afterEach(async () => {
    await core?.dispose();
    await sim?.stop();
    core = null;
    sim = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A quiet simulator (no scripted trades: the test makes them) with these limits, and AppCore connected to it. */
  async function start(limits: SimLimits | undefined, risk: Partial<AppSettings['risk']> = {}): Promise<AppCore> {
    const idle = path.join(dir, 'idle.dtc.jsonl');
    fs.writeFileSync(idle, '# no scripted trades: the test drives the book\n');
    sim = new DtcSimulator({ port: 0, scenario: idle, limits });
    const { port } = await sim.start();
    const settings: AppSettings = {
      ...DEFAULT_SETTINGS,
      dtc: { ...DEFAULT_SETTINGS.dtc, port, autoConnect: false, heartbeatSeconds: 2 },
      risk: { ...DEFAULT_SETTINGS.risk, ...risk },
    };
    const c = new AppCore({ settings, storageDir: path.join(dir, 'storage'), logger: quiet, getSecret: async () => undefined });
    core = c;
    c.onRiskNotice((n) => notices.push(n));
    c.start();
    await c.ready();
    await c.connect();
    await until('connected with balances', () => c.snapshot('balance').connection.state === 'connected' && c.accounts().length >= 3);
    return c;
  }

  /** One round trip of `qty` ES on `account` (entry, then exit `points` away in the trade's favour). */
  async function roundTrip(c: AppCore, account: string, points: number, selection: Selection, qty = 1): Promise<void> {
    const before = c.snapshot('balance', selection).tradesToday;
    const entry = sim!.book.newOrder(account, 'ESZ25', BUY, qty);
    sim!.book.fillOrder(entry, qty, 5000);
    const exit = sim!.book.newOrder(account, 'ESZ25', SELL, qty);
    sim!.book.fillOrder(exit, qty, 5000 + points);
    await until(`trade ${before + 1} on ${account}`, () => c.snapshot('balance', selection).tradesToday === before + 1);
  }

  const levels = () => notices.map((n) => `${n.account}:${n.kind}:${n.level}`);
  const settle = () => new Promise((r) => setTimeout(r, 100));

  it("the server's daily loss limit: 50 % warns, 80 % is an error, the breach is stored; each said once", async () => {
    const c = await start({ dailyNetLossLimit: 500, accounts: ['Sim1'] });
    const SIM1: Selection = { mode: 'SIM', account: 'Sim1', timeframe: '1D' };
    const bar = () => statusBarModel(c.snapshot('balance', SIM1), 'pnl');
    await until('the server limit read', () => c.snapshot('balance', SIM1).risk.length === 1);
    assert.match(bar().text, /^\$\(pulse\) SIM Sim1 \$0\.00 · room \$500\.00$/);
    assert.deepStrictEqual([bar().warning, bar().error], [false, false]);

    await roundTrip(c, 'Sim1', -5, SIM1); // -$250 gross, -$254.50 net: 51 %
    await until('warning', () => bar().risk === 'warning');
    const b = c.snapshot('balance', SIM1);
    assert.strictEqual(bar().text, `$(pulse) SIM Sim1 $(triangle-down) ${formatMoney(b.dailyPnl, true)} · room ${formatMoney(500 + b.dailyPnl)}`);
    assert.deepStrictEqual([bar().warning, bar().error], [true, false]);
    const limit = b.risk[0].limits[0];
    assert.deepStrictEqual([limit.kind, limit.source, limit.label, limit.limit, limit.level], ['dailyLoss', 'server', 'Daily loss limit', 500, 'warning']);
    assert.strictEqual(limit.text, `${formatMoney(-b.dailyPnl)} of $500.00 used · room ${formatMoney(500 + b.dailyPnl)}`);
    await until('one notice', () => notices.length === 1);
    assert.deepStrictEqual(levels(), ['Sim1:dailyLoss:warning']);

    await roundTrip(c, 'Sim1', -3, SIM1); // -$404 net: 81 %
    await until('error', () => bar().risk === 'error');
    assert.deepStrictEqual([bar().error], [true]);
    await until('two notices', () => notices.length === 2);
    assert.deepStrictEqual(levels(), ['Sim1:dailyLoss:warning', 'Sim1:dailyLoss:error']);

    await roundTrip(c, 'Sim1', -2, SIM1); // -$513.50 net
    await until('breach', () => bar().risk === 'breached');
    assert.match(bar().text, /room \$0\.00 \$\(error\) limit reached$/);
    await until('three notices', () => notices.length === 3);
    await settle();
    assert.deepStrictEqual(levels(), ['Sim1:dailyLoss:warning', 'Sim1:dailyLoss:error', 'Sim1:dailyLoss:breached'], 'one notice per threshold, never a stream');
    // Sierra's DailyNetLossLimitReached may come before our trade is durable: then the server's word is the breach.
    assert.match(notices[2].message, /^Sim1: \d+% of the daily loss limit used .*(limit is reached)?\. Today: net -\$\d+\.\d\d, [23] trades, [23] losses in a row\.$/);
    assert.strictEqual(c.snapshot('balance', SIM1).risk[0].limits[0].room, 0);

    // The day's breach is stored once, and shows in the persistence report (monitor report) and the day note's block.
    const day = c.snapshot('balance', SIM1).risk[0].sessionDate;
    const stored = await poll('the stored breach', () => c.journal.riskEvents(day), (e) => e.length > 0);
    assert.deepStrictEqual(stored.map((e) => [e.id, e.account, e.kind, e.level, e.limit]), [[`Sim1|${day}|dailyLoss`, 'Sim1', 'dailyLoss', 'breached', 500]]);
    assert.strictEqual(stored[0].message, notices[2].message);
    const report = await c.database.report();
    assert.match(report, /\| notices, this session \| 3 \|\n\| breaches recorded, this session \| 1 \|\n\| breaches the store refused \| 0 \|/);
    assert.match(report, new RegExp(`## Risk events\\n\\n- ${day} Sim1: daily loss limit breached \\(\\$\\d+\\.\\d\\d of \\$500\\.00\\)`));
    // The CLI reads the same store (read-only beside the writer): closed trades against the settings limit, and the stored breach.
    const store = `sqlite:${path.join(dir, 'storage', 'appsierra.db')}`;
    const cli = await runInProcess(['risk', 'status', '--store', store, '--account', 'Sim1', '--daily-loss-limit', '500', '--json']);
    assert.strictEqual(cli.code, 0, cli.err);
    const json = JSON.parse(cli.out);
    assert.strictEqual(json.sessionDate, day);
    assert.deepStrictEqual(json.accounts.map((a: { account: string; level: string; limits: { kind: string; source: string }[] }) => [a.account, a.level, a.limits[0].kind, a.limits[0].source]), [['Sim1', 'breached', 'dailyLoss', 'settings']]);
    assert.deepStrictEqual(json.breaches.map((e: { id: string }) => e.id), [`Sim1|${day}|dailyLoss`]);
    const text = await runInProcess(['risk', 'status', '--store', store, '--daily-loss-limit', '500']);
    assert.strictEqual(text.code, 0, text.err);
    assert.match(text.out, /^Sim1 \(SIM\) · BREACHED · room \$0\.00 · net -\$513\.50, 3 trades, 3 losses in a row$/m);
    assert.match(text.out, /^  Daily loss limit   103%  breached \$513\.50 of \$500\.00 used · room \$0\.00$/m);
    assert.match(text.out, new RegExp(`Breaches stored today:\\n  ${day} Sim1: daily loss limit breached`));
    assert.strictEqual((await runInProcess(['risk', 'status', '--store', store, '--max-trades', 'many'])).code, 1, 'a bad limit is a usage error');

    const block = daySummaryBlock(day, [], { session: DEFAULT_SESSION, riskEvents: stored });
    assert.match(block, /\*\*Risk guard\*\*\n\n- ⚠ Sim1: daily loss limit breached \(\$\d+\.\d\d of \$500\.00\) at \d\d:\d\d:\d\d\n<!-- appsierra:summary:end -->$/);
  });

  it("the server's trailing floor: a new high raises it, then the account falls through it", async () => {
    const c = await start({ trailingDrawdown: 1000, accounts: ['120045'] });
    const LIVE: Selection = { mode: 'LIVE', account: '120045', timeframe: '1D' };
    const trailing = () => c.snapshot('balance', LIVE).risk[0]?.limits.find((l) => l.kind === 'trailing');
    await until('the server floor read', () => trailing()?.floor === 49_000);
    assert.strictEqual(trailing()!.source, 'server');

    await roundTrip(c, '120045', 12, LIVE); // +$600: cash 50,600, the server's floor follows to 49,600
    await until('the floor raised', () => trailing()?.floor === 49_600);
    assert.deepStrictEqual([trailing()!.room, trailing()!.level], [1000, 'ok']);

    await roundTrip(c, '120045', -10, LIVE); // -$500: room 500 of 1,000
    await until('warning', () => trailing()?.level === 'warning');
    assert.strictEqual(trailing()!.room, 500);
    assert.strictEqual(statusBarModel(c.snapshot('balance', LIVE), 'pnl').warning, true);

    await roundTrip(c, '120045', -7, LIVE); // -$350: room 150
    await until('error', () => trailing()?.level === 'error');
    assert.strictEqual(statusBarModel(c.snapshot('balance', LIVE), 'pnl').error, true);

    await roundTrip(c, '120045', -4, LIVE); // -$200: below the floor
    await until('breach', () => trailing()?.level === 'breached');
    await until('three notices', () => notices.length === 3);
    await settle();
    assert.deepStrictEqual(levels(), ['120045:trailing:warning', '120045:trailing:error', '120045:trailing:breached']);
    assert.match(c.snapshot('balance', LIVE).risk[0].limits[0].text, /^floor \$49,600\.00 · room \$0\.00 of \$1,000\.00$/);
    const day = c.snapshot('balance', LIVE).risk[0].sessionDate;
    const stored = await poll('the stored breach', () => c.journal.riskEvents(day), (e) => e.length > 0);
    assert.deepStrictEqual(stored.map((e) => e.id), [`120045|${day}|trailing`]);
  });

  it('assumed R from appsierra.risk.defaultStopTicks, per root over it, for trades without a protective stop; a settings change applies to the next trade', async () => {
    const c = await start(undefined, { defaultStopTicks: 8 });
    const SIM2: Selection = { mode: 'SIM', account: 'Sim2', timeframe: '1D' };
    await roundTrip(c, 'Sim2', -2, SIM2); // no bracket: no protective stop; net -$104.50, assumed risk 8 ticks x $12.50 = $100
    const rows = async () => (await c.journal.load()).select({}).map((r) => r.trade).filter((t) => t.account === 'Sim2');
    const first = await poll('the trade in the journal', rows, (t) => t.length === 1);
    assert.deepStrictEqual([first[0].rMultiple, first[0].assumedRMultiple], [null, -1.045]);
    await c.updateSettings({ ...DEFAULT_SETTINGS, dtc: { ...DEFAULT_SETTINGS.dtc, autoConnect: false }, risk: { ...DEFAULT_SETTINGS.risk, defaultStopTicks: 8, stopTicksByRoot: { ES: 4 } } }, ['risk.stopTicksByRoot']);
    await roundTrip(c, 'Sim2', -2, SIM2);
    const both = await poll('the second trade in the journal', rows, (t) => t.length === 2);
    assert.deepStrictEqual(both.map((t) => t.assumedRMultiple), [-1.045, -2.09], 'the ES override (4 ticks = $50) applies to the trade closed after it');
  });

  it('tilt rules from the settings: N losses in a row and N trades warn once each, with the day numbers', async () => {
    const c = await start(undefined, { maxConsecutiveLosses: 3, maxTradesPerDay: 4 });
    const SIM2: Selection = { mode: 'SIM', account: 'Sim2', timeframe: '1D' };
    await roundTrip(c, 'Sim2', 2, SIM2);
    await roundTrip(c, 'Sim2', -1, SIM2);
    await roundTrip(c, 'Sim2', -1, SIM2);
    await roundTrip(c, 'Sim2', -1, SIM2);
    await until('two tilt notices', () => notices.length === 2);
    await settle();
    assert.deepStrictEqual(levels().sort(), ['Sim2:consecutiveLosses:breached', 'Sim2:maxTrades:breached']);
    const losses = notices.find((n) => n.kind === 'consecutiveLosses')!;
    assert.match(losses.message, /Sim2: 3 losses in a row \(limit 3, tilt rule\)\. Today: net [+-]?\$[\d.,]+, 4 trades, 3 losses in a row\./);
    const view = c.snapshot('balance', SIM2).risk[0];
    assert.deepStrictEqual(view.limits.map((l) => [l.label, l.text]), [['Trades today', '4 of 4'], ['Losses in a row', '3 of 3']]);
    assert.strictEqual(statusBarModel(c.snapshot('balance', SIM2), 'pnl').error, true);
    await roundTrip(c, 'Sim2', -1, SIM2);
    await settle();
    assert.strictEqual(notices.length, 2, 'a fifth trade and a fourth loss say nothing new');
  });
});
