/**
 * The journal in the real extension host: one panel, the model over the store's trades, tags stored
 * and exported, today's day note with its generated block and the trader's own text kept.
 * Runs after the demo session (05), so the store has trades.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { SUMMARY_END, SUMMARY_START } from '../../src/core/notes';
import { api, exportTradesJson, journalTabs, setSetting, tradesOf, waitFor } from './helpers';
import { JOURNAL_FIRST_PAINT_ID, JOURNAL_PAGE_ROWS, type JournalFirstPaint } from '../../src/shared/journalProtocol';

describe('journal', function () {
  this.timeout(60000);

  it('Open Journal opens one panel and reveals it when run again', async () => {
    await api();
    await vscode.commands.executeCommand('appsierra.openJournal');
    await waitFor(() => journalTabs().length === 1, 'the journal panel tab');
    await vscode.commands.executeCommand('appsierra.openJournal', { day: '2026-01-02' });
    await vscode.commands.executeCommand('appsierra.openJournal', { tradeId: '<img src=x onerror=alert(1)>' });
    assert.strictEqual(journalTabs().length, 1, 'a second panel was opened');
  });

  it('a new panel carries its first rows in its HTML as inert JSON, a hostile trade id of a link included', async () => {
    const a = await api();
    const hostile = '</script><img src=x onerror=alert(1)>';
    for (const tab of journalTabs()) await vscode.window.tabGroups.close(tab);
    await waitFor(() => journalTabs().length === 0 && a.journalHtml() === undefined, 'the journal panel closed');
    await vscode.commands.executeCommand('appsierra.openJournal', { tradeId: hostile });
    const html = await waitFor(() => a.journalHtml(), 'the journal panel HTML');
    const open = `<script type="application/json" id="${JOURNAL_FIRST_PAINT_ID}">`;
    const from = html.indexOf(open) + open.length;
    assert.ok(from > open.length, 'the first-paint data element');
    // The browser's parser ends the element at the first `</script`: all of the JSON must be before it.
    const first = JSON.parse(html.slice(from, html.toLowerCase().indexOf('</script', from))) as JournalFirstPaint;
    assert.strictEqual(first.state.tradeId, hostile, "the link's state, as text");
    const index = await a.core.journal.load();
    assert.strictEqual(first.facets.totalTrades, index.size);
    const sim = index.page({ filter: first.state.filter, sort: first.state.sort, limit: 1 }).total;
    assert.strictEqual(first.page.total, sim);
    assert.strictEqual(first.page.rows.length, Math.min(sim, JOURNAL_PAGE_ROWS));
    assert.strictEqual(html.match(/<script nonce=/g)?.length, 1, 'one executable script, with the nonce');
  });

  it("the model holds the store's trades; a tag is stored, shown and exported", async () => {
    const a = await api();
    const exported = tradesOf(await exportTradesJson());
    assert.ok(exported.length > 0, 'the demo session left no trade');
    const index = await a.core.journal.load();
    assert.strictEqual(index.size, exported.length);
    const id = String(exported[exported.length - 1].id);
    await a.core.journal.editTags([id], ['breakout'], []);
    assert.deepStrictEqual([...(await a.core.journal.load()).tagsOf(id)], ['breakout']);
    const again = tradesOf(await exportTradesJson()).find((t) => t.id === id)!;
    assert.deepStrictEqual(again.tags, ['breakout'], 'the tag is in the store (export reads the store)');
    await assert.rejects(a.core.journal.editTags([id], ['   '], []), /empty/);
    const fills = await a.core.journal.fillsOf(id);
    assert.ok(fills.length >= 2, `a round trip has fills, got ${fills.length}`);
    assert.ok(fills.every((f, i) => i === 0 || fills[i - 1].timeMs <= f.timeMs), 'fills in time order');
  });

  it("Open Today's Journal writes the day note's block and never touches the trader's text", async () => {
    await api();
    const ws = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(ws, 'the extension tests run with a workspace folder');
    await vscode.commands.executeCommand('appsierra.openTodayJournal');
    const editor = await waitFor(() => {
      const e = vscode.window.activeTextEditor;
      return e && e.document.fileName.endsWith('.md') ? e : undefined;
    }, 'the day note in an editor');
    const doc = editor.document;
    assert.strictEqual(path.dirname(doc.fileName), path.join(ws, 'journal'));
    assert.match(path.basename(doc.fileName), /^\d{4}-\d{2}-\d{2}\.md$/);
    const text = doc.getText();
    assert.ok(text.includes(SUMMARY_START) && text.includes(SUMMARY_END), 'the generated block');
    assert.ok(!doc.isDirty, 'a fresh note is saved');
    // The trader writes below the block and saves; a refresh keeps it.
    const mine = '\n\nMy own note: waited for the pullback. <script>not html</script>\n';
    const typed = new vscode.WorkspaceEdit();
    typed.insert(doc.uri, doc.positionAt(doc.getText().length), mine);
    assert.ok(await vscode.workspace.applyEdit(typed), 'could not type into the note');
    // code-server auto-saves after a delay (files.autoSave is afterDelay on the web): a save that
    // races an auto save returns false with the text still dirty (seen on a loaded machine), so the
    // trader's save is retried until the text is on disk, as pressing Ctrl+S again would.
    await waitFor(async () => (await doc.save()) || !doc.isDirty, 'the note to be saved');
    assert.ok(fs.readFileSync(doc.fileName, 'utf8').includes(mine.trim()));
    await vscode.commands.executeCommand('appsierra.openTodayJournal');
    const after = fs.readFileSync(doc.fileName, 'utf8');
    assert.ok(after.includes(mine.trim()), "the trader's text was rewritten");
    assert.strictEqual(after.split(SUMMARY_START).length, 2, 'one block, refreshed in place');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('appsierra.journal.folder decides where the day notes live (relative to the workspace folder, or absolute)', async () => {
    await api();
    const ws = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(ws, 'the extension tests run with a workspace folder');
    const noteIn = async (dir: string) => {
      await vscode.commands.executeCommand('appsierra.openTodayJournal');
      const editor = await waitFor(() => {
        const e = vscode.window.activeTextEditor;
        return e && path.dirname(e.document.fileName) === dir ? e : undefined;
      }, `today's note in ${dir}`);
      assert.match(path.basename(editor.document.fileName), /^\d{4}-\d{2}-\d{2}\.md$/);
      assert.ok(fs.readFileSync(editor.document.fileName, 'utf8').includes(SUMMARY_START), 'the generated block on disk');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    };
    const absolute = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-notes-'));
    try {
      await setSetting('journal.folder', path.join('notes', 'trading'));
      await noteIn(path.join(ws, 'notes', 'trading'));
      await setSetting('journal.folder', absolute);
      await noteIn(absolute);
    } finally {
      await setSetting('journal.folder', undefined);
    }
  });
});
