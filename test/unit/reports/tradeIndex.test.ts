import * as assert from 'assert';
import { breakdown, BREAKDOWN_KEYS, buildReport, calendarMonth, TradeIndex, TradeColumn, TradeFilter, TRADE_COLUMNS } from '../../../src/core/reports';
import { sessionDayIndex, zoneOffsetMs } from '../../../src/core/stats/session';
import { computeGrid } from '../../../src/core/stats/compute';
import { timeframeWindow } from '../../../src/core/stats/session';
import { TIMEFRAMES } from '../../../src/core/stats/types';
import type { Trade } from '../../../src/core/trading/types';
import { UNTAGGED } from '../../../src/core/trading/tags';
import { CME, q, rng, tr } from '../stats/trades';
import { ct, WEEK, WEEK_TAGS } from './fixture';
import { stableOrder } from '../../../src/core/reports/sortOrder';

function weekIndex(): TradeIndex {
  const index = new TradeIndex({ session: CME });
  index.load(WEEK, WEEK_TAGS);
  return index;
}

const ids = (index: TradeIndex, filter: TradeFilter, column: TradeColumn = 'exitTime', dir: 'asc' | 'desc' = 'asc') =>
  index.page({ filter, sort: { column, dir }, limit: 1000 }).rows.map((r) => r.trade.id);

describe('TradeIndex: filter, sort, page, totals', () => {
  it('filters by mode, account, symbol, side, tag, outcome and session days', () => {
    const index = weekIndex();
    assert.deepStrictEqual(ids(index, {}), ['G', 'A', 'C', 'B', 'F', 'E', 'D', 'H']);
    assert.deepStrictEqual(ids(index, { mode: 'SIM' }), ['A', 'C', 'B', 'F', 'E', 'D', 'H']);
    assert.deepStrictEqual(ids(index, { mode: 'SIM', account: 'Sim2' }), ['H']);
    assert.deepStrictEqual(ids(index, { account: 'nobody' }), []);
    assert.deepStrictEqual(ids(index, { mode: 'SIM', symbol: 'MNQZ5' }), ['C', 'D', 'H']);
    assert.deepStrictEqual(ids(index, { mode: 'SIM', side: 'SHORT' }), ['B', 'F', 'H']);
    assert.deepStrictEqual(ids(index, { tag: 'breakout' }), ['A', 'C', 'E']);
    assert.deepStrictEqual(ids(index, { mode: 'SIM', tag: UNTAGGED }), ['D', 'H']);
    assert.deepStrictEqual(ids(index, { mode: 'SIM', outcome: 'win' }), ['A', 'F', 'D']);
    assert.deepStrictEqual(ids(index, { mode: 'SIM', outcome: 'loss' }), ['B', 'E', 'H']);
    assert.deepStrictEqual(ids(index, { mode: 'SIM', outcome: 'scratch' }), ['C']);
    // F exits Monday 17:45 CT: Tuesday's session.
    assert.deepStrictEqual(ids(index, { mode: 'SIM', fromDay: '2025-01-07', toDay: '2025-01-07' }), ['F', 'E', 'D']);
    assert.deepStrictEqual(ids(index, { mode: 'SIM', toDay: '2025-01-06' }), ['A', 'C', 'B']);
    assert.deepStrictEqual(ids(index, { fromMs: ct(6, 9, 15, 30), toMs: ct(6, 17, 45) }), ['C', 'B']);
    assert.deepStrictEqual(index.page({ filter: { mode: 'SIM', fromDay: '2025-01-07', toDay: '2025-01-07' }, limit: 1 }).rows[0].sessionDay, '2025-01-07');
  });

  it('sorts by any column, unknown values last in both directions, ties in exit order', () => {
    const index = weekIndex();
    const sim = { mode: 'SIM' as const };
    assert.deepStrictEqual(ids(index, sim, 'netPnl', 'desc'), ['D', 'A', 'F', 'C', 'H', 'B', 'E']);
    assert.deepStrictEqual(ids(index, sim, 'netPnl', 'asc'), ['E', 'B', 'H', 'C', 'F', 'A', 'D']);
    assert.deepStrictEqual(ids(index, sim, 'rMultiple', 'asc'), ['E', 'B', 'A', 'D', 'C', 'F', 'H']);
    assert.deepStrictEqual(ids(index, sim, 'rMultiple', 'desc'), ['D', 'A', 'B', 'E', 'C', 'F', 'H']);
    assert.deepStrictEqual(ids(index, sim, 'symbol', 'asc'), ['A', 'B', 'F', 'E', 'C', 'D', 'H']);
    assert.deepStrictEqual(ids(index, sim, 'durationSec', 'asc'), ['C', 'A', 'E', 'F', 'B', 'D', 'H']);
    assert.deepStrictEqual(ids(index, sim, 'tags', 'asc'), ['A', 'E', 'C', 'B', 'F', 'D', 'H']);
    assert.deepStrictEqual(ids(index, sim, 'exitTime', 'desc'), ['H', 'D', 'E', 'F', 'B', 'C', 'A']);
    const p = index.page({ filter: sim, sort: { column: 'netPnl', dir: 'desc' }, offset: 2, limit: 2 });
    assert.deepStrictEqual([p.total, p.offset, p.rows.map((r) => r.trade.id)], [7, 2, ['F', 'C']]);
    assert.deepStrictEqual(p.rows.map((r) => [r.outcome, r.durationSec, r.tags]), [['win', 900, ['fade']], ['scratch', 30, ['breakout', 'fomo']]]);
  });

  it('the totals row is the stats grid of the filtered set', () => {
    const index = weekIndex();
    const t = index.page({ filter: { mode: 'SIM', tag: 'breakout' } }).totals;
    assert.deepStrictEqual([t.trades, t.totalPnl, t.wins, t.losses, t.scratches, t.maxDrawdown], [3, 8.76, 1, 1, 1, 41.24]);
  });

  it('follows appends, out-of-order appends, restated trades and tag edits', () => {
    const index = new TradeIndex({ session: CME });
    index.load(WEEK.slice(0, 3));
    const sort = { column: 'netPnl' as const, dir: 'desc' as const };
    assert.deepStrictEqual(index.page({ filter: {}, sort }).rows.map((r) => r.trade.id), ['A', 'C', 'B']);
    index.upsert(WEEK[3]); // in exit order
    index.upsert(WEEK[5]); // F exits before D: out of order
    index.upsert({ ...WEEK[1], grossPnl: 70, netPnl: 70 }); // B restated
    assert.deepStrictEqual(index.page({ filter: {}, sort }).rows.map((r) => r.trade.id), ['D', 'B', 'A', 'F', 'C']);
    assert.deepStrictEqual(ids(index, {}), ['A', 'C', 'B', 'F', 'D']);
    assert.deepStrictEqual(ids(index, { tag: 'x' }), []);
    index.setTags('F', ['x', 'a']);
    assert.deepStrictEqual(ids(index, { tag: 'x' }), ['F']);
    assert.deepStrictEqual(index.tagsOf('F'), ['a', 'x']);
    assert.deepStrictEqual(index.tagsInUse(), [{ tag: 'a', trades: 1 }, { tag: 'x', trades: 1 }]);
    index.setTags('F', []);
    assert.deepStrictEqual(ids(index, { tag: 'x' }), []);
    assert.strictEqual(index.page({ filter: {} }).totals.totalPnl, 50 - 1.24 + 70 + 20 + 100);
  });

  it('calendar: month grid of session days with weekly and monthly totals', () => {
    const m = calendarMonth(weekIndex(), { mode: 'SIM' }, 2025, 1);
    // 1 January 2025 is a Wednesday: Monday-first weeks run 30 Dec .. 2 Feb.
    assert.strictEqual(m.weeks.length, 5);
    assert.deepStrictEqual([m.weeks[0].days[0].day, m.weeks[0].days[0].inMonth, m.weeks[4].days[6].day], ['2024-12-30', false, '2025-02-02']);
    const cells = m.weeks.flatMap((w) => w.days).filter((d) => d.trades > 0).map((d) => [d.day, d.net, d.trades]);
    assert.deepStrictEqual(cells, [['2025-01-06', 23.76, 3], ['2025-01-07', 80, 3], ['2025-01-09', -10, 1]]);
    assert.deepStrictEqual(m.weeks.map((w) => [w.net, w.trades]), [[0, 0], [93.76, 7], [0, 0], [0, 0], [0, 0]]);
    assert.deepStrictEqual([m.net, m.trades, m.tradingDays, m.winningDays, m.firstDay, m.lastDay], [93.76, 7, 3, 2, '2025-01-06', '2025-01-09']);
    assert.strictEqual(m.weeks[1].days[2].net, null); // Wednesday: no trades
    const sunday = calendarMonth(weekIndex(), { mode: 'SIM' }, 2025, 1, 0);
    assert.deepStrictEqual([sunday.weeks[0].days[0].day, sunday.weeks.length], ['2024-12-29', 5]);
    const feb = calendarMonth(weekIndex(), { mode: 'SIM' }, 2025, 2);
    assert.deepStrictEqual([feb.net, feb.trades, feb.firstDay], [0, 0, '2025-01-06']);
  });
});

describe('TradeIndex properties (seeded random trades)', () => {
  const T0 = Date.UTC(2025, 0, 6, 15);
  function randomBook(seed: number): { trades: Trade[]; tags: Map<string, string[]> } {
    const r = rng(seed);
    const trades: Trade[] = [];
    const tags = new Map<string, string[]>();
    for (let i = 0; i < 400; i++) {
      const exit = T0 + Math.floor(r() * 40 * 86_400_000);
      const gross = [0, 0, 12.5, -12.5][Math.floor(r() * 4)] + Math.round((r() - 0.5) * 10000) / 100;
      const account = ['Sim1', 'Sim2', 'Live1'][Math.floor(r() * 3)];
      trades.push(tr({
        id: `P${i}`, account, mode: account === 'Live1' ? 'LIVE' : 'SIM', symbol: ['MESZ5', 'MNQZ5', 'ESZ5'][Math.floor(r() * 3)], side: r() < 0.5 ? 'LONG' : 'SHORT',
        exitTime: r() < 0.1 && i > 0 ? trades[i - 1].exitTime : exit, entryTime: exit - Math.floor(r() * 5 * 3_600_000), grossPnl: gross,
        commissions: r() < 0.2 ? 0 : 1.24, rMultiple: r() < 0.3 ? null : Math.round((r() - 0.4) * 400) / 100, mae: r() < 0.5 ? null : -Math.round(r() * 5000) / 100,
      }));
      if (r() < 0.6) tags.set(`P${i}`, ['a', 'b', 'c'].filter(() => r() < 0.5));
    }
    return { trades, tags };
  }
  const plain = (t: Trade, tags: Map<string, string[]>, f: TradeFilter): boolean =>
    (f.mode === undefined || t.mode === f.mode) && (f.account == null || t.account === f.account) && (f.symbol === undefined || t.symbol === f.symbol) &&
    (f.side === undefined || t.side === f.side) && (f.fromMs === undefined || t.exitTime >= f.fromMs) && (f.toMs === undefined || t.exitTime < f.toMs) &&
    (f.tag === undefined || (f.tag === UNTAGGED ? !(tags.get(t.id)?.length) : (tags.get(t.id) ?? []).includes(f.tag)));

  it('the totals row equals the stats engine for the same filter', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const { trades, tags } = randomBook(seed);
      const index = new TradeIndex({ session: CME });
      index.load(trades, tags);
      const r = rng(seed * 7);
      const nowMs = T0 + Math.floor(r() * 45 * 86_400_000);
      // The stats engine's own filters (mode, account, timeframe): the very same function.
      for (const mode of ['SIM', 'LIVE'] as const) {
        for (const account of [null, 'Sim1', 'Live1']) {
          for (const timeframe of TIMEFRAMES) {
            const w = timeframeWindow(timeframe, nowMs, CME);
            const filter: TradeFilter = { mode, account, ...(Number.isFinite(w.fromMs) ? { fromMs: w.fromMs, toMs: w.toMs } : {}) };
            const engine = computeGrid(trades, q({ mode, account, timeframe, nowMs }));
            assert.deepStrictEqual(index.totals(filter), engine, `${seed} ${mode} ${account} ${timeframe}`);
            // The Reports tab's totals (its own pass, beside the breakdowns) are the same grid.
            assert.deepStrictEqual(buildReport(index, filter).grid, engine, `report ${seed} ${mode} ${account} ${timeframe}`);
          }
        }
      }
      // Journal-only filters: the engine over the subset a plain predicate selects.
      for (let k = 0; k < 30; k++) {
        const f: TradeFilter = {
          mode: r() < 0.8 ? 'SIM' : undefined, symbol: r() < 0.5 ? 'MESZ5' : undefined, side: r() < 0.3 ? 'SHORT' : undefined,
          tag: r() < 0.5 ? ['a', 'b', UNTAGGED][Math.floor(r() * 3)] : undefined, ...(r() < 0.5 ? { fromMs: T0 + Math.floor(r() * 20 * 86_400_000) } : {}),
        };
        const subset = trades.filter((t) => plain(t, tags, f));
        assert.deepStrictEqual(index.totals(f), computeGrid(subset), JSON.stringify(f));
        assert.deepStrictEqual(buildReport(index, f).grid, computeGrid(subset), `report ${JSON.stringify(f)}`);
        assert.strictEqual(index.page({ filter: f }).total, subset.length);
      }
    }
  });

  it('every sort order equals a plain sort of the filtered trades', () => {
    const { trades, tags } = randomBook(99);
    const index = new TradeIndex({ session: CME });
    index.load(trades, tags);
    const exitOrder = [...trades].sort((a, b) => a.exitTime - b.exitTime || (a.id < b.id ? -1 : 1));
    const rank = new Map(exitOrder.map((t, i) => [t.id, i]));
    const value = (t: Trade, c: TradeColumn): number | string | null => {
      switch (c) {
        case 'durationSec': return t.exitTime - t.entryTime;
        case 'tags': return tags.get(t.id)?.length ? tags.get(t.id)!.join('\u0001') : null;
        case 'commissions': return Math.round(t.commissions * 100);
        default: return (t as unknown as Record<string, number | string | null>)[c];
      }
    };
    for (const column of TRADE_COLUMNS) {
      for (const dir of ['asc', 'desc'] as const) {
        const filter: TradeFilter = { mode: 'SIM', tag: column === 'tags' ? undefined : 'a' };
        const subset = exitOrder.filter((t) => plain(t, tags, filter));
        const known = subset.filter((t) => value(t, column) !== null);
        const unknown = subset.filter((t) => value(t, column) === null);
        known.sort((a, b) => {
          const va = value(a, column)!;
          const vb = value(b, column)!;
          return (va < vb ? -1 : va > vb ? 1 : 0) || rank.get(a.id)! - rank.get(b.id)!;
        });
        if (dir === 'desc') known.reverse();
        const expected = [...known, ...unknown].map((t) => t.id);
        const got = index.page({ filter, sort: { column, dir }, limit: 1000 }).rows.map((r) => r.trade.id);
        assert.deepStrictEqual(got, expected, `${column} ${dir}`);
        const page = index.page({ filter, sort: { column, dir }, offset: 5, limit: 7 }).rows.map((r) => r.trade.id);
        assert.deepStrictEqual(page, expected.slice(5, 12), `${column} ${dir} page`);
      }
    }
  });

  it('sort orders follow appends in exit order (new symbol, tags set before the trade, unknown R) and the background build', async () => {
    const { trades, tags } = randomBook(42);
    const exitOrder = [...trades].sort((a, b) => a.exitTime - b.exitTime || (a.id < b.id ? -1 : 1));
    const later = exitOrder.slice(300).map((t, k) => (k % 7 === 0 ? { ...t, symbol: 'CLF6', rMultiple: null } : t));
    const index = new TradeIndex({ session: CME });
    index.load(exitOrder.slice(0, 300), tags);
    await index.prepareSorts(async () => undefined); // every order built before the appends
    const sorts = TRADE_COLUMNS.flatMap((column) => (['asc', 'desc'] as const).map((dir) => ({ column, dir })));
    for (const [k, t] of later.entries()) {
      if (k % 5 === 0) index.setTags(t.id, ['z', 'a']); // tags of a trade that has not arrived yet
      index.upsert(t);
      if (k % 20 === 0) for (const sort of sorts) index.page({ filter: {}, sort, limit: 1 }); // rebuilt orders follow too
    }
    const fresh = new TradeIndex({ session: CME });
    const allTags = new Map(tags);
    later.forEach((t, k) => k % 5 === 0 && allTags.set(t.id, ['z', 'a']));
    fresh.load([...exitOrder.slice(0, 300), ...later], allTags);
    for (const sort of sorts) {
      for (const filter of [{}, { mode: 'SIM', symbol: 'CLF6' }, { tag: 'a' }] as TradeFilter[]) {
        const ids = (i: TradeIndex) => i.page({ filter, sort, limit: 1000 }).rows.map((r) => r.trade.id);
        assert.deepStrictEqual(ids(index), ids(fresh), `${sort.column} ${sort.dir} ${JSON.stringify(filter)}`);
      }
    }
  });

  it('stableOrder: key order, ties in index order, -0 equal to 0, NaN last (radix passes over every digit)', () => {
    const r = rng(5);
    const pool = [0, -0, NaN, Infinity, -Infinity, 1e-300, -1e-300, 5e-324, 2 ** 53, -(2 ** 53), 0.1, 0.2, 0.30000000000000004, 1.7e12 + 1, 1.7e12];
    for (const n of [0, 1, 2, 50, 3000]) {
      const keys = Float64Array.from({ length: n }, () => (r() < 0.3 ? pool[Math.floor(r() * pool.length)] : r() < 0.5 ? Math.round((r() - 0.5) * 2e6) : (r() - 0.5) * 1e9));
      const { order, known } = stableOrder(keys);
      const idx = [...keys.keys()];
      const expected = [...idx.filter((i) => keys[i] === keys[i]).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b)), ...idx.filter((i) => keys[i] !== keys[i])];
      assert.deepStrictEqual([...order], expected, `n=${n}`);
      assert.strictEqual(known, keys.filter((k) => k === k).length);
    }
  });

  it('every breakdown row equals the stats engine over the trades of its group', () => {
    const { trades, tags } = randomBook(7);
    const index = new TradeIndex({ session: CME });
    index.load(trades, tags);
    const sim = trades.filter((t) => t.mode === 'SIM');
    const H = 3_600_000;
    const bucket = (ms: number) => (ms < 60_000 ? '<1m' : ms < 300_000 ? '1m-5m' : ms < 900_000 ? '5m-15m' : ms < H ? '15m-1h' : ms < 4 * H ? '1h-4h' : '>=4h');
    const keyOf: Record<string, (t: Trade) => string[]> = {
      symbol: (t) => [t.symbol],
      side: (t) => [t.side],
      hour: (t) => [String(new Date(t.entryTime + zoneOffsetMs(t.entryTime, CME.timeZone)).getUTCHours()).padStart(2, '0')],
      weekday: (t) => [['Thu', 'Fri', 'Sat', 'Sun', 'Mon', 'Tue', 'Wed'][((sessionDayIndex(t.exitTime, CME) % 7) + 7) % 7]],
      duration: (t) => [bucket(t.exitTime - t.entryTime)],
      tag: (t) => (tags.get(t.id)?.length ? tags.get(t.id)! : [UNTAGGED]),
    };
    for (const by of BREAKDOWN_KEYS) {
      const rows = breakdown(index, { mode: 'SIM' }, by);
      const expected = new Map<string, Trade[]>();
      for (const t of sim) for (const k of keyOf[by](t)) expected.set(k, [...(expected.get(k) ?? []), t]);
      assert.deepStrictEqual(rows.map((r) => r.key).sort(), [...expected.keys()].sort(), by);
      for (const r of rows) assert.deepStrictEqual(r.grid, computeGrid(expected.get(r.key)!), `${by} ${r.key}`);
    }
  });
});
