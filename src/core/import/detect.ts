/**
 * Which import format a file is, from its first bytes (the head), and the one dispatcher that
 * streams a file through the right parser. Anything unrecognised is an ImportFormatError naming
 * what was expected and what the first line holds.
 */
import * as fs from 'fs';
import { decodeHead, type ByteSource } from './lines';
import { isSierraTextHeader, parseSierraText, parseSierraTextBlocks, sniffVariant, SIERRA_TEXT_EXPECTED } from './sierraText';
import { isSierraDataHeader, parseSierraData, parseSierraDataBlocks } from './sierraData';
import { isAppsierraCsvHeader, parseAppsierraCsv, parseAppsierraCsvBlocks, parseAppsierraJson, parseAppsierraJsonBlocks } from './appsierraExport';
import { describeFound, ImportFormatError, type ImportFormat, type ImportItem, type ParseOptions } from './types';

export const EXPECTED_ANY =
  'a Sierra Chart Trade Activity Log (File >> Export or Save Log As, tab-separated), a TradeActivityLog .data file, ' +
  "or an APPSIERRA export ('appsierra export --format csv|json')";

/** Bytes enough to see the header and the first Fills rows. */
export const HEAD_BYTES = 64 * 1024;

export interface Detected {
  format: ImportFormat;
  /** True when a Sierra text file had no Fills row in its head: the parser decides on the first one. */
  variantUndecided?: boolean;
}

export function detectFormat(head: Uint8Array): Detected {
  if (isSierraDataHeader(head)) return { format: 'sierra-data' };
  const text = decodeHead(head);
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  // A head cut mid-line: the last line may be partial.
  if (head.length >= HEAD_BYTES) lines.pop();
  const first = lines.find((l) => l.trim() !== '') ?? '';
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[') && (/"fillIds"\s*:/.test(trimmed) || /^\[\s*\]\s*$/.test(trimmed))) return { format: 'appsierra-json' };
  if (isAppsierraCsvHeader(first)) return { format: 'appsierra-csv' };
  if (isSierraTextHeader(first)) {
    const variant = sniffVariant(lines.slice(lines.indexOf(first)));
    return variant === null ? { format: 'sierra-export', variantUndecided: true } : { format: variant === 'export' ? 'sierra-export' : 'sierra-log' };
  }
  let hint = '';
  if (/^\s*\{\s*"Type"\s*:/.test(first)) hint = " It looks like a recorded DTC stream: feed it with 'appsierra ingest' instead.";
  else if (first.includes(',') && /symbol|price|qty|quantity/i.test(first)) hint = ' It looks like a CSV from another tool: only the formats above are read.';
  else if (/\u0000/.test(text.slice(0, 64)) || first.includes('\ufffd')) hint = ' It looks like a binary file of another kind.';
  throw new ImportFormatError(`Unrecognised trade history file: expected ${EXPECTED_ANY}; the first line is ${describeFound(first)}.${hint}`, EXPECTED_ANY, first);
}

/** Reads the head of a file (for detection) without reading the rest. */
export function readHead(file: string, bytes = HEAD_BYTES): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = fs.readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Streams a source through the parser of `format`. For the Sierra text formats, 'sierra-export'
 * and 'sierra-log' force the variant; `autoVariant` lets the parser decide on the first Fills row.
 */
export function parseAs(format: ImportFormat, source: ByteSource, opts: ParseOptions = {}, autoVariant = false): AsyncGenerator<ImportItem, unknown> {
  switch (format) {
    case 'sierra-export':
    case 'sierra-log':
      return parseSierraText(source, autoVariant ? 'auto' : format === 'sierra-export' ? 'export' : 'log', opts);
    case 'sierra-data':
      return parseSierraData(source, opts);
    case 'appsierra-csv':
      return parseAppsierraCsv(source, opts);
    case 'appsierra-json':
      return parseAppsierraJson(source, opts);
  }
}

/** parseAs by blocks of items: every format parses a whole read block per await, not a row. */
export function parseBlocksAs(format: ImportFormat, source: ByteSource, opts: ParseOptions = {}, autoVariant = false): AsyncGenerator<ImportItem[], unknown> {
  switch (format) {
    case 'sierra-export':
    case 'sierra-log':
      return parseSierraTextBlocks(source, autoVariant ? 'auto' : format === 'sierra-export' ? 'export' : 'log', opts);
    case 'sierra-data':
      return parseSierraDataBlocks(source, opts);
    case 'appsierra-csv':
      return parseAppsierraCsvBlocks(source, opts);
    case 'appsierra-json':
      return parseAppsierraJsonBlocks(source, opts);
  }
}

export { SIERRA_TEXT_EXPECTED };
