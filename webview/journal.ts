/**
 * The journal panel (editor area): Trades, Calendar and Reports tabs over host-owned data. The page
 * keeps only what it shows; its view state is saved for a reload and sent to the host.
 */
import { DEFAULT_JOURNAL_STATE, JOURNAL_TABS, type JournalFacets, type JournalTab, type JournalViewState } from '../src/shared/journalProtocol';
import { el, mount } from './lib/common';
import { ask, embeddedFirstPaint, onPush, saveState, savedState, tell } from './journal/net';
import { TradesTab } from './journal/trades';
import { renderDetail } from './journal/detail';
import { renderCalendar } from './journal/calendar';
import { renderReports } from './journal/reports';

// The host embeds the state it opened the panel with (a link's trade or day) and that state's first rows; a reload restores the saved state (the serializer gave the host the same).
const embedded = embeddedFirstPaint();
let state: JournalViewState = { ...DEFAULT_JOURNAL_STATE, ...(savedState() ?? embedded?.state ?? {}) };
const TAB_LABEL: Record<JournalTab, string> = { trades: 'Trades', calendar: 'Calendar', reports: 'Reports' };

const tabBar = el('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Journal' });
const source = el('span', { class: 'muted small source', 'data-testid': 'journal-source' });
const loading = el('p', { class: 'loading', role: 'status', 'data-testid': 'journal-loading' }, 'Loading the trade store…');
const body = el('div', { class: 'tab-body' });
const detailBox = el('div', { class: 'detail-box' });
const tagList = el('datalist', { id: 'journal-tags' });
const errorLine = el('p', { class: 'error-text', role: 'alert', hidden: '' });

function save(patch: Partial<JournalViewState>): void {
  state = { ...state, ...patch };
  saveState(state);
}

const trades = new TradesTab(state.filter, state.sort, {
  filterChanged: (filter, sort) => save({ filter, sort }),
  open: (row) => void openDetail(row.trade.id),
  tag: (ids, add, remove) => tell({ type: 'tags', tradeIds: ids, add, remove }),
});

function renderTabs(): void {
  tabBar.replaceChildren(...JOURNAL_TABS.map((t) => {
    const b = el('button', { class: 'tab', role: 'tab', 'aria-selected': String(t === state.tab), 'data-testid': `tab-${t}` }, TAB_LABEL[t]);
    b.addEventListener('click', () => show({ tab: t }));
    return b;
  }));
}

async function renderBody(): Promise<void> {
  const tab = state.tab;
  if (tab === 'trades') {
    body.replaceChildren(trades.root);
    return;
  }
  if (tab === 'calendar') {
    const [y, m] = (state.month ?? new Date().toISOString().slice(0, 7)).split('-').map(Number);
    const { month } = await ask<'calendar'>({ type: 'calendar', filter: { ...state.filter, fromDay: undefined, toDay: undefined }, year: y, month: m });
    if (state.tab !== tab) return;
    body.replaceChildren(renderCalendar(month, {
      month: (year, mo) => show({ month: `${year}-${String(mo).padStart(2, '0')}` }),
      day: (day) => {
        const filter = { ...state.filter, fromDay: day, toDay: day };
        trades.setFilter(filter);
        show({ tab: 'trades', filter });
      },
    }));
    return;
  }
  const { report } = await ask<'report'>({ type: 'report', filter: state.filter, by: state.breakdown });
  if (state.tab !== tab) return;
  body.replaceChildren(renderReports(report, (by) => show({ breakdown: by })));
}

async function openDetail(tradeId: string | null): Promise<void> {
  save({ tradeId });
  if (!tradeId) {
    detailBox.replaceChildren();
    return;
  }
  const { detail } = await ask<'detail'>({ type: 'detail', tradeId });
  if (state.tradeId !== tradeId) return;
  detailBox.replaceChildren(renderDetail(detail, {
    tag: (id, add, remove) => tell({ type: 'tags', tradeIds: [id], add, remove }),
    openNote: (day, id) => tell({ type: 'openNote', day, tradeId: id }),
    close: () => void openDetail(null),
  }));
}

function show(patch: Partial<JournalViewState>): void {
  const filterChanged = patch.filter !== undefined;
  save(patch);
  if (filterChanged && state.tab === 'trades') trades.setFilter(state.filter);
  renderTabs();
  void renderBody();
  if (patch.tradeId !== undefined) void openDetail(patch.tradeId);
}

let shownFacets = '';
function setFacets(f: JournalFacets): void {
  // The host sends its facets on 'ready', most often the ones the HTML carried: no second filter bar then.
  const json = JSON.stringify(f);
  if (json === shownFacets) return;
  shownFacets = json;
  loading.hidden = !f.loading;
  source.textContent = f.source;
  tagList.replaceChildren(...f.tags.map((t) => el('option', { value: t })));
  trades.setFacets(f);
}

onPush((m) => {
  switch (m.type) {
    case 'facets':
      setFacets(m.facets);
      return;
    case 'changed':
      trades.reload();
      if (state.tab !== 'trades') void renderBody();
      if (state.tradeId) void openDetail(state.tradeId);
      return;
    case 'show':
      if (m.state.filter) trades.setFilter(m.state.filter);
      show(m.state);
      return;
    case 'error':
      errorLine.hidden = false;
      errorLine.textContent = m.message;
      return;
  }
});

if (embedded) setFacets(embedded.facets);
mount(el('div', { class: 'journal' },
  el('div', { class: 'journal-head' }, tabBar, source),
  loading, errorLine, tagList,
  el('div', { class: 'journal-main' }, body, detailBox)));
renderTabs();
void renderBody(); // the Trades tab is in the page when this returns
// The embedded rows paint in this task, after the table is in the page (it reads its height once).
const sameQuery = embedded !== undefined && JSON.stringify([embedded.state.filter, embedded.state.sort]) === JSON.stringify([state.filter, state.sort]);
if (sameQuery) trades.seed(embedded.page);
else trades.reload();
tell({ type: 'ready' });
if (state.tradeId) void openDetail(state.tradeId);
// What the first rows do not need waits until the frame that shows them is out (the next frame has begun).
requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => trades.enableDayPickers())));
