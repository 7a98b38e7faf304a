/**
 * Trades tab: filter bar, a virtualized table (only the visible rows exist in the DOM; pages of rows
 * are asked from the host as they scroll into view), a totals row for the filtered set, keyboard
 * navigation and multi-selection for tagging.
 */
import type { TradeColumn, TradeFilter, TradeSort } from '../../src/core/reports/types';
import { JOURNAL_PAGE_ROWS, type JournalFacets, type JournalPage, type PageRow } from '../../src/shared/journalProtocol';
import { formatDuration, formatMoney, formatPercent, formatRatio, formatTimestamp } from '../../src/shared/format';
import { el, setTone } from '../lib/common';
import { ask } from './net';

const ROW_H = 24;
const PAGE = JOURNAL_PAGE_ROWS;
/**
 * Pages of rows kept, the nearest to the rows on screen: scrolling through a long history otherwise kept every
 * page it passed (100k trades: 500 pages of row objects, tens of MB the panel never gave back). A page scrolled
 * back into view is asked again (a few ms in the host).
 */
export const KEPT_PAGES = 10;
/**
 * Less than the height above and below the rows on a fresh page (tabs, filter bar, column header, totals):
 * the first paint builds rows for the window less this, which still covers the table without reading its layout.
 */
const FIRST_SCREEN_CHROME = 96;

interface Column {
  id: TradeColumn;
  label: string;
  width: string;
  cell: (r: PageRow) => string;
  /** Tone from the sign of this value. */
  tone?: (r: PageRow) => number | null;
  numeric?: boolean;
}

const price = (n: number) => String(Math.round(n * 1e6) / 1e6);
const optMoney = (n: number | null) => (n === null ? '—' : formatMoney(n, true));

export const COLUMNS: Column[] = [
  // No Intl on the first rows' path (its first use in a page costs 50-100 ms): a fixed, sortable form.
  { id: 'exitTime', label: 'Exit', width: '150px', cell: (r) => formatTimestamp(r.trade.exitTime) },
  { id: 'account', label: 'Account', width: '90px', cell: (r) => r.trade.account },
  { id: 'symbol', label: 'Symbol', width: '90px', cell: (r) => r.trade.symbol },
  { id: 'side', label: 'Side', width: '56px', cell: (r) => r.trade.side },
  { id: 'qty', label: 'Qty', width: '44px', cell: (r) => String(r.trade.qty), numeric: true },
  { id: 'avgEntryPrice', label: 'Entry', width: '84px', cell: (r) => price(r.trade.avgEntryPrice), numeric: true },
  { id: 'avgExitPrice', label: 'Exit px', width: '84px', cell: (r) => price(r.trade.avgExitPrice), numeric: true },
  { id: 'netPnl', label: 'Net', width: '90px', cell: (r) => formatMoney(r.trade.netPnl, true), tone: (r) => r.trade.netPnl, numeric: true },
  { id: 'grossPnl', label: 'Gross', width: '90px', cell: (r) => formatMoney(r.trade.grossPnl, true), tone: (r) => r.trade.grossPnl, numeric: true },
  { id: 'commissions', label: 'Fees', width: '64px', cell: (r) => formatMoney(r.trade.commissions), numeric: true },
  { id: 'rMultiple', label: 'R', width: '56px', cell: (r) => (r.trade.rMultiple === null ? '—' : `${formatRatio(r.trade.rMultiple)}R`), tone: (r) => r.trade.rMultiple, numeric: true },
  { id: 'mae', label: 'MAE', width: '76px', cell: (r) => optMoney(r.trade.mae), numeric: true },
  { id: 'mfe', label: 'MFE', width: '76px', cell: (r) => optMoney(r.trade.mfe), numeric: true },
  { id: 'durationSec', label: 'Duration', width: '76px', cell: (r) => formatDuration(r.durationSec), numeric: true },
  { id: 'tags', label: 'Tags', width: 'minmax(120px, 1fr)', cell: (r) => r.tags.join(', ') },
];

/**
 * A row's least width: the fixed columns, the tags column's minimum, the gaps and the padding (journal.css).
 * Given, not measured: `min-width: max-content` had every row work out its cells' intrinsic widths in each layout.
 */
const ROW_MIN_WIDTH = COLUMNS.reduce((sum, c) => sum + (Number(/^(\d+)px$/.exec(c.width)?.[1]) || Number(/^minmax\((\d+)px/.exec(c.width)?.[1]) || 0), 0) + 8 * (COLUMNS.length - 1) + 2 * 8;

let rowTemplate: HTMLElement | undefined;

/** A trade's row: a clone of one empty row with its cells (a third of the script of building every cell anew). */
function tradeRow(r: PageRow): HTMLElement {
  if (!rowTemplate) {
    rowTemplate = el('div', { class: 'vt-row', role: 'row', 'data-testid': 'trade-row' });
    for (const c of COLUMNS) rowTemplate.append(el('span', { class: c.numeric ? 'num' : '', role: 'gridcell' }));
  }
  const row = rowTemplate.cloneNode(true) as HTMLElement;
  row.dataset.id = r.trade.id;
  let cell = row.firstElementChild as HTMLElement;
  for (const c of COLUMNS) {
    const text = c.cell(r);
    cell.textContent = text;
    if (c.tone) setTone(cell, c.tone(r));
    if (c.id === 'tags') cell.title = text;
    cell = cell.nextElementSibling as HTMLElement;
  }
  return row;
}

export interface TradesCallbacks {
  filterChanged(filter: TradeFilter, sort: TradeSort): void;
  open(row: PageRow): void;
  tag(tradeIds: string[], add: string[], remove: string[]): void;
}

export class TradesTab {
  readonly root: HTMLElement;
  private filter: TradeFilter;
  private sort: TradeSort;
  private facets: JournalFacets | null = null;
  private gen = 0;
  private total = 0;
  private pages = new Map<number, PageRow[]>();
  private pending = new Set<number>();
  private cursor = 0;
  /** The last row index the last paint covered (overscan included): a resize within it needs no new rows. */
  private paintedTo = -1;
  private dayPickers = false;
  private selected = new Set<string>();
  private readonly bar = el('div', { class: 'filters', role: 'toolbar', 'aria-label': 'Filters' });
  private readonly header = el('div', { class: 'vt-row vt-head', role: 'row' });
  private readonly scroller = el('div', { class: 'vt', role: 'grid', tabindex: '0', 'aria-label': 'Trades', 'data-testid': 'trades-table' });
  private readonly spacer = el('div', { class: 'vt-spacer' });
  private readonly totalsRow = el('div', { class: 'totals', 'data-testid': 'trades-totals', role: 'status' });
  private readonly selection = el('div', { class: 'selection-bar' });
  private readonly empty = el('p', { class: 'empty', 'data-testid': 'trades-empty' });

  constructor(filter: TradeFilter, sort: TradeSort, private readonly cb: TradesCallbacks) {
    this.filter = { ...filter };
    this.sort = { ...sort };
    const cols = COLUMNS.map((c) => c.width).join(' ');
    this.root = el('section', { class: 'tab-trades' });
    // CSSOM, not a style attribute: the CSP allows no inline styles.
    this.root.style.setProperty('--vt-cols', cols);
    this.root.style.setProperty('--vt-min-width', `${ROW_MIN_WIDTH}px`);
    this.scroller.append(this.header, this.spacer);
    this.root.append(this.bar, this.selection, this.empty, this.scroller, this.totalsRow);
    this.renderHeader();
    this.scroller.addEventListener('scroll', () => this.paint(), { passive: true });
    this.scroller.addEventListener('keydown', (e) => this.onKey(e));
    this.scroller.addEventListener('click', (e) => this.onClick(e));
    this.scroller.addEventListener('dblclick', (e) => {
      const i = this.indexOf(e.target);
      const row = i === null ? undefined : this.rowAt(i);
      if (row) this.cb.open(row);
    });
    // Observing reports the first size at once, and a horizontal scroll bar appearing shrinks the table: repaint only
    // when rows below the painted ones come into view (rebuilding the first rows again cost a second layout).
    new ResizeObserver(() => Math.ceil((this.scroller.scrollTop + this.scroller.clientHeight) / ROW_H) > this.paintedTo && this.paint()).observe(this.scroller);
  }

  /** Turns the From/To boxes into date pickers (called once the first rows are painted). */
  enableDayPickers(): void {
    this.dayPickers = true;
    for (const i of this.bar.querySelectorAll<HTMLInputElement>('input[data-day]')) i.type = 'date';
  }

  setFacets(f: JournalFacets): void {
    this.facets = f;
    this.renderFilters();
  }

  setFilter(filter: TradeFilter): void {
    this.filter = { ...filter };
    this.renderFilters();
    this.reload();
  }

  /** Everything shown is stale (new trades, tags changed): ask again, keeping the scroll position. */
  reload(): void {
    this.gen++;
    this.pages.clear();
    this.pending.clear();
    void this.load(Math.floor(this.scroller.scrollTop / ROW_H / PAGE));
  }

  /** The first page the host embedded in the HTML (for this filter and sort): shown at once, no question asked. */
  seed(page: JournalPage): void {
    this.gen++;
    this.pages.clear();
    this.pending.clear();
    this.take(0, page, true);
  }

  /** `fresh`: the table was just built at the top, so the first paint need not read its layout (which forces one before the frame). */
  private take(pageIndex: number, page: JournalPage, fresh = false): void {
    this.pages.set(pageIndex, page.rows);
    if (this.pages.size > KEPT_PAGES) {
      const here = Math.floor(this.scroller.scrollTop / ROW_H / PAGE);
      const far = [...this.pages.keys()].sort((a, b) => Math.abs(b - here) - Math.abs(a - here));
      for (const p of far.slice(0, this.pages.size - KEPT_PAGES)) this.pages.delete(p);
    }
    this.total = page.total;
    this.renderTotals(page);
    this.paint(fresh);
  }

  private async load(pageIndex: number): Promise<void> {
    if (this.pages.has(pageIndex) || this.pending.has(pageIndex)) return;
    this.pending.add(pageIndex);
    const gen = this.gen;
    const m = await ask<'page'>({ type: 'page', filter: this.filter, sort: this.sort, offset: pageIndex * PAGE, limit: PAGE });
    if (gen !== this.gen) return; // the filter or sort changed meanwhile
    this.pending.delete(pageIndex);
    this.take(pageIndex, m.page);
  }

  private rowAt(i: number): PageRow | undefined {
    return this.pages.get(Math.floor(i / PAGE))?.[i % PAGE];
  }

  private paint(fresh = false): void {
    this.spacer.style.height = `${this.total * ROW_H}px`;
    this.empty.hidden = this.total > 0;
    this.empty.textContent = this.facets && this.facets.totalTrades === 0 ? 'No trades yet: they appear here as they close, or import your Sierra Chart history.' : 'No trade matches these filters.';
    // Fresh: at the top, no taller than the window (the resize observer adds rows if it is) and no rows beyond it yet
    // (scrolling paints them); every row of the first frame costs style, layout and paint.
    const top = fresh ? 0 : this.scroller.scrollTop;
    const height = (fresh ? window.innerHeight - FIRST_SCREEN_CHROME : this.scroller.clientHeight) || 600;
    const first = Math.max(0, Math.floor(top / ROW_H) - 5);
    const last = Math.min(this.total - 1, Math.ceil((top + height) / ROW_H) + (fresh ? 0 : 5));
    this.paintedTo = last;
    for (let p = Math.floor(first / PAGE); p <= Math.floor(Math.max(first, last) / PAGE); p++) if (this.total > 0) void this.load(p);
    const rows: HTMLElement[] = [];
    for (let i = first; i <= last; i++) {
      const r = this.rowAt(i);
      const row = r ? tradeRow(r) : el('div', { class: 'vt-row', role: 'row' }, el('span', { class: 'muted', role: 'gridcell' }, '…'));
      row.setAttribute('aria-rowindex', String(i + 2));
      row.dataset.index = String(i);
      row.style.top = `${i * ROW_H}px`;
      if (r) row.setAttribute('aria-selected', String(this.selected.has(r.trade.id)));
      row.classList.toggle('cursor', i === this.cursor);
      rows.push(row);
    }
    this.spacer.replaceChildren(...rows);
    this.scroller.setAttribute('aria-rowcount', String(this.total + 1));
    this.renderSelection();
  }

  private renderHeader(): void {
    this.header.replaceChildren(
      ...COLUMNS.map((c) => {
        const active = this.sort.column === c.id;
        const b = el('button', { class: `th ${c.numeric ? 'num' : ''}`, role: 'columnheader', 'aria-sort': active ? (this.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none', 'data-testid': `sort-${c.id}`, title: `Sort by ${c.label}` }, c.label + (active ? (this.sort.dir === 'asc' ? ' ▲' : ' ▼') : ''));
        b.addEventListener('click', () => {
          this.sort = { column: c.id, dir: active && this.sort.dir === 'desc' ? 'asc' : 'desc' };
          this.renderHeader();
          this.cb.filterChanged(this.filter, this.sort);
          this.reload();
        });
        return b;
      }),
    );
  }

  private renderFilters(): void {
    const f = this.facets;
    const pick = (label: string, key: 'mode' | 'account' | 'symbol' | 'side' | 'tag' | 'outcome', options: [string, string][]) => {
      const s = el('select', { 'aria-label': label, 'data-testid': `filter-${key}`, class: 'account-picker' });
      for (const [v, text] of options) s.append(el('option', { value: v }, text));
      s.value = String(this.filter[key] ?? '');
      s.addEventListener('change', () => this.change({ [key]: s.value || undefined }));
      return el('label', { class: 'filter' }, el('span', { class: 'muted' }, label), s);
    };
    const any: [string, string] = ['', 'All'];
    const day = (label: string, key: 'fromDay' | 'toDay') => {
      // A text box until the first rows are painted (its value is the same YYYY-MM-DD): the first date input of a page cost 50-60 ms of script.
      const i = el('input', { type: this.dayPickers ? 'date' : 'text', 'data-day': '', 'aria-label': label, 'data-testid': `filter-${key}`, value: this.filter[key] ?? '' });
      i.addEventListener('change', () => this.change({ [key]: i.value || undefined }));
      return el('label', { class: 'filter' }, el('span', { class: 'muted' }, label), i);
    };
    const clear = el('button', { class: 'pill', 'data-testid': 'filter-clear' }, 'Clear filters');
    clear.addEventListener('click', () => this.setFilterAndNotify({ mode: this.filter.mode }));
    this.bar.replaceChildren(
      pick('Mode', 'mode', [['SIM', 'SIM'], ['LIVE', 'LIVE']]),
      pick('Account', 'account', [any, ...(f?.accounts ?? []).map((a): [string, string] => [a, a])]),
      pick('Symbol', 'symbol', [any, ...(f?.symbols ?? []).map((a): [string, string] => [a, a])]),
      pick('Side', 'side', [any, ['LONG', 'Long'], ['SHORT', 'Short']]),
      pick('Tag', 'tag', [any, ...(f?.tags ?? []).map((a): [string, string] => [a, a]), ['(untagged)', '(untagged)']]),
      pick('Outcome', 'outcome', [any, ['win', 'Winners'], ['loss', 'Losers'], ['scratch', 'Scratches']]),
      day('From', 'fromDay'),
      day('To', 'toDay'),
      clear,
    );
  }

  private change(patch: Partial<TradeFilter>): void {
    const next: TradeFilter = { ...this.filter, ...patch };
    for (const k of Object.keys(next) as (keyof TradeFilter)[]) if (next[k] === undefined) delete next[k];
    this.setFilterAndNotify(next);
  }

  private setFilterAndNotify(f: TradeFilter): void {
    this.selected.clear();
    this.cursor = 0;
    this.scroller.scrollTop = 0;
    this.setFilter(f);
    this.cb.filterChanged(this.filter, this.sort);
  }

  private renderTotals(p: JournalPage): void {
    const t = p.totals;
    const num = (v: unknown) => (typeof v === 'number' ? v : null);
    const net = el('span', { 'data-testid': 'totals-net' }, formatMoney(num(t.totalPnl), true));
    setTone(net, num(t.totalPnl));
    const pf = t.profitFactor === 'Infinity' ? '∞' : formatRatio(num(t.profitFactor));
    this.totalsRow.replaceChildren(
      el('span', { 'data-testid': 'totals-trades' }, `${p.total} ${p.total === 1 ? 'trade' : 'trades'}`),
      el('span', {}, 'Net '), net,
      el('span', { class: 'muted' }, ` · hit rate ${formatPercent(num(t.hitRate))} · expectancy ${formatMoney(num(t.expectancy), true)} · profit factor ${pf} · fees ${formatMoney(num(t.commissions))} · avg R ${t.avgR === null ? '—' : formatRatio(num(t.avgR))}`),
    );
  }

  private renderSelection(): void {
    const n = this.selected.size;
    this.selection.hidden = n === 0;
    if (n === 0) return;
    const input = el('input', { type: 'text', list: 'journal-tags', placeholder: 'tag', 'aria-label': 'Tag for the selected trades', 'data-testid': 'bulk-tag-input' });
    const add = el('button', { class: 'pill', 'data-testid': 'bulk-tag-add' }, 'Add tag');
    const remove = el('button', { class: 'pill' }, 'Remove tag');
    const clear = el('button', { class: 'pill' }, 'Clear selection');
    add.addEventListener('click', () => input.value.trim() && this.cb.tag([...this.selected], [input.value.trim()], []));
    remove.addEventListener('click', () => input.value.trim() && this.cb.tag([...this.selected], [], [input.value.trim()]));
    clear.addEventListener('click', () => {
      this.selected.clear();
      this.paint();
    });
    this.selection.replaceChildren(el('span', {}, `${n} selected`), input, add, remove, clear);
  }

  private indexOf(target: EventTarget | null): number | null {
    const row = (target as HTMLElement | null)?.closest?.('.vt-row[data-index]') as HTMLElement | null;
    return row ? Number(row.dataset.index) : null;
  }

  private onClick(e: MouseEvent): void {
    const i = this.indexOf(e.target);
    if (i === null) return;
    const r = this.rowAt(i);
    this.cursor = i;
    if (r && (e.ctrlKey || e.metaKey)) this.toggle(r.trade.id);
    else if (r && e.shiftKey) this.extendTo(i);
    else if (r) this.cb.open(r);
    this.paint();
  }

  private toggle(id: string): void {
    if (!this.selected.delete(id)) this.selected.add(id);
  }

  private extendTo(i: number): void {
    const anchor = Math.min(i, this.cursor);
    for (let k = anchor; k <= Math.max(i, this.cursor); k++) {
      const r = this.rowAt(k);
      if (r) this.selected.add(r.trade.id);
    }
  }

  private onKey(e: KeyboardEvent): void {
    const visible = Math.max(1, Math.floor(this.scroller.clientHeight / ROW_H) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: visible, PageUp: -visible, Home: -Infinity, End: Infinity };
    if (e.key in moves) {
      e.preventDefault();
      const from = this.cursor;
      this.cursor = Math.max(0, Math.min(this.total - 1, from + moves[e.key]));
      if (e.shiftKey) this.extendTo(from);
      const y = (this.cursor + 1) * ROW_H;
      if (y < this.scroller.scrollTop + ROW_H) this.scroller.scrollTop = y - ROW_H;
      else if (y + ROW_H > this.scroller.scrollTop + this.scroller.clientHeight) this.scroller.scrollTop = y + ROW_H - this.scroller.clientHeight;
      this.paint();
    } else if (e.key === 'Enter') {
      const r = this.rowAt(this.cursor);
      if (r) this.cb.open(r);
    } else if (e.key === ' ') {
      e.preventDefault();
      const r = this.rowAt(this.cursor);
      if (r) this.toggle(r.trade.id);
      this.paint();
    } else if (e.key === 'Escape') {
      this.selected.clear();
      this.paint();
    }
  }
}
