/**
 * Trade history in the real extension host (issue 13): Import Trade History with a fixture file
 * (the file picker is skipped through the command's `files` argument), the trades in the store,
 * the journal and the Stats view; importing it again adds nothing; a cancelled import and a
 * garbage file change nothing; Undo Import takes the trades out again; Rebuild Trades from Fills
 * gives the same trades. Runs before the hand-off (09) and leaves the selection as it found it.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ImportSummary, RebuildSummary, UndoSummary } from '../../src/core/import';
import type { SelectionState } from '../../src/views/selection';
import type { Selection } from '../../src/core/viewModels';
import { api, exportTradesJson, extension, journalTabs, tempFile, tradesOf, waitFor, waitForWebview } from './helpers';

const ACCOUNT = 'RTSL00000000000';
const fixture = (name: string) => path.join(extension().extensionPath, 'test', 'fixtures', 'import', name);
const storedIds = async () => tradesOf(await exportTradesJson()).map((t) => String(t.id)).sort();
const accountTrades = async () => tradesOf(await exportTradesJson()).filter((t) => t.account === ACCOUNT);

describe('import trade history', function () {
  this.timeout(90000);
  let before: string[] = [];
  let exported: Record<string, unknown>[] = [];
  const exportedBefore = async () => exported;
  let batchId = '';

  it('Import Trade History imports a Sierra Chart export: trades in the store, the journal and the Stats view', async () => {
    const a = await api();
    await vscode.commands.executeCommand('appsierra.stopDemoFeed'); // nothing else writes meanwhile
    exported = tradesOf(await exportTradesJson());
    before = exported.map((t) => String(t.id)).sort();
    const journalBefore = (await a.core.journal.load()).size;
    const notice = a.answerNextNotice(undefined);
    const s = (await vscode.commands.executeCommand('appsierra.importTradeHistory', { files: [fixture('sierra-export.txt')] })) as ImportSummary | undefined;
    assert.ok(s, 'the import failed (see the APPSIERRA log)');
    const shown = await notice;
    assert.deepStrictEqual(shown.actions, ['Show trades', 'Undo import']);
    assert.match(shown.message, /imported 4 new fill\(s\) from 1 file\(s\), 0 already stored, 1 skipped .*: 2 trade\(s\) closed, \d+ open position\(s\)/);
    assert.strictEqual(s.cancelled, false);
    assert.strictEqual(s.fills.new, 4);
    assert.strictEqual(s.fills.skipped, 1, 'the fixture has one row with a bad time');
    assert.strictEqual(s.tradesClosed, 2);
    assert.ok(s.batchId, 'no batch id');
    batchId = s.batchId;

    const mine = await accountTrades();
    assert.deepStrictEqual(mine.map((t) => t.symbol).sort(), ['ESU6.CME', 'MESU6.CME']);
    assert.strictEqual(mine.find((t) => t.symbol === 'MESU6.CME')?.netPnl, 22.52);
    await waitFor(async () => (await a.core.journal.load()).size === journalBefore + 2, 'the journal to hold the 2 imported trades');

    const saved = a.selection.current;
    try {
      await vscode.commands.executeCommand('appsierra.selectAccount', ACCOUNT);
      a.selection.setTimeframe('ALL');
      await vscode.commands.executeCommand('appsierra.stats.focus');
      const posted = await waitForWebview(() => {
        const p = a.lastPosted('stats') as { account?: string; timeframe?: string; grid?: { trades?: number } } | undefined;
        return p?.account === ACCOUNT && p.timeframe === 'ALL' && p.grid?.trades === 2 ? p : undefined;
      }, 'the Stats view to show the 2 imported trades', 30000);
      assert.ok(posted);
    } finally {
      restore(a.selection, saved);
    }
  });

  it('the same file again adds nothing; its summary offers Show trades only, which opens the journal', async () => {
    const a = await api();
    for (const tab of journalTabs()) await vscode.window.tabGroups.close(tab);
    await waitFor(() => journalTabs().length === 0 && a.journalHtml() === undefined, 'no journal panel');
    const notice = a.answerNextNotice('Show trades');
    const s = (await vscode.commands.executeCommand('appsierra.importTradeHistory', { files: [fixture('sierra-export.txt')] })) as ImportSummary;
    assert.strictEqual(s.fills.new, 0);
    assert.strictEqual(s.fills.duplicate, 4);
    assert.strictEqual(s.batchId, null);
    assert.strictEqual((await accountTrades()).length, 2);
    assert.deepStrictEqual((await notice).actions, ['Show trades'], 'nothing to undo');
    await waitFor(() => journalTabs().length === 1 && a.journalHtml(), 'the journal panel opened by Show trades');
    for (const tab of journalTabs()) await vscode.window.tabGroups.close(tab);
  });

  it('a cancelled import leaves the store as before', async () => {
    await api();
    const ids = await storedIds();
    // Other execution ids, so the fills are new; the signal is the notification's Cancel.
    const file = tempFile('cancelled-export.txt');
    fs.writeFileSync(file, fs.readFileSync(fixture('sierra-export.txt'), 'utf8').replace(/X-100/g, 'C-100').replace(/2026-09-08/g, '2026-09-09'));
    const a = await api();
    const whole = tradesOf(await exportTradesJson());
    const abort = new AbortController();
    abort.abort();
    const notice = a.answerNextNotice(undefined);
    // The cancel is seen after the first durable write (a chunk), which is then taken out again.
    const s = (await vscode.commands.executeCommand('appsierra.importTradeHistory', { files: [file], signal: abort.signal })) as ImportSummary;
    assert.ok(s, 'the command failed instead of cancelling');
    assert.strictEqual(s.cancelled, true);
    assert.match((await notice).message, /import cancelled\. Nothing was changed/);
    assert.deepStrictEqual(await storedIds(), ids);
    assert.deepStrictEqual(tradesOf(await exportTradesJson()), whole, 'every trade exactly as before');
    const batch = (await (await a.core.history()).batches()).find((b) => b.id === s.batchId);
    assert.strictEqual(batch?.status, 'cancelled', 'the written chunk was recorded and taken out');
  });

  it("the summary's Undo import takes exactly that import out again", async () => {
    const a = await api();
    const whole = tradesOf(await exportTradesJson());
    const file = tempFile('undo-button-export.txt');
    fs.writeFileSync(file, fs.readFileSync(fixture('sierra-export.txt'), 'utf8').replace(/X-100/g, 'U-100').replace(/2026-09-08/g, '2026-09-12'));
    const notice = a.answerNextNotice('Undo import');
    const s = (await vscode.commands.executeCommand('appsierra.importTradeHistory', { files: [file] })) as ImportSummary;
    assert.strictEqual(s.fills.new, 4);
    assert.deepStrictEqual((await notice).actions, ['Show trades', 'Undo import']);
    await waitFor(async () => (await (await a.core.history()).batches()).find((b) => b.id === s.batchId)?.status === 'undone', 'the batch undone by the button');
    assert.deepStrictEqual(tradesOf(await exportTradesJson()), whole);
  });

  it('a garbage file and a wrong-format file fail with the cause and the fix, and change nothing', async () => {
    const a = await api();
    const ids = await storedIds();
    assert.strictEqual(await vscode.commands.executeCommand('appsierra.importTradeHistory', { files: [fixture('garbage.bin')] }), undefined);
    await assert.rejects((await a.core.history()).importFiles({ files: [fixture('garbage.bin')] }), /garbage\.bin: Unrecognised trade history file: expected .*; the first line is/);
    await assert.rejects((await a.core.history()).importFiles({ files: [fixture('other-tool.csv')] }), /other-tool\.csv: .*expected/);
    // A Save Log As file with the zone named in the arguments needs no question.
    await assert.rejects((await a.core.history()).importFiles({ files: [fixture('sierra-save-log-as.txt')] }), /Save Log As.*time-zone/s);
    assert.deepStrictEqual(await storedIds(), ids);
  });

  it('Undo Import removes exactly that batch; the views follow', async () => {
    const a = await api();
    const r = (await vscode.commands.executeCommand('appsierra.undoImport', batchId)) as UndoSummary | undefined;
    assert.ok(r, 'undo failed (see the APPSIERRA log)');
    assert.strictEqual(r.fillsRemoved, 4);
    assert.deepStrictEqual(await storedIds(), before);
    assert.strictEqual((await (await a.core.history()).batches()).find((b) => b.id === batchId)?.status, 'undone');
    // Every LIVE account, all time: as many trades as before the import.
    const liveBefore = (await exportedBefore()).filter((t) => t.mode === 'LIVE').length;
    const saved = a.selection.current;
    try {
      a.selection.setMode('LIVE');
      a.selection.setAccount(null);
      a.selection.setTimeframe('ALL');
      await waitForWebview(() => {
        const p = a.lastPosted('stats') as { mode?: string; account?: string | null; timeframe?: string; grid?: { trades?: number } } | undefined;
        return p?.mode === 'LIVE' && p.account === null && p.timeframe === 'ALL' && p.grid?.trades === liveBefore;
      }, `the Stats view (LIVE, ALL) back to ${liveBefore} trade(s)`, 30000);
    } finally {
      restore(a.selection, saved);
    }
  });

  it('Rebuild Trades from Fills asks first, then gives the same trades', async () => {
    const a = await api();
    a.answerNextConfirmation(undefined);
    assert.strictEqual(await vscode.commands.executeCommand('appsierra.rebuildTrades'), undefined, 'rebuilt without a yes');
    a.answerNextConfirmation('Rebuild');
    const r = (await vscode.commands.executeCommand('appsierra.rebuildTrades')) as RebuildSummary | undefined;
    assert.ok(r, 'rebuild failed (see the APPSIERRA log)');
    assert.strictEqual(r.tradesAfter, before.length);
    assert.deepStrictEqual(await storedIds(), before, 'same fills, same trade ids');
  });
});

function restore(selection: SelectionState, saved: Selection): void {
  selection.setMode(saved.mode);
  selection.setAccount(saved.account);
  selection.setTimeframe(saved.timeframe);
}
