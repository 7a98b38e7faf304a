/**
 * The risk guard in a real extension host (issue 15): limits set through the real settings reach
 * the status bar item (room text, the error background) and raise one notification, once.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, setSetting, sleep, waitFor, withTimeout } from './helpers';

describe('risk guard (settings -> status bar, notification)', function () {
  this.timeout(90_000);
  let startedDemo = false;

  after(async () => {
    await setSetting('risk.dailyLossLimit', undefined);
    await setSetting('risk.maxTradesPerDay', undefined);
    await setSetting('risk.maxConsecutiveLosses', undefined);
    if (startedDemo) await withTimeout(vscode.commands.executeCommand('appsierra.stopDemoFeed'), 10000, 'stopDemoFeed');
  });

  it('a trade today on Sim1 (the smoke demo when there is none)', async () => {
    const a = await api();
    if (!a.core.accounts().some((x) => x.account === 'Sim1') || a.core.snapshot('balance', { mode: 'SIM', account: 'Sim1', timeframe: '1D' }).tradesToday === 0) {
      await withTimeout(a.core.startDemoFeed({ scenario: 'smoke', speed: 2 }), 20000, 'startDemoFeed');
      startedDemo = true;
    }
    await waitFor(() => a.core.accounts().some((x) => x.account === 'Sim1'), 'Sim1 known', 20000);
    await vscode.commands.executeCommand('appsierra.selectAccount', 'Sim1');
    await waitFor(() => a.snapshot('balance').tradesToday >= 1, 'a closed trade today on Sim1', 30000);
  });

  it('a daily loss limit shows the room; reaching the trades-per-day rule turns the item red and tells once', async () => {
    const a = await api();
    const before = a.riskNotices().length;
    await setSetting('risk.dailyLossLimit', 100000);
    await setSetting('risk.maxTradesPerDay', 1);
    const bar = await waitFor(() => {
      const s = a.statusBar();
      return /SIM Sim1 .* · room \$[\d,]+\.\d\d( \$\(error\) limit reached)?$/.test(s.text) && s.backgroundColor === 'statusBarItem.errorBackground' ? s : undefined;
    }, `the room and the error background (now "${a.statusBar().text}" ${a.statusBar().backgroundColor})`, 15000);
    assert.strictEqual(bar.color, undefined, 'the item keeps the status bar foreground');
    // The tooltip is Markdown with punctuation escaped: one row per limit.
    assert.match(bar.tooltip, /\| Trades today \| \d+% · \d+ of 1 \|/);
    assert.match(bar.tooltip, /\| Daily loss limit \| /);
    const said = await waitFor(() => {
      const n = a.riskNotices().slice(before).filter((x) => x.account === 'Sim1' && x.kind === 'maxTrades');
      return n.length ? n : undefined;
    }, 'the tilt notification', 10000);
    assert.deepStrictEqual(said.map((n) => n.level), ['breached']);
    assert.match(said[0].message, /^Sim1: \d+ trades per day of 1 \(tilt rule\)\. Today: net [+-]?\$[\d,.]+, \d+ trades?/);
    const risk = a.snapshot('balance').risk;
    assert.deepStrictEqual(risk.map((r) => [r.account, r.level]), [['Sim1', 'breached']]);

    // Another settings change re-checks everything: the same threshold is not said again.
    await setSetting('risk.maxConsecutiveLosses', 50);
    await waitFor(() => /Losses in a row/.test(a.statusBar().tooltip), 'the new rule in the tooltip', 10000);
    await sleep(500);
    assert.strictEqual(a.riskNotices().slice(before).filter((x) => x.account === 'Sim1' && x.kind === 'maxTrades').length, 1, 'one notification per threshold per session');
  });

  it('a bad risk setting is named, counted in the persistence report, and replaced by its default (off)', async () => {
    const a = await api();
    await setSetting('risk.dailyLossLimit', -5);
    const text = await waitFor(async () => {
      const r = (await withTimeout(vscode.commands.executeCommand('appsierra.persistenceReport'), 20000, 'persistenceReport')) as string;
      return /settings now replaced by their default \| appsierra\.risk\.dailyLossLimit \|/.test(r) ? r : undefined;
    }, 'the counted setting problem', 15000);
    assert.match(text, /\| setting problems, this session \| [1-9]\d* \|/);
    assert.ok(!a.snapshot('balance').risk.some((r) => r.limits.some((l) => l.kind === 'dailyLoss')), 'the bad limit is off, not guessed');
  });

  it('no limit set: no room in the text and no risk background', async () => {
    const a = await api();
    await setSetting('risk.dailyLossLimit', undefined);
    await setSetting('risk.maxTradesPerDay', undefined);
    await setSetting('risk.maxConsecutiveLosses', undefined);
    const s = await waitFor(() => {
      const x = a.statusBar();
      return !x.text.includes('room') && x.backgroundColor !== 'statusBarItem.errorBackground' ? x : undefined;
    }, `the plain item (now "${a.statusBar().text}")`, 15000);
    assert.match(s.text, /SIM Sim1/);
    assert.deepStrictEqual(a.snapshot('balance').risk, []);
  });
});
