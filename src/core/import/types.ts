/**
 * What the import parsers produce: a stream of fills (one per source row or record) and the rows
 * that could not become fills, each with a reason. Parsers are pure: bytes in, items out.
 */
import type { Fill } from '../trading/types';

export type ImportFormat = 'sierra-export' | 'sierra-log' | 'sierra-data' | 'appsierra-csv' | 'appsierra-json';
export const IMPORT_FORMATS: readonly ImportFormat[] = ['sierra-export', 'sierra-log', 'sierra-data', 'appsierra-csv', 'appsierra-json'];

export type ImportItem =
  /**
   * A fill, `where` names its place in the file (`line 12`, `record 5`). `tags`: the trade this
   * fill closes and its tags as exported (APPSIERRA's export), raw: the import checks them.
   */
  | { kind: 'fill'; fill: Fill; where: string; tags?: { tradeId: string; tags: string[] } }
  /** A row meant to be a fill that could not be used: `reason` is short and groups alike rows. */
  | { kind: 'skip'; reason: string; where: string }
  /** A row that is not a fill (orders, positions, account balance lines): counted, never an error. */
  | { kind: 'other'; where: string };

export interface ParseOptions {
  /** IANA zone of the times in a Save Log As file (required there, refused elsewhere). */
  timeZone?: string | null;
  /** Account for rows that carry none. */
  account?: string | null;
  /** Point value per symbol, for rebuilding excursions from APPSIERRA's export (null when unknown). */
  pointValue?: (symbol: string) => number | null;
  /** Tick size per symbol, for the x100 price-scale check (null when unknown). */
  tickSize?: (symbol: string) => number | null;
}

/** A file that is not what the chosen (or detected) format expects: exit 3 in the CLI. */
export class ImportFormatError extends Error {
  constructor(
    message: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super(message);
  }
}

/** Execution ids made up from a row's content (the source gave none) start with this. */
export const SYNTHETIC_ID_PREFIX = 'syn:';

export function isSyntheticId(executionId: string): boolean {
  return executionId.startsWith(SYNTHETIC_ID_PREFIX);
}

/** A printable, bounded excerpt of a file's first line for messages. */
export function describeFound(firstLine: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = firstLine.replace(/\t/g, ' <TAB> ').replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '?');
  if (clean.trim() === '') return 'an empty first line';
  return JSON.stringify(clean.length > 120 ? clean.slice(0, 120) + '…' : clean);
}
