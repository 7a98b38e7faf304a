/** PostgreSQL commit cost: one round trip per commit, and bulk commits that equal many commits. */
import * as assert from 'assert';
import * as net from 'net';
import * as path from 'path';
import { PgStore } from '../../../src/core/store/postgres';
import { SqliteOutbox } from '../../../src/core/store/outbox';
import { ResilientStore } from '../../../src/core/store/resilient';
import type { CommitUnit, TradeStore } from '../../../src/core/store/types';
import { tmpDir, trade, unit } from './fixtures';
import { dropSchema, freePort, PG_URL, requirePg, uniqueSchema } from './pgTestEnv';

/** A forwarder to the real server that counts ReadyForQuery ('Z') messages: one per round trip. */
async function countingProxy(): Promise<{ url: string; roundTrips: () => number; close: () => Promise<void> }> {
  const target = new URL(PG_URL);
  let z = 0;
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((client) => {
    const up = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(up);
    client.pipe(up);
    // Parse the server's messages (type byte + int32 length) to count ReadyForQuery.
    let buf = Buffer.alloc(0);
    up.on('data', (d: Buffer) => {
      client.write(d);
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 5) {
        const len = buf.readInt32BE(1);
        if (buf.length < 1 + len) break;
        if (buf[0] === 0x5a) z++;
        buf = buf.subarray(1 + len);
      }
    });
    const end = () => (client.destroy(), up.destroy());
    client.on('error', end).on('close', end);
    up.on('error', end).on('close', end);
  });
  const port = await freePort();
  await new Promise<void>((r) => srv.listen(port, '127.0.0.1', r));
  const url = new URL(PG_URL);
  url.host = `127.0.0.1:${port}`;
  return {
    url: url.toString(),
    roundTrips: () => z,
    close: () => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), srv.close(() => r()))),
  };
}

async function snapshot(s: TradeStore) {
  return {
    keys: [...(await s.fillKeys())].sort(),
    trades: await s.trades(),
    positions: (await s.openPositions()).sort((a, b) => (a.account + a.symbol < b.account + b.symbol ? -1 : 1)),
    sims: await s.simEvents(),
  };
}

/** Two accounts, duplicates inside the batch, a trade restated by a later unit, a partition left open. */
function mixedUnits(): CommitUnit[] {
  const out: CommitUnit[] = [];
  for (let n = 0; n < 1100; n++) out.push(unit(n, { account: n % 3 === 0 ? 'Sim2' : 'Sim1' }));
  out.push(unit(5)); // duplicate fill key within the batch (the first one wins)
  const restated = unit(9001);
  restated.trades = [trade(7, { netPnl: 99 })]; // same trade id as unit 7's: the later upsert wins
  out.push(restated);
  out.push(unit(9002)); // even: leaves Sim1 open at the end
  return out;
}

describe('PostgreSQL commit cost and bulk', function () {
  const schemas: string[] = [];
  const stores: TradeStore[] = [];
  const pg = (schema: string, url = PG_URL) => {
    const s = new PgStore({ connectionString: url, schema });
    stores.push(s);
    return s;
  };

  before(async function () {
    await requirePg(this);
  });

  after(async () => {
    for (const s of stores) await s.close().catch(() => undefined);
    for (const s of schemas) await dropSchema(s).catch(() => undefined);
  });

  it('commits a unit (fill, trades, position, SIM events) in one round trip, and a known fill in one too', async () => {
    const schema = uniqueSchema('rt');
    schemas.push(schema);
    const proxy = await countingProxy();
    try {
      const s = pg(schema, proxy.url);
      await s.open();
      await s.commit(unit(0)); // first use prepares the statement
      for (const n of [1, 2, 3]) {
        const before = proxy.roundTrips();
        assert.strictEqual(await s.commit(unit(n)), true);
        assert.strictEqual(proxy.roundTrips() - before, 1, `commit of unit ${n}`);
      }
      const before = proxy.roundTrips();
      assert.strictEqual(await s.commit(unit(3)), false);
      assert.strictEqual(proxy.roundTrips() - before, 1, 'known fill');
      await s.close();
    } finally {
      await proxy.close();
    }
  });

  it('a known fill changes nothing, even when its unit differs (the fill key decides)', async () => {
    const schema = uniqueSchema('idem');
    schemas.push(schema);
    const s = pg(schema);
    await s.commit(unit(1));
    const before = await snapshot(s);
    const other = unit(1);
    other.trades = [trade(1, { netPnl: -50 }), trade(77)];
    other.position = null;
    other.simEvents = [{ id: 'pnl:other', account: 'Sim1', kind: 'pnl', amount: -50, timeMs: 1, tradeId: 'T77', note: null }];
    assert.strictEqual(await s.commit(other), false);
    assert.deepStrictEqual(await snapshot(s), before);
  });

  it('commitBatch stores exactly what the same units committed one by one store', async () => {
    const [a, b] = [uniqueSchema('seq'), uniqueSchema('bulk')];
    schemas.push(a, b);
    const seq = pg(a);
    const bulk = pg(b);
    const units = mixedUnits();
    await seq.commit(units[10]); // already known to both before the batch
    await bulk.commit(units[10]);
    let added = 0;
    for (const u of units) if (await seq.commit(u)) added++;
    assert.strictEqual(await bulk.commitBatch(units), added);
    assert.deepStrictEqual(await snapshot(bulk), await snapshot(seq));
    assert.strictEqual((await bulk.trades()).find((t) => t.id === 'T7')?.netPnl, 99);
    assert.strictEqual(await bulk.commitBatch(units), 0, 'the same batch again adds nothing');
  });

  it('commitBatch is atomic: a unit the server refuses leaves none of the batch stored', async () => {
    const schema = uniqueSchema('atom');
    schemas.push(schema);
    const s = pg(schema);
    const units = Array.from({ length: 1500 }, (_, n) => unit(n));
    units[1200].fill = { ...units[1200].fill, timeMs: 1.5 }; // not a bigint: PostgreSQL refuses the chunk
    await assert.rejects(s.commitBatch(units));
    assert.strictEqual((await s.fillKeys()).size, 0);
    assert.strictEqual((await s.trades()).length, 0);
  });

  it('ResilientStore routes a batch to PostgreSQL when up, and unit by unit into the outbox when down', async () => {
    const schema = uniqueSchema('resb');
    schemas.push(schema);
    const dir = tmpDir('resb');
    const up = new ResilientStore(pg(schema), new SqliteOutbox(path.join(dir, 'up.db')), { syncIntervalMs: 0 });
    assert.strictEqual(await up.commitBatch([unit(1), unit(2), unit(3)]), 3);
    assert.strictEqual((await up.health()).outboxPending, 0);
    await up.close();
    const deadPort = await freePort();
    const down = new ResilientStore(
      new PgStore({ connectionString: `postgres://postgres@127.0.0.1:${deadPort}/test`, schema, connectTimeoutMs: 500 }),
      new SqliteOutbox(path.join(dir, 'down.db')),
      { syncIntervalMs: 0 },
    );
    assert.strictEqual(await down.commitBatch([unit(4), unit(5), unit(5)]), 2);
    assert.strictEqual((await down.health()).outboxPending, 2);
    await down.close();
  });
});
