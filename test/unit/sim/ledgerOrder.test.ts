import * as assert from 'assert';
import { SimBalanceLedger } from '../../../src/core/sim/ledger';
import { seededRng, type Rng } from '../../../src/core/dtc/random';
import type { SimBalanceEvent } from '../../../src/core/trading/types';

const utc = (s: string) => Date.parse(s);

function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function pnl(id: string, amount: number, timeMs: number, account = 'Sim1'): SimBalanceEvent {
  return { id: `pnl:${id}`, account, kind: 'pnl', amount, timeMs, tradeId: id, note: null };
}

/** Everything a view, the mirror or the report reads from the ledger for one account. */
function view(l: SimBalanceLedger, account = 'Sim1') {
  return {
    balance: l.balance(account),
    realized: l.realizedSinceReset(account),
    lastReset: l.lastReset(account),
    lastResetMonth: l.lastResetMonth(account, 'UTC'),
    due: l.monthlyResetDue(account, utc('2026-01-15T12:00:00Z'), 'UTC'),
    history: l.history(account).map((h) => [h.event.id, h.balance]),
  };
}

describe('sim/ledger: the balance does not depend on the order events arrive in (issue 9.2)', () => {
  it('a start recorded with a live fill still counts trades that closed before it (history arriving later)', () => {
    const l = new SimBalanceLedger(10000);
    // The live fill is seen first at logon, so the start is dated at it ...
    l.add(l.startEvent('Sim1', utc('2025-12-02T15:00:00Z')));
    l.add(pnl('live', 40, utc('2025-12-02T15:05:00Z')));
    // ... and the historical fills from the day before arrive afterwards.
    l.add(pnl('h1', 100, utc('2025-12-01T15:00:00Z')));
    l.add(pnl('h2', -25.5, utc('2025-12-01T16:00:00Z')));
    assert.strictEqual(l.balance('Sim1'), 10114.5);
    assert.strictEqual(l.realizedSinceReset('Sim1'), 114.5);
    assert.deepStrictEqual(l.history('Sim1')[0].event.id, 'start:Sim1', 'the start comes before every trade since the last reset');
  });

  it('property: every permutation of the same events gives the same balance, history and reset state', () => {
    const rng = seededRng(20261202);
    for (let round = 0; round < 200; round++) {
      const base = utc('2025-11-01T00:00:00Z');
      const events: SimBalanceEvent[] = [];
      const probe = new SimBalanceLedger(10000);
      events.push(probe.startEvent('Sim1', base + Math.floor(rng() * 60) * 86_400_000));
      const n = 1 + Math.floor(rng() * 12);
      for (let i = 0; i < n; i++) {
        // Some trades share a time (and one may close exactly at a reset's instant).
        const t = base + Math.floor(rng() * 60) * 86_400_000 + (rng() < 0.3 ? 0 : Math.floor(rng() * 86_400_000));
        events.push(pnl(`t${i}`, Math.round((rng() * 400 - 200) * 100) / 100, t));
      }
      if (rng() < 0.5) events.push(probe.monthlyResetEvent('Sim1', utc('2025-12-10T12:00:00Z'), 12000, 'UTC'));
      // A manual reset (its id is its instant, so it never shares one with the monthly reset).
      if (rng() < 0.3) events.push(probe.resetEvent('Sim1', base + Math.floor(rng() * 60) * 86_400_000 + 1234, 5000));

      const reference = new SimBalanceLedger(10000);
      reference.load(events);
      const want = view(reference);
      for (let k = 0; k < 5; k++) {
        const l = new SimBalanceLedger(10000);
        const order = shuffle(rng, events);
        l.load(order);
        // Replays of any subset add nothing and change nothing (idempotent).
        l.load(shuffle(rng, events).slice(0, Math.floor(rng() * events.length)));
        assert.deepStrictEqual(view(l), want, `round ${round}, order ${order.map((e) => e.id).join(' ')}`);
      }
      // With no reset, the balance is start + every trade, whenever the start was recorded.
      if (!events.some((e) => e.kind === 'reset')) {
        const sum = events.filter((e) => e.kind === 'pnl').reduce((s, e) => s + e.amount, 0);
        assert.strictEqual(want.balance, Math.round((10000 + sum) * 100) / 100);
      }
    }
  });
});
