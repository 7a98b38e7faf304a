/**
 * The journal panel's answers to its page's questions (pages of rows, reports, calendar months,
 * trade details) and its facets, computed from the host's TradeIndex. Free of the VS Code API, so
 * the panel bench (src/bench/journalPanel.ts) drives the real page with these very answers.
 */
import { buildReport, calendarMonth, TradeIndex } from '../core/reports';
import { gridToJsonObject } from '../core/stats/json';
import type { Fill } from '../core/trading/types';
import { JOURNAL_PAGE_ROWS, type JournalFacets, type JournalFirstPaint, type JournalHostMessage, type JournalPage, type JournalRequest, type JournalViewState, type TradeDetail } from '../shared/journalProtocol';

/** What the answers read: the index (null while the store loads) and the store's fills. */
export interface JournalAnswerSource {
  index(): TradeIndex | null;
  /** Where the figures come from, e.g. "demo store" or the store description. */
  sourceLabel(): string;
  fillsOf(tradeId: string): Promise<Fill[]>;
}

/** A request that expects an answer (it carries a sequence number). */
export type JournalQuestion = Extract<JournalRequest, { seq: number }>;

export function journalFacets(source: JournalAnswerSource): JournalFacets {
  const index = source.index();
  const f = index?.facets() ?? { accounts: [], symbols: [] };
  return {
    loading: index === null,
    accounts: f.accounts,
    symbols: f.symbols,
    tags: index?.tagsInUse().map((t) => t.tag) ?? [],
    totalTrades: index?.size ?? 0,
    source: source.sourceLabel(),
  };
}

/** The first page of rows for `filter`/`sort` from `offset`, with the totals of the filtered set (empty while the store loads). */
function pageOf(index: TradeIndex | null, q: { filter: JournalViewState['filter']; sort: JournalViewState['sort']; offset: number; limit: number }): JournalPage {
  const page = index?.page({ filter: q.filter, sort: q.sort, offset: q.offset, limit: q.limit });
  return page ? { total: page.total, offset: page.offset, rows: page.rows, totals: gridToJsonObject(page.totals) } : { total: 0, offset: 0, rows: [], totals: gridToJsonObject(emptyGrid()) };
}

/**
 * What the panel's HTML carries for its first paint (webviewShell's JSON data element): the state,
 * the facets and the first page of rows of that state's trades, so no round trip precedes the rows.
 */
export function journalFirstPaint(source: JournalAnswerSource, state: JournalViewState): JournalFirstPaint {
  return { state, facets: journalFacets(source), page: pageOf(source.index(), { filter: state.filter, sort: state.sort, offset: 0, limit: JOURNAL_PAGE_ROWS }) };
}

/** The answer to one question; an 'error' message when the store is still loading. */
export async function answerJournal(source: JournalAnswerSource, m: JournalQuestion): Promise<JournalHostMessage> {
  const index = source.index();
  switch (m.type) {
    case 'page':
      return { type: 'page', seq: m.seq, page: pageOf(index, m) };
    case 'report': {
      if (!index) return { type: 'error', message: 'The trade store is still loading.' };
      const r = buildReport(index, m.filter, { breakdowns: [m.by] });
      return {
        type: 'report',
        seq: m.seq,
        report: {
          grid: gridToJsonObject(r.grid),
          metrics: r.metrics.map((x) => ({ ...x, value: x.value !== null && Number.isFinite(x.value) ? x.value : x.value === Infinity ? Infinity : null })),
          breakdown: { key: m.by, rows: (r.breakdowns[m.by] ?? []).map((row) => ({ key: row.key, label: row.label, grid: gridToJsonObject(row.grid) })) },
          equity: r.equity,
        },
      };
    }
    case 'calendar': {
      if (!index) return { type: 'error', message: 'The trade store is still loading.' };
      return { type: 'calendar', seq: m.seq, month: jsonSafe(calendarMonth(index, m.filter, m.year, m.month)) };
    }
    case 'detail': {
      const row = index?.rowOf(m.tradeId);
      if (!index || !row) return { type: 'detail', seq: m.seq, detail: null };
      const fills = await source.fillsOf(m.tradeId);
      const trade = row.trade;
      const detail: TradeDetail = {
        row,
        fills,
        stop: trade.rMultiple === null ? null : { price: null, assumed: false },
        noteDay: row.sessionDay,
      };
      return { type: 'detail', seq: m.seq, detail };
    }
  }
}

let noTrades: ReturnType<TradeIndex['totals']> | undefined;
/** The grid of no trades, from the one metric table (never a hand-written zero object). */
function emptyGrid() {
  noTrades ??= new TradeIndex().totals({});
  return noTrades;
}

/** Drops Infinity from plain data (webview messages are JSON): calendar grids carry a profit factor. */
function jsonSafe<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (_k, x) => (x === Infinity ? 'Infinity' : x === -Infinity ? '-Infinity' : x)));
}
