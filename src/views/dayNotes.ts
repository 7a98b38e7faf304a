/**
 * Day notes: Markdown files the trader owns, one per session day (`YYYY-MM-DD.md`) in the journal
 * folder, with a generated summary block refreshed in place (core/notes). A note open in an editor
 * is edited through the editor (a WorkspaceEdit), so unsaved typing is never overwritten; a note
 * that is not open is rewritten atomically on disk.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { JournalModel } from '../core/reports/journalModel';
import { daySummaryBlock, dayNoteFileName, ensureTradeNote, newDayNote, refreshSummaryBlock, tradeNoteHeading, writeDayNote } from '../core/notes';
import { sessionDate } from '../core/stats/session';
import type { SessionConfig } from '../core/stats/types';

export interface DayNotesDeps {
  model: JournalModel;
  session(): SessionConfig;
  /** The `appsierra.journal.folder` setting ('' = default). */
  folderSetting(): string;
  /** Remembers a folder picked when no workspace folder is open (asked once). */
  state: vscode.Memento;
  now?: () => number;
}

const PICKED_KEY = 'appsierra.journal.pickedFolder';

export class DayNotes {
  constructor(private readonly deps: DayNotesDeps) {}

  /** The folder of the notes: the setting, else `journal/` in the first workspace folder, else asked once. */
  async folder(): Promise<string | undefined> {
    const set = this.deps.folderSetting().trim();
    const ws = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (set) {
      if (path.isAbsolute(set)) return set;
      if (ws) return path.join(ws, set);
      throw new Error(`appsierra.journal.folder is a relative path ('${set}') but no folder is open: use an absolute path or open a folder`);
    }
    if (ws) return path.join(ws, 'journal');
    const picked = this.deps.state.get<string>(PICKED_KEY);
    if (picked) return picked;
    const choice = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Keep my day notes here', title: 'APPSIERRA: where should your trading journal notes live?' });
    const dir = choice?.[0]?.fsPath;
    if (dir) await this.deps.state.update(PICKED_KEY, dir);
    return dir;
  }

  today(): string {
    return sessionDate((this.deps.now ?? Date.now)(), this.deps.session());
  }

  /** Creates or refreshes a day's note and opens it; with a trade, adds its heading if missing and reveals it. */
  async open(day: string, tradeId: string | null = null): Promise<vscode.TextEditor | undefined> {
    const folder = await this.folder();
    if (!folder) return undefined; // the trader dismissed the folder picker: nothing to do
    // One wait for both: no longer a window for a refresh to race the note being opened.
    const [index, riskEvents] = await Promise.all([this.deps.model.load(), this.deps.model.riskEvents(day)]);
    const rows = index.select({ fromDay: day, toDay: day });
    const block = daySummaryBlock(day, rows, { session: this.deps.session(), riskEvents });
    const file = vscode.Uri.file(path.join(folder, dayNoteFileName(day)));
    const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file.fsPath);
    if (open) await this.editOpen(open, block);
    else writeDayNote(folder, day, block);
    const doc = open ?? (await vscode.workspace.openTextDocument(file));
    let line = 0;
    if (tradeId) {
      const no = rows.findIndex((r) => r.trade.id === tradeId) + 1;
      if (no > 0) {
        const next = ensureTradeNote(doc.getText(), tradeNoteHeading(no, rows[no - 1].trade, this.deps.session()), tradeId);
        if (next.text !== doc.getText()) await this.replaceAll(doc, next.text);
        line = next.line;
      }
    }
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    const at = new vscode.Position(Math.min(line + 1, doc.lineCount - 1), 0);
    editor.selection = new vscode.Selection(at, at);
    editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenter);
    return editor;
  }

  /** Refreshes the block of a day's note if that note exists (after trades of that day closed). */
  async refresh(day: string): Promise<void> {
    const folder = await this.folderIfKnown();
    if (!folder) return;
    const file = path.join(folder, dayNoteFileName(day));
    const openDoc = () => vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
    const exists = openDoc() || (await vscode.workspace.fs.stat(vscode.Uri.file(file)).then(() => true, () => false));
    if (!exists) return;
    const [index, riskEvents] = await Promise.all([this.deps.model.load(), this.deps.model.riskEvents(day)]);
    const block = daySummaryBlock(day, index.select({ fromDay: day, toDay: day }), { session: this.deps.session(), riskEvents });
    // Asked again after the awaits: the trader may have opened the note meanwhile, and a disk write
    // under an open editor would make their next save a conflict.
    const open = openDoc();
    if (open) await this.editOpen(open, block);
    else writeDayNote(folder, day, block);
  }

  private async folderIfKnown(): Promise<string | undefined> {
    const set = this.deps.folderSetting().trim();
    const ws = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (set) return path.isAbsolute(set) ? set : ws ? path.join(ws, set) : undefined;
    return ws ? path.join(ws, 'journal') : this.deps.state.get<string>(PICKED_KEY);
  }

  private async editOpen(doc: vscode.TextDocument, block: string): Promise<void> {
    const before = doc.getText();
    const next = before.trim() === '' ? { text: newDayNote(path.basename(doc.fileName, '.md'), block), action: 'created' } : refreshSummaryBlock(before, block);
    if (next.text !== before) await this.replaceAll(doc, next.text);
  }

  private async replaceAll(doc: vscode.TextDocument, text: string): Promise<void> {
    const wasDirty = doc.isDirty;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not update ${doc.fileName}`);
    // A note that was saved stays saved (the refresh is ours); unsaved typing stays the trader's to
    // save, including what they typed while our edit was on its way (then the text is not ours).
    if (!wasDirty && doc.getText() === text) await doc.save();
  }
}
