import * as assert from 'assert';
import { balanceView } from '../../../src/core/projections';
import { escapeMarkdown, statusBarModel } from '../../../src/views/statusBarModel';
import { NOW, input, trade } from '../core/fixtures';

describe('status bar model (text and Markdown tooltip)', () => {
  it('says whose P&L it shows, with the sign as an icon, and the balance when asked', () => {
    const b = balanceView(input({ trades: [trade({ account: 'Sim1', netPnl: 42.5, exitTime: NOW - 1000 })], simBalances: { Sim1: 10042.5 }, selection: { account: 'Sim1' } }));
    const m = statusBarModel(b, 'pnl');
    assert.strictEqual(m.text, '$(pulse) SIM Sim1 $(triangle-up) +$42.50');
    assert.strictEqual(m.tone, 'profit');
    assert.strictEqual(m.warning, false);
    assert.match(m.tooltip, /P&L of Sim1 \(SIM\)/);
    assert.strictEqual(statusBarModel(b, 'pnl-and-balance').text, '$(pulse) SIM Sim1 $(triangle-up) +$42.50 · $10,042.50');
  });

  it('All SIM: the sum of every SIM account, named as such; a losing day gets the down sign', () => {
    const b = balanceView(input({ trades: [trade({ account: 'Sim1', netPnl: -30, exitTime: NOW - 1000 }), trade({ account: 'Sim2', netPnl: 10, exitTime: NOW - 500 })], simBalances: { Sim1: 9970, Sim2: 10010 } }));
    const m = statusBarModel(b, 'pnl');
    assert.strictEqual(m.text, '$(pulse) All SIM $(triangle-down) -$20.00');
    assert.match(m.tooltip, /P&L of all SIM accounts/);
    const flat = statusBarModel(balanceView(input()), 'pnl');
    assert.strictEqual(flat.text, '$(pulse) All SIM $0.00');
  });

  it('a failed store or commits waiting in memory ask for the error background, an outbox for the warning one', () => {
    assert.strictEqual(statusBarModel(balanceView(input({ store: { state: 'failed' } })), 'pnl').error, true);
    assert.strictEqual(statusBarModel(balanceView(input({ store: { pendingCommits: 2 } })), 'pnl').error, true);
    const outbox = statusBarModel(balanceView(input({ store: { state: 'outbox' } })), 'pnl');
    assert.deepStrictEqual([outbox.warning, outbox.error], [true, false]);
  });

  it('warns when disconnected or the store is degraded', () => {
    const b = balanceView(input({ store: { state: 'outbox' } }));
    const m = statusBarModel(b, 'pnl');
    assert.strictEqual(m.warning, true);
    assert.match(m.text, /^\$\(warning\)/);
    const down = balanceView(input());
    down.connection.state = 'disconnected';
    assert.strictEqual(statusBarModel(down, 'pnl').warning, true);
  });

  it('escapes server and store text in the Markdown tooltip (no links, icons, tables or HTML from outside)', () => {
    const b = balanceView(input({ alerts: ['[click](command:x) $(zap) | <img src=x>'] }));
    b.connection.lastError = 'refused\n| injected | row |';
    const tip = statusBarModel(b, 'pnl').tooltip;
    assert.ok(!tip.includes('[click](command:x)'), tip);
    assert.ok(tip.includes('\\[click\\]\\(command\\:x\\)'), tip);
    assert.ok(tip.includes('\\$\\(zap\\)'), tip);
    assert.ok(!/[^\\]<img/.test(tip), tip);
    assert.ok(!/\n\| injected/.test(tip), 'a line break in server text must not start a table row');
  });

  it('escapeMarkdown keeps plain words readable', () => {
    assert.strictEqual(escapeMarkdown('Sim1'), 'Sim1');
    assert.strictEqual(escapeMarkdown('a_b*c'), 'a\\_b\\*c');
  });
});
