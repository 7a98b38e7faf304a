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

/** Yields lines without their `\n` / `\r\n`; the last line is yielded even without a newline. */
export async function* readLines(source: ByteSource): AsyncGenerator<string> {
  let decoder: TextDecoder | null = null;
  let carry = '';
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (bytes.length === 0) continue;
    decoder ??= decoderFor(bytes);
    carry += decoder.decode(bytes, { stream: true });
    let start = 0;
    let nl: number;
    while ((nl = carry.indexOf('\n', start)) >= 0) {
      yield stripCr(carry.slice(start, nl));
      start = nl + 1;
    }
    carry = carry.slice(start);
  }
  if (decoder) carry += decoder.decode();
  if (carry !== '') yield stripCr(carry);
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
