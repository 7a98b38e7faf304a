/** `appsierra stats` end to end: trades committed to a real sql.js file store, read back by the CLI. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runInProcess } from '../../fixtures/inProcessCli';
import { closedTradeUnit } from '../../fixtures/tradeUnit';
import { SqliteStore } from '../../../src/core/store/sqlite';
import type { Trade } from '../../../src/core/trading/types';
import { GRID_KEYS } from '../../../src/core/stats/metrics';

const T0 = Date.UTC(2025, 4, 20, 15); // Tue 20 May 2025, 10:00 CDT

function trade(n: number, over: Partial<Trade>): Trade {
  const exit = over.exitTime ?? T0 + n * 60_000;
  const gross = over.grossPnl ?? 10;
  const fees = over.commissions ?? 1.24;
  return {
    id: `T${n}`, account: 'Sim1', mode: 'SIM', symbol: 'MESM5', root: 'MES', side: 'LONG', qty: 1, maxPosition: 1, entryTime: exit - 30_000, exitTime: exit,
    avgEntryPrice: 5900, avgExitPrice: 5902, grossPnl: gross, commissions: fees, netPnl: Math.round((gross - fees) * 100) / 100, mae: null, mfe: null, rMultiple: null,
    fillIds: [`E${n}`], ...over,
  };
}

const unitOf = closedTradeUnit;

const run = (argv: string[]) => runInProcess(argv);

describe('appsierra stats (CLI over a real SQLite store)', () => {
  let dir: string;
  let url: string;
  let home: string | undefined;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-stats-'));
    home = process.env.APPSIERRA_HOME;
    process.env.APPSIERRA_HOME = dir;
    const file = path.join(dir, 'appsierra.db');
    url = `sqlite:${file}`;
    const store = new SqliteStore(file);
    await store.open();
    const trades = [
      trade(1, { grossPnl: -20, commissions: 2.48, mae: -30, mfe: 5, rMultiple: -1 }), // -22.48
      trade(2, { grossPnl: 50, commissions: 2.48, mae: -10, mfe: 60, rMultiple: 2 }), // 47.52
      trade(3, { grossPnl: 0, commissions: 1.24 }), // scratch, -1.24
      trade(4, { grossPnl: 12.5, commissions: 1.24, account: 'Sim2' }), // 11.26
      trade(5, { grossPnl: 1000, commissions: 4, account: 'LiveX', mode: 'LIVE' }),
      // Exits 17:30 CDT on 19 May: 1W sees it, 1D (the 20 May session... no: 17:30 CDT 19 May IS the 20 May session) does too.
      trade(6, { exitTime: Date.UTC(2025, 4, 19, 22, 30), grossPnl: 5, commissions: 0 }),
      // Exits 16:30 CDT on 19 May: the 19 May session, outside 1D.
      trade(7, { exitTime: Date.UTC(2025, 4, 19, 21, 30), grossPnl: 7, commissions: 0 }),
      // Two months earlier: ALL and 3M, not 1M.
      trade(8, { exitTime: Date.UTC(2025, 2, 20, 15), grossPnl: -100, commissions: 0 }),
    ];
    for (const t of trades) assert.strictEqual(await store.commit(unitOf(t)), true);
    await store.close();
  });

  after(() => {
    if (home === undefined) delete process.env.APPSIERRA_HOME;
    else process.env.APPSIERRA_HOME = home;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--json prints exactly the contract keys, in order, with plain numbers and nulls', async () => {
    const r = await run(['stats', '--store', url, '--mode', 'SIM', '--tf', 'ALL', '--now', '2025-05-20T18:00:00Z', '--json']);
    assert.strictEqual(r.code, 0, r.err);
    assert.strictEqual(r.out.trim().split('\n').length, 1);
    const j = JSON.parse(r.out);
    assert.deepStrictEqual(Object.keys(j), [...GRID_KEYS]);
    // Exit order: T8 -100, T7 +7, T6 +5, T1 -22.48, T2 +47.52, T3 -1.24, T4 +11.26.
    assert.strictEqual(j.trades, 7);
    assert.strictEqual(j.totalPnl, -52.94);
    assert.strictEqual(j.maxDrawdown, 110.48); // 0 -> -100, +12 (peak 0) ... trough -110.48 after T1
    assert.strictEqual(j.wins, 4);
    assert.strictEqual(j.losses, 2);
    assert.strictEqual(j.scratches, 1);
    assert.strictEqual(j.hitRate, 4 / 6);
    assert.strictEqual(j.streak, 2);
    assert.strictEqual(j.rCoverage, 2);
    assert.strictEqual(j.avgR, 0.5);
    assert.strictEqual(j.avgMae, -20);
    assert.strictEqual(j.maeCoverage, 2);
    assert.strictEqual(j.grossProfit, 70.78);
    assert.strictEqual(j.grossLoss, 123.72);
    assert.strictEqual(j.profitFactor, 70.78 / 123.72);
  });

  it('account and timeframe filters; 1D is the 17:00 CT session; LIVE apart from SIM; "Infinity" profit factor', async () => {
    const now = ['--now', '2025-05-20T18:00:00Z', '--json'];
    const day = JSON.parse((await run(['stats', '--store', url, '--mode', 'SIM', '--tf', '1D', ...now])).out);
    assert.strictEqual(day.trades, 5); // T1-T4 and T6 (17:30 CDT the day before)
    const acct = JSON.parse((await run(['stats', '--store', url, '--mode', 'SIM', '--account', 'Sim2', ...now])).out);
    assert.strictEqual(acct.trades, 1);
    assert.strictEqual(acct.profitFactor, 'Infinity');
    assert.strictEqual(acct.hitRate, 1);
    const live = JSON.parse((await run(['stats', '--store', url, '--mode', 'live', '--tf', '1W', ...now])).out);
    assert.strictEqual(live.totalPnl, 996);
    const month = JSON.parse((await run(['stats', '--store', url, '--mode', 'SIM', '--tf', '1M', ...now])).out);
    assert.strictEqual(month.trades, 6);
    const midnight = JSON.parse((await run(['stats', '--store', url, '--mode', 'SIM', '--tf', '1D', '--session-start', '00:00', '--tz', 'America/Chicago', ...now])).out);
    assert.strictEqual(midnight.trades, 4);
    const empty = JSON.parse((await run(['stats', '--store', url, '--mode', 'SIM', '--tf', '1D', '--now', '2025-06-20T18:00:00Z', '--json'])).out);
    assert.strictEqual(empty.trades, 0);
    assert.strictEqual(empty.expectancy, null);
    assert.strictEqual(empty.profitFactor, null);
  });

  it('the store can come from APPSIERRA_STORE; without --json a readable aligned table', async () => {
    const prev = process.env.APPSIERRA_STORE;
    process.env.APPSIERRA_STORE = url;
    try {
      const r = await run(['stats', '--mode', 'SIM', '--account', 'Sim2', '--now', '2025-05-20T18:00:00Z']);
      assert.strictEqual(r.code, 0, r.err);
      assert.match(r.out, /^Total PnL\s+\$11\.26$/m);
      assert.match(r.out, /^Profit Factor\s+∞$/m);
      assert.match(r.out, /^Hit Rate\s+100\.0%$/m);
      const valueColumns = r.out.split('\n').filter((l) => /\S\s{2,}\S/.test(l)).map((l) => l.search(/\S\s{2,}\S/) + l.slice(l.search(/\S\s{2,}\S/)).search(/\s\S/));
      assert.ok(valueColumns.length >= 22 && new Set(valueColumns).size === 1, 'values start in one column');
    } finally {
      if (prev === undefined) delete process.env.APPSIERRA_STORE;
      else process.env.APPSIERRA_STORE = prev;
    }
  });

  it('a store that cannot be read: exit 2 and one sentence on stderr', async () => {
    const r = await run(['stats', '--store', `sqlite:${path.join(dir, 'missing', 'nope.db')}`, '--mode', 'SIM', '--json']);
    assert.strictEqual(r.code, 2);
    assert.strictEqual(r.out, '');
    assert.strictEqual(r.err.trim().split('\n').length, 1);
    // The same refusal as every other read of a missing store: the path and the fix.
    assert.match(r.err, /^appsierra stats: the store .*nope\.db does not exist; .*appsierra db init/);
  });

  it('an unreachable PostgreSQL is a runtime failure, never stats from the local outbox alone', async () => {
    const r = await run(['stats', '--store', 'postgres://nobody@127.0.0.1:1/appsierra', '--mode', 'SIM', '--json']);
    assert.strictEqual(r.code, 2);
    assert.strictEqual(r.out, '');
    assert.match(r.err, /^appsierra stats: .*unreachable.*\n$/);
    assert.strictEqual(r.err.trim().split('\n').length, 1);
  });

  it('usage errors exit 1: missing --mode, bad --tf, bad --now, bad --tz, unknown option', async () => {
    for (const argv of [
      ['--store', url],
      ['--store', url, '--mode', 'SIM', '--tf', '2D'],
      ['--store', url, '--mode', 'SIM', '--now', 'yesterday'],
      ['--store', url, '--mode', 'SIM', '--tz', 'Mars/Base'],
      ['--store', url, '--mode', 'SIM', '--frobnicate', 'x'],
    ]) {
      const r = await run(['stats', ...argv]);
      assert.strictEqual(r.code, 1, argv.join(' '));
      assert.match(r.err, /^appsierra stats: /);
    }
  });
});
