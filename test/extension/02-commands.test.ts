import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, extension, sleep, withTimeout } from './helpers';

/** The command contract (README / brief): every one must be contributed and registered. */
const EXPECTED = [
  'appsierra.resetSimBalance',
  'appsierra.connect',
  'appsierra.disconnect',
  'appsierra.startDemoFeed',
  'appsierra.stopDemoFeed',
  'appsierra.checkDatabase',
  'appsierra.initDatabase',
  'appsierra.openJournal',
  'appsierra.openTodayJournal',
  'appsierra.databaseHealth',
  'appsierra.persistenceReport',
  'appsierra.watchPersistence',
  'appsierra.exportTrades',
  'appsierra.importTradeHistory',
  'appsierra.undoImport',
  'appsierra.rebuildTrades',
  'appsierra.setDtcPassword',
  'appsierra.setPostgresPassword',
  'appsierra.showLog',
  'appsierra.selectAccount',
];

function contributed(): { command: string; title: string; category?: string }[] {
  return extension().packageJSON.contributes.commands;
}

describe('commands', () => {
  it('package.json contributes the whole command set, in category APPSIERRA', () => {
    const ids = contributed().map((c) => c.command);
    assert.deepStrictEqual([...ids].sort(), [...EXPECTED].sort());
    for (const c of contributed()) assert.strictEqual(c.category, 'APPSIERRA', `${c.command} category`);
    assert.strictEqual(contributed().find((c) => c.command === 'appsierra.resetSimBalance')?.title, 'Reset SIM Balance');
    assert.strictEqual(contributed().find((c) => c.command === 'appsierra.startDemoFeed')?.title, 'Start Demo Feed');
  });

  it('every contributed command is registered', async () => {
    await api();
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed().map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepStrictEqual(missing, [], `not registered: ${missing.join(', ')}`);
  });

  it('Show Log runs', async () => {
    await api();
    await vscode.commands.executeCommand('appsierra.showLog');
  });

  it('Check Database returns passing checks on the embedded SQLite store', async () => {
    await api();
    const items = (await withTimeout(vscode.commands.executeCommand('appsierra.checkDatabase'), 20000, 'checkDatabase')) as
      | { name: string; ok: boolean; detail: string }[]
      | undefined;
    assert.ok(Array.isArray(items) && items.length > 0, `checkDatabase failed or returned nothing: ${JSON.stringify(items)}`);
    const failed = items.filter((i) => !i.ok);
    assert.deepStrictEqual(failed, [], `failed checks: ${JSON.stringify(failed)}`);
  });

  it('Initialize Database succeeds (idempotent on an existing store)', async () => {
    await api();
    const r = await withTimeout(vscode.commands.executeCommand('appsierra.initDatabase'), 20000, 'initDatabase');
    assert.strictEqual(typeof r, 'string', `initDatabase failed: ${JSON.stringify(r)}`);
  });

  it('Database Health reports healthy', async () => {
    await api();
    const h = (await withTimeout(vscode.commands.executeCommand('appsierra.databaseHealth'), 20000, 'databaseHealth')) as { ok: boolean; detail: string } | undefined;
    assert.ok(h, 'databaseHealth failed (returned nothing)');
    assert.strictEqual(h.ok, true, h.detail);
  });

  it('Persistence Report opens a read-only markdown document that never asks to be saved', async () => {
    await api();
    const text = await withTimeout(vscode.commands.executeCommand('appsierra.persistenceReport'), 20000, 'persistenceReport');
    assert.strictEqual(typeof text, 'string', 'persistenceReport failed (returned nothing)');
    assert.ok((text as string).length > 20);
    const doc = vscode.window.activeTextEditor?.document;
    assert.ok(doc, 'no editor opened');
    assert.strictEqual(doc.languageId, 'markdown');
    assert.strictEqual(doc.uri.scheme, 'appsierra-report', `report opened as ${doc.uri.toString()}, not as a read-only virtual document`);
    assert.strictEqual(doc.isDirty, false, 'report document is dirty (would ask to be saved)');
    assert.strictEqual(doc.isUntitled, false);
    assert.strictEqual(doc.getText(), text, 'document shows a different text than the report');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Watch Persistence toggles on and off', async () => {
    await api();
    assert.strictEqual(await vscode.commands.executeCommand('appsierra.watchPersistence'), true);
    await sleep(300);
    assert.strictEqual(await vscode.commands.executeCommand('appsierra.watchPersistence'), false);
  });

  it('Stop Demo Feed and Disconnect are harmless when nothing runs', async () => {
    await withTimeout(vscode.commands.executeCommand('appsierra.stopDemoFeed'), 10000, 'stopDemoFeed');
    await withTimeout(vscode.commands.executeCommand('appsierra.disconnect'), 10000, 'disconnect');
    const a = await api();
    assert.notStrictEqual(a.snapshot('balance').connection.state, 'connected');
  });

  for (const id of ['appsierra.setDtcPassword', 'appsierra.setPostgresPassword']) {
    it(`${id} asks in an input box and stores nothing when dismissed`, async () => {
      await api();
      const pending = vscode.commands.executeCommand(id);
      await sleep(800);
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      const r = await withTimeout(pending, 10000, `${id} after dismissing the input box`);
      assert.strictEqual(r, undefined);
    });
  }
});
