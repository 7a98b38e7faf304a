import * as assert from 'assert';
import { balanceView } from '../../../src/core/projections';
import type { BalanceSnapshot } from '../../../src/core/viewModels';
import { StatusBarPresenter, WARNING_BACKGROUND, type StatusBarChanges } from '../../../src/views/statusBarPresenter';
import { NOW, input, trade, type Fixture } from '../core/fixtures';

const quiet = { debug() {} };

describe('status bar presenter (renders at once, re-sends only what changed)', () => {
  function presenter(fixture: () => Fixture) {
    const core = { snapshot: () => balanceView(input(fixture())) as never as BalanceSnapshot };
    return new StatusBarPresenter({ core: core as never, logger: quiet, selection: () => ({ account: 'Sim1' }) as never, format: () => 'pnl' });
  }

  it('the first render sends every property; an unchanged state sends nothing; a new P&L sends only the text and tooltip', () => {
    let fx: Fixture = { trades: [trade({ account: 'Sim1', netPnl: 10, exitTime: NOW - 1000 })], simBalances: { Sim1: 10010 }, selection: { account: 'Sim1' } };
    const p = presenter(() => fx);
    const sent: StatusBarChanges[] = [];
    p.render(true, (c) => sent.push(c));
    assert.deepStrictEqual(Object.keys(sent[0]).sort(), ['backgroundColor', 'text', 'tooltip', 'visible']);
    assert.strictEqual(sent[0].text, '$(pulse) SIM Sim1 $(triangle-up) +$10.00');
    p.render(true, (c) => sent.push(c));
    assert.strictEqual(sent.length, 1, 'nothing changed, nothing re-sent');
    fx = { ...fx, trades: [...fx.trades!, trade({ account: 'Sim1', netPnl: 5, exitTime: NOW - 500 })], simBalances: { Sim1: 10015 } };
    p.render(true, (c) => sent.push(c));
    assert.deepStrictEqual(Object.keys(sent[1]).sort(), ['text', 'tooltip']);
    assert.strictEqual(sent[1].text, '$(pulse) SIM Sim1 $(triangle-up) +$15.00');
  });

  it('a disconnect changes the background (and the icon); hiding sends only visibility', () => {
    let fx: Fixture = { selection: { account: 'Sim1' } };
    const p = presenter(() => fx);
    const sent: StatusBarChanges[] = [];
    p.render(true, (c) => sent.push(c));
    fx = { ...fx, connection: { state: 'disconnected' } };
    p.render(true, (c) => sent.push(c));
    assert.strictEqual(sent[1].backgroundColor, WARNING_BACKGROUND);
    p.render(false, (c) => sent.push(c));
    assert.deepStrictEqual(sent[2], { visible: false });
    assert.strictEqual(p.state?.visible, false);
  });
});
