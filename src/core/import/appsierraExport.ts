/**
 * APPSIERRA's own export (`appsierra export --format csv|json`, src/core/export.ts) read back as
 * fills. The export holds trades, not fills, so each trade becomes two fills that rebuild it:
 * the entry (first fill id, average entry price, entry time, half the commissions) and the exit
 * (last fill id, average exit price, exit time, the other half). Excursions come back through the
 * fills' high/low when the contract's point value is known. Into an empty store with the same
 * specs this gives the same trades (ids, prices, P&L, fees, MAE/MFE); not carried: the R multiple
 * (the export has no stop price) and, for a trade that scaled in after a partial exit, the
 * position path (its P&L is the exported one only when the path was in-then-out). The trades'
 * tags ride on their exit fills and are restored by the import.
 */
import { TRADE_FIELDS } from '../export';
import { TAG_LIST_SEPARATOR } from '../trading/tags';
import { KeySet } from '../trading/keySet';
import { roundCents } from '../trading/money';
import type { Fill } from '../trading/types';
import { readLineBlocks, type ByteSource } from './lines';
import { describeFound, ImportFormatError, type ImportItem, type ParseOptions } from './types';

export const APPSIERRA_CSV_EXPECTED = `an APPSIERRA trade export (CSV header ${TRADE_FIELDS.slice(0, 4).join(',')},…)`;
export const APPSIERRA_JSON_EXPECTED = 'an APPSIERRA trade export (a JSON array of trades)';
const NEEDED = ['id', 'account', 'symbol', 'side', 'qty', 'entryTime', 'exitTime', 'avgEntryPrice', 'avgExitPrice', 'commissions', 'fillIds'];

export function isAppsierraCsvHeader(line: string): boolean {
  const cols = new Set(line.split(',').map((c) => c.trim()));
  return NEEDED.every((n) => cols.has(n));
}

/**
 * CSV records, quote-aware across lines (a quoted cell may hold a newline): the records of each
 * read block as one array (one await per block, not per record).
 */
async function* csvRecordBlocks(source: ByteSource): AsyncGenerator<{ cells: string[]; line: number }[]> {
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let lineNo = 0;
  let startLine = 1;
  for await (const lines of readLineBlocks(source)) {
    const out: { cells: string[]; line: number }[] = [];
    for (const line of lines) {
      lineNo++;
      if (!quoted && line.indexOf('"') < 0) {
        // No quote on the line (most rows): its cells are the comma-separated pieces.
        if (line.trim() !== '') out.push({ cells: line.split(','), line: lineNo });
        continue;
      }
      if (!quoted) startLine = lineNo;
      else cell += '\n';
      for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quoted) {
          if (c === '"' && line[i + 1] === '"') (cell += '"'), i++;
          else if (c === '"') quoted = false;
          else cell += c;
        } else if (c === '"') quoted = true;
        else if (c === ',') cells.push(cell), (cell = '');
        else cell += c;
      }
      if (quoted) continue;
      cells.push(cell);
      if (!(cells.length === 1 && cells[0].trim() === '')) out.push({ cells, line: startLine });
      cells = [];
      cell = '';
    }
    if (out.length) yield out;
  }
  if (quoted) yield [{ cells: [...cells, cell], line: startLine }];
}

/** The items of each read block as one array: the import loops over them without a promise per row. */
export async function* parseAppsierraCsvBlocks(source: ByteSource, opts: ParseOptions = {}): AsyncGenerator<ImportItem[]> {
  let header: string[] | null = null;
  const used = new KeySet();
  for await (const records of csvRecordBlocks(source)) {
    const out: ImportItem[] = [];
    for (const { cells, line } of records) {
      if (!header) {
        if (!isAppsierraCsvHeader(cells.join(','))) throw new ImportFormatError(`Not ${APPSIERRA_CSV_EXPECTED}; the first line is ${describeFound(cells.join(','))}.`, APPSIERRA_CSV_EXPECTED, cells.join(','));
        header = cells.map((c) => c.trim());
        continue;
      }
      const where = `line ${line}`;
      if (cells.length !== header.length) {
        out.push({ kind: 'skip', reason: `${cells.length} cells where the header has ${header.length}`, where });
        continue;
      }
      const o: Record<string, string> = {};
      header.forEach((h, k) => (o[h] = cells[k]));
      tradeToItems(o, where, opts, used, o.tags ? o.tags.split(TAG_LIST_SEPARATOR) : [], out);
    }
    if (out.length) yield out;
  }
  if (!header) throw new ImportFormatError(`Not ${APPSIERRA_CSV_EXPECTED}; the file is empty.`, APPSIERRA_CSV_EXPECTED, '');
}

export function parseAppsierraCsv(source: ByteSource, opts: ParseOptions = {}): AsyncGenerator<ImportItem> {
  return itemsOf(parseAppsierraCsvBlocks(source, opts));
}

/**
 * Top-level objects of a JSON array (string- and escape-aware brace counting), those of each read
 * block as one array, so a large export is never held whole.
 */
async function* jsonArrayObjectBlocks(source: ByteSource): AsyncGenerator<{ text: string; line: number }[]> {
  let state: 'start' | 'array' | 'done' = 'start';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let obj = '';
  let lineNo = 0;
  let objLine = 0;
  let first: string | null = null;
  for await (const lines of readLineBlocks(source)) {
    const out: { text: string; line: number }[] = [];
    for (const line of lines) {
      lineNo++;
      first ??= line;
      // The object's text on this line starts here: it is sliced out whole, not built a character at a time.
      let from = 0;
      for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (depth > 0) {
          if (inString) {
            if (escaped) escaped = false;
            else if (c === '\\') escaped = true;
            else if (c === '"') inString = false;
          } else if (c === '"') inString = true;
          else if (c === '{' || c === '[') depth++;
          else if (c === '}' || c === ']') {
            depth--;
            if (depth === 0) {
              out.push({ text: obj + line.slice(from, i + 1), line: objLine });
              obj = '';
            }
          }
          continue;
        }
        if (/\s|,/.test(c)) continue;
        if (state === 'start' && c === '[') state = 'array';
        else if (state === 'array' && c === '{') {
          depth = 1;
          obj = '';
          from = i;
          objLine = lineNo;
        } else if (state === 'array' && c === ']') state = 'done';
        else throw new ImportFormatError(`Not ${APPSIERRA_JSON_EXPECTED}: unexpected ${JSON.stringify(c)} at line ${lineNo}; the first line is ${describeFound(first)}.`, APPSIERRA_JSON_EXPECTED, first);
      }
      if (depth > 0) obj += line.slice(from) + '\n';
    }
    if (out.length) yield out;
  }
  if (state === 'start') throw new ImportFormatError(`Not ${APPSIERRA_JSON_EXPECTED}; the first line is ${describeFound(first ?? '')}.`, APPSIERRA_JSON_EXPECTED, first ?? '');
  if (depth > 0 || state !== 'done') throw new ImportFormatError(`The JSON export ends inside ${depth > 0 ? `the trade starting at line ${objLine}` : 'the array'} (truncated file?); export again.`, APPSIERRA_JSON_EXPECTED, first ?? '');
}

/** The items of each read block as one array (see parseAppsierraCsvBlocks). */
export async function* parseAppsierraJsonBlocks(source: ByteSource, opts: ParseOptions = {}): AsyncGenerator<ImportItem[]> {
  const used = new KeySet();
  for await (const objects of jsonArrayObjectBlocks(source)) {
    const out: ImportItem[] = [];
    for (const { text, line } of objects) {
      const where = `line ${line}`;
      let j: Record<string, unknown>;
      try {
        j = JSON.parse(text) as Record<string, unknown>;
      } catch (e) {
        out.push({ kind: 'skip', reason: `not valid JSON (${(e as Error).message})`, where });
        continue;
      }
      const o: Record<string, string> = {};
      for (const [k, v] of Object.entries(j)) o[k] = v === null || v === undefined ? '' : Array.isArray(v) ? v.map(String).join(' ') : String(v);
      tradeToItems(o, where, opts, used, Array.isArray(j.tags) ? j.tags.map(String) : [], out);
    }
    if (out.length) yield out;
  }
}

export function parseAppsierraJson(source: ByteSource, opts: ParseOptions = {}): AsyncGenerator<ImportItem> {
  return itemsOf(parseAppsierraJsonBlocks(source, opts));
}

/** One item at a time out of blocks of items (format detection and tests read items). */
export async function* itemsOf(blocks: AsyncGenerator<ImportItem[]>): AsyncGenerator<ImportItem> {
  for await (const block of blocks) yield* block;
}

/** The trade's two fills (or the reason it is skipped), pushed onto `out`. */
function tradeToItems(o: Record<string, string>, where: string, opts: ParseOptions, used: KeySet, tags: string[], out: ImportItem[]): void {
  const skip = (reason: string): void => void out.push({ kind: 'skip', reason, where });
  const missing = NEEDED.filter((k) => o[k] === undefined);
  if (missing.length) return skip(`trade without ${missing.join(', ')}`);
  const account = o.account.trim() || opts.account || '';
  const symbol = o.symbol.trim();
  const side = o.side === 'LONG' ? 'LONG' : o.side === 'SHORT' ? 'SHORT' : null;
  const qty = Number(o.qty);
  const entry = Number(o.avgEntryPrice);
  const exit = Number(o.avgExitPrice);
  const entryTime = Date.parse(o.entryTime);
  const exitTime = Date.parse(o.exitTime);
  const commissions = o.commissions === '' ? 0 : Number(o.commissions);
  const ids = o.fillIds.split(' ').filter((s) => s !== '');
  if (!account) return skip('no account (pass --account)');
  if (!symbol) return skip('no symbol');
  if (!side) return skip(`side ${JSON.stringify(o.side)} is not LONG or SHORT`);
  if (!(qty > 0)) return skip('qty is not a positive number');
  if (!Number.isFinite(entry) || !Number.isFinite(exit)) return skip('average entry/exit price is not a number');
  if (!Number.isFinite(entryTime) || !Number.isFinite(exitTime)) return skip('entryTime/exitTime is not an ISO-8601 time');
  if (!Number.isFinite(commissions)) return skip('commissions is not a number');
  if (ids.length === 0) return skip('no fillIds');
  // A flip closes one trade and opens the next with the same fill: its second use gets a suffix.
  const unique = (id: string): string => {
    let u = id;
    for (let n = 2; used.has(account + '\u0000' + u); n++) u = `${id}#${n}`;
    used.add(account + '\u0000' + u);
    return u;
  };
  const entryId = unique(ids[0]);
  const exitId = unique(ids.length > 1 ? ids[ids.length - 1] : `${ids[0]}:exit`);
  const entryFee = roundCents(commissions / 2);
  const exitFee = roundCents(commissions - entryFee);
  const { high, low } = extremes(side, entry, qty, num(o.mae), num(o.mfe), opts.pointValue?.(symbol) ?? null);
  const base = { account, symbol, qty, source: 'import' as const, serverOrderId: null, highDuringPosition: high, lowDuringPosition: low };
  const entryFill: Fill = { ...base, executionId: entryId, side: side === 'LONG' ? 'BUY' : 'SELL', price: entry, timeMs: entryTime, fee: entryFee };
  const exitFill: Fill = { ...base, executionId: exitId, side: side === 'LONG' ? 'SELL' : 'BUY', price: exit, timeMs: exitTime, fee: exitFee };
  out.push({ kind: 'fill', fill: entryFill, where });
  // The exit fill closes the trade: it carries the trade's tags (its id is the exported one).
  const id = (o.id ?? '').trim();
  out.push({ kind: 'fill', fill: exitFill, where, ...(id && tags.some((t) => t.trim() !== '') ? { tags: { tradeId: id, tags: tags.filter((t) => t.trim() !== '') } } : {}) });
}

function num(s: string | undefined): number | null {
  if (s === undefined || s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** Inverts the engine's MAE/MFE from high/low (TRADING-MATH §3) for one entry of `qty`. */
function extremes(side: 'LONG' | 'SHORT', entry: number, qty: number, mae: number | null, mfe: number | null, pointValue: number | null): { high: number | null; low: number | null } {
  if (!pointValue) return { high: null, low: null };
  const k = qty * pointValue;
  if (side === 'LONG') return { low: mae === null ? null : entry + mae / k, high: mfe === null ? null : entry + mfe / k };
  return { high: mae === null ? null : entry - mae / k, low: mfe === null ? null : entry - mfe / k };
}
