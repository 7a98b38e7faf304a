/**
 * Streaming text for the importers: chunks -> lines, decoding UTF-8 or UTF-16 (Windows tools may
 * write either, with or without a BOM). Memory stays flat: only the unfinished line is kept.
 */

import { TextDecoder } from 'util';

export type ByteSource = AsyncIterable<Buffer | Uint8Array | string>;

function decoderFor(first: Uint8Array): TextDecoder {
  if (first[0] === 0xff && first[1] === 0xfe) return new TextDecoder('utf-16le');
  if (first[0] === 0xfe && first[1] === 0xff) return new TextDecoder('utf-16be');
  // UTF-16LE without a BOM: ASCII text has a NUL in every odd byte.
  if (first.length >= 4 && first[0] !== 0 && first[1] === 0 && first[2] !== 0 && first[3] === 0) return new TextDecoder('utf-16le');
  return new TextDecoder('utf-8');
}

/** Decodes the head of a file the way `readLines` would (for format detection). */
export function decodeHead(head: Uint8Array): string {
  return decoderFor(head).decode(head, { stream: true });
}

/**
 * Yields the lines of each read block as one array, without their `\n` / `\r\n`; the last line
 * is included even without a newline. One await per block, not per line: a parser loops over the
 * array synchronously (a line split across blocks comes whole in the later block).
 */
export async function* readLineBlocks(source: ByteSource): AsyncGenerator<string[]> {
  let decoder: TextDecoder | null = null;
  let carry = '';
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (bytes.length === 0) continue;
    decoder ??= decoderFor(bytes);
    const text = carry + decoder.decode(bytes, { stream: true });
    const lines: string[] = [];
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) >= 0) {
      lines.push(lineAt(text, start, nl));
      start = nl + 1;
    }
    // A copy, not a slice: a slice would keep the whole decoded block alive until the next one.
    carry = start === 0 ? text : start === text.length ? '' : flat(text.slice(start));
    if (lines.length) yield lines;
  }
  if (decoder) carry += decoder.decode();
  if (carry !== '') yield [lineAt(carry, 0, carry.length)];
}

/** Yields lines without their `\n` / `\r\n`; the last line is yielded even without a newline. */
export async function* readLines(source: ByteSource): AsyncGenerator<string> {
  for await (const lines of readLineBlocks(source)) yield* lines;
}

/** text[start, end) without a trailing `\r`. */
function lineAt(text: string, start: number, end: number): string {
  return text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
}

/** A flat copy of a short string (V8 otherwise keeps a slice's parent alive). */
function flat(s: string): string {
  return (' ' + s).slice(1);
}
