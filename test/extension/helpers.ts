/** Shared helpers for the extension tests (run inside the real extension host). */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AppsierraApi } from '../../src/views/testApi';

export const EXTENSION_ID = 'appsierra.appsierra';

export function extension(): vscode.Extension<AppsierraApi> {
  const ext = vscode.extensions.getExtension<AppsierraApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded in this extension host`);
  return ext;
}

/** Activates the extension (idempotent) and waits until the store has loaded. */
export async function api(): Promise<AppsierraApi> {
  const ext = extension();
  const a = await ext.activate();
  assert.ok(a && typeof a === 'object', 'activate() returned no test API');
  assert.ok(a.core, 'activate() returned no core');
  await withTimeout(a.core.ready(), 20000, 'core.ready()');
  return a;
}

export async function withTimeout<T>(p: Thenable<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, rej) => {
    timer = setTimeout(() => rej(new Error(`${what} did not settle in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([Promise.resolve(p), t]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Polls until `probe` returns a truthy value (returned) or throws the last message after `ms`.
 * `probe` may throw; its last error is part of the timeout message.
 */
export async function waitFor<T>(probe: () => T | Promise<T>, what: string, ms = 10000, every = 100): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  let last: unknown;
  let lastValue: unknown;
  for (;;) {
    try {
      const v = await probe();
      lastValue = v;
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) {
      const why = last instanceof Error ? last.message : last !== undefined ? String(last) : `last value ${JSON.stringify(lastValue)}`;
      throw new Error(`timed out after ${ms} ms waiting for ${what} (${why})`);
    }
    await sleep(every);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Updates a user setting and waits a moment for the extension's change handler and throttles. */
export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('appsierra').update(key, value, vscode.ConfigurationTarget.Global);
}

export function tempFile(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-ext-test-'));
  return path.join(dir, name);
}

/** Exports every trade as JSON to a temp file through the real command; returns the parsed file. */
export async function exportTradesJson(): Promise<unknown> {
  const file = tempFile('trades.json');
  const target = await vscode.commands.executeCommand('appsierra.exportTrades', { format: 'json', uri: vscode.Uri.file(file) });
  assert.ok(target, 'appsierra.exportTrades returned nothing (it failed; see the APPSIERRA log)');
  assert.ok(fs.existsSync(file), `export did not write ${file}`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Trades from an export: accepts a bare array or an object holding a `trades` array. */
export function tradesOf(exported: unknown): Record<string, unknown>[] {
  if (Array.isArray(exported)) return exported as Record<string, unknown>[];
  const t = (exported as { trades?: unknown })?.trades;
  assert.ok(Array.isArray(t), `unexpected export shape: ${JSON.stringify(exported).slice(0, 200)}`);
  return t as Record<string, unknown>[];
}

/** Where phase 1 leaves what phase 2 (after a reload) must find again. */
export function handoffFile(): string | undefined {
  return process.env.APPSIERRA_E2E_HANDOFF || undefined;
}

/**
 * Waits for what a webview was sent. code-server serves every webview from one origin and their service
 * workers race: a page that loses stays blank and never says `ready` (desktop VS Code is unaffected). After
 * half the time without it, reload the webviews once, as a user would, then wait the rest: a host that never
 * posts still fails.
 */
export async function waitForWebview<T>(probe: () => T | Promise<T>, what: string, ms: number): Promise<NonNullable<T>> {
  try {
    return await waitFor(probe, what, ms / 2);
  } catch {
    await vscode.commands.executeCommand('workbench.action.webview.reloadWebviewAction');
    return waitFor(probe, what, ms / 2);
  }
}

/** The journal panel's editor tabs. */
export const journalTabs = () =>
  vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('appsierra.journal'));
