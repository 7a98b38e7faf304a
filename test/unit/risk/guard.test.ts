import * as assert from 'assert';
import { balanceView, type ProjectionInput } from '../../../src/core/projections';
import { RiskWatch, type RiskEvent } from '../../../src/core/risk';
import { DEFAULT_SETTINGS, validateSettings, type AppSettings } from '../../../src/core/settings';
import { statusBarModel } from '../../../src/views/statusBarModel';
import { NOW, input, trade, type Fixture } from '../core/fixtures';

const quiet = { info() {}, warn() {}, error() {} };
const DAY = 86_400_000;

/** A guard over a fixture session, wired the way AppCore wires it. */
function guarded(f: Fixture, risk: Partial<AppSettings['risk']>) {
  const settings = { ...DEFAULT_SETTINGS.risk, ...risk };
  const events: RiskEvent[] = [];
  let current: ProjectionInput = input(f);
  const watch = new RiskWatch({ settings: () => settings, input: () => current, logger: quiet, now: () => NOW, record: async (e) => void events.push(e) });
  const wire = (i: ProjectionInput) => {
    i.riskOf = (a) => watch.statusOf(i, a);
    return i;
  };
  current = wire(current);
  return {
    watch,
    events,
    /** The session moves on: new trades, balances, positions. */
    set(next: Fixture) {
      current = wire(input(next));
    },
    bar: () => statusBarModel(balanceView(current), 'pnl'),
    balance: () => balanceView(current),
    check: () => watch.checkNow().map((n) => `${n.kind}:${n.level}`),
  };
}

const sim1 = (trades: { net: number; ago: number }[], over: Partial<Fixture> = {}): Fixture => {
  const ts = trades.map((t) => trade({ account: 'Sim1', netPnl: t.net, exitTime: NOW - t.ago }));
  return { trades: ts, simBalances: { Sim1: 10000 + trades.reduce((s, t) => s + t.net, 0) }, selection: { account: 'Sim1' }, ...over };
};

describe('risk guard wired to the session (status bar, Balance view, notices, breach events)', () => {
  it('daily loss: room in the status bar, warning background at 50 %, error at 80 %, one notice per threshold, the breach stored once', () => {
    const g = guarded(sim1([{ net: -100, ago: 60_000 }]), { dailyLossLimit: 500 });
    assert.strictEqual(g.bar().text, '$(pulse) SIM Sim1 $(triangle-down) -$100.00 · room $400.00');
    assert.deepStrictEqual([g.bar().warning, g.bar().error, g.bar().risk], [false, false, 'ok']);
    assert.deepStrictEqual(g.check(), []);

    g.set(sim1([{ net: -100, ago: 60_000 }, { net: -160, ago: 30_000 }]));
    assert.match(g.bar().text, /· room \$240\.00$/);
    assert.deepStrictEqual([g.bar().warning, g.bar().error, g.bar().risk], [true, false, 'warning']);
    assert.deepStrictEqual(g.check(), ['dailyLoss:warning']);
    assert.deepStrictEqual(g.check(), [], 'never a stream');

    g.set(sim1([{ net: -100, ago: 60_000 }, { net: -160, ago: 30_000 }, { net: -150, ago: 10_000 }]));
    assert.deepStrictEqual([g.bar().error, g.bar().risk], [true, 'error']);
    assert.deepStrictEqual(g.check(), ['dailyLoss:error']);
    const view = g.balance().risk[0];
    assert.deepStrictEqual(view.limits.map((l) => [l.label, l.text, Math.round(l.fraction * 100)]), [['Daily loss limit', '$410.00 of $500.00 used · room $90.00', 82]]);
    assert.strictEqual(g.events.length, 0);

    // Open P&L counts: the breach comes from a losing open position.
    g.set(sim1([{ net: -100, ago: 60_000 }, { net: -160, ago: 30_000 }, { net: -150, ago: 10_000 }], { positions: [{ account: 'Sim1', symbol: 'MESZ6', qty: 1, avgPrice: 5000 }], serverOpenPnl: { 'Sim1|MESZ6': -90 } }));
    assert.match(g.bar().text, /room \$0\.00 \$\(error\) limit reached$/);
    assert.deepStrictEqual(g.check(), ['dailyLoss:breached']);
    assert.deepStrictEqual(g.check(), []);
    assert.strictEqual(g.events.length, 1);
    assert.deepStrictEqual({ ...g.events[0], message: '' }, { id: 'Sim1|2026-11-03|dailyLoss', account: 'Sim1', sessionDate: '2026-11-03', kind: 'dailyLoss', level: 'breached', limit: 500, used: 500, timeMs: NOW, message: '' });
    assert.match(g.events[0].message, /Sim1: 100% of the daily loss limit used .*Today: net -\$500\.00, 3 trades, 3 losses in a row\./);
  });

  it("yesterday's trades do not count (the 1D session boundary); a winning day keeps all its room", () => {
    const g = guarded(sim1([{ net: -450, ago: DAY }, { net: 50, ago: 1000 }]), { dailyLossLimit: 500 });
    assert.match(g.bar().text, /room \$500\.00$/);
    assert.strictEqual(g.bar().risk, 'ok');
  });

  it('trailing drawdown from settings: a new closed-trade high raises the floor, then the floor is hit', () => {
    const g = guarded(sim1([{ net: 300, ago: 50_000 }, { net: -100, ago: 40_000 }]), { trailingDrawdown: 500 });
    let t = g.balance().risk[0].limits[0];
    assert.deepStrictEqual([t.floor, t.room, t.level], [9800, 400, 'ok']);
    g.set(sim1([{ net: 300, ago: 50_000 }, { net: -100, ago: 40_000 }, { net: 400, ago: 30_000 }]));
    t = g.balance().risk[0].limits[0];
    assert.deepStrictEqual([t.floor, t.room, t.level], [10100, 500, 'ok'], 'a new high at $10,600 raises the floor');
    g.set(sim1([{ net: 300, ago: 50_000 }, { net: -100, ago: 40_000 }, { net: 400, ago: 30_000 }, { net: -300, ago: 20_000 }]));
    assert.deepStrictEqual(g.check(), ['trailing:warning']);
    g.set(sim1([{ net: 300, ago: 50_000 }, { net: -100, ago: 40_000 }, { net: 400, ago: 30_000 }, { net: -300, ago: 20_000 }, { net: -200, ago: 10_000 }]));
    t = g.balance().risk[0].limits[0];
    assert.deepStrictEqual([t.floor, t.room, t.level], [10100, 0, 'breached']);
    assert.deepStrictEqual(g.check(), ['trailing:breached']);
    assert.strictEqual(g.events[0].kind, 'trailing');
  });

  it('tilt rules: N trades or N losses in a row warn once, with the day numbers', () => {
    const g = guarded(sim1([{ net: 20, ago: 50_000 }, { net: -10, ago: 40_000 }, { net: -10, ago: 30_000 }]), { maxTradesPerDay: 3, maxConsecutiveLosses: 3 });
    const notices = g.watch.checkNow();
    assert.deepStrictEqual(notices.map((n) => `${n.kind}:${n.level}`), ['maxTrades:breached']);
    assert.match(notices[0].message, /Sim1: 3 trades per day of 3 \(tilt rule\)\. Today: net \$0\.00, 3 trades, 2 losses in a row\./);
    assert.strictEqual(g.bar().text.includes('room'), false, 'counts are no money room');
    g.set(sim1([{ net: 20, ago: 50_000 }, { net: -10, ago: 40_000 }, { net: -10, ago: 30_000 }, { net: -10, ago: 20_000 }]));
    assert.deepStrictEqual(g.check(), ['consecutiveLosses:breached']);
    assert.deepStrictEqual(g.check(), []);
  });

  it("the server's limits win over the settings; per-account overrides over the defaults; no limit, no room", () => {
    const server = { dailyNetLossLimit: 1000, trailingAccountValueToLimitPositions: null, dailyNetLossLimitReached: false };
    const g = guarded({ ...sim1([{ net: -300, ago: 1000 }]), cash: { Sim1: 9700 }, serverLimits: { Sim1: server } }, { dailyLossLimit: 500 });
    assert.deepStrictEqual(g.balance().risk[0].limits.map((l) => [l.source, l.limit]), [['server', 1000]]);
    assert.match(g.bar().text, /room \$700\.00$/);
    const o = guarded(sim1([{ net: -300, ago: 1000 }]), { dailyLossLimit: 500, accounts: { Sim1: { dailyLossLimit: 0 } } });
    assert.deepStrictEqual(o.balance().risk, [], '0 turns the default off for that account');
    assert.strictEqual(o.bar().text.includes('room'), false);
  });

  it("a server trailing floor is measured against the server's account value", () => {
    const g = guarded({ accounts: ['Apex-1'], cash: { 'Apex-1': 50_000 }, serverLimits: { 'Apex-1': { dailyNetLossLimit: null, trailingAccountValueToLimitPositions: 48_000, dailyNetLossLimitReached: false } }, selection: { account: 'Apex-1' } }, {});
    const t = g.balance().risk[0].limits[0];
    assert.deepStrictEqual([t.kind, t.source, t.floor, t.room, t.level], ['trailing', 'server', 48_000, 2000, 'ok']);
  });
});

describe('risk settings', () => {
  it('the appsierra.risk.* keys: defaults off, good values kept, bad ones named and replaced (never silently ignored)', () => {
    assert.deepStrictEqual(validateSettings({}).settings.risk, DEFAULT_SETTINGS.risk);
    const ok = validateSettings({ risk: { dailyLossLimit: 500, maxTradesPerDay: 8, trailingDrawdown: 2500, defaultStopTicks: 8, stopTicksByRoot: { cl: 20 }, accounts: { 'Apex-1': { trailingDrawdown: 2000 } } } });
    assert.deepStrictEqual(ok.problems, []);
    assert.deepStrictEqual(ok.settings.risk, { dailyLossLimit: 500, maxTradesPerDay: 8, maxConsecutiveLosses: 0, trailingDrawdown: 2500, defaultStopTicks: 8, stopTicksByRoot: { CL: 20 }, accounts: { 'Apex-1': { trailingDrawdown: 2000 } } });
    const bad = validateSettings({ risk: { dailyLossLimit: -5, maxConsecutiveLosses: 2.5, stopTicksByRoot: { MES: 'eight' }, accounts: { X: { dailyLossLimit: 'lots', maxTradesPerDay: 4, stop: 1 } } } });
    assert.deepStrictEqual(bad.problems.map((p) => p.key).sort(), ['risk.accounts.X', 'risk.accounts.X', 'risk.dailyLossLimit', 'risk.maxConsecutiveLosses', 'risk.stopTicksByRoot.MES']);
    assert.deepStrictEqual(bad.settings.risk.accounts, { X: { maxTradesPerDay: 4 } }, "the account's good fields stay");
    assert.strictEqual(bad.settings.risk.dailyLossLimit, 0);
    assert.match(bad.problems.find((p) => p.key === 'risk.dailyLossLimit')!.message, /appsierra\.risk\.dailyLossLimit must be a number from 0 to 1000000000/);
    assert.ok(bad.problems.some((p) => /appsierra\.risk\.accounts\.X\.stop is not a risk limit/.test(p.message)));
  });
});
