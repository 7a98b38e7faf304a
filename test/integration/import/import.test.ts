import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { spawn, spawnSync } from 'child_process';
import { SqliteStore } from '../../../src/core/store/sqlite';
import { PgStore } from '../../../src/core/store/postgres';
import type { TradeStore } from '../../../src/core/store/types';
import { TradeJournal } from '../../../src/core/journal';
import { exportTrades } from '../../../src/core/export';
import { DEFAULT_CHUNK_FILLS, rebuildPartitions, runImport, undoImport, type ReplayOptions } from '../../../src/core/import';
import { ContractSpecs } from '../../../src/core/trading';
import type { Fill, Trade } from '../../../src/core/trading/types';
import { tmpDir } from '../store/fixtures';
import { MIGRATIONS, SCHEMA_VERSION, dialectSql } from '../../../src/core/store/schema';
import { dropSchema, PG_URL, requirePg, uniqueSchema } from '../store/pgTestEnv';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const FIX = path.join(root, 'test', 'fixtures', 'import');
const fx = (n: string) => path.join(FIX, n);
const EXPORT = fx('sierra-export.txt');
const ACCOUNT = 'RTSL00000000000';

const opts = (specs = new ContractSpecs()): ReplayOptions => ({ specs, simPattern: '^(Sim|SIM|Paper|Demo|DEMO)', startingBalance: 10000 });
const byId = (a: Trade, b: Trade) => a.id.localeCompare(b.id);

/** Everything a user could see: fills, trades, positions, SIM events. */
async function state(store: TradeStore) {
  return {
    fills: (await store.storedFills()).map(({ batchId: _b, ...f }) => f),
    trades: (await store.trades()).sort(byId),
    positions: await store.openPositions(),
    sim: await store.simEvents(),
  };
}

async function live(store: TradeStore, fills: Fill[]): Promise<void> {
  const j = new TradeJournal({ store, specs: new ContractSpecs(), simPattern: opts().simPattern, startingBalance: 10000 });
  await j.open();
  for (const f of fills) await j.applyFill(f);
  await j.flush();
  j.dispose();
}

function scenarios(kind: string, make: () => Promise<TradeStore>, cleanup: () => Promise<void>) {
  describe(`import into ${kind}`, function () {
    let store: TradeStore;
    beforeEach(async () => (store = await make()));
    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    it('every format gives the same trades; the same file twice adds nothing; other formats of the same fills are duplicates', async () => {
      const s1 = await runImport({ ...opts(), store, files: [EXPORT] });
      assert.deepStrictEqual([s1.fills.new, s1.fills.skipped, s1.tradesClosed, s1.openPositions], [4, 1, 2, 0]);
      const trades = (await store.trades()).sort(byId);
      assert.deepStrictEqual(trades.map((t) => [t.symbol, t.side, t.avgEntryPrice, t.avgExitPrice, t.grossPnl]).sort(), [
        ['ESU6.CME', 'SHORT', 6515, 6514, 50],
        ['MESU6.CME', 'LONG', 6512.25, 6514.75, 25],
      ]);
      const s2 = await runImport({ ...opts(), store, files: [EXPORT] });
      assert.strictEqual(s2.fills.new, 0);
      assert.strictEqual(s2.files[0].alreadyImportedIn, s1.batchId);
      assert.strictEqual(s2.batchId, null);
      const s3 = await runImport({ ...opts(), store, files: [fx('TradeActivityLog_2026-09-08_UTC.simulated.data'), fx('sierra-save-log-as.txt')], timeZone: 'America/New_York' });
      assert.deepStrictEqual([s3.fills.new, s3.fills.duplicate], [0, 8]);
      assert.deepStrictEqual((await store.trades()).sort(byId), trades);
      assert.strictEqual((await store.importBatches()).length, 1);
    });

    it('the round trip: export -> import into an empty store gives identical trades (csv and json)', async () => {
      await live(store, [
        { account: 'Sim1', executionId: 'L1', symbol: 'MESZ5', side: 'BUY', qty: 2, price: 6000.25, timeMs: Date.UTC(2025, 10, 3, 14, 30, 1, 250), highDuringPosition: 6004, lowDuringPosition: 5998.5, source: 'order_update' },
        { account: 'Sim1', executionId: 'L2', symbol: 'MESZ5', side: 'SELL', qty: 2, price: 6003.5, timeMs: Date.UTC(2025, 10, 3, 14, 35), source: 'order_update' },
        { account: 'Sim1', executionId: 'L3', symbol: 'MNQZ5', side: 'SELL', qty: 1, price: 21000, timeMs: Date.UTC(2025, 10, 3, 15, 0), source: 'order_update' },
        { account: 'Sim1', executionId: 'L4', symbol: 'MNQZ5', side: 'BUY', qty: 1, price: 21012.75, timeMs: Date.UTC(2025, 10, 3, 15, 1), source: 'order_update' },
      ]);
      const original = (await store.trades()).sort(byId);
      assert.strictEqual(original.length, 2);
      for (const format of ['csv', 'json'] as const) {
        const dir = tmpDir('rt');
        const file = path.join(dir, `trades.${format}`);
        fs.writeFileSync(file, exportTrades(original, format));
        const empty = new SqliteStore(path.join(dir, 'empty.db'));
        try {
          const s = await runImport({ ...opts(), store: empty, files: [file] });
          assert.strictEqual(s.fills.new, 4);
          assert.deepStrictEqual((await empty.trades()).sort(byId), original);
          assert.deepStrictEqual((await empty.simEvents()).filter((e) => e.kind === 'pnl'), (await store.simEvents()).filter((e) => e.kind === 'pnl'));
        } finally {
          await empty.close();
        }
      }
    });

    it('dedupe against live fills: by execution id where both carry it, else account+symbol+side+qty+price within 2 s', async () => {
      await live(store, [
        // The same fill as the file's X-1001 (same execution id).
        { account: ACCOUNT, executionId: 'X-1001', symbol: 'MESU6.CME', side: 'BUY', qty: 2, price: 6512.25, timeMs: Date.UTC(2026, 8, 8, 13, 31, 5), source: 'order_update' },
        // The file's ESU6 sell has no execution id: DTC saw it with whole seconds, 0.9 s apart... within the tolerance.
        { account: ACCOUNT, executionId: 'DTC-77', symbol: 'ESU6.CME', side: 'SELL', qty: 1, price: 6515, timeMs: Date.UTC(2026, 8, 8, 14, 2, 1), source: 'order_update' },
      ]);
      const s = await runImport({ ...opts(), store, files: [EXPORT] });
      assert.deepStrictEqual(s.duplicatesBy, { executionId: 1, match: 1 });
      assert.strictEqual(s.fills.new, 2);
      assert.strictEqual((await store.trades()).length, 2);
      assert.strictEqual((await store.storedFills()).length, 4);
    });

    it('the streamed reads of the duplicate check give what the full reads give (stored fills in order, SIM accounts)', async function () {
      await live(store, [
        { account: 'Sim1', executionId: 'S1', symbol: 'MESZ5', side: 'BUY', qty: 1, price: 6000.25, timeMs: Date.UTC(2025, 10, 3, 14, 30), source: 'order_update' },
        { account: 'Sim2', executionId: 'S2', symbol: 'MESZ5', side: 'SELL', qty: 1, price: 6001, timeMs: Date.UTC(2025, 10, 3, 14, 31), source: 'order_update' },
      ]);
      await runImport({ ...opts(), store, files: [EXPORT] });
      if (!store.eachStoredFill || !store.simEventAccounts) return this.skip();
      const streamed: Fill[] = [];
      await store.eachStoredFill((f) => streamed.push(f));
      assert.deepStrictEqual(streamed, (await store.storedFills()).map(({ batchId: _b, ...f }) => f));
      assert.strictEqual(streamed.length, 6);
      assert.deepStrictEqual((await store.simEventAccounts()).sort(), [...new Set((await store.simEvents()).map((e) => e.account))].sort());
    });

    it('the other order: a file first, then the same fills from DTC count once (by execution id, or matched to a row the file gave no id)', async () => {
      await runImport({ ...opts(), store, files: [EXPORT] });
      const before = await state(store);
      const dtc: Fill[] = [
        // The file's X-1001, by its id.
        { account: ACCOUNT, executionId: 'X-1001', symbol: 'MESU6.CME', side: 'BUY', qty: 2, price: 6512.25, timeMs: Date.UTC(2026, 8, 8, 13, 31, 5), source: 'historical' },
        // The file's ESU6 rows have no id: DTC's real ids, whole seconds.
        { account: ACCOUNT, executionId: 'DTC-77', symbol: 'ESU6.CME', side: 'SELL', qty: 1, price: 6515, timeMs: Date.UTC(2026, 8, 8, 14, 2, 1), source: 'historical' },
        { account: ACCOUNT, executionId: 'DTC-78', symbol: 'ESU6.CME', side: 'BUY', qty: 1, price: 6514, timeMs: Date.UTC(2026, 8, 8, 14, 5, 30), source: 'historical' },
      ];
      const j = new TradeJournal({ store, specs: new ContractSpecs(), simPattern: opts().simPattern, startingBalance: 10000 });
      await j.open();
      for (const f of dtc) await j.applyFill(f);
      // Sent again (a reconnect): still known.
      await j.applyFill(dtc[1]);
      await j.flush();
      assert.deepStrictEqual([j.counters.fills, j.counters.duplicateFills], [4, 4]);
      j.dispose();
      assert.deepStrictEqual(await state(store), before, 'nothing added');
      // After a restart the history comes again: the same answer. A fill 5 s from the file's is another fill.
      const again = new TradeJournal({ store, specs: new ContractSpecs(), simPattern: opts().simPattern, startingBalance: 10000 });
      await again.open();
      for (const f of [...dtc, { ...dtc[1], executionId: 'DTC-99', timeMs: Date.UTC(2026, 8, 8, 14, 2, 5) }]) await again.applyFill(f);
      await again.flush();
      assert.deepStrictEqual([again.counters.fills, again.counters.duplicateFills], [4, 3]);
      again.dispose();
      assert.strictEqual((await store.storedFills()).length, 5);
      assert.deepStrictEqual((await store.openPositions()).map((p) => [p.symbol, p.qty]), [['ESU6.CME', -1]]);
    });

    it('the fuzzy match needs the time within the tolerance and every other field equal', async () => {
      const es = { account: ACCOUNT, symbol: 'ESU6.CME', qty: 1, source: 'order_update' } as const;
      await live(store, [
        // The file's ESU6 sell (no execution id) is at 14:02:00.000: this one is 2.5 s later.
        { ...es, executionId: 'DTC-1', side: 'SELL', price: 6515, timeMs: Date.UTC(2026, 8, 8, 14, 2, 2, 500) },
        // The file's ESU6 buy is at 14:05:30.500 @ 6514: same second, another price.
        { ...es, executionId: 'DTC-2', side: 'BUY', price: 6514.25, timeMs: Date.UTC(2026, 8, 8, 14, 5, 31) },
        // The same price and second as that buy, another account.
        { ...es, account: 'OTHER', executionId: 'DTC-3', side: 'BUY', price: 6514, timeMs: Date.UTC(2026, 8, 8, 14, 5, 31) },
      ]);
      const dry = await runImport({ ...opts(), store, files: [EXPORT], dryRun: true });
      assert.deepStrictEqual([dry.duplicatesBy, dry.fills.new], [{ executionId: 0, match: 0 }, 4]);
      const wider = await runImport({ ...opts(), store, files: [EXPORT], dryRun: true, toleranceMs: 3000 });
      assert.deepStrictEqual([wider.duplicatesBy, wider.fills.new], [{ executionId: 0, match: 1 }, 3], 'the 2.5 s one matches a 3 s tolerance');
    });

    it('two different real execution ids are two fills even when everything else matches', async () => {
      await live(store, [{ account: ACCOUNT, executionId: 'OTHER', symbol: 'MESU6.CME', side: 'BUY', qty: 2, price: 6512.25, timeMs: Date.UTC(2026, 8, 8, 13, 31, 5), source: 'order_update' }]);
      const s = await runImport({ ...opts(), store, files: [EXPORT] });
      assert.deepStrictEqual(s.duplicatesBy, { executionId: 0, match: 0 });
      assert.strictEqual(s.fills.new, 4);
    });

    it('older fills than the stored ones: their contracts are rebuilt in time order', async () => {
      // A live round trip later the same day; the file's MES trade happened before it.
      await live(store, [
        { account: ACCOUNT, executionId: 'LATE1', symbol: 'MESU6.CME', side: 'SELL', qty: 1, price: 6520, timeMs: Date.UTC(2026, 8, 8, 18), source: 'order_update' },
        { account: ACCOUNT, executionId: 'LATE2', symbol: 'MESU6.CME', side: 'BUY', qty: 1, price: 6519, timeMs: Date.UTC(2026, 8, 8, 18, 5), source: 'order_update' },
      ]);
      const s = await runImport({ ...opts(), store, files: [EXPORT] });
      assert.strictEqual(s.rebuilt, 1);
      assert.strictEqual(s.tradesClosed, 2);
      const mes = (await store.trades()).filter((t) => t.symbol === 'MESU6.CME').sort((a, b) => a.entryTime - b.entryTime);
      assert.deepStrictEqual(mes.map((t) => [t.side, t.qty, t.grossPnl]), [['LONG', 2, 25], ['SHORT', 1, 5]]);
    });

    it('undo removes exactly that batch and rebuilds what it touched; cancel leaves the store as before', async () => {
      await live(store, [{ account: ACCOUNT, executionId: 'KEEP', symbol: 'ESU6.CME', side: 'BUY', qty: 1, price: 6500, timeMs: Date.UTC(2026, 8, 7, 14), source: 'order_update' }]);
      const before = await state(store);
      const s = await runImport({ ...opts(), store, files: [EXPORT] });
      assert.strictEqual(s.fills.new, 4);
      const u = await undoImport(store, s.batchId!, opts());
      assert.strictEqual(u.fillsRemoved, 4);
      assert.deepStrictEqual(await state(store), before);
      assert.strictEqual((await store.importBatches())[0].status, 'undone');
      // Cancel after the first durable chunk (chunks of one fill).
      let chunks = 0;
      const c = await runImport({ ...opts(), store, files: [EXPORT], chunkFills: 1, onChunk: () => chunks++, isCancelled: () => chunks >= 2 });
      assert.ok(c.cancelled);
      assert.strictEqual(chunks, 2, 'two chunks were durable before the cancel');
      assert.deepStrictEqual(await state(store), before);
    });

    it('rebuild after a spec change: same ids, new P&L; an unknown-spec contract gets its trades once its spec exists', async () => {
      const file = path.join(tmpDir('spec'), 'xyz.txt');
      fs.writeFileSync(file, fs.readFileSync(EXPORT, 'utf8').replace(/\tESU6\.CME/g, '\tXYZU6'));
      const s = await runImport({ ...opts(), store, files: [file] });
      assert.strictEqual(s.tradesClosed, 1, 'XYZ has no spec: its fills are kept, no trade');
      assert.ok(s.problems.some((p) => /No contract spec for contract root XYZ/.test(p)));
      const before = await store.trades();
      const specs = new ContractSpecs({ MES: { tickSize: 0.25, pointValue: 5, roundTurnFee: 2 }, XYZ: { tickSize: 0.25, pointValue: 10, roundTurnFee: 0 } });
      const r = await rebuildPartitions(store, opts(specs));
      assert.deepStrictEqual([r.tradesBefore, r.tradesAfter], [1, 2]);
      const after = (await store.trades()).sort(byId);
      const mes = after.find((t) => t.symbol === 'MESU6.CME')!;
      assert.strictEqual(mes.id, before[0].id, 'same id after a rebuild');
      assert.strictEqual(mes.commissions, 4, 'today\'s fee: 2 per round turn x 2');
      assert.strictEqual(after.find((t) => t.symbol === 'XYZU6')!.grossPnl, 10);
      const again = await rebuildPartitions(store, opts(specs));
      assert.deepStrictEqual((await store.trades()).sort(byId), after, 'deterministic');
      assert.strictEqual(again.tradesAfter, 2);
      // Nothing changed since the last rebuild: nothing is rewritten (on both stores).
      const w = again.result;
      assert.deepStrictEqual([w.trades, w.restateTrades, w.deleteTrades, w.upsertSimEvents, w.restateSimEvents, w.deleteSimEvents, w.positions], [[], [], [], [], [], [], []], 'an unchanged partition is left out of the write');
    });

    it('a fee change restates trades in place (same ids, only what changed); the SIM ledger follows; trades no fill produces go with their pnl', async () => {
      const t0 = Date.UTC(2026, 8, 8, 14);
      const f = (id: string, symbol: string, side: 'BUY' | 'SELL', price: number, min: number): Fill => ({ account: 'Sim1', executionId: id, symbol, side, qty: 1, price, timeMs: t0 + min * 60_000, source: 'order_update' });
      await live(store, [f('A1', 'MESU6', 'BUY', 6500, 0), f('A2', 'MESU6', 'SELL', 6501, 1), f('A3', 'MESU6', 'BUY', 6502, 2), f('A4', 'MESU6', 'SELL', 6504, 3), f('E1', 'ESU6', 'BUY', 6500, 4), f('E2', 'ESU6', 'SELL', 6502, 5)]);
      const before = (await store.trades()).sort(byId);
      assert.strictEqual(before.length, 3);
      // A stale MES trade and its pnl event (as an older engine could have left): no fill produces it.
      const stale: Trade = { ...before.find((t) => t.symbol === 'MESU6')!, id: 'stale-trade', netPnl: -999 };
      await store.bulkWrite({ trades: [stale], simEvents: [{ id: 'pnl:stale-trade', account: 'Sim1', kind: 'pnl', amount: -999, timeMs: stale.exitTime, tradeId: 'stale-trade', note: null }] });
      const r = await rebuildPartitions(store, opts(new ContractSpecs({ MES: { tickSize: 0.25, pointValue: 5, roundTurnFee: 3 } })));
      assert.deepStrictEqual(r.result.deleteTrades, ['stale-trade']);
      assert.deepStrictEqual(r.result.deleteSimEvents, ['pnl:stale-trade']);
      assert.deepStrictEqual(r.result.restateTrades!.map((t) => t.symbol), ['MESU6', 'MESU6'], 'the ES trade is unchanged: not written');
      assert.deepStrictEqual([r.result.trades, r.result.upsertSimEvents], [[], []], 'same ids, accounts and times: nothing but the restated columns is written');
      assert.deepStrictEqual(r.result.restateSimEvents!.map((e) => e.tradeId).sort(), r.result.restateTrades!.map((t) => t.id).sort());
      assert.strictEqual(r.result.replace, undefined, 'no partition is cleared');
      const after = (await store.trades()).sort(byId);
      assert.deepStrictEqual(after.map((t) => t.id), before.map((t) => t.id), 'same ids, the stale trade gone');
      for (const t of after) assert.strictEqual(t.commissions, t.symbol === 'MESU6' ? 3 : before.find((b) => b.id === t.id)!.commissions);
      const pnl = (await store.simEvents()).filter((e) => e.kind === 'pnl');
      assert.deepStrictEqual(pnl.map((e) => [e.id, e.amount]).sort(), after.map((t) => [`pnl:${t.id}`, t.netPnl]).sort(), 'one pnl event per trade, at its new net P&L');
      const again = await rebuildPartitions(store, opts(new ContractSpecs({ MES: { tickSize: 0.25, pointValue: 5, roundTurnFee: 3 } })));
      assert.deepStrictEqual((await store.trades()).sort(byId), after, 'deterministic');
      assert.deepStrictEqual([again.result.trades, again.result.restateTrades, again.result.upsertSimEvents, again.result.restateSimEvents], [[], [], [], []]);
    });
  });
}

scenarios('SQLite', async () => new SqliteStore(path.join(tmpDir('imp'), 'a.db')), async () => undefined);

describe('rebuild in SQLite: the saved stats columns', () => {
  it('a trade updated in place by a rebuild still drops them (the update trigger fires)', async () => {
    const store = new SqliteStore(path.join(tmpDir('imp-stats'), 'a.db'));
    try {
      await runImport({ ...opts(), store, files: [EXPORT] });
      assert.strictEqual(await store.saveStatsColumns(() => new Uint8Array([1, 2, 3]), 2), null);
      assert.ok(await store.savedStatsColumns(), 'saved');
      await rebuildPartitions(store, opts());
      assert.ok(await store.savedStatsColumns(), 'a rebuild that writes nothing keeps them');
      const r = await rebuildPartitions(store, opts(new ContractSpecs({ MES: { tickSize: 0.25, pointValue: 5, roundTurnFee: 3 } })));
      assert.deepStrictEqual([r.result.restateTrades!.length, r.result.trades!.length, r.result.deleteTrades!.length], [1, 0, 0], 'one trade updated in place, none deleted');
      assert.strictEqual(await store.savedStatsColumns(), null);
    } finally {
      await store.close();
    }
  });
});

describe('import into PostgreSQL', function () {
  before(async function () {
    await requirePg(this);
  });
  let schema = '';
  scenarios('PostgreSQL', async () => {
    schema = uniqueSchema('imp');
    const s = new PgStore({ connectionString: PG_URL, schema });
    await s.open();
    return s;
  }, async () => dropSchema(schema));
});

describe('store migration 1 -> latest (import batches)', () => {
  it('a store written before imports existed opens, keeps its fills (no batch) and takes imports', async () => {
    const initSqlJs = require('sql.js');
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.exec('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    for (const st of MIGRATIONS[0].statements) db.exec(dialectSql(st, 'sqlite'));
    db.run("INSERT INTO meta (key, value) VALUES ('schema_version', '1'), ('journal_seq', '0')");
    db.run("INSERT INTO fills (account, execution_id, symbol, side, qty, price, time_ms, source) VALUES ('A1', 'OLD', 'ESU6.CME', 'BUY', 1, 6500, 1, 'order_update')");
    const dir = tmpDir('mig');
    fs.writeFileSync(path.join(dir, 'a.db'), Buffer.from(db.export()));
    db.close();
    const store = new SqliteStore(path.join(dir, 'a.db'));
    try {
      assert.strictEqual(await store.schemaVersion(), SCHEMA_VERSION);
      assert.strictEqual(store.versionAtOpen, 1);
      assert.deepStrictEqual((await store.storedFills()).map((f) => [f.executionId, f.batchId]), [['OLD', null]]);
      const s = await runImport({ ...opts(), store, files: [EXPORT] });
      assert.strictEqual(s.fills.new, 4);
      assert.strictEqual((await store.importBatches()).length, 1);
    } finally {
      await store.close();
    }
  });
});

describe('SQLite bulk writes go straight into the database file', () => {
  it('an acknowledged import is in the file without a journal line; a follower sees it at its next refresh; a live fill after it replays on top after a crash', async () => {
    const dir = tmpDir('bulkfile');
    const file = path.join(dir, 'a.db');
    const store = new SqliteStore(file);
    const follower = new SqliteStore(file, { readOnly: true });
    try {
      await store.open();
      await follower.open();
      const s = await runImport({ ...opts(), store, files: [EXPORT] });
      assert.strictEqual(s.fills.new, 4);
      assert.strictEqual(fs.statSync(file + '.journal').size, 0, 'nothing journaled: the rows are in the file');
      const ids = async (st: TradeStore) => (await st.trades()).map((t) => t.id).sort();
      assert.strictEqual((await ids(store)).length, 2);
      assert.strictEqual(await follower.refresh(), true);
      assert.deepStrictEqual(await ids(follower), await ids(store));
      // A live fill after the import is journaled (not yet in the file): a crash copy replays it on top.
      await live(store, [{ account: 'Sim9', executionId: 'L1', symbol: 'ESU6.CME', side: 'BUY', qty: 1, price: 6500, timeMs: Date.UTC(2026, 5, 1), source: 'order_update' }]);
      assert.ok(fs.statSync(file + '.journal').size > 0);
      const crashed = path.join(dir, 'crash', 'a.db');
      fs.mkdirSync(path.dirname(crashed));
      for (const ext of ['', '.journal', '-journal']) if (fs.existsSync(file + ext)) fs.copyFileSync(file + ext, crashed + ext);
      const again = new SqliteStore(crashed);
      try {
        assert.deepStrictEqual(await ids(again), await ids(store));
        assert.deepStrictEqual((await again.storedFills()).map((f) => f.executionId).sort(), (await store.storedFills()).map((f) => f.executionId).sort());
        assert.strictEqual((await again.storedFills()).length, 5);
      } finally {
        await again.close();
      }
    } finally {
      await follower.close();
      await store.close();
    }
  });
});

describe('appsierra import (CLI)', function () {
  // Each case spawns several CLI processes; on a loaded 2-core machine that is slow, not stuck.
  this.timeout(180_000);
  it('a garbage file and a wrong-format file exit 3 naming what was expected and the first line; nothing is written', () => {
    const dir = tmpDir('cli');
    const store = `sqlite:${path.join(dir, 'a.db')}`;
    for (const [file, extra] of [[fx('garbage.bin'), []], [fx('other-tool.csv'), []], [EXPORT, ['--format', 'sierra-data']]] as const) {
      const r = spawnSync(process.execPath, [cli, 'import', file, '--store', store, ...extra], { encoding: 'utf8', maxBuffer: 1 << 26 });
      assert.strictEqual(r.status, 3, r.stderr);
      assert.match(r.stderr, /expected|Not a Sierra/);
      assert.match(r.stderr, /first line|starts with/);
    }
    const list = spawnSync(process.execPath, [cli, 'import', 'list', '--store', store, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    assert.deepStrictEqual(JSON.parse(list.stdout), []);
  });

  it('--dry-run changes nothing; --json prints the summary; undo by batch id', () => {
    const dir = tmpDir('cli');
    const store = `sqlite:${path.join(dir, 'a.db')}`;
    const dry = spawnSync(process.execPath, [cli, 'import', EXPORT, '--store', store, '--dry-run', '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    assert.strictEqual(dry.status, 0, dry.stderr);
    assert.deepStrictEqual([JSON.parse(dry.stdout).fills.new, JSON.parse(dry.stdout).tradesClosed], [4, 2]);
    // A dry run never creates the store (and a read of a store that does not exist is refused).
    assert.ok(!fs.existsSync(path.join(dir, 'a.db')));
    const real = spawnSync(process.execPath, [cli, 'import', EXPORT, '--store', store, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const batch = JSON.parse(real.stdout).batchId;
    const undo = spawnSync(process.execPath, [cli, 'import', 'undo', batch, '--store', store], { encoding: 'utf8', maxBuffer: 1 << 26 });
    assert.strictEqual(undo.status, 0, undo.stderr);
    assert.match(undo.stdout, /4 fill\(s\) removed/);
    assert.strictEqual(JSON.parse(spawnSync(process.execPath, [cli, 'trades', '--store', store, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout).length, 0);
  });

  it('SIGKILL mid-import: every acknowledged chunk is kept whole, no half chunk; importing again completes it', async () => {
    const dir = tmpDir('kill');
    const store = `sqlite:${path.join(dir, 'a.db')}`;
    const file = path.join(dir, 'big.txt');
    const lines = ['ActivityType\tDateTime\tSymbol\tQuantity\tBuySell\tFillPrice\tTradeAccount\tFillExecutionServiceID'];
    const t0 = Date.UTC(2026, 0, 5, 14);
    // One chunk and a part: a kill after the first acknowledged chunk finds it whole and no more.
    const total = DEFAULT_CHUNK_FILLS + 1000;
    for (let i = 0; i < total; i++) {
      const t = new Date(t0 + i * 1000).toISOString().replace('T', ' ').replace('Z', '');
      lines.push(`Fills\t${t}\tMESH6\t1\t${i % 2 ? 'Sell' : 'Buy'}\t${(600000 + (i % 7) * 25).toFixed(7)}\tA1\tK${i}`);
    }
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const child = spawn(process.execPath, [cli, 'import', file, '--store', store], { env: { ...process.env, APPSIERRA_TEST_IMPORT_CHUNK_LOG: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let acked = 0;
    let err = '';
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        acked = (err.match(/^chunk \d+$/gm) ?? []).length;
        if (acked >= 1 && child.exitCode === null) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    assert.ok(acked >= 1, err);
    const s = new SqliteStore(path.join(dir, 'a.db'), { readOnly: true });
    const fills = (await s.storedFills()).length;
    const batches = await s.importBatches();
    const stored = await s.trades();
    const positions = await s.openPositions();
    await s.close();
    assert.ok(fills >= acked * DEFAULT_CHUNK_FILLS, `acknowledged ${acked} chunk(s), found ${fills} fills`);
    assert.strictEqual(fills % DEFAULT_CHUNK_FILLS === 0 || fills === total, true, `no half chunk: ${fills}`);
    // The trades are those of the stored fills, no more, no fewer (1-lot round trips, alternating).
    assert.strictEqual(stored.length, fills / 2);
    assert.deepStrictEqual(positions, []);
    if (fills < total) assert.strictEqual(batches[0].status, 'running');
    const again = spawnSync(process.execPath, [cli, 'import', file, '--store', store, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    assert.strictEqual(again.status, 0, again.stderr);
    const trades = JSON.parse(spawnSync(process.execPath, [cli, 'trades', '--store', store, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout);
    assert.strictEqual(trades.length, total / 2);
    assert.strictEqual(new Set(trades.map((t: { id: string }) => t.id)).size, total / 2);
  });
});
