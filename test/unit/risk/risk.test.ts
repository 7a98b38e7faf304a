import * as assert from 'assert';
import { afterTrade, assessRisk, checkRiskSettings, highWaterOf, levelOf, resolveLimits, RiskNotices, settingsFor, startTrailing, trailingFloor, type SessionFigures } from '../../../src/core/risk';

const figures = (over: Partial<SessionFigures> = {}): SessionFigures => ({ realizedNet: 0, openPnl: 0, tradesToday: 0, consecutiveLosses: 0, equity: 10000, highWater: 10000, ...over });
const noServer = null;

describe('risk: limits', () => {
  it('the server limit wins over settings; settings fill what the server does not send', () => {
    const l = resolveLimits({ dailyLossLimit: 300, trailingDrawdown: 2000, maxTradesPerDay: 10 }, { dailyNetLossLimit: 500, trailingAccountValueToLimitPositions: null, dailyNetLossLimitReached: false });
    assert.deepStrictEqual(l.dailyLoss, { amount: 500, source: 'server' });
    assert.deepStrictEqual(l.trailing, { amount: 2000, source: 'settings' });
    assert.strictEqual(l.maxTrades, 10);
    const s = resolveLimits({ dailyLossLimit: 300 }, { dailyNetLossLimit: null, trailingAccountValueToLimitPositions: 48000, dailyNetLossLimitReached: false });
    assert.deepStrictEqual(s.dailyLoss, { amount: 300, source: 'settings' });
    assert.deepStrictEqual(s.trailing, { floor: 48000, source: 'server' });
  });

  it('0, negative, non-finite and missing values turn a limit off', () => {
    const l = resolveLimits({ dailyLossLimit: 0, trailingDrawdown: -5, maxTradesPerDay: 2.5, maxConsecutiveLosses: null }, noServer);
    assert.deepStrictEqual(l, { dailyLoss: null, maxTrades: null, maxConsecutiveLosses: null, trailing: null, serverSaysDailyLimitReached: false });
    assert.strictEqual(resolveLimits({ dailyLossLimit: Infinity }, noServer).dailyLoss, null);
  });

  it('per-account overrides win field by field over the defaults', () => {
    const s = settingsFor('Apex-1', { 'Apex-1': { trailingDrawdown: 2500 } }, { dailyLossLimit: 400, trailingDrawdown: 1000 });
    assert.deepStrictEqual(s, { dailyLossLimit: 400, trailingDrawdown: 2500 });
    assert.deepStrictEqual(settingsFor('Sim1', { 'Apex-1': { trailingDrawdown: 2500 } }, { dailyLossLimit: 400 }), { dailyLossLimit: 400 });
  });

  it('bad settings are named with the key and the fix, never silently ignored', () => {
    assert.deepStrictEqual(checkRiskSettings('appsierra.risk', { dailyLossLimit: 500, maxTradesPerDay: 0 }), []);
    const p = checkRiskSettings('appsierra.risk.accounts.X', { dailyLossLimit: 'lots', maxTradesPerDay: 1.5, stopLoss: 3 });
    assert.strictEqual(p.length, 3);
    assert.match(p[0], /appsierra\.risk\.accounts\.X\.dailyLossLimit must be a positive amount/);
    assert.match(p[1], /maxTradesPerDay must be a whole number/);
    assert.match(p[2], /stopLoss is not a risk limit/);
    assert.deepStrictEqual(checkRiskSettings('r', [1]), ['r must be an object of limits, e.g. {"dailyLossLimit": 500}']);
  });
});

describe('risk: levels and live distance', () => {
  it('warning from 50 %, error from 80 %, breached at 100 %', () => {
    assert.deepStrictEqual([0, 0.49, 0.5, 0.79, 0.8, 0.99, 1, 1.4].map(levelOf), ['ok', 'ok', 'warning', 'warning', 'error', 'error', 'breached', 'breached']);
  });

  it('daily loss: realized + open P&L of the session against the limit; a winning day has all its room', () => {
    const limits = resolveLimits({ dailyLossLimit: 500 }, noServer);
    const a = assessRisk(limits, figures({ realizedNet: -212.5, openPnl: -50 }));
    assert.deepStrictEqual(a.limits[0], { kind: 'dailyLoss', limit: 500, used: 262.5, room: 237.5, fraction: 0.525, level: 'warning', source: 'settings' });
    assert.strictEqual(a.moneyRoom, 237.5);
    assert.strictEqual(a.level, 'warning');
    const win = assessRisk(limits, figures({ realizedNet: 212.5 }));
    assert.strictEqual(win.limits[0].room, 500);
    assert.strictEqual(win.level, 'ok');
    assert.strictEqual(assessRisk(limits, figures({ realizedNet: -400, openPnl: -100 })).level, 'breached');
  });

  it("the server's DailyNetLossLimitReached flag is a breach whatever our figures say", () => {
    const l = resolveLimits({}, { dailyNetLossLimit: 1000, trailingAccountValueToLimitPositions: null, dailyNetLossLimitReached: true });
    assert.strictEqual(assessRisk(l, figures({ realizedNet: -10 })).level, 'breached');
  });

  it('trailing drawdown from settings: floor = high-water mark - amount; open P&L counts against it', () => {
    const l = resolveLimits({ trailingDrawdown: 1000 }, noServer);
    const s = assessRisk(l, figures({ highWater: 10600, equity: 9900 })).limits[0];
    assert.deepStrictEqual(s, { kind: 'trailing', limit: 1000, used: 700, room: 300, fraction: 0.7, level: 'warning', source: 'settings', floor: 9600 });
    assert.strictEqual(assessRisk(l, figures({ highWater: 10600, equity: 9600 })).level, 'breached');
  });

  it("trailing floor sent by the server: room = equity - the server's floor", () => {
    const l = resolveLimits({}, { dailyNetLossLimit: null, trailingAccountValueToLimitPositions: 48000, dailyNetLossLimitReached: false });
    const s = assessRisk(l, figures({ highWater: 50000, equity: 49000 })).limits[0];
    assert.strictEqual(s.room, 1000);
    assert.strictEqual(s.floor, 48000);
    assert.strictEqual(s.level, 'warning');
    assert.strictEqual(assessRisk(l, figures({ highWater: 50000, equity: 47999 })).limits[0].level, 'breached');
  });

  it('tilt rules: trades per day and losses in a row are counts', () => {
    const l = resolveLimits({ maxTradesPerDay: 5, maxConsecutiveLosses: 3 }, noServer);
    const a = assessRisk(l, figures({ tradesToday: 5, consecutiveLosses: 2 }));
    assert.deepStrictEqual(a.limits.map((s) => [s.kind, s.level]), [['maxTrades', 'breached'], ['consecutiveLosses', 'warning']]);
    assert.strictEqual(a.moneyRoom, null, 'counts are not money room');
  });
});

describe('risk: trailing high-water mark', () => {
  it('a new closed-trade high raises the floor; a loss never lowers it', () => {
    let s = startTrailing(10000);
    s = afterTrade(s, 10300);
    s = afterTrade(s, 10100);
    assert.strictEqual(trailingFloor(s, 1000), 9300);
    s = afterTrade(s, 10800);
    assert.strictEqual(trailingFloor(s, 1000), 9800);
    assert.strictEqual(highWaterOf(10000, [10300, 10100, 10800, 9900]), 10800);
    assert.strictEqual(highWaterOf(10000, [9900, 9800]), 10000, 'the start balance is the first mark');
  });
});

describe('risk: one notice per threshold per session', () => {
  const limits = resolveLimits({ dailyLossLimit: 500, maxConsecutiveLosses: 3 }, noServer);
  it('says 50 %, 80 % and the breach once each, the highest only when several are crossed at once', () => {
    const n = new RiskNotices();
    const at = (net: number, losses = 0) => n.next('Sim1', '2026-12-01', assessRisk(limits, figures({ realizedNet: net, consecutiveLosses: losses }))).map((x) => x.level);
    assert.deepStrictEqual(at(-100), []);
    assert.deepStrictEqual(at(-260), ['warning']);
    assert.deepStrictEqual(at(-270), [], 'not again');
    assert.deepStrictEqual(at(-100), [], 'back under 50 %: nothing');
    assert.deepStrictEqual(at(-260), [], 'crossing 50 % again the same session: not again');
    assert.deepStrictEqual(at(-600), ['breached'], 'from warning straight past 80 % to the breach: one notice');
    assert.deepStrictEqual(at(-450), [], '80 % was passed with the breach');
    assert.deepStrictEqual(at(-600, 3), ['breached'], 'the tilt rule has its own notice');
    const next = n.next('Sim1', '2026-12-02', assessRisk(limits, figures({ realizedNet: -260 })));
    assert.deepStrictEqual(next.map((x) => x.level), ['warning'], 'a new session starts over');
    assert.match(next[0].message, /Sim1: 52% of the daily loss limit used \(\$260\.00 of \$500\.00, room \$240\.00\)/);
  });

  it('accounts are independent', () => {
    const n = new RiskNotices();
    const s = assessRisk(limits, figures({ realizedNet: -300 }));
    assert.strictEqual(n.next('Sim1', 'd', s).length, 1);
    assert.strictEqual(n.next('Sim2', 'd', s).length, 1);
  });
});
