/**
 * The outbox's primary cache: a window restarted while PostgreSQL is down still knows the open
 * positions and fills PostgreSQL acknowledged before, and the drain adds no duplicate.
 */
import * as assert from 'assert';
import * as path from 'path';
import { PgStore } from '../../../src/core/store/postgres';
import { SqliteOutbox } from '../../../src/core/store/outbox';
import { ResilientStore } from '../../../src/core/store/resilient';
import { fillKey } from '../../../src/core/store/schema';
import { tmpDir, unit } from './fixtures';
import { PgCluster, requireCluster } from './pgCluster';

describe('ResilientStore restarted during a PostgreSQL outage (throwaway cluster)', function () {
  this.timeout(180_000);
  let cluster: PgCluster;
  const schema = 'as_replica';
  const dir = tmpDir('replica');
  const outboxFile = path.join(dir, 'outbox.db');
  const resilient = () => new ResilientStore(new PgStore({ connectionString: cluster.url, schema, connectTimeoutMs: 1000 }), new SqliteOutbox(outboxFile), { syncIntervalMs: 0 });

  before(async function () {
    cluster = await requireCluster(this);
  });

  after(() => cluster?.destroy());

  it('knows positions and fills from before the outage, answers hasFill/fillKeys from the cache, and drains without duplicates', async () => {
    const before = resilient();
    assert.strictEqual(await before.commit(unit(0)), true); // Sim1 opens
    assert.strictEqual(await before.commit(unit(2, { account: 'Sim2' })), true); // Sim2 opens
    assert.strictEqual(await before.commit(unit(3, { account: 'Sim2' })), true); // Sim2 flat
    assert.strictEqual((await before.health()).state, 'primary');
    await before.close();

    cluster.kill();
    const during = resilient(); // the window restarted mid-outage
    await during.open();
    assert.strictEqual((await during.health()).state, 'outbox');
    const open = await during.openPositions();
    assert.deepStrictEqual(open.map((p) => `${p.account}/${p.symbol}/${p.qty}`), ['Sim1/MESZ5/1'], 'the position opened before the outage');
    assert.strictEqual(await during.hasFill('Sim1', 'E0'), true);
    assert.strictEqual(await during.hasFill('Sim2', 'E3'), true);
    assert.strictEqual(await during.hasFill('Sim1', 'E99'), false);
    const keys = await during.fillKeys();
    for (const k of [fillKey('Sim1', 'E0'), fillKey('Sim2', 'E2'), fillKey('Sim2', 'E3')]) assert.ok(keys.has(k), k);
    // A fill the server replays after the restart is known: not committed again.
    assert.strictEqual(await during.commit(unit(0)), false);
    assert.strictEqual((await during.health()).outboxPending, 0);
    // A new fill closes Sim1 in the outbox: the cached row is hidden by the outbox's flat tombstone.
    assert.strictEqual(await during.commit(unit(5)), true);
    assert.deepStrictEqual(await during.openPositions(), []);

    cluster.start();
    assert.strictEqual(await during.syncNow(), 1);
    assert.strictEqual((await during.health()).state, 'primary');
    await during.close();

    const direct = new PgStore({ connectionString: cluster.url, schema });
    try {
      assert.deepStrictEqual([...(await direct.fillKeys())].sort(), [fillKey('Sim1', 'E0'), fillKey('Sim1', 'E5'), fillKey('Sim2', 'E2'), fillKey('Sim2', 'E3')].sort());
      assert.deepStrictEqual(await direct.openPositions(), []);
      assert.deepStrictEqual((await direct.trades()).map((t) => t.id).sort(), ['T3', 'T5']);
    } finally {
      await direct.close();
    }

    // Restarted again during a second outage: the drained close is in the cache too.
    cluster.kill();
    const again = resilient();
    try {
      assert.deepStrictEqual(await again.openPositions(), []);
      assert.strictEqual(await again.hasFill('Sim1', 'E5'), true);
    } finally {
      await again.close();
      cluster.start();
    }
  });
});
