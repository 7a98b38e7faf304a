import * as assert from 'assert';
import { StatsCache } from '../../../src/core/stats/cache';
import { computeGrid, computeStats } from '../../../src/core/stats/compute';
import { TIMEFRAMES } from '../../../src/core/stats/types';
import type { Trade } from '../../../src/core/trading/types';
import { CME, q, rng, tr } from './trades';

const T0 = Date.UTC(2025, 0, 6, 15);
const D = 86_400_000;

describe('StatsCache', () => {
  it('keeps SIM and LIVE apart and filters by account', () => {
    const c = new StatsCache();
    c.load([
      tr({ exitTime: T0, account: 'Sim1', grossPnl: 10, commissions: 0 }),
      tr({ exitTime: T0 + 1, account: 'Sim2', grossPnl: -4, commissions: 0 }),
      tr({ exitTime: T0 + 2, account: 'Live7', mode: 'LIVE', grossPnl: 100, commissions: 0 }),
    ]);
    assert.strictEqual(c.grid(q({ mode: 'SIM' })).totalPnl, 6);
    assert.strictEqual(c.grid(q({ mode: 'SIM', account: 'Sim2' })).totalPnl, -4);
    assert.strictEqual(c.grid(q({ mode: 'LIVE' })).totalPnl, 100);
    assert.strictEqual(c.grid(q({ mode: 'LIVE', account: 'Sim1' })).trades, 0);
    assert.strictEqual(c.grid(q({ mode: 'SIM', account: 'nobody' })).trades, 0);
    assert.deepStrictEqual(c.accounts('SIM'), ['Sim1', 'Sim2']);
    assert.deepStrictEqual(c.accounts('LIVE'), ['Live7']);
  });

  it('ignores a trade id seen again, and load replaces the contents', () => {
    const c = new StatsCache();
    const t = tr({ exitTime: T0, grossPnl: 10, commissions: 0 });
    assert.strictEqual(c.append(t), true);
    assert.strictEqual(c.append({ ...t, netPnl: 999 }), false);
    assert.strictEqual(c.grid(q()).totalPnl, 10);
    c.load([tr({ exitTime: T0, grossPnl: 3, commissions: 0 })]);
    assert.strictEqual(c.grid(q()).totalPnl, 3);
    assert.strictEqual(c.size('SIM'), 1);
  });

  it('an out-of-order exit is inserted in place (drawdown and streak see the true order)', () => {
    const c = new StatsCache();
    c.append(tr({ exitTime: T0 + 2000, grossPnl: 10, commissions: 0 }));
    c.append(tr({ exitTime: T0 + 3000, grossPnl: 10, commissions: 0 }));
    c.append(tr({ exitTime: T0 + 1000, grossPnl: -30, commissions: 0 }));
    const g = c.grid(q());
    assert.strictEqual(g.maxDrawdown, 30);
    assert.strictEqual(g.streak, 2);
    assert.deepStrictEqual(c.equityCurve(q()).map((p) => p.v), [-30, -20, -10]);
    assert.strictEqual(c.latestExit('SIM'), T0 + 3000);
  });

  it('windows by exit time: a trade belongs to the session in which it exits', () => {
    const c = new StatsCache();
    const mondaySession = Date.UTC(2025, 0, 13, 22, 0); // 16:00 CST Monday
    const tuesdaySession = Date.UTC(2025, 0, 13, 23, 30); // 17:30 CST Monday -> Tuesday
    c.load([
      tr({ exitTime: mondaySession, entryTime: mondaySession - 1000, grossPnl: 1, commissions: 0 }),
      tr({ exitTime: tuesdaySession, entryTime: mondaySession, grossPnl: 2, commissions: 0 }),
    ]);
    const now = Date.UTC(2025, 0, 14, 15, 0);
    assert.strictEqual(c.grid(q({ timeframe: '1D', nowMs: now })).totalPnl, 2);
    assert.strictEqual(c.grid(q({ timeframe: '1W', nowMs: now })).totalPnl, 3);
    assert.deepStrictEqual(c.daily(q({ nowMs: now })).map((d) => d.day), ['2025-01-13', '2025-01-14']);
  });

  it('follows a session setting change (day columns recomputed)', () => {
    const c = new StatsCache();
    c.load([tr({ exitTime: Date.UTC(2025, 0, 13, 23, 30), grossPnl: 1, commissions: 0 })]);
    assert.strictEqual(c.daily(q())[0].day, '2025-01-14');
    assert.strictEqual(c.daily(q({ session: { sessionStart: '00:00', timeZone: 'America/Chicago' } }))[0].day, '2025-01-13');
    c.append(tr({ exitTime: Date.UTC(2025, 0, 14, 23, 30), grossPnl: 1, commissions: 0 }));
    assert.deepStrictEqual(c.daily(q({ session: { sessionStart: '00:00', timeZone: 'America/Chicago' } })).map((d) => d.day), ['2025-01-13', '2025-01-14']);
  });

  it('classifies with the scratch tolerance it was built with, like computeGrid', () => {
    const opts = { scratchTicks: 2, tickValue: () => 1.25 };
    const trades = [tr({ exitTime: T0, grossPnl: 2.5, commissions: 1.24 }), tr({ exitTime: T0 + 1, grossPnl: -3.75, commissions: 1.24 })];
    const c = new StatsCache(opts);
    c.load(trades);
    assert.strictEqual(c.grid(q()).scratches, 1);
    assert.deepStrictEqual(c.grid(q()), computeGrid(trades, q(), opts));
  });

  it('property: after random appends (out of order, duplicates) the cache equals a from-scratch computation', () => {
    for (const seed of [1, 2, 3, 42, 2025]) {
      const rand = rng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
      const accounts = ['Sim1', 'Sim2', 'LiveA', 'LiveB'];
      const sessions = [CME, { sessionStart: '00:00', timeZone: 'Europe/London' }, { sessionStart: '09:30', timeZone: 'America/New_York' }];
      const cache = new StatsCache();
      const all: Trade[] = [];
      let clock = T0;
      for (let i = 0; i < 600; i++) {
        let t: Trade;
        if (all.length > 0 && rand() < 0.05) {
          t = pick(all); // a replay: must be ignored
        } else {
          clock += Math.floor(rand() * 14 * 3_600_000);
          // Some exits arrive late (up to 30 days back), some share an exit time with an earlier trade.
          const exit = rand() < 0.15 ? clock - Math.floor(rand() * 30 * D) : rand() < 0.1 && all.length ? pick(all).exitTime : clock;
          const account = pick(accounts);
          const gross = rand() < 0.15 ? 0 : Math.round((rand() - 0.45) * 40000) / 100;
          const fees = pick([0, 1.24, 2.48]);
          t = tr({
            id: `S${seed}-${Math.floor(rand() * 1e6)}-${i}`, exitTime: exit, entryTime: exit - Math.floor(rand() * 3_600_000), account, mode: account.startsWith('Sim') ? 'SIM' : 'LIVE',
            grossPnl: gross, commissions: rand() < 0.05 ? gross : fees,
            rMultiple: rand() < 0.5 ? Math.round((rand() - 0.4) * 600) / 100 : null,
            mae: rand() < 0.6 ? -Math.round(rand() * 5000) / 100 : null, mfe: rand() < 0.6 ? Math.round(rand() * 5000) / 100 : null,
          });
          if (t.commissions === gross) t.netPnl = 0;
          all.push(t);
        }
        cache.append(t);
        if (i % 50 === 49) {
          for (let k = 0; k < 6; k++) {
            const mode = pick(['SIM', 'LIVE'] as const);
            const query = q({
              mode, account: rand() < 0.5 ? null : pick(accounts), timeframe: pick(TIMEFRAMES),
              nowMs: T0 + Math.floor(rand() * (clock - T0 + 5 * D)), session: pick(sessions),
            });
            const ctx = `seed ${seed} step ${i} ${JSON.stringify(query)}`;
            assert.deepStrictEqual(cache.grid(query), computeGrid(all, query), ctx);
            assert.deepStrictEqual(cache.stats(query), computeStats(all, query), ctx);
          }
        }
      }
      // The final state also equals a cache loaded in one go.
      const loaded = new StatsCache();
      loaded.load(all);
      const query = q({ mode: 'SIM', nowMs: clock });
      assert.deepStrictEqual(loaded.stats(query), cache.stats(query));
      const totals = cache.stats(query);
      assert.strictEqual(Math.round(totals.daily.reduce((s, d) => s + d.pnl, 0) * 100) / 100, totals.grid.totalPnl);
      assert.strictEqual(totals.equity.at(-1)?.v ?? 0, totals.grid.totalPnl);
    }
  });
});
