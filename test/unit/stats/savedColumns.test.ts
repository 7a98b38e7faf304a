import * as assert from 'assert';
import { StatsCache } from '../../../src/core/stats/cache';
import { decodeStatsColumns, encodeStatsColumns } from '../../../src/core/stats/columnsFile';
import type { Trade } from '../../../src/core/trading/types';
import { q, rng, tr } from './trades';
import { format2 } from './format2';

const T0 = Date.UTC(2025, 0, 6, 15);

/** Random trades over three accounts and both modes, some out of exit order, some with R/MAE/MFE unknown. */
function randomTrades(n: number, seed: number): Trade[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const account = ['Sim1', 'Sim2', 'Live7'][Math.floor(r() * 3)];
    const exitTime = T0 + Math.floor(r() * 90) * 86_400_000 + Math.floor(r() * 86_400_000);
    const gross = Math.round((r() - 0.45) * 20000) / 100;
    return tr({
      id: `S${seed}-${i}`, account, mode: account.startsWith('Sim') ? 'SIM' : 'LIVE', exitTime, entryTime: exitTime - Math.floor(r() * 3_600_000),
      grossPnl: gross, commissions: 1.24, rMultiple: r() < 0.3 ? null : Math.round((r() - 0.5) * 600) / 100,
      mae: r() < 0.5 ? null : -Math.round(r() * 5000) / 100, mfe: r() < 0.5 ? null : Math.round(r() * 5000) / 100,
    });
  });
}

function everyView(c: StatsCache): unknown {
  const out: unknown[] = [];
  for (const mode of ['SIM', 'LIVE'] as const) {
    for (const account of [null, ...c.accounts(mode)]) {
      for (const timeframe of ['ALL', '1M', '1W'] as const) {
        const query = q({ mode, account, timeframe, nowMs: T0 + 80 * 86_400_000 });
        out.push([mode, account, timeframe, c.stats(query), c.size(mode, account), c.last(mode, account ?? '')]);
      }
    }
    out.push([mode, c.accounts(mode), c.latestExit(mode)]);
  }
  return out;
}

describe('Saved stats columns (kept between sessions)', () => {
  it('encode -> decode -> restore gives the same stats, per mode and account, as the trades themselves', () => {
    const trades = randomTrades(2000, 7);
    const original = new StatsCache();
    for (const t of trades) original.append(t); // out of order on purpose: inserts in place
    const bytes = encodeStatsColumns(original.savedColumns()!);
    const modes = decodeStatsColumns(bytes);
    assert.ok(typeof modes !== 'string', String(modes));
    const restored = new StatsCache();
    restored.restoreColumns(modes);
    assert.deepStrictEqual(everyView(restored), everyView(original));
  });

  it('a restored cache takes later trades (in place, duplicates refused) exactly as one that never stopped', () => {
    const trades = randomTrades(1500, 11);
    const before = trades.slice(0, 1000);
    const after = trades.slice(1000);
    const live = new StatsCache();
    for (const t of before) live.append(t);
    const restored = new StatsCache();
    restored.restoreColumns(decodeStatsColumns(encodeStatsColumns(live.savedColumns()!)) as never);
    for (const t of after) {
      live.append(t);
      restored.append(t);
    }
    assert.strictEqual(restored.append(before[3]), false, 'an id from the saved columns is known');
    assert.deepStrictEqual(everyView(restored), everyView(live));
    // And it saves again to the same bytes as the cache that never stopped.
    assert.deepStrictEqual(encodeStatsColumns(restored.savedColumns()!), encodeStatsColumns(live.savedColumns()!));
  });

  it('one account shares its mode\'s columns until a second arrives, live or after a restore: the figures stay those of a fresh load', () => {
    const one = randomTrades(600, 5).map((t) => ({ ...t, account: 'Sim1', mode: 'SIM' as const }));
    const second = randomTrades(200, 6).map((t) => ({ ...t, account: 'Sim2', mode: 'SIM' as const }));
    const fresh = new StatsCache();
    fresh.load([...one, ...second]);
    const live = new StatsCache();
    for (const t of one) live.append(t);
    const restored = new StatsCache();
    restored.restoreColumns(decodeStatsColumns(encodeStatsColumns(live.savedColumns()!)) as never);
    for (const t of second) {
      live.append(t);
      restored.append(t);
    }
    assert.deepStrictEqual(everyView(live), everyView(fresh));
    assert.deepStrictEqual(everyView(restored), everyView(fresh));
    assert.strictEqual(live.size('SIM', 'Sim1'), 600);
    assert.strictEqual(restored.size('SIM', 'Sim2'), 200);
  });

  it('ids are kept exactly: newlines, quotes, non-ASCII, empty', () => {
    const c = new StatsCache();
    const ids = ['odd\nid', 'plain', 'quote"\\', 'é漢🚀', '', 't-0123456789abcdef0123456789abcdef'];
    ids.forEach((id, i) => c.append(tr({ id, exitTime: T0 + i })));
    const modes = decodeStatsColumns(encodeStatsColumns(c.savedColumns()!));
    assert.ok(typeof modes !== 'string');
    assert.deepStrictEqual(Array.from({ length: modes[0].ids.length }, (_, i) => modes[0].ids.at(i)), ids);
    const restored = new StatsCache();
    restored.restoreColumns(modes);
    for (const id of ids) assert.strictEqual(restored.append(tr({ id, exitTime: T0 + 99 })), false, `${JSON.stringify(id)} is known after a restore`);
  });

  it('a restored cache: ties at one instant, trades before the restored ones, a second account and known ids, as a cache that never stopped', () => {
    const trades = randomTrades(900, 21).map((t) => ({ ...t, account: 'Sim1', mode: 'SIM' as const }));
    const live = new StatsCache();
    for (const t of trades) live.append(t);
    const restored = new StatsCache();
    restored.restoreColumns(decodeStatsColumns(encodeStatsColumns(live.savedColumns()!)) as never);
    const last = Math.max(...trades.map((t) => t.exitTime));
    const later = [
      // Same instant as the latest restored trade, ids before and after it; one long before everything.
      tr({ id: 'A-tie', account: 'Sim1', exitTime: last }), tr({ id: 'z-tie', account: 'Sim1', exitTime: last }),
      tr({ id: 'early', account: 'Sim2', exitTime: T0 - 86_400_000 }), tr({ id: 'mid', account: 'Sim2', exitTime: trades[450].exitTime }),
    ];
    for (const t of later) assert.deepStrictEqual([live.append(t), restored.append(t)], [true, true]);
    for (const t of trades) assert.strictEqual(restored.append(t), false, 'every restored id is known');
    // Known under another exit time (a hash hit that is not at the same instant) is still refused.
    assert.strictEqual(restored.append({ ...trades[7], exitTime: trades[7].exitTime + 12_345 }), false);
    assert.strictEqual(live.append({ ...trades[7], exitTime: trades[7].exitTime + 12_345 }), false);
    assert.deepStrictEqual(everyView(restored), everyView(live));
    const again = encodeStatsColumns(restored.savedColumns()!);
    assert.deepStrictEqual(again, encodeStatsColumns(live.savedColumns()!));
    const twice = new StatsCache();
    twice.restoreColumns(decodeStatsColumns(again) as never);
    assert.deepStrictEqual(everyView(twice), everyView(live));
  });

  it('a restore is made ready for appends in slices; its columns have room saved in the file', () => {
    const trades = randomTrades(3000, 9);
    const live = new StatsCache();
    for (const t of trades.slice(0, 2500)) live.append(t);
    const bytes = encodeStatsColumns(live.savedColumns()!);
    const aligned = new Uint8Array(new ArrayBuffer(bytes.length));
    aligned.set(bytes);
    const modes = decodeStatsColumns(aligned);
    assert.ok(typeof modes !== 'string');
    for (const m of modes) assert.ok(m.exit.length >= m.len + 1024 && m.cls.length === m.exit.length, 'room for new trades, in every column');
    const restored = new StatsCache();
    restored.restoreColumns(modes);
    let slices = 1;
    while (!restored.prepareSlice(0)) slices++;
    assert.ok(slices > 10, `one step per slice when out of time (${slices})`);
    for (const t of trades.slice(2500)) assert.deepStrictEqual([restored.append(t), live.append(t)], [true, true]);
    for (const t of trades.slice(0, 2500)) assert.strictEqual(restored.append(t), false);
    assert.deepStrictEqual(everyView(restored), everyView(live));
  });

  it('reads the previous format (ids joined by newlines, or JSON) once, marked to be saved again', () => {
    for (const odd of [false, true]) {
      const trades = randomTrades(300, 13).map((t, i) => (odd && i === 5 ? { ...t, id: 'two\nlines' } : i % 2 ? { ...t, id: `t-${i.toString(16).padStart(32, '0')}` } : t));
      const live = new StatsCache();
      for (const t of trades) live.append(t);
      const modes = decodeStatsColumns(format2(live.savedColumns()!));
      assert.ok(typeof modes !== 'string', String(modes));
      assert.ok(modes.every((m) => m.outdated));
      const restored = new StatsCache();
      restored.restoreColumns(modes);
      assert.deepStrictEqual(everyView(restored), everyView(live));
      for (const t of trades) assert.strictEqual(restored.append(t), false);
      const again = decodeStatsColumns(encodeStatsColumns(restored.savedColumns()!));
      assert.ok(typeof again !== 'string' && again.every((m) => !m.outdated));
    }
  });

  it('an empty cache round-trips', () => {
    const modes = decodeStatsColumns(encodeStatsColumns(new StatsCache().savedColumns()!));
    assert.deepStrictEqual(modes, []);
  });

  it('refuses bytes that are not whole columns of this format, saying why', () => {
    const c = new StatsCache();
    for (const t of randomTrades(50, 3)) c.append(t);
    const good = encodeStatsColumns(c.savedColumns()!);
    assert.match(String(decodeStatsColumns(good.subarray(0, good.length - 8))), /past the end/);
    assert.match(String(decodeStatsColumns(new Uint8Array([1, 2, 3]))), /too short/);
    const wrongMagic = Uint8Array.from(good);
    wrongMagic[0] ^= 0xff;
    assert.match(String(decodeStatsColumns(wrongMagic)), /not a stats columns file/);
    const longer = new Uint8Array(good.length + 8);
    longer.set(good);
    assert.match(String(decodeStatsColumns(longer)), /bytes after the columns/);
    // Exit times out of order (a torn or foreign file) are refused, not trusted.
    const modes = c.savedColumns()!;
    const m = modes[0];
    const swapped = { ...m, exit: Float64Array.from(m.exit) };
    [swapped.exit[0], swapped.exit[1]] = [swapped.exit[1] + 1, swapped.exit[0]];
    assert.match(String(decodeStatsColumns(encodeStatsColumns([swapped, ...modes.slice(1)]))), /not in exit order/);
    const badAccount = { ...m, account: Uint32Array.from(m.account).fill(99) };
    assert.match(String(decodeStatsColumns(encodeStatsColumns([badAccount]))), /names account 99/);
  });

  it('columns that depend on contract specs (scratch ticks) are not saved', () => {
    const c = new StatsCache({ scratchTicks: 1, tickValue: () => 1.25 });
    c.append(tr({ exitTime: T0 }));
    assert.strictEqual(c.savedColumns(), null);
  });
});

