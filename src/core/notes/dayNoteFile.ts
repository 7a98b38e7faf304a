/**
 * Day notes on disk. The extension should edit a note that is open in an editor through the
 * editor (so unsaved typing is never overwritten) and use this for notes that are not open, and
 * the CLI. Writes go to a temp file renamed over the note, so a crash never leaves half a note.
 */
import * as fs from 'fs';
import * as path from 'path';
import { dayNoteFileName, newDayNote, refreshSummaryBlock, RefreshAction } from './dayNote';

export interface DayNoteWrite {
  path: string;
  action: RefreshAction | 'created';
}

/** Creates `folder/YYYY-MM-DD.md` with the block, or refreshes the block in the existing note. */
export function writeDayNote(folder: string, day: string, block: string): DayNoteWrite {
  const file = path.join(folder, dayNoteFileName(day));
  let before: string | null = null;
  try {
    before = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read the day note ${file}: ${(err as Error).message}`);
  }
  const next = before === null ? { text: newDayNote(day, block), action: 'created' as const } : refreshSummaryBlock(before, block);
  if (next.action !== 'unchanged') {
    try {
      fs.mkdirSync(folder, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, next.text, 'utf8');
      fs.renameSync(tmp, file);
    } catch (err) {
      throw new Error(`cannot write the day note ${file}: ${(err as Error).message}; check that the journal folder is writable (setting appsierra.journal.folder)`);
    }
  }
  return { path: file, action: next.action };
}
