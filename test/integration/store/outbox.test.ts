import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { SqliteOutbox } from '../../../src/core/store/outbox';
import { SqliteStore } from '../../../src/core/store/sqlite';
import { tmpDir, unit } from './fixtures';

describe('store/outbox: the local outbox of ResilientStore', () => {
  let dir: string;
  beforeEach(() => (dir = tmpDir('outbox')));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps entries in commit order across a reopen, and a drain is durable too', async () => {
    const file = path.join(dir, 'outbox.db');
    const a = new SqliteOutbox(file);
    for (const n of [2, 3, 4]) assert.strictEqual(await a.commit(unit(n)), true);
    await a.appendSimEvent({ id: 'reset:x', account: 'Sim1', kind: 'reset', amount: 50_000, timeMs: 1, tradeId: null, note: null });
    assert.deepStrictEqual((await a.pending()).map((p) => Object.keys(p.op)[0]), ['c', 'c', 'c', 'e']);
    const seqs = (await a.pending()).map((p) => p.seq);
    await a.removePending(seqs.slice(0, 2)); // fills 2 and 3 reached the primary
    await a.close();

    const b = new SqliteOutbox(file);
    assert.strictEqual(await b.pendingCount(), 2);
    assert.deepStrictEqual((await b.pending()).flatMap((p) => ('c' in p.op ? [p.op.c.fill.executionId] : [])), ['E4']);
    // Drained fills reached the primary: they stay known through the primary cache.
    assert.deepStrictEqual([...(await b.fillKeys())].map((k) => k.split('\u0000')[1]).sort(), ['E2', 'E3', 'E4']);
    assert.deepStrictEqual((await b.trades()).map((t) => t.id), [], 'trade T3 went with its entry');
    assert.deepStrictEqual((await b.simEvents()).map((e) => e.id), ['reset:x']);
    await b.close();
  });

  it('a flat position is a tombstone until no pending entry speaks for its partition', async () => {
    const o = new SqliteOutbox(path.join(dir, 'outbox.db'));
    await o.commit(unit(2)); // opens MESZ5
    await o.commit(unit(3)); // closes it: tombstone
    const key = 'Sim1\u0000MESZ5';
    assert.strictEqual((await o.positionOverrides()).get(key), null);
    const [first, second] = (await o.pending()).map((p) => p.seq);
    await o.removePending([first]);
    assert.strictEqual((await o.positionOverrides()).get(key), null, 'entry 3 still pending');
    await o.removePending([second]);
    assert.strictEqual((await o.positionOverrides()).has(key), false);
    await o.close();
  });

  it('a plain SQLite store deletes a flat position and keeps no outbox entries', async () => {
    const s = new SqliteStore(path.join(dir, 'plain.db'));
    await s.commit(unit(2));
    await s.commit(unit(3));
    assert.deepStrictEqual(await s.openPositions(), []);
    await s.close();
    const o = new SqliteOutbox(path.join(dir, 'plain.db'), { readOnly: true });
    assert.strictEqual(await o.pendingCount(), 0);
    await o.close();
  });
});
