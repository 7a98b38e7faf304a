/**
 * The stats columns a writer saves beside its SQLite file (so the next start does not read every
 * trade): valid only for the trades they were saved with, dropped by any change to a stored trade,
 * refused when the file is not the one the database names, and equal to reading every trade.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Database } from 'node-sqlite3-wasm';
import { SqliteStore } from '../../../src/core/store/sqlite';
import { SIDECAR } from '../../../src/core/store/files';
import { ClosedTrades } from '../../../src/core/stats/closedTrades';
import type { TradeStore } from '../../../src/core/store/types';
import type { StatsQuery } from '../../../src/core/stats/types';
import { tmpDir, trade, unit } from './fixtures';
import { decodeStatsColumns } from '../../../src/core/stats/columnsFile';
import { format2 } from '../../unit/stats/format2';

const ALL: StatsQuery = { mode: 'SIM', account: null, timeframe: 'ALL', nowMs: Date.UTC(2026, 0, 1), session: { sessionStart: '17:00', timeZone: 'America/Chicago' } };

async function commitTrades(store: TradeStore, from: number, to: number, account = 'Sim1'): Promise<void> {
  for (let n = from; n < to; n++) await store.commit(unit(n, { account: n % 4 === 1 ? account : 'Sim2' }));
}

/** What a fresh window shows, read from every trade (no saved columns used). */
async function readEveryTrade(store: TradeStore): Promise<unknown> {
  const c = new ClosedTrades();
  await c.loadFrom({ trades: (q) => store.trades(q), eachTradeStat: (fn) => store.eachTradeStat!(fn) });
  return views(c);
}

function views(c: ClosedTrades): unknown {
  return [null, 'Sim1', 'Sim2'].map((account) => [account, c.stats.stats({ ...ALL, account }), c.latest('SIM', account ?? 'Sim1')?.id]);
}

describe('saved stats columns (SQLite file store)', function () {
  let dir: string;
  let file: string;
  let store: SqliteStore;
  const open = async () => {
    store = new SqliteStore(file);
    await store.open();
    return store;
  };

  beforeEach(async () => {
    dir = tmpDir('saved-columns');
    file = path.join(dir, 'appsierra.db');
    await open();
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function saveAndReopen(): Promise<ClosedTrades> {
    const c = new ClosedTrades();
    assert.deepStrictEqual(await c.loadFrom(store), { from: 'store', why: 'none saved, or a trade changed since' });
    assert.strictEqual(await c.saveTo(store), null);
    await store.close();
    await open();
    return c;
  }

  it('the next start restores them, reads only the trades added after, and shows what reading every trade shows', async () => {
    await commitTrades(store, 0, 40);
    await saveAndReopen();
    await commitTrades(store, 40, 50);
    const c = new ClosedTrades();
    assert.deepStrictEqual(await c.loadFrom(store), { from: 'saved', added: 5 });
    assert.deepStrictEqual(views(c), await readEveryTrade(store));
    assert.strictEqual(c.count, 25);
  });

  it('columns saved by the previous format are restored, then saved again in this one', async () => {
    await commitTrades(store, 0, 40);
    await saveAndReopen();
    const kept = store.filePath + SIDECAR.statsColumns;
    const bytes = fs.readFileSync(kept);
    const token = bytes.subarray(0, bytes.indexOf('ASC1'));
    const modes = decodeStatsColumns(new Uint8Array(bytes.subarray(token.length)));
    assert.ok(typeof modes !== 'string', String(modes));
    fs.writeFileSync(kept, Buffer.concat([token, format2(modes)]));
    const c = new ClosedTrades();
    assert.deepStrictEqual(await c.loadFrom(store), { from: 'saved', added: 0 });
    assert.deepStrictEqual(views(c), await readEveryTrade(store));
    assert.strictEqual(await c.saveTo(store), null);
    const saved = await store.savedStatsColumns();
    const now = decodeStatsColumns(saved!.data);
    assert.ok(typeof now !== 'string' && now.every((m) => !m.outdated), 'saved in the current format');
  });

  it('a restated trade (same id, new figures) drops them: the next load reads every trade', async () => {
    await commitTrades(store, 0, 20);
    await saveAndReopen();
    await store.commit({ fill: { ...unit(100).fill }, trades: [trade(5, { account: 'Sim1', netPnl: 999 })], position: null, positionKey: { account: 'Sim1', symbol: 'MESZ5' }, simEvents: [] });
    assert.strictEqual(await store.savedStatsColumns(), null);
    const c = new ClosedTrades();
    assert.strictEqual((await c.loadFrom(store)).from, 'store');
    assert.deepStrictEqual(views(c), await readEveryTrade(store));
  });

  it('a trade removed by another writer (any program) drops them too', async () => {
    await commitTrades(store, 0, 20);
    await saveAndReopen();
    await store.close();
    const db = new Database(file);
    db.run('DELETE FROM trades WHERE id = ?', ['T3']);
    db.close();
    await open();
    assert.strictEqual(await store.savedStatsColumns(), null);
  });

  it('a file the database does not name (written, then a crash before the database recorded it) is not used', async () => {
    await commitTrades(store, 0, 20);
    await saveAndReopen();
    const kept = store.filePath + SIDECAR.statsColumns;
    const bytes = fs.readFileSync(kept);
    fs.writeFileSync(kept, Buffer.concat([Buffer.from('ASC-other-token!'), bytes.subarray(16)]));
    assert.strictEqual(await store.savedStatsColumns(), null);
    fs.rmSync(kept);
    assert.strictEqual(await store.savedStatsColumns(), null, 'a missing file');
  });

  it('a damaged file with the right token is refused by its checks and every trade is read', async () => {
    await commitTrades(store, 0, 20);
    await saveAndReopen();
    const kept = store.filePath + SIDECAR.statsColumns;
    const bytes = fs.readFileSync(kept);
    fs.writeFileSync(kept, bytes.subarray(0, bytes.length - 16));
    const c = new ClosedTrades();
    const source = await c.loadFrom(store);
    assert.strictEqual(source.from, 'store');
    assert.match((source as { why: string }).why, /past the end/);
    assert.deepStrictEqual(views(c), await readEveryTrade(store));
  });

  it('many trades added since (an import of older history) are not merged one by one: every trade is read', async () => {
    await commitTrades(store, 0, 20);
    await saveAndReopen();
    const saved = (await store.savedStatsColumns())!;
    assert.strictEqual(saved.added, 0);
    const c = new ClosedTrades();
    const source = await c.loadFrom({ trades: (q) => store.trades(q), eachTradeStat: (fn, after) => store.eachTradeStat(fn, after), savedStatsColumns: async () => ({ ...saved, added: 50_000 }) });
    assert.deepStrictEqual(source, { from: 'store', why: '50000 trades added since they were saved' });
    assert.deepStrictEqual(views(c), await readEveryTrade(store));
  });

  it("health's trade count stays exact through new trades, restatements, a bulk replace and a reopen (counted once, not per refresh)", async () => {
    const count = async () => Number(/^(\d+) trades/.exec((await store.health()).detail)![1]);
    assert.strictEqual(await count(), 0);
    await commitTrades(store, 0, 10);
    assert.strictEqual(await count(), 5);
    await store.commit({ fill: { ...unit(100).fill }, trades: [trade(3, { account: 'Sim2', netPnl: 1 }), trade(101, { account: 'Sim2' })], position: null, positionKey: { account: 'Sim2', symbol: 'MESZ5' }, simEvents: [] });
    assert.strictEqual(await count(), 6, 'a restated trade is not a new one');
    await store.bulkWrite({ replace: [{ account: 'Sim2', symbol: 'MESZ5' }], trades: [trade(201, { account: 'Sim2' })] });
    assert.strictEqual(await count(), (await store.trades()).length);
    await store.close();
    await open();
    assert.strictEqual(await count(), (await store.trades()).length);
  });

  it('saving refuses when the cache does not hold what the store holds', async () => {
    await commitTrades(store, 0, 10);
    assert.match(String(await store.saveStatsColumns(() => new Uint8Array(8), 3)), /cache holds 3 trades, the store 5/);
  });
});
