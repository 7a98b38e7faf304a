import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { api, extension, waitFor } from './helpers';

describe('activation (real extension host)', () => {
  it('runs inside a real VS Code', () => {
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    console.log(`    vscode ${vscode.version}, ${vscode.env.appName}, remoteName=${vscode.env.remoteName ?? '-'}, uiKind=${vscode.env.uiKind}`);
  });

  it('declares onStartupFinished and activates on its own after startup', async () => {
    const ext = extension();
    assert.ok((ext.packageJSON.activationEvents as string[]).includes('onStartupFinished'));
    // Nobody has called activate() yet in this host: VS Code must do it after startup.
    await waitFor(() => ext.isActive, 'the extension to activate on startup', 20000);
  });

  it('returns the test API from activate()', async () => {
    const a = await api();
    for (const fn of ['statusBar', 'snapshot', 'viewResolved', 'lastPosted', 'answerNextConfirmation'] as const) {
      assert.strictEqual(typeof a[fn], 'function', `api.${fn} is not a function`);
    }
    for (const fn of ['snapshot', 'accounts', 'startDemoFeed', 'stopDemoFeed', 'resetSimBalance', 'onDidChange'] as const) {
      assert.strictEqual(typeof a.core[fn], 'function', `api.core.${fn} is not a function`);
    }
    for (const fn of ['check', 'init', 'health', 'report', 'exportTrades'] as const) {
      assert.strictEqual(typeof a.core.database[fn], 'function', `api.core.database.${fn} is not a function`);
    }
    assert.strictEqual(typeof a.storageDir, 'string');
    assert.ok(fs.existsSync(a.storageDir), `storageDir ${a.storageDir} does not exist`);
    assert.ok(a.storageDir.includes('appsierra.appsierra'), `storageDir ${a.storageDir} is not the extension's globalStorage`);
  });

  it('the core answers snapshots for the three views once loaded', async () => {
    const a = await api();
    const b = a.snapshot('balance');
    assert.strictEqual(b.loading, false, 'balance snapshot still loading after ready()');
    assert.strictEqual(b.startingBalance, 10000);
    assert.notStrictEqual(b.connection.state, 'connected', 'connected to something although dtc.autoConnect is off');
    assert.ok(a.snapshot('position'));
    const s = a.snapshot('stats');
    assert.strictEqual(typeof s.grid.trades, 'number');
  });
});
