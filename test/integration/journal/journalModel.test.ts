import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { SqliteStore } from '../../../src/core/store/sqlite';
import { JournalModel } from '../../../src/core/reports/journalModel';
import type { Trade } from '../../../src/core/trading/types';
import { tmpDir, trade, unit } from '../store/fixtures';

describe('journal model over a real sql.js store', () => {
  let dir: string;
  let store: SqliteStore;
  let trades: ((t: Trade) => void)[];
  let reloads: (() => void)[];
  let model: JournalModel;

  beforeEach(async () => {
    dir = tmpDir('journal-model');
    store = new SqliteStore(path.join(dir, 'a.db'));
    await store.open();
    for (const n of [0, 1, 2, 3]) await store.commit(unit(n));
    trades = [];
    reloads = [];
    model = new JournalModel({
      store: () => store,
      onTrade: (l) => (trades.push(l), () => undefined),
      onReloaded: (l) => (reloads.push(l), () => undefined),
      session: () => ({ sessionStart: '17:00', timeZone: 'America/Chicago' }),
    });
  });
  afterEach(async () => {
    model.dispose();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('builds the index on first use, then follows durable trades', async () => {
    assert.strictEqual(model.current(), null, 'nothing is loaded until asked (never on the activation path)');
    const index = await model.load();
    assert.strictEqual(index.size, 2);
    assert.ok(index.get('T3'), 'get() right after load() finds a trade');
    let changes = 0;
    model.on('change', () => changes++);
    await store.commit(unit(5));
    for (const l of trades) l(trade(5));
    assert.strictEqual((await model.load()).size, 3);
    assert.strictEqual(changes, 1);
  });

  it('tags go to the store first, then to the index; fills come back in time order', async () => {
    await model.load();
    await model.editTags(['T1', 'T3', 'gone'], ['A+ setup'], []);
    assert.deepStrictEqual([...(await model.load()).tagsOf('T3')], ['A+ setup']);
    assert.deepStrictEqual((await store.tradeTags()).get('T1'), ['A+ setup']);
    await model.editTags(['T1'], [], ['A+ setup']);
    assert.strictEqual((await store.tradeTags()).get('T1'), undefined);
    await assert.rejects(model.editTags(['T1'], [' '], []), /empty/);
    const fills = await model.fillsOf('T3');
    assert.deepStrictEqual(fills.map((f) => f.executionId), ['E2', 'E3']);
  });

  it('a reload from the store (another writer, a rebuild) rebuilds the index', async () => {
    const before = await model.load();
    await store.commit(unit(7));
    for (const l of reloads) l();
    const after = await model.load();
    assert.notStrictEqual(after, before);
    assert.strictEqual(after.size, 3);
  });
});
