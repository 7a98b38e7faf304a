/** The one behaviour every TradeStore must have; run against each implementation. */
import * as assert from 'assert';
import type { TradeStore } from '../../../src/core/store/types';
import { SCHEMA_VERSION } from '../../../src/core/store/schema';
import { position, trade, unit, fill } from './fixtures';

export interface StoreFactory {
  /** A fresh, empty, opened store. */
  make(): Promise<TradeStore>;
  /** The same store reopened from its durable state (after `close()`). */
  reopen(): Promise<TradeStore>;
  cleanup(): Promise<void>;
}

export function storeContract(name: string, factory: () => StoreFactory | null): void {
  describe(`TradeStore contract: ${name}`, function () {
    let f: StoreFactory;
    let store: TradeStore;

    beforeEach(async function () {
      const made = factory();
      if (!made) return this.skip();
      f = made;
      store = await f.make();
    });
    afterEach(async () => {
      await store?.close();
      await f?.cleanup();
    });

    it('commits a unit and reads it back after reopening', async () => {
      assert.strictEqual(await store.commit(unit(0)), true);
      assert.strictEqual(await store.commit(unit(1)), true);
      await store.close();
      store = await f.reopen();
      const trades = await store.trades();
      assert.deepStrictEqual(trades, [trade(1)]);
      assert.deepStrictEqual(await store.openPositions(), []);
      assert.strictEqual(await store.hasFill('Sim1', 'E0'), true);
      assert.strictEqual(await store.hasFill('Sim1', 'E9'), false);
      assert.deepStrictEqual([...(await store.fillKeys())].sort(), ['Sim1\u0000E0', 'Sim1\u0000E1']);
    });

    it('fill keys of a window: exactly the fills at or after its start, odd characters intact', async () => {
      const odd = ['E"q\\x', 'É✓ 𝄞', "it's", 'tab\there'];
      for (let n = 0; n < odd.length; n++) {
        const u = unit(2 * n);
        await store.commit({ ...u, fill: { ...u.fill, executionId: odd[n], account: n % 2 ? 'Sim "2"' : 'Sim1' } });
      }
      const since = unit(2).fill.timeMs; // fills 2, 4, 6 (odd[1..3])
      const want = [1, 2, 3].map((n) => `${n % 2 ? 'Sim "2"' : 'Sim1'}\u0000${odd[n]}`).sort();
      assert.deepStrictEqual([...(await store.fillKeys(since))].sort(), want);
      assert.strictEqual((await store.fillKeys(unit(99).fill.timeMs)).size, 0);
    });

    it('is idempotent: a known fill returns false and changes nothing', async () => {
      await store.commit(unit(0));
      await store.commit(unit(1));
      const changed = { ...unit(1), trades: [trade(1, { netPnl: 999 })], position: position('Sim1', 'MESZ5', 3) };
      assert.strictEqual(await store.commit(changed), false);
      assert.strictEqual((await store.trades())[0].netPnl, 5.01);
      assert.deepStrictEqual(await store.openPositions(), []);
      assert.strictEqual((await store.simEvents()).length, 1);
    });

    it('upserts trades by id (a later unit may restate a trade)', async () => {
      await store.commit(unit(1));
      await store.commit({ fill: fill(100), trades: [trade(1, { netPnl: 7 })], position: null, positionKey: { account: 'Sim1', symbol: 'MESZ5' }, simEvents: [] });
      const t = await store.trades();
      assert.strictEqual(t.length, 1);
      assert.strictEqual(t[0].netPnl, 7);
    });

    it('filters trades by mode, account and exit time, oldest exit first', async () => {
      for (let n = 1; n <= 9; n += 2) await store.commit(unit(n, { account: n < 5 ? 'Sim1' : 'Live7', mode: n < 5 ? 'SIM' : 'LIVE' }));
      assert.deepStrictEqual((await store.trades({ mode: 'LIVE' })).map((t) => t.id), ['T5', 'T7', 'T9']);
      assert.deepStrictEqual((await store.trades({ account: 'Sim1' })).map((t) => t.id), ['T1', 'T3']);
      const t3 = 1_700_000_000_000 + 3000;
      assert.deepStrictEqual((await store.trades({ fromMs: t3, toMs: t3 + 4000 })).map((t) => t.id), ['T3', 'T5']);
      assert.deepStrictEqual((await store.trades({ mode: 'SIM', account: 'Live7' })).map((t) => t.id), []);
      const all = await store.trades();
      assert.deepStrictEqual(all.map((t) => t.exitTime), [...all.map((t) => t.exitTime)].sort((a, b) => a - b));
    });

    it('upserts and deletes open positions per (account, symbol)', async () => {
      await store.commit(unit(0));
      await store.commit({ ...unit(2, { account: 'Sim2' }) });
      assert.deepStrictEqual((await store.openPositions()).map((p) => p.account).sort(), ['Sim1', 'Sim2']);
      const moved = { ...unit(4), position: position('Sim1', 'MESZ5', 2) };
      await store.commit(moved);
      const sim1 = (await store.openPositions()).find((p) => p.account === 'Sim1');
      assert.deepStrictEqual(sim1, position('Sim1', 'MESZ5', 2));
      await store.commit(unit(5));
      assert.deepStrictEqual((await store.openPositions()).map((p) => p.account), ['Sim2']);
    });

    it('keeps SIM events, deduplicated by id, per account', async () => {
      const start = { id: 'start:Sim1', account: 'Sim1', kind: 'start' as const, amount: 10000, timeMs: 1, tradeId: null, note: null };
      await store.appendSimEvent(start);
      await store.appendSimEvent(start);
      await store.commit(unit(1));
      await store.appendSimEvent({ id: 'reset:Sim2:5', account: 'Sim2', kind: 'reset', amount: 5000, timeMs: 5, tradeId: null, note: 'manual' });
      assert.deepStrictEqual((await store.simEvents('Sim1')).map((e) => e.id), ['start:Sim1', 'pnl:T1']);
      assert.deepStrictEqual((await store.simEvents()).map((e) => e.id), ['start:Sim1', 'reset:Sim2:5', 'pnl:T1']);
      assert.deepStrictEqual((await store.simEvents('Sim2'))[0], { id: 'reset:Sim2:5', account: 'Sim2', kind: 'reset', amount: 5000, timeMs: 5, tradeId: null, note: 'manual' });
    });

    it('balance events: each account from its latest reset on (pnl at the reset instant kept), all of an account without one', async () => {
      const ev = (id: string, account: string, kind: 'start' | 'pnl' | 'reset', amount: number, timeMs: number) => ({ id, account, kind, amount, timeMs, tradeId: kind === 'pnl' ? id : null, note: null });
      const events = [
        ev('start:Sim1', 'Sim1', 'start', 10000, 1), ev('p1', 'Sim1', 'pnl', 5, 10), ev('reset:Sim1:20', 'Sim1', 'reset', 10000, 20),
        ev('p2', 'Sim1', 'pnl', -3, 25), ev('reset:Sim1:30', 'Sim1', 'reset', 8000, 30), ev('p3', 'Sim1', 'pnl', 7, 30), ev('p4', 'Sim1', 'pnl', 2, 40),
        ev('start:Sim2', 'Sim2', 'start', 10000, 2), ev('q1', 'Sim2', 'pnl', 4, 12), ev('q2', 'Sim2', 'pnl', 6, 50),
      ];
      for (const e of events) await store.appendSimEvent(e);
      const ids = (await store.balanceEvents()).map((e) => e.id).sort();
      assert.deepStrictEqual(ids, ['p3', 'p4', 'q1', 'q2', 'reset:Sim1:30', 'start:Sim2'].sort());
      // The balances they give are the balances of every event.
      const { SimBalanceLedger } = await import('../../../src/core/sim/ledger');
      const lean = new SimBalanceLedger();
      lean.load(await store.balanceEvents());
      const full = new SimBalanceLedger();
      full.load(await store.simEvents());
      for (const a of ['Sim1', 'Sim2']) {
        assert.strictEqual(lean.balance(a), full.balance(a));
        assert.strictEqual(lean.lastReset(a), full.lastReset(a));
      }
      assert.strictEqual(lean.balance('Sim1'), 8009);
    });

    it('balance events read back exactly what was stored: awkward amounts and notes, time order, ties by id', async () => {
      const notes = [null, '', 'quote " backslash \\ tab \t newline \n', 'unicode é 漢 🚀', '[1,2]', 'null'];
      const amounts = [0.1 + 0.2, -1e-9, 123456.789012345, 5e-324, 2 ** 53 - 1, 1 / 3];
      const stored = [{ id: 'reset:Sim1:100', account: 'Sim1', kind: 'reset' as const, amount: 10000.005, timeMs: 100, tradeId: null, note: 'monthly reset' }];
      for (let i = 0; i < 24; i++) {
        // Ids out of time order and several events per instant: the read orders by (time, id).
        const id = `pnl:${String.fromCharCode(122 - i)}${i}`;
        stored.push({ id, account: 'Sim1', kind: 'pnl' as never, amount: amounts[i % amounts.length], timeMs: 100 + (i % 5), tradeId: id as never, note: notes[i % notes.length] as never });
      }
      for (const e of [...stored].reverse()) await store.appendSimEvent(e);
      const expected = (await store.simEvents('Sim1')).filter((e) => e.timeMs >= 100);
      assert.strictEqual(expected.length, stored.length);
      assert.deepStrictEqual(await store.balanceEvents(), expected);
      const byTime = [...stored].sort((a, b) => a.timeMs - b.timeMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      assert.deepStrictEqual((await store.balanceEvents()).map((e) => [e.id, e.amount, e.note]), byTime.map((e) => [e.id, e.amount, e.note]));
    });

    it('reports the current schema version and a healthy state', async () => {
      assert.strictEqual(await store.schemaVersion(), SCHEMA_VERSION);
      const h = await store.health();
      assert.strictEqual(h.ok, true, h.detail);
      assert.strictEqual(h.state, 'primary');
      assert.strictEqual(h.schemaVersion, SCHEMA_VERSION);
      assert.ok(!/secret/.test(h.store + h.detail + store.describe()));
    });

    it('stores every Fill field and null/optional values faithfully', async () => {
      const u = { ...unit(1), trades: [trade(1, { mae: null, mfe: null, rMultiple: 1.5, fillIds: ['a', 'b"c'] })] };
      await store.commit(u);
      await store.close();
      store = await f.reopen();
      assert.deepStrictEqual((await store.trades())[0], u.trades[0]);
    });

    it("reads a trade's fills back by execution id, in time order, every field intact", async () => {
      const a = { ...fill(2), timeMs: fill(2).timeMs + 5000, fee: null, serverOrderId: null, highDuringPosition: 5001.25, positionAfter: -1 };
      const b = fill(3);
      await store.commit({ ...unit(3), fill: b });
      await store.commit({ ...unit(2), fill: a });
      await store.close();
      store = await f.reopen();
      assert.deepStrictEqual(await store.fills('Sim1', [a.executionId, b.executionId, 'E404']), [b, a].sort((x, y) => x.timeMs - y.timeMs));
      assert.deepStrictEqual(await store.fills('Sim2', [a.executionId]), [], 'another account never matches');
    });
  });
}
