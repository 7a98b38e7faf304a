import * as assert from 'assert';
import { balanceView, impliedMark, positionView, statsView } from '../../../src/core/projections';
import { NOW, input, trade } from './fixtures';

const HOUR = 3_600_000;

describe('projections (pure view models from fixtures)', () => {
  describe('balance', () => {
    it('a SIM account: ledger balance, open P&L from the server, equity, and today only in the daily P&L', () => {
      const b = balanceView(
        input({
          trades: [trade({ account: 'Sim1', netPnl: 50, exitTime: NOW - HOUR }), trade({ account: 'Sim1', netPnl: -20, exitTime: NOW - 2 * HOUR }), trade({ account: 'Sim1', netPnl: 500, exitTime: NOW - 3 * 24 * HOUR })],
          simBalances: { Sim1: 10530 },
          positions: [{ account: 'Sim1', symbol: 'MESZ6', qty: 2, avgPrice: 5000 }],
          serverOpenPnl: { 'Sim1|MESZ6': 12.5 },
          selection: { account: 'Sim1' },
        }),
      );
      assert.strictEqual(b.account, 'Sim1');
      assert.strictEqual(b.mode, 'SIM');
      assert.strictEqual(b.balance, 10530);
      assert.strictEqual(b.openPnl, 12.5);
      assert.strictEqual(b.equity, 10542.5);
      assert.strictEqual(b.dailyPnl, 30);
      assert.strictEqual(b.tradesToday, 2);
      assert.strictEqual(b.connection.state, 'connected');
    });

    it('a LIVE account shows the server cash balance', () => {
      const b = balanceView(input({ cash: { Live7: 25000 }, selection: { mode: 'LIVE', account: 'Live7' } }));
      assert.strictEqual(b.mode, 'LIVE');
      assert.strictEqual(b.balance, 25000);
      assert.strictEqual(b.openPnl, 0);
    });

    it('unknown open P&L (no server figure, no spec price) is null, not zero', () => {
      const b = balanceView(input({ positions: [{ account: 'Sim1', symbol: 'MESZ6', qty: 1 }], selection: { account: 'Sim1' } }));
      assert.strictEqual(b.openPnl, null);
      assert.strictEqual(b.equity, b.balance);
    });

    it('passes alerts and the store through', () => {
      const b = balanceView(input({ alerts: ['x'], store: { state: 'outbox', outboxPending: 3 } }));
      assert.deepStrictEqual(b.alerts, ['x']);
      assert.strictEqual(b.store.outboxPending, 3);
    });
  });

  describe('one explicit selection (issue 9 item 13)', () => {
    const twoSims = () => ({
      trades: [trade({ account: 'Sim1', netPnl: 173.02, exitTime: NOW - 2 * HOUR }), trade({ account: 'Sim2', netPnl: -10, exitTime: NOW - HOUR })],
      simBalances: { Sim1: 10173.02, Sim2: 9990 },
      accounts: ['Live1'],
    });

    it('All SIM sums every SIM account (balance, today, trades) and says so', () => {
      const b = balanceView(input(twoSims()));
      assert.strictEqual(b.account, null);
      assert.strictEqual(b.scope, 'All SIM');
      assert.strictEqual(b.balance, 20163.02);
      assert.strictEqual(b.dailyPnl, 163.02);
      assert.strictEqual(b.tradesToday, 2);
    });

    it('a chosen account stays chosen although another account traded last', () => {
      const b = balanceView(input({ ...twoSims(), selection: { account: 'Sim1' } }));
      assert.strictEqual(b.account, 'Sim1');
      assert.strictEqual(b.scope, 'Sim1');
      assert.strictEqual(b.balance, 10173.02);
      assert.strictEqual(b.dailyPnl, 173.02);
      const p = positionView(input({ ...twoSims(), selection: { account: 'Sim1' } }));
      assert.strictEqual(p.lastTrade?.account, 'Sim1');
      const s = statsView(input({ ...twoSims(), selection: { account: 'Sim1' } }));
      assert.strictEqual(s.grid.totalPnl, 173.02);
    });

    it('All SIM shows the most recent open position and last trade of any SIM account, naming the account', () => {
      const p = positionView(input({ ...twoSims(), positions: [{ account: 'Sim2', symbol: 'MESZ6', qty: 1, lastFillTime: NOW - 5 }, { account: 'Sim1', symbol: 'MNQZ6', qty: -1, lastFillTime: NOW - 500 }] }));
      assert.strictEqual(p.scope, 'All SIM');
      assert.strictEqual(p.open?.account, 'Sim2');
      assert.strictEqual(p.lastTrade?.account, 'Sim2');
    });

    it('All LIVE sums the server cash balances; an account no longer known falls back to All of the mode', () => {
      const live = balanceView(input({ cash: { Live1: 5000, Live2: 2500 }, selection: { mode: 'LIVE' } }));
      assert.strictEqual(live.balance, 7500);
      assert.strictEqual(live.scope, 'All LIVE');
      const gone = balanceView(input({ ...twoSims(), selection: { account: 'Sim9' } }));
      assert.strictEqual(gone.scope, 'All SIM');
      assert.strictEqual(gone.account, null);
    });
  });

  describe('position', () => {
    it('an open long: implied mark from the server P&L, stop and target from working orders, heat', () => {
      const p = positionView(
        input({
          positions: [{ account: 'Sim1', symbol: 'MESZ6', qty: 2, avgPrice: 5000 }],
          serverOpenPnl: { 'Sim1|MESZ6': 12.5 },
          orders: { 'Sim1|MESZ6': { stop: 4990, target: 5020 } },
          selection: { account: 'Sim1' },
        }),
      );
      assert.ok(p.open);
      assert.strictEqual(p.open.markPrice, 5001.25);
      assert.strictEqual(p.open.openPnl, 12.5);
      assert.strictEqual(p.open.stop, 4990);
      assert.strictEqual(p.open.target, 5020);
      // (5000 - 4990) x 2 x $5
      assert.strictEqual(p.open.heat, 100);
      assert.strictEqual(p.now, NOW);
      assert.ok(!('timeInTradeMs' in p.open), 'engine bookkeeping is not sent to the view');
    });

    it('flat: the last closed trade of the account', () => {
      const p = positionView(input({ trades: [trade({ account: 'Sim1', netPnl: 7, exitTime: NOW - HOUR }), trade({ account: 'Sim1', netPnl: 9, exitTime: NOW - 10 })], selection: { account: 'Sim1' } }));
      assert.strictEqual(p.open, null);
      assert.strictEqual(p.lastTrade?.netPnl, 9);
    });
  });

  describe('stats', () => {
    it('filters by mode, account and timeframe', () => {
      const trades = [
        trade({ account: 'Sim1', netPnl: 10, exitTime: NOW - HOUR }),
        trade({ account: 'Sim2', netPnl: 20, exitTime: NOW - HOUR }),
        trade({ account: 'Sim1', netPnl: 40, exitTime: NOW - 20 * 24 * HOUR }),
        trade({ account: 'Live1', netPnl: 1000, exitTime: NOW - HOUR }),
      ];
      assert.strictEqual(statsView(input({ trades })).grid.totalPnl, 30);
      assert.strictEqual(statsView(input({ trades, selection: { timeframe: 'ALL' } })).grid.totalPnl, 70);
      assert.strictEqual(statsView(input({ trades, selection: { account: 'Sim2', timeframe: 'ALL' } })).grid.totalPnl, 20);
      assert.strictEqual(statsView(input({ trades, selection: { mode: 'LIVE' } })).grid.totalPnl, 1000);
      assert.deepStrictEqual(statsView(input({ trades })).accounts, ['Sim1', 'Sim2']);
    });

    it('says why the grid is empty', () => {
      assert.match(statsView(input()).emptyReason ?? '', /No closed trades yet.*127\.0\.0\.1:11099/);
      const trades = [trade({ account: 'Sim1', netPnl: 10, exitTime: NOW - 40 * 24 * HOUR })];
      assert.match(statsView(input({ trades })).emptyReason ?? '', /No closed SIM trades in 1D/);
      assert.strictEqual(statsView(input({ trades, selection: { timeframe: 'ALL' } })).emptyReason, null);
    });

    it('the empty state offers Start demo feed / Connect only while nothing feeds trades (issue 9 item 15)', () => {
      const demo = statsView(input({ connection: { demo: true, state: 'connected' }, selection: { mode: 'LIVE' } }));
      assert.strictEqual(demo.feed, 'demo');
      assert.doesNotMatch(demo.emptyReason ?? '', /start the demo feed|Connect to/i);
      assert.match(demo.emptyReason ?? '', /demo feed is running/);
      assert.strictEqual(statsView(input({ connection: { state: 'reconnecting' } })).feed, 'server');
      const idle = statsView(input({ connection: { state: 'disconnected' } }));
      assert.strictEqual(idle.feed, null);
      assert.match(idle.emptyReason ?? '', /start the demo feed/);
    });
  });

  it('impliedMark recovers the mark from the server open P&L, rounded to the tick', () => {
    // Long 2 MES at 5000.00, open P&L +$12.50 => 1.25 points => 5001.25.
    assert.strictEqual(impliedMark(5000, 2, 12.5, 5, 0.25), 5001.25);
    // Short 1 ES at 5000, open P&L -$25 => price rose 0.5 => 5000.50.
    assert.strictEqual(impliedMark(5000, -1, -25, 50, 0.25), 5000.5);
    assert.strictEqual(impliedMark(5000, 1, null, 50, 0.25), null);
    assert.strictEqual(impliedMark(5000, 1, 10, null, null), null);
  });
});
