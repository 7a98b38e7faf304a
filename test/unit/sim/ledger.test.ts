import * as assert from 'assert';
import { SimBalanceLedger, monthKey, monthStartMs } from '../../../src/core/sim/ledger';
import type { SimBalanceEvent, Trade } from '../../../src/core/trading/types';

function trade(id: string, netPnl: number, exitTime: number, over: Partial<Trade> = {}): Trade {
  return {
    id, account: 'Sim1', mode: 'SIM', symbol: 'MESZ5', root: 'MES', side: 'LONG', qty: 1, maxPosition: 1, entryTime: exitTime - 60000, exitTime,
    avgEntryPrice: 5000, avgExitPrice: 5001, grossPnl: netPnl, commissions: 0, netPnl, mae: null, mfe: null, rMultiple: null, fillIds: [id], ...over,
  };
}
const utc = (s: string) => Date.parse(s);

describe('sim/ledger: balances', () => {
  it('starts at the starting balance and adds realized net of SIM trades only', () => {
    const l = new SimBalanceLedger(10000);
    assert.strictEqual(l.balance('Sim1'), 10000);
    const t1 = trade('a', 250.5, utc('2025-11-03T15:00:00Z'));
    const t2 = trade('b', -100.25, utc('2025-11-03T16:00:00Z'));
    const evs = [...l.eventsForTrade(t1), ...l.eventsForTrade(t2)];
    assert.deepStrictEqual(evs[0], { id: 'pnl:a', account: 'Sim1', kind: 'pnl', amount: 250.5, timeMs: t1.exitTime, tradeId: 'a', note: null });
    assert.deepStrictEqual(l.eventsForTrade(trade('live', 99, 1, { mode: 'LIVE', account: '700123' })), []);
    assert.strictEqual(l.load(evs), 2);
    assert.strictEqual(l.balance('Sim1'), 10150.25);
    assert.strictEqual(l.realizedSinceReset('Sim1'), 150.25);
    assert.strictEqual(l.lastReset('Sim1'), null);
    // A replay adds nothing.
    assert.strictEqual(l.load(evs), 0);
    assert.strictEqual(l.add(evs[0]), false);
    assert.strictEqual(l.balance('Sim1'), 10150.25);
    assert.deepStrictEqual(l.counters, { added: 2, duplicates: 3, rejected: 0 });
    assert.deepStrictEqual(l.accounts(), ['Sim1']);
  });

  it('cents add up exactly (0.1 + 0.2 style noise is rounded per step)', () => {
    const l = new SimBalanceLedger(0);
    for (let i = 0; i < 10; i++) l.add(l.eventsForTrade(trade(`t${i}`, 0.1, 1000 + i))[0]);
    l.add(l.eventsForTrade(trade('x', 0.2, 2000))[0]);
    assert.strictEqual(l.balance('Sim1'), 1.2);
  });

  it('manual reset: balance back to start, later trades count, earlier ones do not', () => {
    const l = new SimBalanceLedger(10000);
    l.add(l.startEvent('Sim1', 1000));
    l.add(l.eventsForTrade(trade('a', 500, 2000))[0]);
    const reset = l.resetEvent('Sim1', 3000, 25000);
    assert.deepStrictEqual([reset.id, reset.kind, reset.amount], ['reset:Sim1:3000', 'reset', 25000]);
    l.add(reset);
    assert.strictEqual(l.balance('Sim1'), 25000);
    assert.strictEqual(l.lastReset('Sim1'), 3000);
    assert.strictEqual(l.realizedSinceReset('Sim1'), 0);
    l.add(l.eventsForTrade(trade('b', -40, 4000))[0]);
    // Arrives late but happened before the reset: belongs to the old period.
    l.add(l.eventsForTrade(trade('c', 7, 2500))[0]);
    assert.strictEqual(l.balance('Sim1'), 24960);
    assert.strictEqual(l.realizedSinceReset('Sim1'), -40);
    assert.deepStrictEqual(
      l.history('Sim1').map((h) => [h.event.id, h.balance]),
      [['start:Sim1', 10000], ['pnl:a', 10500], ['pnl:c', 10507], ['reset:Sim1:3000', 25000], ['pnl:b', 24960]],
    );
  });

  it('accounts are independent', () => {
    const l = new SimBalanceLedger(10000);
    l.add(l.eventsForTrade(trade('a', 100, 1))[0]);
    l.add(l.eventsForTrade(trade('b', -30, 2, { account: 'Sim2' }))[0]);
    l.add(l.eventsForTrade(trade('c', 5, 3, { account: 'Sim10' }))[0]);
    assert.deepStrictEqual([l.balance('Sim1'), l.balance('Sim2'), l.balance('Sim10')], [10100, 9970, 10005]);
    assert.deepStrictEqual(l.accounts(), ['Sim1', 'Sim2', 'Sim10']);
  });

  it('malformed events are refused with a message and counted', () => {
    const l = new SimBalanceLedger();
    const bad = { id: 'pnl:x', account: 'Sim1', kind: 'pnl', amount: NaN, timeMs: 1 } as SimBalanceEvent;
    assert.strictEqual(l.add(bad), false);
    assert.strictEqual(l.add({ ...bad, amount: 1, kind: 'bonus' as SimBalanceEvent['kind'] }), false);
    assert.strictEqual(l.counters.rejected, 2);
    assert.match(l.problems[0], /pnl:x has amount null/);
    assert.match(l.problems[1], /kind "bonus"/);
    assert.strictEqual(l.balance('Sim1'), 10000);
  });
});

describe('sim/ledger: monthly reset', () => {
  it('across the DST change (America/New_York, November): due by local month, dated at local midnight', () => {
    const tz = 'America/New_York';
    const l = new SimBalanceLedger(10000);
    l.add(l.startEvent('Sim1', utc('2025-10-15T14:00:00Z')));
    l.add(l.eventsForTrade(trade('a', 300, utc('2025-10-20T14:00:00Z')))[0]);
    // 2025-10-31 23:30 EDT is already November in UTC, still October locally.
    assert.strictEqual(l.monthlyResetDue('Sim1', utc('2025-11-01T03:30:00Z'), tz), false);
    // 2025-11-02 01:30 EST, after the clocks went back.
    const now = utc('2025-11-02T06:30:00Z');
    assert.strictEqual(l.monthlyResetDue('Sim1', now, tz), true);
    const r = l.monthlyResetEvent('Sim1', now, 10000, tz);
    // Local midnight of 1 November is 04:00Z (EDT, UTC-4).
    assert.strictEqual(r.timeMs, utc('2025-11-01T04:00:00Z'));
    assert.strictEqual(r.id, `reset:Sim1:${utc('2025-11-01T04:00:00Z')}`);
    // A trade closed on 1 November before the app noticed the new month counts towards November.
    l.add(l.eventsForTrade(trade('b', 50, utc('2025-11-01T15:00:00Z')))[0]);
    l.add(r);
    assert.strictEqual(l.balance('Sim1'), 10050);
    assert.strictEqual(l.monthlyResetDue('Sim1', now, tz), false);
    // Another window doing the same reset adds nothing.
    assert.strictEqual(l.add(l.monthlyResetEvent('Sim1', utc('2025-11-20T12:00:00Z'), 10000, tz)), false);
    assert.strictEqual(l.lastResetMonth('Sim1', tz), '2025-11');
  });

  it('spring DST (Europe/London): April starts at 23:00Z on 31 March', () => {
    assert.strictEqual(monthStartMs(utc('2026-04-10T12:00:00Z'), 'Europe/London'), utc('2026-03-31T23:00:00Z'));
    assert.strictEqual(monthStartMs(utc('2026-03-10T12:00:00Z'), 'Europe/London'), utc('2026-03-01T00:00:00Z'));
  });

  it('across year end (America/Chicago)', () => {
    const tz = 'America/Chicago';
    const l = new SimBalanceLedger(10000);
    l.add(l.monthlyResetEvent('Sim1', utc('2025-12-01T18:00:00Z'), 10000, tz));
    assert.strictEqual(l.lastReset('Sim1'), utc('2025-12-01T06:00:00Z'));
    // 2025-12-31 23:30 CST = 2026-01-01 05:30Z: still December locally.
    assert.strictEqual(l.monthlyResetDue('Sim1', utc('2026-01-01T05:30:00Z'), tz), false);
    assert.strictEqual(l.monthlyResetDue('Sim1', utc('2026-01-01T06:30:00Z'), tz), true);
    assert.strictEqual(monthKey(utc('2026-01-01T06:30:00Z'), tz), '2026-01');
    assert.strictEqual(monthStartMs(utc('2026-01-01T06:30:00Z'), tz), utc('2026-01-01T06:00:00Z'));
    // Skipping months (app not opened in January) still makes one reset due.
    assert.strictEqual(l.monthlyResetDue('Sim1', utc('2026-03-05T12:00:00Z'), tz), true);
  });

  it('no events: nothing to reset; events without a start: the first event month is the base', () => {
    const l = new SimBalanceLedger();
    assert.strictEqual(l.monthlyResetDue('Sim1', Date.now()), false);
    l.add(l.eventsForTrade(trade('a', 1, utc('2025-10-10T12:00:00Z')))[0]);
    assert.strictEqual(l.monthlyResetDue('Sim1', utc('2025-10-30T12:00:00Z'), 'UTC'), false);
    assert.strictEqual(l.monthlyResetDue('Sim1', utc('2025-11-03T12:00:00Z'), 'UTC'), true);
  });

  it("'local' is this machine's zone", () => {
    const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const t = utc('2025-12-31T23:59:00Z');
    assert.strictEqual(monthKey(t), monthKey(t, here));
    assert.strictEqual(monthStartMs(t), monthStartMs(t, here));
  });
});
