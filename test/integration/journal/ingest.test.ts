import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { roundTrips, orderFill } from '../../fixtures/streams';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

/** A time in the current local month, a few minutes before now when the month allows it. */
function thisMonth(): number {
  const now = new Date();
  return Math.max(new Date(now.getFullYear(), now.getMonth(), 1).getTime() + 1000, now.getTime() - 10 * 60_000);
}

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('appsierra ingest / trades / export / sim-balance / monitor (real CLI, real sql.js file)', function () {
  this.timeout(180_000); // each CLI run starts a Node process: slow on a busy machine
  let dir: string;
  let store: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-ingest-'));
    store = `sqlite:${path.join(dir, 'j.db')}`;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('ingests a recorded stream once, and a second time adds nothing', () => {
    const input = roundTrips(5).join('\n') + '\n';
    const first = run(['ingest', '--store', store, '-'], input);
    assert.strictEqual(first.code, 0, first.err);
    assert.deepStrictEqual(JSON.parse(first.out), { messages: 10, fills: 10, duplicateFills: 0, tradesClosed: 5, openPositions: 0, errors: 0 });
    const again = run(['ingest', '--store', store, '-'], input);
    assert.strictEqual(again.code, 0, again.err);
    assert.deepStrictEqual(JSON.parse(again.out), { messages: 10, fills: 10, duplicateFills: 10, tradesClosed: 0, openPositions: 0, errors: 0 });
    const trades = JSON.parse(run(['trades', '--store', store, '--json']).out);
    assert.strictEqual(trades.length, 5);
    assert.deepStrictEqual(Object.keys(trades[0]), ['id', 'account', 'mode', 'symbol', 'side', 'qty', 'maxPosition', 'entryTime', 'exitTime', 'avgEntryPrice', 'avgExitPrice', 'grossPnl', 'commissions', 'netPnl', 'mae', 'mfe', 'rMultiple', 'fillIds', 'tags']);
  });

  it('computes MES P&L with the micro point value and round-turn fees, to the cent', () => {
    const t0 = Date.UTC(2026, 10, 3, 15, 0, 0);
    const lines = [
      orderFill({ account: 'Sim1', symbol: 'MESZ5', side: 'BUY', qty: 2, price: 5000, timeMs: t0, execId: 'a1' }),
      orderFill({ account: 'Sim1', symbol: 'MESZ5', side: 'SELL', qty: 2, price: 5004.25, timeMs: t0 + 60_000, execId: 'a2' }),
    ].map((o) => JSON.stringify(o));
    const r = run(['ingest', '--store', store, '-'], lines.join('\n') + '\n');
    assert.strictEqual(r.code, 0, r.err);
    const [t] = JSON.parse(run(['trades', '--store', store, '--json']).out);
    // 4.25 points x 2 contracts x $5 = $42.50 gross.
    assert.strictEqual(t.grossPnl, 42.5);
    assert.strictEqual(t.side, 'LONG');
    assert.strictEqual(t.qty, 2);
    assert.ok(t.commissions > 0 && t.commissions < 5, `MES fees for 2 round turns, got ${t.commissions}`);
    assert.strictEqual(Math.round((t.grossPnl - t.commissions) * 100) / 100, t.netPnl);
  });

  it('reports an unknown contract and malformed lines with exit 3, and keeps going', () => {
    const t0 = Date.UTC(2026, 10, 3, 15, 0, 0);
    const lines = [
      JSON.stringify(orderFill({ account: 'Sim1', symbol: 'ZZQX5', side: 'BUY', qty: 1, price: 10, timeMs: t0, execId: 'u1' })),
      '{"Type":301, this is not json',
      ...roundTrips(1, { startMs: t0 + 1000 }),
    ];
    const r = run(['ingest', '--store', store, '-'], lines.join('\n') + '\n');
    assert.strictEqual(r.code, 3, r.out + r.err);
    assert.match(r.err, /ZZQX5/);
    assert.match(r.err, /line 2/);
    const summary = JSON.parse(r.out.trim().split('\n').pop()!);
    assert.strictEqual(summary.tradesClosed, 1);
    assert.ok(summary.errors >= 2);
  });

  it('exports round-trippable CSV and keeps the SIM ledger consistent through a reset', () => {
    // Trades of this month: the monthly reset (next test) leaves them in the balance.
    run(['ingest', '--store', store, '-'], roundTrips(4, { startMs: thisMonth() }).join('\n') + '\n');
    const out = path.join(dir, 'trades.csv');
    assert.strictEqual(run(['export', '--store', store, '--format', 'csv', '--out', out]).code, 0);
    assert.strictEqual(fs.readFileSync(out, 'utf8').trim().split('\n').length, 5);

    const before = JSON.parse(run(['sim-balance', 'show', '--store', store, '--json']).out);
    assert.strictEqual(before[0].account, 'Sim1');
    const trades = JSON.parse(run(['trades', '--store', store, '--json']).out);
    const realized = Math.round(trades.reduce((s: number, t: { netPnl: number }) => s + t.netPnl, 0) * 100) / 100;
    assert.strictEqual(before[0].balance, Math.round((10000 + realized) * 100) / 100);

    const report = run(['monitor', 'report', '--store', store]);
    assert.strictEqual(report.code, 0, report.out + report.err);
    assert.match(report.out, /CONSISTENT/);

    assert.strictEqual(run(['sim-balance', 'reset', '--store', store, '--account', 'Sim1']).code, 0);
    const after = JSON.parse(run(['sim-balance', 'show', '--store', store, '--json']).out);
    assert.strictEqual(after[0].balance, 10000);
    const mirror = JSON.parse(fs.readFileSync(path.join(dir, 'sim_balance.json'), 'utf8'));
    assert.strictEqual(mirror.balance, 10000);
    assert.match(run(['monitor', 'report', '--store', store]).out, /CONSISTENT/);
  });

  it('applies the monthly SIM reset like the extension: last month\'s trades stay, the balance starts over', () => {
    const now = new Date();
    const lastMonth = new Date(now.getFullYear(), now.getMonth() - 1, 10, 12).getTime();
    const r = run(['ingest', '--store', store, '-'], roundTrips(3, { startMs: lastMonth }).join('\n') + '\n');
    assert.strictEqual(r.code, 0, r.err);
    assert.strictEqual(JSON.parse(run(['trades', '--store', store, '--json']).out).length, 3, 'the trades are kept');
    const [sim] = JSON.parse(run(['sim-balance', 'show', '--store', store, '--json']).out);
    assert.strictEqual(sim.balance, 10000, 'a new month starts at the starting balance');
    const mirror = JSON.parse(fs.readFileSync(path.join(dir, 'sim_balance.json'), 'utf8'));
    assert.strictEqual(mirror.balance, 10000);
    assert.match(run(['monitor', 'report', '--store', store]).out, /CONSISTENT/);
  });

  it('fails with exit 1 and one clear sentence on usage errors', () => {
    const r = run(['trades', '--store', store, '--mode', 'PAPER']);
    assert.strictEqual(r.code, 1);
    assert.match(r.err, /--mode must be one of SIM, LIVE/);
  });
});
