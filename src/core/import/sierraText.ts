/**
 * Sierra Chart's Trade Activity Log as text (tab-separated, one header line), in its two variants:
 *
 * - File >> Export: times in UTC, prices in Sierra's internal x100 scale written with seven
 *   decimals (E-mini S&P 6512.25 is written 651225.0000000).
 * - File >> Save Log As: display prices and times in the chart's display time zone, with no
 *   offset in the file: accepted only with an explicit time zone.
 *
 * Columns are read by header name, never by position (builds add and move columns). Only rows whose
 * ActivityType is `Fills` make fills.
 *
 * The x100 rule: a file whose fill prices carry seven decimals is the Export variant, and every
 * price column in it (FillPrice, HighDuringPosition, LowDuringPosition) is divided by 100 for
 * every contract: the scale belongs to the file, not to the contract. It is checked, not trusted:
 * where the contract's tick size is known, the divided price must lie on the tick grid. A display
 * price with seven decimals (Japanese yen futures, 6J at 0.0066125) divided by 100 falls off its
 * grid, and such a row is refused with a message pointing to --format sierra-log.
 */
import type { Fill } from '../trading/types';
import { readLineBlocks, type ByteSource } from './lines';
import { zonedToUtc } from './timeZone';
import { describeFound, ImportFormatError, SYNTHETIC_ID_PREFIX, type ImportItem, type ParseOptions } from './types';

export type SierraTextVariant = 'export' | 'log';

/** Columns a fill needs (any one name of each group). */
const NEEDED: readonly (readonly string[])[] = [['ActivityType'], ['DateTime', 'TransDateTime'], ['Symbol'], ['BuySell'], ['FillPrice'], ['Quantity', 'FilledQuantity']];

export const SIERRA_TEXT_EXPECTED = 'a Sierra Chart Trade Activity Log saved as text: a tab-separated header with ActivityType, DateTime, Symbol, BuySell, FillPrice and Quantity';

/** True when a header line looks like the Trade Activity Log's. */
export function isSierraTextHeader(line: string): boolean {
  const cols = new Set(line.split('\t').map((c) => c.trim()));
  return cols.size > 3 && cols.has('ActivityType') && cols.has('Symbol') && cols.has('BuySell');
}

/** Export writes fill prices with seven decimals; Save Log As writes display prices. */
export function looksScaled(fillPrice: string): boolean {
  return /^-?\d+\.\d{7}$/.test(fillPrice.trim());
}

/** Decides the variant from the first Fills row of a head of the file, or null when none is there. */
export function sniffVariant(lines: string[]): SierraTextVariant | null {
  if (lines.length === 0) return null;
  const header = lines[0].split('\t').map((c) => c.trim());
  const at = header.indexOf('ActivityType');
  const fp = header.indexOf('FillPrice');
  if (at < 0 || fp < 0) return null;
  for (const l of lines.slice(1)) {
    const cells = l.split('\t');
    if (cells[at]?.trim() === 'Fills' && cells[fp]?.trim()) return looksScaled(cells[fp]) ? 'export' : 'log';
  }
  return null;
}

/**
 * Streams fills out of a Trade Activity Log text file. `variant` 'auto' decides on the first
 * Fills row; a Save Log As file without a time zone is refused before any fill is produced.
 */
export async function* parseSierraText(source: ByteSource, variant: SierraTextVariant | 'auto', opts: ParseOptions = {}): AsyncGenerator<ImportItem, SierraTextVariant | null> {
  const blocks = parseSierraTextBlocks(source, variant, opts);
  let r: IteratorResult<ImportItem[], SierraTextVariant | null>;
  while (!(r = await blocks.next()).done) yield* r.value;
  return r.value;
}

/**
 * parseSierraText by read block: the items of each block's lines as one array, parsed
 * synchronously (one await per block instead of one promise per row).
 */
export async function* parseSierraTextBlocks(source: ByteSource, variant: SierraTextVariant | 'auto', opts: ParseOptions = {}): AsyncGenerator<ImportItem[], SierraTextVariant | null> {
  let row: SierraRow | null = null;
  let lineNo = 0;
  let decided: SierraTextVariant | null = variant === 'auto' ? null : variant;
  const seen = new Map<string, number>();
  for await (const lines of readLineBlocks(source)) {
    const items: ImportItem[] = [];
    for (let li = 0; li < lines.length; li++) {
      const line = lines[li];
      lineNo++;
      if (!row) {
        row = SierraRow.fromHeader(line);
        continue;
      }
      if (line.trim() === '') continue;
      row.read(line);
      if (row.get(C.ActivityType) !== 'Fills') {
        items.push({ kind: 'other', where: `line ${lineNo}` });
        continue;
      }
      if (decided === null) decided = looksScaled(row.get(C.FillPrice)) ? 'export' : 'log';
      if (decided === 'log' && !opts.timeZone) throw timeZoneRequired();
      items.push(rowToItem(row, decided, opts, `line ${lineNo}`, seen));
    }
    if (items.length) yield items;
  }
  if (!row) throw new ImportFormatError(`Not ${SIERRA_TEXT_EXPECTED}; the file is empty.`, SIERRA_TEXT_EXPECTED, '');
  return decided;
}

/** The columns a row is read for, by header name (their order is the index into SierraRow's map). */
const COLUMNS = ['ActivityType', 'FillPrice', 'Symbol', 'TradeAccount', 'BuySell', 'Quantity', 'FilledQuantity', 'DateTime', 'TransDateTime', 'InternalOrderID', 'ServiceOrderID', 'FillExecutionServiceID', 'HighDuringPosition', 'LowDuringPosition', 'PositionQuantity'] as const;
const C = Object.fromEntries(COLUMNS.map((n, i) => [n, i])) as { [K in (typeof COLUMNS)[number]]: number };

/**
 * One data line read for the wanted columns only: the tab offsets are found once per line into a
 * reused array, and a cell becomes a string only when asked for (no split, no per-row closure).
 */
export class SierraRow {
  private line = '';
  /** Cell k of the line spans [starts[k], ends[k]); cells past the line's end are empty. */
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly last: number;

  /** `at[c]`: the file's column index of COLUMNS[c], -1 when the header has none. */
  private constructor(private readonly at: Int32Array) {
    this.last = Math.max(...at);
    this.starts = new Int32Array(this.last + 1);
    this.ends = new Int32Array(this.last + 1);
  }

  static fromHeader(line: string): SierraRow {
    if (!isSierraTextHeader(line)) throw new ImportFormatError(`Not ${SIERRA_TEXT_EXPECTED}; the first line is ${describeFound(line)}.`, SIERRA_TEXT_EXPECTED, line);
    const header = new Map(line.split('\t').map((c, i) => [c.trim(), i] as [string, number]));
    const missing = NEEDED.filter((names) => !names.some((n) => header.has(n))).map((names) => names.join(' or '));
    if (missing.length) throw new ImportFormatError(`The Trade Activity Log has no ${missing.join(', ')} column: export it again from Trade >> Trade Activity Log with all columns.`, SIERRA_TEXT_EXPECTED, line);
    return new SierraRow(Int32Array.from(COLUMNS, (n) => header.get(n) ?? -1));
  }

  read(line: string): void {
    this.line = line;
    let start = 0;
    for (let k = 0; k <= this.last; k++) {
      if (start > line.length) {
        this.starts[k] = this.ends[k] = 0;
        continue;
      }
      let tab = line.indexOf('\t', start);
      if (tab < 0) tab = line.length;
      this.starts[k] = start;
      this.ends[k] = tab;
      start = tab + 1;
    }
  }

  /** Names seen (accounts, symbols): every fill of a contract holds one string, not a copy each. */
  private readonly names = new Map<string, string>();

  /** `s`, or the equal string seen before (kept for at most 4096 names). */
  same(s: string): string {
    const had = this.names.get(s);
    if (had !== undefined) return had;
    if (this.names.size < 4096) this.names.set(s, s);
    return s;
  }

  /** The trimmed cell of column `c` (a C index), '' when the header or the line has none. */
  get(c: number): string {
    const i = this.at[c];
    if (i < 0) return '';
    const s = this.starts[i];
    const e = this.ends[i];
    return s === e ? '' : this.line.slice(s, e).trim();
  }
}

export function timeZoneRequired(): ImportFormatError {
  return new ImportFormatError(
    'This Trade Activity Log was saved with File >> Save Log As: its times are in the display time zone and carry no offset, ' +
      'so importing it without naming that zone would shift every trade by hours. Pass --time-zone with the zone Sierra Chart ' +
      'displays (Global Settings >> Time Zone), e.g. --time-zone America/New_York, ' +
      'or export the log with File >> Export instead, which writes UTC.',
    'a time zone for a Save Log As file',
    'no --time-zone',
  );
}

function rowToItem(row: SierraRow, variant: SierraTextVariant, opts: ParseOptions, where: string, seen: Map<string, number>): ImportItem {
  const symbol = row.same(row.get(C.Symbol));
  const account = row.same(row.get(C.TradeAccount)) || opts.account || '';
  const side = sideOf(row.get(C.BuySell));
  const scale = variant === 'export' ? 100 : 1;
  const rawPrice = row.get(C.FillPrice);
  const qty = num(row.get(C.Quantity)) || num(row.get(C.FilledQuantity));
  const timeText = row.get(C.DateTime) || row.get(C.TransDateTime);
  if (!symbol) return skip('no Symbol', where);
  if (!account) return skip('no TradeAccount (pass --account)', where);
  if (!side) return skip(`BuySell is ${JSON.stringify(row.get(C.BuySell))}, not Buy or Sell`, where);
  if (!(qty > 0)) return skip('Quantity is not a positive number', where);
  const price = scaled(rawPrice, scale);
  if (price === null) return skip(`FillPrice ${JSON.stringify(rawPrice)} is not a number`, where);
  const tick = opts.tickSize?.(symbol) ?? null;
  if (scale !== 1 && tick !== null && !onGrid(price, tick) && onGrid(Number(rawPrice), tick)) {
    return skip(`FillPrice ${rawPrice} is a display price, not the x100 Export scale (the file may be a Save Log As file: use --format sierra-log --time-zone TZ)`, where);
  }
  const wall = parseWallTime(timeText);
  if (wall === null) return skip(`DateTime ${JSON.stringify(timeText)} is not YYYY-MM-DD HH:MM:SS`, where);
  const timeMs = variant === 'log' ? zonedToUtc(wall, opts.timeZone!) : wall;
  const orderId = row.get(C.InternalOrderID) || row.get(C.ServiceOrderID);
  let executionId = row.get(C.FillExecutionServiceID);
  if (!executionId) executionId = syntheticId(['sc', account, symbol, orderId, String(timeMs), side, String(qty), String(price)], seen);
  const fill: Fill = {
    account,
    executionId,
    symbol,
    side,
    qty,
    price,
    timeMs,
    serverOrderId: row.get(C.ServiceOrderID) || orderId || null,
    highDuringPosition: scaled(row.get(C.HighDuringPosition), scale),
    lowDuringPosition: scaled(row.get(C.LowDuringPosition), scale),
    positionAfter: numOrNull(row.get(C.PositionQuantity)),
    source: 'import',
    // Unknown (the log has no fee column): set here so the object keeps one shape when stored.
    fee: null,
  };
  return { kind: 'fill', fill, where };
}

/** A stable id from a row's content; the n-th identical row of the file gets `#n`. */
export function syntheticId(parts: string[], seen: Map<string, number>): string {
  const base = SYNTHETIC_ID_PREFIX + parts.join('|');
  const n = (seen.get(base) ?? 0) + 1;
  seen.set(base, n);
  return n === 1 ? base : `${base}#${n}`;
}

function skip(reason: string, where: string): ImportItem {
  return { kind: 'skip', reason, where };
}

function sideOf(s: string): 'BUY' | 'SELL' | null {
  const v = s.toLowerCase();
  return v === 'buy' || v === 'b' ? 'BUY' : v === 'sell' || v === 's' ? 'SELL' : null;
}

function num(s: string): number {
  if (s === '') return NaN;
  return Number(s.indexOf(',') < 0 ? s : s.replace(/,/g, ''));
}

function numOrNull(s: string): number | null {
  const n = num(s);
  return Number.isFinite(n) ? n : null;
}

/** Price / scale with the division's binary noise trimmed (12 significant digits). */
function scaled(s: string, scale: number): number | null {
  const n = num(s);
  if (!Number.isFinite(n)) return null;
  return scale === 1 ? n : Number((n / scale).toPrecision(12));
}

export function onGrid(price: number, tick: number): boolean {
  const k = price / tick;
  return Math.abs(k - Math.round(k)) < 1e-6;
}

const WALL = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*Z?$/;

/** `YYYY-MM-DD HH:MM[:SS[.fraction]]` as ms since the epoch, read as UTC wall time. */
export function parseWallTime(s: string): number | null {
  const fast = exportWallTime(s);
  if (fast >= 0) return fast;
  const m = WALL.exec(s.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, sec, frac] = m;
  const ms = frac ? Math.floor(Number((frac + '00').slice(0, 3))) : 0;
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec ?? 0), ms);
  return Number.isFinite(t) && Number(mo) >= 1 && Number(mo) <= 12 && Number(d) >= 1 && Number(d) <= 31 && Number(h) < 24 ? t : null;
}

/**
 * The Export's own `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD HH:MM:SS.mmm` read digit by digit (no
 * match array, no substrings: this runs for every row); -1 for anything else, which takes the
 * general pattern.
 */
function exportWallTime(s: string): number {
  const n = s.length;
  if (n !== 19 && n !== 23) return -1;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 32 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return -1;
  if (n === 23 && s.charCodeAt(19) !== 46) return -1;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const sec = digits(s, 17, 2);
  const ms = n === 23 ? digits(s, 20, 3) : 0;
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || sec < 0 || ms < 0) return -1;
  const t = Date.UTC(y, mo - 1, d, h, mi, sec, ms);
  return Number.isFinite(t) ? t : -1;
}

/** The decimal number of s[at, at + len), -1 unless all are digits. */
function digits(s: string, at: number, len: number): number {
  let v = 0;
  for (let i = at; i < at + len; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}
