/**
 * Trade export in CSV or JSON, round-trippable: `parseExport(exportTrades(t)) == t` field for field,
 * and the trades' tags with them (`parseExportWithTags`), so an import can restore both.
 * The JSON shape is the `appsierra trades --json` contract (docs/CLI.md).
 */
import type { Trade } from './trading/types';
import { roundCents } from './trading/money';
import { normalizeTags, TAG_LIST_SEPARATOR } from './trading/tags';

/** The contract's field order (CLI.md `trades --json`), plus `mode`-preserving extras at the end. */
export const TRADE_FIELDS = [
  'id',
  'account',
  'mode',
  'symbol',
  'side',
  'qty',
  'maxPosition',
  'entryTime',
  'exitTime',
  'avgEntryPrice',
  'avgExitPrice',
  'grossPnl',
  'commissions',
  'netPnl',
  'mae',
  'mfe',
  'rMultiple',
  'fillIds',
] as const;

export type TradeJson = Record<(typeof TRADE_FIELDS)[number], unknown> & { root?: string; tags?: string[] };

/** Tags by trade id, as TradeStore.tradeTags() returns them. */
export type TagsById = ReadonlyMap<string, readonly string[]>;

/** A trade as the CLI contract prints it: ISO-8601 UTC times with milliseconds, money to the cent; `tags` when given. */
export function tradeToJson(t: Trade, tags?: readonly string[]): TradeJson {
  return {
    id: t.id,
    account: t.account,
    mode: t.mode,
    symbol: t.symbol,
    side: t.side,
    qty: t.qty,
    maxPosition: t.maxPosition,
    entryTime: new Date(t.entryTime).toISOString(),
    exitTime: new Date(t.exitTime).toISOString(),
    avgEntryPrice: t.avgEntryPrice,
    avgExitPrice: t.avgExitPrice,
    grossPnl: roundCents(t.grossPnl),
    commissions: roundCents(t.commissions),
    netPnl: roundCents(t.netPnl),
    mae: t.mae === null ? null : roundCents(t.mae),
    mfe: t.mfe === null ? null : roundCents(t.mfe),
    rMultiple: t.rMultiple,
    fillIds: [...t.fillIds],
    root: t.root,
    ...(tags ? { tags: [...tags] } : {}),
  };
}

/** Every trade with its tags (an empty list when it has none); CSV joins tags with ';'. */
export function exportTrades(trades: Trade[], format: 'csv' | 'json', tags: TagsById = new Map()): string {
  const sorted = [...trades].sort((a, b) => a.exitTime - b.exitTime || a.id.localeCompare(b.id));
  if (format === 'json') return JSON.stringify(sorted.map((t) => tradeToJson(t, tags.get(t.id) ?? [])), null, 2) + '\n';
  const columns = [...TRADE_FIELDS, 'root' as const, 'tags' as const];
  const header = columns.join(',');
  const lines = sorted.map((t) => {
    const j = tradeToJson(t, tags.get(t.id) ?? []);
    return columns
      .map((f) => {
        const v = (j as Record<string, unknown>)[f];
        if (v === null || v === undefined) return '';
        // Numbers stay numbers (a loss is -12.5, summable in a spreadsheet); only text is neutralised.
        if (typeof v === 'number') return String(v);
        return csvCell(neutraliseFormula(Array.isArray(v) ? v.join(f === 'tags' ? TAG_LIST_SEPARATOR : ' ') : String(v)));
      })
      .join(',');
  });
  return [header, ...lines].join('\n') + '\n';
}

/** Reads back what `exportTrades` wrote (either format). Throws naming the line on bad input. */
export function parseExport(text: string): Trade[] {
  return parseExportWithTags(text).trades;
}

/**
 * The trades and their tags (exports written before tags existed have none). A tag that breaks
 * the tag rule throws naming the trade.
 */
export function parseExportWithTags(text: string): { trades: Trade[]; tags: Map<string, string[]> } {
  const tags = new Map<string, string[]>();
  const keep = (id: string, raw: unknown): void => {
    const list = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' && raw !== '' ? raw.split(TAG_LIST_SEPARATOR) : [];
    if (!list.length) return;
    try {
      tags.set(id, normalizeTags(list));
    } catch (e) {
      throw new Error(`export: trade ${id}: ${(e as Error).message}`);
    }
  };
  const trimmed = text.trim();
  if (trimmed === '') return { trades: [], tags };
  if (trimmed.startsWith('[')) {
    const trades = (JSON.parse(trimmed) as TradeJson[]).map((j) => {
      const t = fromJson(j);
      keep(t.id, j.tags);
      return t;
    });
    return { trades, tags };
  }
  const rows = parseCsv(trimmed);
  const [header, ...data] = rows;
  const trades = data.map((cells, i) => {
    if (cells.length !== header.length) throw new Error(`export line ${i + 2}: ${cells.length} cells, expected ${header.length}`);
    const o: Record<string, unknown> = {};
    header.forEach((h, k) => (o[h] = restoreFormula(cells[k])));
    const num = (k: string) => (o[k] === '' ? null : Number(o[k]));
    return fromJson({
      ...o,
      qty: num('qty'),
      maxPosition: num('maxPosition'),
      avgEntryPrice: num('avgEntryPrice'),
      avgExitPrice: num('avgExitPrice'),
      grossPnl: num('grossPnl'),
      commissions: num('commissions'),
      netPnl: num('netPnl'),
      mae: num('mae'),
      mfe: num('mfe'),
      rMultiple: num('rMultiple'),
      fillIds: o.fillIds === '' ? [] : String(o.fillIds).split(' '),
    } as TradeJson);
  });
  data.forEach((cells, i) => keep(trades[i].id, cells[header.indexOf('tags')] ?? ''));
  return { trades, tags };
}

function fromJson(j: TradeJson): Trade {
  return {
    id: String(j.id),
    account: String(j.account),
    mode: j.mode === 'LIVE' ? 'LIVE' : 'SIM',
    symbol: String(j.symbol),
    root: j.root ? String(j.root) : '',
    side: j.side === 'SHORT' ? 'SHORT' : 'LONG',
    qty: Number(j.qty),
    maxPosition: Number(j.maxPosition),
    entryTime: Date.parse(String(j.entryTime)),
    exitTime: Date.parse(String(j.exitTime)),
    avgEntryPrice: Number(j.avgEntryPrice),
    avgExitPrice: Number(j.avgExitPrice),
    grossPnl: Number(j.grossPnl),
    commissions: Number(j.commissions),
    netPnl: Number(j.netPnl),
    mae: j.mae === null ? null : Number(j.mae),
    mfe: j.mfe === null ? null : Number(j.mfe),
    rMultiple: j.rMultiple === null ? null : Number(j.rMultiple),
    fillIds: (j.fillIds as string[]).map(String),
  };
}

/**
 * OWASP's CSV-injection rule: a text cell a spreadsheet would read as a formula (first character
 * = + - @ tab or CR) gets a leading apostrophe. Text that already starts with apostrophes before
 * such a character gets one more, so `restoreFormula` undoes exactly what was added.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;

export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function restoreFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell) ? cell.slice(1) : cell;
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  row.push(cell);
  rows.push(row);
  return rows;
}
