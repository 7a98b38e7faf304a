/**
 * A whole trading session against the built-in DTC simulator ('smoke' scenario: one winning MES
 * round trip on Sim1 within ~3 s, then quiet): store, stats, balance, status bar, position, reset.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { BalanceSnapshot, PositionSnapshot, StatsSnapshot } from '../../src/shared/protocol';
import { api, exportTradesJson, tradesOf, waitFor, waitForWebview, withTimeout } from './helpers';

const near = (a: number | null | undefined, b: number) => typeof a === 'number' && Math.abs(a - b) < 0.005;

describe('demo session (built-in simulator)', function () {
  this.timeout(60000);
  let starting = 0;
  let startBalance: number | null = null;
  let trades: Record<string, unknown>[] = [];
  let net = 0;

  it('starts the smoke scenario and connects to it', async () => {
    const a = await api();
    starting = a.snapshot('balance').startingBalance;
    const { port } = await withTimeout(a.core.startDemoFeed({ scenario: 'smoke', speed: 1 }), 20000, 'startDemoFeed');
    assert.ok(port > 0, `port ${port}`);
    await waitFor(() => a.snapshot('balance').connection.state === 'connected', 'the connection to the simulator', 15000);
    const c = a.snapshot('balance').connection;
    assert.strictEqual(c.demo, true);
    assert.strictEqual(c.host, '127.0.0.1');
    assert.strictEqual(c.port, port);
  });

  it('one account picked through the command is what every view and the status bar show', async () => {
    const a = await api();
    await waitFor(() => a.core.accounts().some((x) => x.account === 'Sim1'), 'the demo feed to announce Sim1', 15000);
    await vscode.commands.executeCommand('appsierra.selectAccount', 'Sim1');
    assert.deepStrictEqual([a.selection.current.mode, a.selection.current.account], ['SIM', 'Sim1']);
    assert.strictEqual(a.snapshot('balance').account, 'Sim1');
    assert.strictEqual(a.snapshot('position').account, 'Sim1');
    assert.strictEqual(a.snapshot('stats').account, 'Sim1');
    await waitFor(() => /SIM Sim1/.test(a.statusBar().text), `the status bar to name Sim1 (now "${a.statusBar().text}")`, 5000);
  });

  it('stores one closed winning MES trade on Sim1', async () => {
    const a = await api();
    a.selection.setTimeframe('ALL');
    await waitFor(() => a.snapshot('stats').grid.trades >= 1, 'a closed trade in the stats', 20000);
    trades = tradesOf(await exportTradesJson());
    assert.ok(trades.length >= 1, 'export holds no trade');
    const t = trades[trades.length - 1];
    assert.strictEqual(t.account, 'Sim1');
    assert.strictEqual(t.mode, 'SIM');
    assert.match(String(t.symbol), /^MES/);
    assert.ok(Number(t.netPnl) > 0, `net ${t.netPnl} is not a win`);
    assert.ok(Number(t.qty) > 0);
    net = trades.filter((x) => x.account === 'Sim1').reduce((s, x) => s + Number(x.netPnl), 0);
    console.log(`    ${trades.length} trade(s); last ${t.side} ${t.qty} ${t.symbol} ${t.avgEntryPrice} -> ${t.avgExitPrice} net ${t.netPnl}`);
  });

  it('stats count the trade and its P&L', async () => {
    const a = await api();
    const s: StatsSnapshot = a.snapshot('stats');
    assert.strictEqual(s.account ?? 'Sim1', 'Sim1');
    assert.strictEqual(s.grid.trades, trades.length);
    assert.ok(near(s.grid.totalPnl, net), `totalPnl ${s.grid.totalPnl} != ${net}`);
    assert.ok(s.grid.wins >= 1);
    assert.ok(s.equityCurve.length >= 1, 'no equity point');
  });

  it('the balance moves by the trade net and counts it today', async () => {
    const a = await api();
    const b: BalanceSnapshot = await waitFor(() => {
      const x = a.snapshot('balance');
      return near(x.balance, starting + net) ? x : undefined;
    }, `balance ${starting + net}`, 10000);
    startBalance = b.balance;
    assert.strictEqual(b.account, 'Sim1');
    assert.strictEqual(b.mode, 'SIM');
    assert.ok(near(b.dailyPnl, net), `dailyPnl ${b.dailyPnl} != ${net}`);
    assert.ok(b.tradesToday >= 1, `tradesToday ${b.tradesToday}`);
    assert.notStrictEqual(b.store.state, 'failed', b.store.detail);
  });

  it('the position view is flat and shows the last trade', async () => {
    const a = await api();
    const p: PositionSnapshot = await waitFor(() => {
      const x = a.snapshot('position');
      return x.open === null && x.lastTrade ? x : undefined;
    }, 'a flat position with a last trade', 10000);
    assert.match(p.lastTrade!.symbol, /^MES/);
    assert.ok(near(p.lastTrade!.netPnl, Number(trades[trades.length - 1].netPnl)));
  });

  it('the webviews were sent the new snapshots', async () => {
    const a = await api();
    await vscode.commands.executeCommand('appsierra.stats.focus');
    await waitForWebview(() => (a.lastPosted('stats') as StatsSnapshot | undefined)?.grid?.trades === trades.length, 'stats webview snapshot with the trade', 20000);
    await vscode.commands.executeCommand('appsierra.balance.focus');
    await waitForWebview(() => near((a.lastPosted('balance') as BalanceSnapshot | undefined)?.balance, starting + net), 'balance webview snapshot with the new balance', 20000);
  });

  it('the status bar shows a winning day with an up sign, in the status bar\'s own colour', async () => {
    const a = await api();
    const s = await waitFor(() => {
      const x = a.statusBar();
      return x.text.includes('$(triangle-up)') ? x : undefined;
    }, `an up sign in the status bar (now ${JSON.stringify(a.statusBar())})`, 10000);
    assert.strictEqual(s.color, undefined);
    assert.ok(s.visible);
    assert.match(s.text, /\+/, `no signed P&L in "${s.text}"`);
    assert.strictEqual(s.backgroundColor, undefined, 'warning background while connected with a healthy store');
    console.log(`    status bar: "${s.text}"`);
  });

  it('Reset SIM Balance cancelled in the modal changes nothing', async () => {
    const a = await api();
    a.answerNextConfirmation(undefined);
    const r = await vscode.commands.executeCommand('appsierra.resetSimBalance');
    assert.strictEqual(r, undefined);
    assert.strictEqual(a.snapshot('balance').balance, startBalance);
  });

  it('Reset SIM Balance confirmed brings the balance back to the starting balance', async () => {
    const a = await api();
    const preview = a.core.simResetPreview();
    assert.ok(preview, 'no SIM account to reset');
    assert.strictEqual(preview.account, 'Sim1');
    a.answerNextConfirmation('Reset');
    const r = (await vscode.commands.executeCommand('appsierra.resetSimBalance')) as { account: string; before: number; after: number } | undefined;
    assert.ok(r, 'the reset did not run (see the APPSIERRA log)');
    assert.strictEqual(r.account, 'Sim1');
    assert.ok(near(r.before, starting + net), `before ${r.before}`);
    assert.strictEqual(r.after, starting);
    await waitFor(() => a.snapshot('balance').balance === starting, `balance back to ${starting}`, 5000);
    // A reset is an event: no trade is deleted.
    assert.strictEqual(tradesOf(await exportTradesJson()).length, trades.length);
  });

  it('Stop Demo Feed disconnects', async () => {
    const a = await api();
    await withTimeout(vscode.commands.executeCommand('appsierra.stopDemoFeed'), 10000, 'stopDemoFeed');
    await waitFor(() => a.snapshot('balance').connection.state !== 'connected', 'the connection to close', 10000);
  });
});
