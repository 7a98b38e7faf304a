/** `db check --deep`: trades rebuilt from their fills, the SIM ledger against the trades (issue 10.4). */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { loadSqlJs } from '../../../src/core/store/sqlite';
import { roundTrips } from '../../fixtures/streams';
import { runCli, tmpDir } from './fixtures';

/** Changes one value inside the snapshot, as a bad disk or a hand edit would. */
async function tamper(file: string, sql: string, params: (string | number)[]): Promise<void> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(fs.readFileSync(file));
  db.run(sql, params);
  fs.writeFileSync(file, Buffer.from(db.export()));
  db.close();
}

describe('db check --deep: derived data is rebuilt and compared', function () {
  this.timeout(120_000);
  let dir: string;
  let file: string;
  let store: string;
  const env = () => ({ APPSIERRA_HOME: dir });
  beforeEach(() => {
    dir = tmpDir('deep');
    file = path.join(dir, 'd.db');
    store = `sqlite:${file}`;
    assert.strictEqual(runCli(['ingest', '--store', store, '-'], env(), roundTrips(5).join('\n') + '\n').code, 0);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('passes on an intact store', () => {
    const r = runCli(['db', 'check', '--deep', '--store', store], env());
    assert.strictEqual(r.code, 0, r.out);
    assert.match(r.out, /✓ trades vs fills \(deep\): 5 stored trade\(s\) match a replay of the 10 stored fill\(s\)/);
    assert.match(r.out, /✓ SIM ledger vs trades \(deep\)/);
  });

  it('names a trade whose gross P&L was changed inside the database (11.25 -> 1125), which a plain check misses', async () => {
    const trades = JSON.parse(runCli(['trades', '--json', '--store', store], env()).out) as { id: string; grossPnl: number }[];
    const victim = trades[2];
    await tamper(file, 'UPDATE trades SET gross_pnl = ? WHERE id = ?', [victim.grossPnl * 100, victim.id]);
    assert.strictEqual(runCli(['db', 'check', '--store', store], env()).code, 0, 'the plain check cannot see it');
    const r = runCli(['db', 'check', '--deep', '--store', store], env());
    assert.strictEqual(r.code, 2, r.out);
    const money = (n: number) => n.toFixed(2);
    assert.match(r.out, new RegExp(`✗ trades vs fills \\(deep\\): 1 trade\\(s\\) differ .*${victim.id} \\(Sim1 [A-Z0-9]+\\): gross ${money(victim.grossPnl * 100)} stored, ${money(victim.grossPnl)} rebuilt`));
  });

  it('names a SIM pnl event that disagrees with its trade', async () => {
    const trades = JSON.parse(runCli(['trades', '--json', '--store', store], env()).out) as { id: string; netPnl: number }[];
    await tamper(file, 'UPDATE sim_events SET amount = ? WHERE trade_id = ?', [999, trades[0].id]);
    const r = runCli(['db', 'check', '--deep', '--store', store], env());
    assert.strictEqual(r.code, 2, r.out);
    assert.match(r.out, new RegExp(`✗ SIM ledger vs trades \\(deep\\): 1 difference\\(s\\): Sim1: the ledger's pnl event for ${trades[0].id} says 999\\.00, the trade says ${trades[0].netPnl.toFixed(2)}`));
  });
});
