/** Trade tags in every store: durable, idempotent, kept across a restated trade, through the outbox while PostgreSQL is down. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { PgStore } from '../../../src/core/store/postgres';
import { loadSqlJs, SqliteStore } from '../../../src/core/store/sqlite';
import { dialectSql, META_DDL, MIGRATIONS, SCHEMA_VERSION, SQL, tradeParams } from '../../../src/core/store/schema';
import type { TradeStore } from '../../../src/core/store/types';
import { tmpDir, trade, unit, fill, sqliteReopeningStore } from './fixtures';
import { PG_URL, pgOutage, pgSchemaStore, requirePg } from './pgTestEnv';

function tagBehaviour(name: string, make: () => Promise<{ open(): Promise<TradeStore>; cleanup(): Promise<void> }>): void {
  describe(`trade tags: ${name}`, function () {
    it('adds and removes idempotently, survives reopening and a restated trade', async () => {
      const env = await make();
      let store = await env.open();
      try {
        await store.commit(unit(1));
        await store.commit(unit(3));
        await store.editTags({ tradeId: 'T1', add: ['breakout', 'A+ setup'], remove: [] });
        await store.editTags({ tradeId: 'T1', add: ['breakout'], remove: ['not-there'] });
        await store.editTags({ tradeId: 'T3', add: ['fade', 'fomo'], remove: ['fade'] }); // add, then remove
        await store.editTags({ tradeId: 'T3', add: [], remove: [] });
        assert.deepStrictEqual([...(await store.tradeTags())].sort(), [['T1', ['A+ setup', 'breakout']], ['T3', ['fomo']]]);
        // A later unit restating T1 (same id) keeps its tags.
        await store.commit({ fill: fill(100), trades: [trade(1, { netPnl: 7 })], position: null, positionKey: { account: 'Sim1', symbol: 'MESZ5' }, simEvents: [] });
        await store.close();
        store = await env.open();
        assert.deepStrictEqual([...(await store.tradeTags())].sort(), [['T1', ['A+ setup', 'breakout']], ['T3', ['fomo']]]);
        await store.editTags({ tradeId: 'T3', add: [], remove: ['fomo'] });
        assert.deepStrictEqual([...(await store.tradeTags())], [['T1', ['A+ setup', 'breakout']]]);
        assert.strictEqual((await store.trades())[0].netPnl, 7);
      } finally {
        await store.close();
        await env.cleanup();
      }
    });
  });
}

tagBehaviour('SqliteStore (journal replay and snapshot)', async () => sqliteReopeningStore('tags'));

describe('trade tags: migration of a version 1 store', () => {
  it('adds the tags table and keeps every trade (additive)', async () => {
    const dir = tmpDir('tags-mig');
    try {
      const SQLJS = await loadSqlJs();
      const db = new SQLJS.Database();
      db.exec(dialectSql(META_DDL, 'sqlite'));
      for (const st of MIGRATIONS[0].statements) db.exec(dialectSql(st, 'sqlite'));
      db.run(dialectSql(SQL.setMeta, 'sqlite'), ['schema_version', '1']);
      // A version 1 row: the columns of that schema (later migrations add columns).
      const v1 = tradeParams(trade(1)).slice(0, 19);
      db.run(`INSERT INTO trades (id, account, mode, symbol, root, side, qty, max_position, entry_time, exit_time, avg_entry_price, avg_exit_price, gross_pnl, commissions, net_pnl, mae, mfe, r_multiple, fill_ids) VALUES (${v1.map(() => '?').join(', ')})`, v1 as never);
      const file = path.join(dir, 'v1.db');
      fs.writeFileSync(file, db.export());
      db.close();
      const store = new SqliteStore(file);
      await store.open();
      assert.strictEqual(store.versionAtOpen, 1);
      assert.strictEqual(await store.schemaVersion(), SCHEMA_VERSION);
      assert.deepStrictEqual(await store.trades(), [trade(1)]);
      assert.strictEqual((await store.tradeTags()).size, 0);
      await store.editTags({ tradeId: 'T1', add: ['kept'], remove: [] });
      assert.deepStrictEqual([...(await store.tradeTags())], [['T1', ['kept']]]);
      await store.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('trade tags on PostgreSQL', function () {
  before(async function () {
    await requirePg(this);
  });

  tagBehaviour('PgStore', async () => pgSchemaStore('tags'));

  describe('ResilientStore outage', () => {
    const outage = pgOutage('tagsout');
    const schema = outage.schema;

    it('queues tag edits in the outbox while PostgreSQL is down, shows them at once, and replays them in order', async () => {
      const direct = new PgStore({ connectionString: PG_URL, schema });
      await direct.commit(unit(1));
      await direct.editTags({ tradeId: 'T1', add: ['breakout', 'late'], remove: [] });
      const { store, back } = await outage.down();
      assert.strictEqual((await store.health()).state, 'outbox');
      await store.commit(unit(3));
      await store.editTags({ tradeId: 'T1', add: ['review'], remove: ['late'] });
      await store.editTags({ tradeId: 'T3', add: ['fade'], remove: [] });
      await store.editTags({ tradeId: 'T3', add: [], remove: ['fade'] });
      await store.editTags({ tradeId: 'T3', add: ['fomo'], remove: [] });
      assert.strictEqual((await store.health()).outboxPending, 5);
      // Down: only the outbox's view (the server's tags are unknown until it is back).
      assert.deepStrictEqual([...(await store.tradeTags())].sort(), [['T1', ['review']], ['T3', ['fomo']]]);

      await back();
      assert.deepStrictEqual([...(await store.tradeTags())].sort(), [['T1', ['review']], ['T3', ['fomo']]], 'not yet drained');
      assert.strictEqual(await store.syncNow(), 5);
      const expected = [['T1', ['breakout', 'review']], ['T3', ['fomo']]];
      assert.deepStrictEqual([...(await direct.tradeTags())].sort(), expected);
      assert.deepStrictEqual([...(await store.tradeTags())].sort(), expected);
      assert.strictEqual((await store.health()).outboxPending, 0);
      await store.close();
      await direct.close();
    });
  });
});
