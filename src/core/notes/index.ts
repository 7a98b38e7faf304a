/** Day notes and trade notes (issue 14): Markdown files the trader owns, with a generated summary block. */
export * from './dayNote';
export { writeDayNote } from './dayNoteFile';
export type { DayNoteWrite } from './dayNoteFile';
