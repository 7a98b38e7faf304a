import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { openStore, loadSqlJs, PgStore, SqliteStore } from '../../../src/core/store';
import { dialectSql, META_DDL, MIGRATIONS, SCHEMA_VERSION, SQL } from '../../../src/core/store/schema';
import { TradeJournal } from '../../../src/core/journal';
import { ContractSpecs } from '../../../src/core/trading';
import type { TradeStore } from '../../../src/core/store/types';
import type { DtcMessage } from '../../../src/core/dtc';
import { orderFill } from '../../fixtures/streams';
import { PG_URL, dropSchema, requirePg, uniqueSchema } from '../store/pgTestEnv';

const T = Date.UTC(2026, 10, 3, 15, 0);

/** Two round trips in MESZ5: the first without a stop (assumed R), the second with one (stop R). */
async function trade(store: TradeStore): Promise<void> {
  const journal = new TradeJournal({ store, specs: new ContractSpecs(), simPattern: '^sim', startingBalance: 10000, assumedStop: { defaultStopTicks: 8 } });
  try {
    await journal.open();
    const f = (execId: string, side: 'BUY' | 'SELL', price: number, i: number) =>
      journal.handle(orderFill({ account: 'Sim1', symbol: 'MESZ5', side, qty: 1, price, timeMs: T + i * 60_000, execId }) as DtcMessage);
    await f('a1', 'BUY', 5000, 0);
    await f('a2', 'SELL', 5002, 1);
    await f('b1', 'BUY', 5000, 2);
    await journal.handle({
      Type: 301, Symbol: 'MESZ5', TradeAccount: 'Sim1', ServerOrderID: 'stop-b', OrderStatus: 4, OrderUpdateReason: 1, OrderType: 3, BuySell: 2, Price1: 4995,
      LatestTransactionDateTime: T + 2 * 60_000 + 500,
    });
    await f('b2', 'SELL', 5002, 3);
    await journal.flush();
  } finally {
    journal.dispose();
  }
}

function check(trades: { rMultiple: number | null; assumedRMultiple?: number | null }[]): void {
  assert.strictEqual(trades.length, 2);
  // risk 8 ticks x 0.25 x $5 = $10, net 8.76: assumed R 0.876; the stopped trade: risk $25 -> R 0.3504.
  assert.deepStrictEqual(trades.map((t) => [t.rMultiple, t.assumedRMultiple ?? null]), [[null, 0.876], [0.3504, null]]);
}

/** Issue 15: the assumed R is stored in its own column, apart from the stop-based R. */
describe('assumed R in the store (real sql.js file, real PostgreSQL)', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-assumedr-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('SQLite: stored, and read back after a reopen', async () => {
    const url = `sqlite:${path.join(dir, 'j.db')}`;
    let store = await openStore(url);
    await trade(store);
    check(await store.trades());
    await store.close();
    store = await openStore(url);
    try {
      check(await store.trades());
    } finally {
      await store.close();
    }
  });

  it('SQLite: a version 2 store gains the column; its old trades have no assumed R', async () => {
    const SQLJS = await loadSqlJs();
    const db = new SQLJS.Database();
    db.exec(dialectSql(META_DDL, 'sqlite'));
    for (const m of MIGRATIONS.filter((x) => x.version <= 2)) for (const st of m.statements) db.exec(dialectSql(st, 'sqlite'));
    db.run(dialectSql(SQL.setMeta, 'sqlite'), ['schema_version', '2']);
    db.run(`INSERT INTO trades (id, account, mode, symbol, root, side, qty, max_position, entry_time, exit_time, avg_entry_price, avg_exit_price, gross_pnl, commissions, net_pnl, mae, mfe, r_multiple, fill_ids)
      VALUES ('old', 'Sim1', 'SIM', 'MESZ5', 'MES', 'LONG', 1, 1, ${T - 7_200_000}, ${T - 3_600_000}, 5000, 5001, 5, 1.24, 3.76, NULL, NULL, NULL, '["x","y"]')`);
    const file = path.join(dir, 'v2.db');
    fs.writeFileSync(file, db.export());
    db.close();
    const store = new SqliteStore(file);
    await store.open();
    try {
      assert.strictEqual(store.versionAtOpen, 2);
      assert.strictEqual(await store.schemaVersion(), SCHEMA_VERSION);
      const [old] = await store.trades();
      assert.strictEqual(old.id, 'old');
      assert.strictEqual('assumedRMultiple' in old, false);
      await trade(store);
      check((await store.trades()).filter((t) => t.id !== 'old'));
    } finally {
      await store.close();
    }
  });

  describe('PostgreSQL', () => {
    before(async function () {
      await requirePg(this);
    });

    it('stored and read back in its own column', async () => {
      const schema = uniqueSchema('assumedr');
      const store = new PgStore({ connectionString: PG_URL, schema });
      try {
        await store.open();
        await trade(store);
        check(await store.trades());
      } finally {
        await store.close();
        await dropSchema(schema);
      }
    });
  });
});
