import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Server } from 'net';
import { PgStore } from '../../../src/core/store/postgres';
import { SqliteOutbox } from '../../../src/core/store/outbox';
import { ResilientStore } from '../../../src/core/store/resilient';
import type { StoreHealth } from '../../../src/core/store/types';
import { storeContract } from './contract';
import { SCHEMA_VERSION } from '../../../src/core/store/schema';
import { tmpDir, unit } from './fixtures';
import { dropSchema, forwardTo, freePort, PG_URL, requirePg, uniqueSchema } from './pgTestEnv';

describe('PostgreSQL stores', function () {
  before(async function () {
    await requirePg(this);
  });

  storeContract('PgStore', () => {
    const schema = uniqueSchema('pg');
    return {
      make: async () => {
        const s = new PgStore({ connectionString: PG_URL, schema, password: 'secret' });
        await s.open();
        return s;
      },
      reopen: async () => {
        const s = new PgStore({ connectionString: PG_URL, schema });
        await s.open();
        return s;
      },
      cleanup: () => dropSchema(schema),
    };
  });

  storeContract('ResilientStore (PostgreSQL up)', () => {
    const schema = uniqueSchema('res');
    const dir = tmpDir('res');
    const make = async () => {
      const s = new ResilientStore(new PgStore({ connectionString: PG_URL, schema }), new SqliteOutbox(path.join(dir, 'outbox.db')), { syncIntervalMs: 0 });
      await s.open();
      return s;
    };
    return { make, reopen: make, cleanup: async () => (await dropSchema(schema), fs.rmSync(dir, { recursive: true, force: true })) };
  });

  describe('PgStore specifics', () => {
    const schema = uniqueSchema('mig');
    after(() => dropSchema(schema));

    it('migrates once, in a transaction, and records the version it came from', async () => {
      const a = new PgStore({ connectionString: PG_URL, schema });
      await a.open();
      assert.strictEqual(a.versionAtOpen, 0);
      await a.close();
      const b = new PgStore({ connectionString: PG_URL, schema });
      await b.open();
      assert.strictEqual(b.versionAtOpen, SCHEMA_VERSION);
      assert.match(await b.probeWrite(), /removed/);
      await b.close();
    });

    it('masks a password given inside the URL and still uses it', async () => {
      const u = new URL(PG_URL);
      u.password = 'hunter2';
      const s = new PgStore({ connectionString: u.toString(), schema });
      assert.ok(!s.describe().includes('hunter2'), s.describe());
      await s.open(); // trust auth ignores the password; the point is it is not in describe()
      await s.close();
    });

    it('reports an unreachable server with cause and fix', async () => {
      const port = await freePort();
      const s = new PgStore({ connectionString: `postgres://postgres:pw@127.0.0.1:${port}/test`, connectTimeoutMs: 1000 });
      const h = await s.health();
      assert.strictEqual(h.ok, false);
      assert.match(h.detail, /unreachable.*ECONNREFUSED.*start the server/);
      assert.ok(!h.detail.includes(':pw@'));
      await s.close();
    });
  });

  describe('ResilientStore outage', () => {
    const schema = uniqueSchema('out');
    let dir: string;
    let proxy: Server | null = null;
    beforeEach(() => (dir = tmpDir('outage')));
    afterEach(async () => {
      proxy?.close();
      proxy = null;
      fs.rmSync(dir, { recursive: true, force: true });
    });
    after(() => dropSchema(schema));

    it('commits to the outbox while PostgreSQL is down and drains it once, without duplicates, when it is back', async () => {
      const port = await freePort();
      const states: StoreHealth['state'][] = [];
      const pg = new PgStore({ connectionString: `postgres://postgres@127.0.0.1:${port}/test`, schema, connectTimeoutMs: 1000 });
      const store = new ResilientStore(pg, new SqliteOutbox(path.join(dir, 'outbox.db')), { syncIntervalMs: 0, onStateChange: (h) => states.push(h.state) });
      await store.open();
      let h = await store.health();
      assert.strictEqual(h.state, 'outbox');
      assert.match(h.detail, /unreachable/);

      for (let n = 0; n < 6; n++) assert.strictEqual(await store.commit(unit(n)), true);
      assert.strictEqual(await store.commit(unit(3)), false, 'known fill in the outbox');
      await store.appendSimEvent({ id: 'start:Sim1', account: 'Sim1', kind: 'start', amount: 10000, timeMs: 1 });
      h = await store.health();
      assert.strictEqual(h.outboxPending, 7);
      assert.deepStrictEqual((await store.trades()).map((t) => t.id), ['T1', 'T3', 'T5']);
      assert.strictEqual(await store.syncNow(), 0, 'still down: nothing drained');

      // The server comes back on the same address.
      proxy = await forwardTo(port, new URL(PG_URL));
      // Pre-seed one fill on the server: the replay must not duplicate it.
      const direct = new PgStore({ connectionString: PG_URL, schema });
      await direct.commit(unit(1));
      assert.strictEqual(await store.syncNow(), 7);
      h = await store.health();
      assert.strictEqual(h.state, 'primary');
      assert.strictEqual(h.outboxPending, 0);
      assert.deepStrictEqual((await direct.trades()).map((t) => t.id), ['T1', 'T3', 'T5']);
      assert.strictEqual((await direct.fillKeys()).size, 6);
      assert.deepStrictEqual((await direct.simEvents()).map((e) => e.id), ['start:Sim1', 'pnl:T1', 'pnl:T3', 'pnl:T5']);
      assert.deepStrictEqual((await store.trades()).map((t) => t.id), ['T1', 'T3', 'T5']);
      assert.deepStrictEqual(states, ['outbox', 'primary']);
      // Back on the primary: the next commit goes straight there.
      assert.strictEqual(await store.commit(unit(6)), true);
      assert.strictEqual((await store.health()).outboxPending, 0);
      assert.strictEqual((await direct.openPositions()).length, 1);
      await direct.close();
      await store.close();
    });

    it('shows the outbox position over the server row until drained (flat = tombstone)', async () => {
      const port = await freePort();
      const direct = new PgStore({ connectionString: PG_URL, schema: schema + '_pos' });
      await direct.commit(unit(10)); // open position on the server
      const store = new ResilientStore(new PgStore({ connectionString: `postgres://postgres@127.0.0.1:${port}/test`, schema: schema + '_pos', connectTimeoutMs: 1000 }), new SqliteOutbox(path.join(dir, 'outbox.db')), { syncIntervalMs: 0 });
      await store.open();
      assert.strictEqual(await store.commit(unit(11)), true); // closes it, in the outbox
      assert.deepStrictEqual(await store.openPositions(), []);
      proxy = await forwardTo(port, new URL(PG_URL));
      assert.deepStrictEqual(await store.openPositions(), [], 'still pending: tombstone hides the server row');
      assert.strictEqual(await store.syncNow(), 1);
      assert.deepStrictEqual(await direct.openPositions(), []);
      assert.deepStrictEqual(await store.openPositions(), []);
      await store.close();
      await direct.dropSchema();
      await direct.close();
    });

    it('rejects loudly when neither PostgreSQL nor the outbox can store anything', async () => {
      const port = await freePort();
      const blocker = path.join(dir, 'a-file');
      fs.writeFileSync(blocker, 'x');
      const store = new ResilientStore(new PgStore({ connectionString: `postgres://postgres@127.0.0.1:${port}/test`, connectTimeoutMs: 1000 }), new SqliteOutbox(path.join(blocker, 'outbox.db')), { syncIntervalMs: 0 });
      await assert.rejects(store.open(), /No durable store available.*unreachable.*outbox failed too.*is a file, not a folder/);
      await assert.rejects(store.commit(unit(1)), /No durable store/);
      await store.close();
    });
  });
});
