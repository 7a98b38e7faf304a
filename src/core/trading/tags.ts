/**
 * Trade tags (the trader's labels: setup, mistake, market condition). One rule for what a tag is,
 * used by the stores, the CLI, the journal reports and the export.
 */

/** A change to one trade's tags: `add` is applied before `remove`; both are idempotent. */
export interface TagEdit {
  tradeId: string;
  add: string[];
  remove: string[];
}

export const MAX_TAG_LENGTH = 40;

/** Breakdown key of the trades that have no tag (a real tag can never start with '('). */
export const UNTAGGED = '(untagged)';

/** Separator of the tag list in a CSV cell, so it can never occur inside a tag. */
export const TAG_LIST_SEPARATOR = ';';

/**
 * A tag as stored: trimmed, inner whitespace collapsed to one space, Unicode NFC. Throws a
 * RangeError naming the tag and the rule it breaks.
 */
export function normalizeTag(raw: string): string {
  const tag = String(raw).normalize('NFC').trim().replace(/\s+/g, ' ');
  if (tag === '') throw new RangeError('a tag cannot be empty');
  if (tag.length > MAX_TAG_LENGTH) throw new RangeError(`tag '${tag.slice(0, MAX_TAG_LENGTH)}…' is longer than ${MAX_TAG_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(tag)) throw new RangeError(`tag '${JSON.stringify(tag)}' contains a control character`);
  if (tag.includes(TAG_LIST_SEPARATOR)) throw new RangeError(`tag '${tag}' contains '${TAG_LIST_SEPARATOR}', which separates tags in CSV exports; use another character`);
  if (tag.startsWith('(')) throw new RangeError(`tag '${tag}' starts with '(', which is reserved for ${UNTAGGED}`);
  return tag;
}

/** Normalized, deduplicated, sorted (the order tags are stored and shown in). */
export function normalizeTags(raw: readonly string[]): string[] {
  return [...new Set(raw.map(normalizeTag))].sort(compareTags);
}

/** Code-point order: the same in JS, SQLite and PostgreSQL ("C" collation), independent of locale. */
export function compareTags(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The tags a trade has after an edit. */
export function applyTagEdit(current: readonly string[], edit: Pick<TagEdit, 'add' | 'remove'>): string[] {
  const set = new Set(current);
  for (const t of edit.add) set.add(t);
  for (const t of edit.remove) set.delete(t);
  return [...set].sort(compareTags);
}
