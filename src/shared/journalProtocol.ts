/**
 * Messages between the host and the journal panel (issue 14). The host owns the state and answers
 * requests with pages, reports and calendar months: the panel never holds the whole table. Both
 * directions are checked by guards, as the sidebar views' messages are.
 * Grids travel in their JSON form (profitFactor "Infinity"), since webview messages are JSON.
 */
import type { GridJson } from '../core/stats/json';
import type { BreakdownKey, CalendarMonth, EquitySeries, MetricValue, TradeColumn, TradeFilter, TradeListRow, TradeSort } from '../core/reports/types';
import { BREAKDOWN_KEYS, MAX_PAGE, TRADE_COLUMNS } from '../core/reports/types';
import type { Fill } from '../core/trading/types';

export const JOURNAL_TABS = ['trades', 'calendar', 'reports'] as const;
export type JournalTab = (typeof JOURNAL_TABS)[number];

/** What the panel restores after a reload (WebviewPanelSerializer) and what a link can ask for. */
export interface JournalViewState {
  tab: JournalTab;
  filter: TradeFilter;
  sort: TradeSort;
  /** Calendar month shown, 'YYYY-MM'. */
  month: string | null;
  breakdown: BreakdownKey;
  /** The trade whose detail is open. */
  tradeId: string | null;
}

export const DEFAULT_JOURNAL_STATE: JournalViewState = {
  tab: 'trades',
  filter: { mode: 'SIM' },
  sort: { column: 'exitTime', dir: 'desc' },
  month: null,
  breakdown: 'symbol',
  tradeId: null,
};

/** Choices for the filter bar, and whether the store is still loading. */
export interface JournalFacets {
  loading: boolean;
  accounts: string[];
  symbols: string[];
  tags: string[];
  /** Trade count over everything, so the panel can say "no trades yet" apart from "none match". */
  totalTrades: number;
  /** The store the figures come from (e.g. "demo store" or the sqlite path), never a password. */
  source: string;
}

export type PageRow = TradeListRow;

export interface JournalPage {
  total: number;
  offset: number;
  rows: PageRow[];
  totals: GridJson;
}

export interface JournalReportMsg {
  grid: GridJson;
  metrics: MetricValue[];
  breakdown: { key: BreakdownKey; rows: { key: string; label: string; grid: GridJson }[] };
  equity: EquitySeries;
}

export interface TradeDetail {
  row: PageRow;
  fills: Fill[];
  /** The stop price R came from, when the trade has a stop-based R; `assumed` when R is assumed. */
  stop: { price: number | null; assumed: boolean } | null;
  /** The day note heading for this trade, if written: a file path and line for "Open note". */
  noteDay: string;
}

/**
 * What the host writes into the panel's HTML (a non-executable JSON script element) so the page
 * paints its first rows without a round trip: the state the rows were made for, the facets and the
 * first page of that state's filter and sort.
 */
export interface JournalFirstPaint {
  state: JournalViewState;
  facets: JournalFacets;
  page: JournalPage;
}

/** The id of the JSON script element holding the JournalFirstPaint. */
export const JOURNAL_FIRST_PAINT_ID = 'journal-first-paint';

/** Rows in a page the panel asks for (and in the first page the host embeds). */
export const JOURNAL_PAGE_ROWS = 200;

export type JournalRequest =
  | { type: 'ready' }
  | { type: 'page'; seq: number; filter: TradeFilter; sort: TradeSort; offset: number; limit: number }
  | { type: 'report'; seq: number; filter: TradeFilter; by: BreakdownKey }
  | { type: 'calendar'; seq: number; filter: TradeFilter; year: number; month: number }
  | { type: 'detail'; seq: number; tradeId: string }
  | { type: 'tags'; tradeIds: string[]; add: string[]; remove: string[] }
  | { type: 'openNote'; day: string; tradeId: string | null }
  | { type: 'state'; state: JournalViewState };

export type JournalHostMessage =
  | { type: 'facets'; facets: JournalFacets }
  | { type: 'page'; seq: number; page: JournalPage }
  | { type: 'report'; seq: number; report: JournalReportMsg }
  | { type: 'calendar'; seq: number; month: CalendarMonth }
  | { type: 'detail'; seq: number; detail: TradeDetail | null }
  /** Trades were added or changed: the panel re-asks for what it shows (coalesced by the host). */
  | { type: 'changed' }
  /** Show this state (a link from a day note, the calendar of the Stats view...). */
  | { type: 'show'; state: Partial<JournalViewState> }
  | { type: 'error'; message: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown, max = 200): v is string => typeof v === 'string' && v.length <= max;
const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isDay = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
const strList = (v: unknown, maxItems: number): v is string[] => Array.isArray(v) && v.length <= maxItems && v.every((s) => isStr(s, 200));

export function isTradeFilter(v: unknown): v is TradeFilter {
  if (!isObj(v)) return false;
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined) continue;
    switch (k) {
      case 'mode': if (x !== 'SIM' && x !== 'LIVE') return false; break;
      case 'account': if (x !== null && !isStr(x)) return false; break;
      case 'symbol': case 'tag': if (!isStr(x)) return false; break;
      case 'side': if (x !== 'LONG' && x !== 'SHORT') return false; break;
      case 'fromMs': case 'toMs': if (!isInt(x, 0, 8.64e15)) return false; break;
      case 'fromDay': case 'toDay': if (!isDay(x)) return false; break;
      case 'outcome': if (x !== 'win' && x !== 'loss' && x !== 'scratch') return false; break;
      default: return false; // an unknown key is a bug or a forgery, never silently dropped
    }
  }
  return true;
}

export function isTradeSort(v: unknown): v is TradeSort {
  return isObj(v) && (TRADE_COLUMNS as readonly string[]).includes(v.column as string) && (v.dir === 'asc' || v.dir === 'desc');
}

const isBreakdown = (v: unknown): v is BreakdownKey => (BREAKDOWN_KEYS as readonly string[]).includes(v as string);

export function isJournalViewState(v: unknown): v is JournalViewState {
  return (
    isObj(v) &&
    (JOURNAL_TABS as readonly string[]).includes(v.tab as string) &&
    isTradeFilter(v.filter) &&
    isTradeSort(v.sort) &&
    (v.month === null || (typeof v.month === 'string' && /^\d{4}-\d{2}$/.test(v.month))) &&
    isBreakdown(v.breakdown) &&
    (v.tradeId === null || isStr(v.tradeId))
  );
}

/** Guard for everything the panel may post; anything else is dropped and counted by the host. */
export function isJournalRequest(v: unknown): v is JournalRequest {
  if (!isObj(v)) return false;
  const seq = isInt(v.seq, 0, Number.MAX_SAFE_INTEGER);
  switch (v.type) {
    case 'ready':
      return true;
    case 'page':
      return seq && isTradeFilter(v.filter) && isTradeSort(v.sort) && isInt(v.offset, 0, 1e9) && isInt(v.limit, 1, MAX_PAGE);
    case 'report':
      return seq && isTradeFilter(v.filter) && isBreakdown(v.by);
    case 'calendar':
      return seq && isTradeFilter(v.filter) && isInt(v.year, 1970, 9999) && isInt(v.month, 1, 12);
    case 'detail':
      return seq && isStr(v.tradeId);
    case 'tags':
      return strList(v.tradeIds, 100_000) && v.tradeIds.length > 0 && strList(v.add, 50) && strList(v.remove, 50);
    case 'openNote':
      return isDay(v.day) && (v.tradeId === null || isStr(v.tradeId));
    case 'state':
      return isJournalViewState(v.state);
    default:
      return false;
  }
}

export function isJournalHostMessage(v: unknown): v is JournalHostMessage {
  return isObj(v) && typeof v.type === 'string' && ['facets', 'page', 'report', 'calendar', 'detail', 'changed', 'show', 'error'].includes(v.type);
}

export const isColumn = (v: unknown): v is TradeColumn => (TRADE_COLUMNS as readonly string[]).includes(v as string);
