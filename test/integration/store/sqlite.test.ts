import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { SqliteStore, SqliteEngineKind } from '../../../src/core/store/sqlite';
import { storeContract } from './contract';
import { tmpDir } from './fixtures';

for (const engine of ['file', 'memory'] as SqliteEngineKind[]) {
  storeContract(`SqliteStore (${engine} engine)`, () => {
    const dir = tmpDir('contract');
    const file = path.join(dir, 'nested', 'appsierra.db');
    return {
      make: async () => {
        const s = new SqliteStore(file, { engine, snapshotEvery: 3 });
        await s.open();
        return s;
      },
      reopen: async () => {
        const s = new SqliteStore(file, { engine });
        await s.open();
        return s;
      },
      cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  });
}

describe('SqliteStore (file engine) checks integrity only after an unclean shutdown (issue 12)', function () {
  this.timeout(60_000);
  it('a clean close reopens without PRAGMA quick_check; a lock left behind by a dead writer gets one', async () => {
    const { sqliteCounters } = await import('../../../src/core/store/sqlite');
    const { unit } = await import('./fixtures');
    const dir = tmpDir('integrity');
    const file = path.join(dir, 'appsierra.db');
    try {
      let s = new SqliteStore(file, { engine: 'file' });
      await s.open();
      for (let n = 0; n < 4; n++) await s.commit(unit(n));
      await s.close();
      const before = sqliteCounters.integrityChecks;
      s = new SqliteStore(file, { engine: 'file' });
      await s.open();
      await s.close();
      if (sqliteCounters.integrityChecks !== before) throw new Error('a clean reopen ran an integrity check');
      // What a SIGKILLed writer leaves: SQLite's lock directory beside the file.
      fs.mkdirSync(file + '.lock');
      s = new SqliteStore(file, { engine: 'file' });
      await s.open();
      if (sqliteCounters.integrityChecks !== before + 1) throw new Error(`expected one check after an unclean shutdown, saw ${sqliteCounters.integrityChecks - before}`);
      if ((await s.trades()).length !== 2) throw new Error('trades lost');
      await s.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SqliteStore.eachTradeStat feeds the stats cache exactly as the trades do (issue 12)', function () {
  this.timeout(60_000);
  for (const engine of ['file', 'memory'] as SqliteEngineKind[]) {
    it(`${engine} engine: same grid, equity and latest trade per account from the columns as from trades()`, async () => {
      const { unit } = await import('./fixtures');
      const { StatsCache } = await import('../../../src/core/stats');
      const dir = tmpDir('columns');
      const s = new SqliteStore(path.join(dir, 'appsierra.db'), { engine });
      try {
        await s.open();
        for (let n = 0; n < 40; n++) await s.commit(unit(n, { account: n % 4 < 2 ? 'Sim1' : 'Sim2' }));
        const a = new StatsCache();
        a.load(await s.trades());
        const b = new StatsCache();
        await b.loadRows((fn) => s.eachTradeStat(fn));
        const q = { mode: 'SIM' as const, account: null, timeframe: 'ALL' as const, nowMs: 1_800_000_000_000, session: { sessionStart: '17:00', timeZone: 'America/Chicago' } };
        assert.deepStrictEqual(b.stats(q), a.stats(q));
        assert.deepStrictEqual(b.equityCurve(q, 6), a.equityCurve(q, 6));
        for (const acct of ['Sim1', 'Sim2']) assert.deepStrictEqual(b.last('SIM', acct), a.last('SIM', acct));
      } finally {
        await s.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
