/**
 * The one sanitiser for text that came from outside (a DTC server's ResultText, Reason, RejectText,
 * ServerName, a bad frame's bytes, ...) before it is shown in the UI or written to a log: control
 * characters (ESC included, so no terminal escape sequences), bidi overrides and zero-width marks
 * are made visible as `\xNN` / `\u{NNNN}`, line breaks and tabs become spaces (one log line stays
 * one line), and the length is capped so a hostile peer cannot flood a message.
 */

export const SERVER_TEXT_MAX_CHARS = 200;

// C0 and C1 controls, DEL, zero-width and bidi marks/overrides/isolates, line/paragraph separators, BOM.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

function escapeChar(c: string): string {
  if (c === '\n' || c === '\r' || c === '\t') return ' ';
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** Printable, single-line, length-capped form of untrusted text. */
export function sanitizeServerText(text: unknown, maxChars = SERVER_TEXT_MAX_CHARS): string {
  const raw = text === null || text === undefined ? '' : String(text);
  // Cap the raw text first so a huge input costs no more than the cap to escape.
  const head = raw.length > maxChars ? raw.slice(0, maxChars) : raw;
  const escaped = head.replace(UNSAFE, escapeChar).trim();
  // Never end on half an escape or half a surrogate pair.
  const out = escaped.length > maxChars ? escaped.slice(0, maxChars).replace(/\\(?:x[0-9a-f]?|u(?:\{[0-9a-f]*)?)?$|[\ud800-\udbff]$/, '') : escaped;
  return out.length < escaped.length || head.length < raw.length ? `${out}... (${raw.length} chars, cut)` : out;
}
