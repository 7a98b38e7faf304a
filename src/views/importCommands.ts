/**
 * Trade history in VS Code: **Import Trade History...**, **Undo Import** and **Rebuild Trades from
 * Fills**. A thin adapter over AppCore (which runs them through the TradeSession, src/core/import):
 * a file picker, a cancellable progress notification with counts, a summary with its next steps.
 * The views reload by themselves afterwards (the session's `reloaded` event).
 *
 * Tests (and other extensions) skip the pickers with arguments: `{ files: [path | Uri], timeZone?,
 * format?, signal? }` for the import (an AbortSignal cancels like the Cancel button), a batch id for
 * the undo. Each command returns its summary, or undefined when it did nothing or failed (the
 * failure is a notification naming the cause and the fix, and a log line).
 */
import * as vscode from 'vscode';
import * as path from 'path';
import type { AppCoreApi, AppLogger } from '../core/appApi';
import { IMPORT_FORMATS, ImportFormatError, RebuildCancelled, timeZoneRequired, type ImportFormat, type ImportSummary, type RebuildSummary, type UndoSummary } from '../core/import';
import { checkTimeZone } from '../core/import/timeZone';
import type { Confirmer } from './confirm';
import { Disposable } from './disposable';
import { guarded } from './commands';

export interface ImportCommandDeps {
  core: AppCoreApi;
  confirmer: Confirmer;
  logger: AppLogger;
  log: vscode.LogOutputChannel;
  /** The zone offered for a Save Log As file (the trading session's). */
  defaultTimeZone(): string;
}

export interface ImportArgs {
  files?: (vscode.Uri | string)[];
  format?: ImportFormat | 'auto';
  /** IANA zone of a Save Log As file's times. */
  timeZone?: string;
  /** Cancels like the notification's Cancel button. */
  signal?: AbortSignal;
}

/** The file picker's filters: every known format first. */
export const IMPORT_FILTERS: Record<string, string[]> = {
  'Trade history (Sierra Chart, APPSIERRA export)': ['txt', 'tsv', 'log', 'data', 'csv', 'json'],
  'Sierra Chart Trade Activity Log (File >> Export, Save Log As)': ['txt', 'tsv', 'log'],
  'Sierra Chart activity data (TradeActivityLog*.data)': ['data'],
  'APPSIERRA export (csv, json)': ['csv', 'json'],
  'All files': ['*'],
};

const TIME_ZONE_REFUSAL = timeZoneRequired().expected;

export class ImportCommands extends Disposable {
  constructor(private readonly deps: ImportCommandDeps) {
    super();
    const table: Record<string, [title: string, run: (arg: unknown) => Promise<unknown>]> = {
      'appsierra.importTradeHistory': ['Import Trade History', (arg) => this.importHistory(importArgs(arg))],
      'appsierra.undoImport': ['Undo Import', (arg) => this.undo(typeof arg === 'string' ? arg : undefined)],
      'appsierra.rebuildTrades': ['Rebuild Trades from Fills', () => this.rebuild()],
    };
    for (const [id, [title, run]] of Object.entries(table)) {
      this.register(vscode.commands.registerCommand(id, (arg: unknown) => guarded(deps, title, () => run(arg))));
    }
  }

  private async importHistory(args: ImportArgs): Promise<ImportSummary | undefined> {
    let files = (args.files ?? []).map((f) => (typeof f === 'string' ? f : f.fsPath));
    if (files.length === 0) {
      const picked = await vscode.window.showOpenDialog({
        title: 'APPSIERRA: import trade history',
        openLabel: 'Import',
        canSelectMany: true,
        canSelectFiles: true,
        canSelectFolders: false,
        filters: IMPORT_FILTERS,
      });
      if (!picked?.length) return undefined;
      files = picked.map((u) => u.fsPath);
    }
    let timeZone = args.timeZone ?? null;
    for (;;) {
      try {
        return await this.runImport(files, args, timeZone);
      } catch (e) {
        // A Save Log As file needs its display zone: ask for it here instead of failing (the CLI says --time-zone).
        if (!(e instanceof ImportFormatError) || e.expected !== TIME_ZONE_REFUSAL || timeZone !== null || args.files) throw e;
        timeZone = await this.askTimeZone();
        if (!timeZone) return undefined;
      }
    }
  }

  private async runImport(files: string[], args: ImportArgs, timeZone: string | null): Promise<ImportSummary> {
    const names = files.map((f) => path.basename(f)).join(', ');
    this.deps.logger.info(`import: ${files.join(', ')}${timeZone ? ` (times in ${timeZone})` : ''}`);
    const summary = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'APPSIERRA: importing trade history', cancellable: true },
      (progress, token) => {
        progress.report({ message: `reading ${names}…` });
        return this.history().then((h) => h.importFiles({
          files,
          format: args.format ?? 'auto',
          timeZone,
          isCancelled: () => token.isCancellationRequested || args.signal?.aborted === true,
          onProgress: (p) => progress.report({ message: `${p.file}: ${p.rows.toLocaleString('en-US')} rows, ${p.fillsNew.toLocaleString('en-US')} new fills, ${p.duplicates.toLocaleString('en-US')} duplicate, ${p.skipped.toLocaleString('en-US')} skipped` }),
        }));
      },
    );
    for (const line of describeImport(summary)) this.deps.logger.info(`import: ${line}`);
    this.showImportSummary(summary);
    return summary;
  }

  private showImportSummary(s: ImportSummary): void {
    if (s.cancelled) {
      void this.deps.confirmer.notify('info', 'APPSIERRA: import cancelled. Nothing was changed: the store is as before.');
      return;
    }
    const text = `APPSIERRA: ${importHeadline(s)}`;
    const actions = s.batchId ? ['Show trades', 'Undo import'] : ['Show trades'];
    void this.deps.confirmer.notify(s.problems.length || s.fills.skipped ? 'warning' : 'info', text, ...actions).then((c) => {
      if (c === 'Show trades') void vscode.commands.executeCommand('appsierra.openJournal');
      else if (c === 'Undo import' && s.batchId) void vscode.commands.executeCommand('appsierra.undoImport', s.batchId);
    });
  }

  private history() {
    return this.deps.core.history();
  }

  private async askTimeZone(): Promise<string | null> {
    const choice = await vscode.window.showWarningMessage(
      'APPSIERRA: this Trade Activity Log was saved with File >> Save Log As: its times are in the time zone Sierra Chart displays and carry no offset, so a wrong zone would shift every trade by hours. ' +
        'Name that zone (Global Settings >> Time Zone), or export the log with File >> Export instead, which writes UTC.',
      'Choose Time Zone…',
    );
    if (choice !== 'Choose Time Zone…') return null;
    const zone = await vscode.window.showInputBox({
      title: 'APPSIERRA: time zone of the Save Log As file',
      prompt: "The zone Sierra Chart displays times in (Global Settings >> Time Zone), as an IANA name like 'America/New_York'",
      value: this.deps.defaultTimeZone() === 'local' ? Intl.DateTimeFormat().resolvedOptions().timeZone : this.deps.defaultTimeZone(),
      ignoreFocusOut: true,
      validateInput: (v) => checkTimeZone(v.trim()),
    });
    return zone?.trim() || null;
  }

  private async undo(batchId: string | undefined): Promise<UndoSummary | undefined> {
    if (!batchId) {
      const batches = (await (await this.history()).batches()).filter((b) => b.status === 'complete' || b.status === 'running').sort((a, b) => b.createdMs - a.createdMs);
      if (batches.length === 0) {
        void vscode.window.showInformationMessage('APPSIERRA: no import to undo in this store.');
        return undefined;
      }
      const pick = await vscode.window.showQuickPick(
        batches.map((b) => ({
          label: b.files.map((f) => f.name).join(', ') || b.id,
          description: `${new Date(b.createdMs).toLocaleString()} · ${b.counts.new ?? 0} fill(s)${b.status === 'running' ? ' · interrupted' : ''}`,
          detail: b.id,
          id: b.id,
        })),
        { title: 'APPSIERRA: undo which import?', placeHolder: 'Its fills are removed and the trades they touched rebuilt' },
      );
      if (!pick) return undefined;
      const ok = await this.deps.confirmer.ask(`Undo import ${pick.label}?`, `Removes the ${pick.description} of batch ${pick.id} and rebuilds the trades they touched. Live fills stay.`, 'Undo Import');
      if (ok !== 'Undo Import') return undefined;
      batchId = pick.id;
    }
    const id = batchId;
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `APPSIERRA: undoing import ${id}…` }, async () => (await this.history()).undoImport(id));
    const text = `import ${r.batchId} undone: ${r.fillsRemoved} fill(s) removed, ${r.partitions} contract(s) rebuilt, trades ${r.tradesBefore} -> ${r.tradesAfter}.`;
    this.deps.logger.info(text);
    void vscode.window.showInformationMessage(`APPSIERRA: ${text}`);
    return r;
  }

  private async rebuild(): Promise<RebuildSummary | undefined> {
    const ok = await this.deps.confirmer.ask(
      'Rebuild every trade from the stored fills?',
      "Trades, open positions and SIM balances are recomputed with today's contract specs and fees (after a spec or fee change, or an import of older fills). " +
        'The same fills give the same trade ids, so tags and notes stay. Nothing changes until the end; Cancel leaves everything as it is.',
      'Rebuild',
    );
    if (ok !== 'Rebuild') return undefined;
    let r: RebuildSummary;
    try {
      r = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'APPSIERRA: rebuilding trades', cancellable: true },
        (progress, token) => {
          let last = 0;
          return this.history().then((h) => h.rebuild({
            isCancelled: () => token.isCancellationRequested,
            onProgress: (done, total) => {
              const pct = (done / Math.max(1, total)) * 100;
              progress.report({ increment: pct - last, message: `${done} of ${total} contract(s)` });
              last = pct;
            },
          }));
        },
      );
    } catch (e) {
      if (!(e instanceof RebuildCancelled)) throw e;
      void vscode.window.showInformationMessage(`APPSIERRA: ${e.message}`);
      return undefined;
    }
    const text = `rebuilt ${r.partitions} contract(s) from ${r.fills.toLocaleString('en-US')} fill(s): trades ${r.tradesBefore} -> ${r.tradesAfter}, ${r.openPositions} open position(s), ${(r.ms / 1000).toFixed(1)} s.`;
    this.deps.logger.info(text);
    for (const p of r.problems) this.deps.logger.warn(`rebuild: ${p}`);
    if (r.problems.length) {
      void vscode.window.showWarningMessage(`APPSIERRA: ${text} ${r.problems.length} problem(s) with fills: see the log.`, 'Show Log').then((c) => c && this.deps.log.show(true));
    } else void vscode.window.showInformationMessage(`APPSIERRA: ${text}`);
    return r;
  }
}

/** One line for the summary notification. */
export function importHeadline(s: ImportSummary): string {
  const already = s.files.filter((f) => f.alreadyImportedIn).length;
  const parts = [
    `imported ${s.fills.new.toLocaleString('en-US')} new fill(s) from ${s.files.length} file(s)`,
    `${s.fills.duplicate.toLocaleString('en-US')} already stored`,
  ];
  if (s.fills.skipped) parts.push(`${s.fills.skipped} skipped (${s.skipped[0]?.reason ?? 'see the log'}${s.skipped.length > 1 ? ', …' : ''})`);
  let text = `${parts.join(', ')}: ${s.tradesClosed} trade(s) closed, ${s.openPositions} open position(s).`;
  if (already) text += ` ${already} file(s) were imported before and not read again.`;
  if (s.problems.length) text += ` ${s.problems.length} note(s) in the log.`;
  return text;
}

/** The summary for the log, as detailed as the CLI's. */
export function describeImport(s: ImportSummary): string[] {
  const lines = [importHeadline(s)];
  for (const f of s.files) lines.push(`${f.name}: ${f.format}, ${f.alreadyImportedIn ? `already imported in batch ${f.alreadyImportedIn}` : `${f.rows} row(s), ${f.fills} new fill(s)`}`);
  lines.push(`duplicates: ${s.duplicatesBy.executionId} by execution id, ${s.duplicatesBy.match} by account+symbol+side+qty+price within ${s.toleranceMs / 1000} s`);
  for (const k of s.skipped) lines.push(`skipped ${k.count}: ${k.reason} (first: ${k.first})`);
  for (const p of s.problems) lines.push(`note: ${p}`);
  if (s.batchId) lines.push(`batch ${s.batchId} (undo: APPSIERRA: Undo Import, or appsierra import undo ${s.batchId})`);
  lines.push(`${(s.ms / 1000).toFixed(1)} s`);
  return lines;
}

/** Untrusted command arguments: only the known fields pass. */
function importArgs(arg: unknown): ImportArgs {
  if (typeof arg !== 'object' || arg === null) return {};
  const a = arg as Record<string, unknown>;
  const out: ImportArgs = {};
  if (Array.isArray(a.files)) out.files = a.files.filter((f): f is string | vscode.Uri => typeof f === 'string' || f instanceof vscode.Uri);
  if (typeof a.format === 'string' && (a.format === 'auto' || (IMPORT_FORMATS as readonly string[]).includes(a.format))) out.format = a.format as ImportFormat | 'auto';
  if (typeof a.timeZone === 'string') out.timeZone = a.timeZone;
  if (a.signal instanceof AbortSignal) out.signal = a.signal;
  return out;
}
