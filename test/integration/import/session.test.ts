/**
 * Import, undo and rebuild through TradeSession (the one pipeline, issue 11): the SIM ledger, its
 * sim_balance.json mirror, monthly resets and the stats follow exactly as after live fills; a fill
 * arriving during an import waits for it; an export's tags come back with its trades.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { openStore } from '../../../src/core/store';
import { TradeSession } from '../../../src/core/session';
import { exportTrades } from '../../../src/core/export';
import { ContractSpecs } from '../../../src/core/trading';
import type { Fill, Trade } from '../../../src/core/trading/types';
import { DEFAULT_SETTINGS } from '../../../src/core/settings';
import { DEFAULT_SESSION } from '../../../src/core/stats/session';
import { roundCents } from '../../../src/core/trading/money';
import { tmpDir } from '../store/fixtures';
import { JournalModel } from '../../../src/core/reports/journalModel';
import { RebuildCancelled } from '../../../src/core/import';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const EXPORT = path.join(root, 'test', 'fixtures', 'import', 'sierra-export.txt');
const byId = (a: Trade, b: Trade) => a.id.localeCompare(b.id);
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

function session(dir: string, sim: Partial<typeof DEFAULT_SETTINGS.sim> = {}, now?: () => number): TradeSession {
  return new TradeSession({
    openStore: () => openStore(`sqlite:${path.join(dir, 'trades.db')}`, {}),
    storeDescription: dir,
    sim: { ...DEFAULT_SETTINGS.sim, accountPattern: '^(Sim|RTSL)', monthlyReset: false, ...sim },
    specs: new ContractSpecs(),
    mirrorDir: dir,
    logger: quiet,
    healthMs: 0,
    now,
  });
}

const sim = (n: number, over: Partial<Fill>): Fill => ({ account: 'Sim1', executionId: `L${n}`, symbol: 'MESZ5', side: 'BUY', qty: 1, price: 6000, timeMs: Date.UTC(2025, 10, 3, 14, n), source: 'order_update', ...over });

function mirrorBalance(dir: string, account: string): number {
  const j = JSON.parse(fs.readFileSync(path.join(dir, 'sim_balance.json'), 'utf8')) as { accounts: Record<string, { balance: number }> };
  return j.accounts[account].balance;
}

describe('import through TradeSession', function () {
  this.timeout(60_000);

  it('the SIM ledger, its mirror and the stats follow an import and its undo; rebuild keeps them', async () => {
    const dir = tmpDir('sess-imp');
    const s = session(dir);
    await s.open();
    try {
      const reloads: number[] = [];
      s.on('reloaded', () => reloads.push(s.tradeCount));
      const r = await s.history.importFiles({ files: [EXPORT] });
      assert.strictEqual(r.tradesClosed, 2);
      const trades = await s.trades();
      const net = roundCents(trades.reduce((a, t) => a + t.netPnl, 0));
      const account = trades[0].account;
      assert.strictEqual(s.modeOf(account), 'SIM');
      assert.strictEqual(s.simBalance(account), roundCents(10000 + net));
      assert.strictEqual(mirrorBalance(dir, account), roundCents(10000 + net));
      assert.strictEqual(s.tradeCount, 2, 'the stats hold the imported trades');
      assert.deepStrictEqual(reloads, [2], 'the views are told once, after the import');

      // A cancelled rebuild (VS Code's Cancel) changes nothing.
      const ids = (await s.trades()).map((t) => t.id).sort();
      let polls = 0;
      await assert.rejects(s.history.rebuild({ isCancelled: () => ++polls > 1 }), RebuildCancelled);
      assert.deepStrictEqual((await s.trades()).map((t) => t.id).sort(), ids);
      assert.strictEqual(s.simBalance(account), roundCents(10000 + net));
      assert.strictEqual(s.bulkRunning, false, 'the commit chain is free again');

      const again = await s.history.rebuild();
      assert.strictEqual(again.tradesAfter, 2);
      assert.strictEqual(s.simBalance(account), roundCents(10000 + net));

      await s.history.undoImport(r.batchId!);
      assert.strictEqual(s.tradeCount, 0);
      assert.strictEqual(s.simBalance(account), 10000);
      assert.strictEqual(mirrorBalance(dir, account), 10000);
      assert.deepStrictEqual(s.openPositions(), []);
    } finally {
      await s.close();
    }
  });

  it('monthly resets follow an import of older months as they follow live fills', async () => {
    const dir = tmpDir('sess-month');
    const s = session(dir, { monthlyReset: true });
    await s.open();
    try {
      await s.history.importFiles({ files: [EXPORT] });
      const account = (await s.trades())[0].account;
      // The file is from 2026-09; this month is later, so the first session of it resets the balance.
      const store = await s.trades();
      assert.ok(store.length === 2);
      assert.strictEqual(s.simBalance(account), 10000);
      assert.ok(s.lastReset(account) !== null, 'a monthly reset event was recorded');
    } finally {
      await s.close();
    }
  });

  it('a fill arriving during an import waits for it and is applied on the imported state', async () => {
    const dir = tmpDir('sess-held');
    const s = session(dir);
    await s.open();
    try {
      const importing = s.history.importFiles({ files: [EXPORT], chunkFills: 1, onChunk: () => undefined });
      // Live fills of another contract while the import runs: they must not interleave with its writes.
      const live = [s.commitFill(sim(1, {})), s.commitFill(sim(2, { side: 'SELL', price: 6001 }))];
      assert.strictEqual(s.bulkRunning, true);
      await importing;
      await Promise.all(live);
      await s.flush();
      const trades = await s.trades();
      assert.strictEqual(trades.length, 3);
      assert.strictEqual(trades.filter((t) => t.account === 'Sim1').length, 1);
      assert.strictEqual(s.tradeCount, 3);
      assert.strictEqual(s.bulkRunning, false);
    } finally {
      await s.close();
    }
  });

  it('tags round trip: export (csv and json) -> import into an empty store gives identical trades and tags', async () => {
    const dir = tmpDir('sess-tags');
    const src = session(dir);
    await src.open();
    let original: Trade[];
    let tags: Map<string, string[]>;
    try {
      for (const f of [
        sim(1, { qty: 2, price: 6000.25, highDuringPosition: 6004, lowDuringPosition: 5998.5 }),
        sim(5, { qty: 2, side: 'SELL', price: 6003.5 }),
        sim(10, { symbol: 'MNQZ5', side: 'SELL', price: 21000 }),
        sim(11, { symbol: 'MNQZ5', price: 21012.75 }),
        sim(20, { price: 6010 }),
        sim(21, { side: 'SELL', price: 6009 }),
      ])
        await src.commitFill(f);
      await src.flush();
      original = (await src.trades()).sort(byId);
      assert.strictEqual(original.length, 3);
      await src.editTags({ tradeId: original[0].id, add: ['A+ setup', 'news'], remove: [] });
      await src.editTags({ tradeId: original[1].id, add: ['mistake: chased'], remove: [] });
      tags = await src.tradeTags();
    } finally {
      await src.close();
    }
    for (const format of ['csv', 'json'] as const) {
      const d = tmpDir(`sess-tags-${format}`);
      const file = path.join(d, `trades.${format}`);
      fs.writeFileSync(file, exportTrades(original, format, tags));
      const dst = session(d);
      await dst.open();
      // The journal as AppCore wires it, built (empty) before the import: the import's reload rebuilds it with the tags.
      const journal = new JournalModel({ store: () => dst, onTrade: (l) => dst.on('trade', l), onReloaded: (l) => dst.on('reloaded', l), session: () => DEFAULT_SESSION });
      assert.strictEqual((await journal.load()).size, 0);
      try {
        const r = await dst.history.importFiles({ files: [file] });
        assert.strictEqual(r.tagsRestored, 2);
        const index = await journal.load();
        assert.strictEqual(index.size, 3);
        for (const t of original) assert.deepStrictEqual(index.tagsOf(t.id), tags.get(t.id) ?? []);
        assert.deepStrictEqual(index.select({ tag: 'news' }).map((row) => row.trade.id), [original[0].id]);
        assert.deepStrictEqual(index.rowOf(original[1].id)?.tags, ['mistake: chased']);
        assert.deepStrictEqual((await dst.trades()).sort(byId), original);
        assert.deepStrictEqual(await dst.tradeTags(), tags);
        // Exported again: the same text.
        assert.strictEqual(exportTrades(await dst.trades(), format, await dst.tradeTags()), exportTrades(original, format, tags));
        // A cancelled import writes no tag: the store is as before.
        const d2 = tmpDir(`sess-tags-cancel-${format}`);
        const other = session(d2);
        await other.open();
        try {
          const c = await other.history.importFiles({ files: [file], chunkFills: 2, isCancelled: () => true });
          assert.strictEqual(c.cancelled, true);
          assert.deepStrictEqual(await other.trades(), []);
          assert.deepStrictEqual(await other.tradeTags(), new Map());
        } finally {
          await other.close();
        }
      } finally {
        journal.dispose();
        await dst.close();
      }
    }
  });
});
