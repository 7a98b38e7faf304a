/**
 * Trade detail: the fills timeline, prices, money, excursions, R and the stop it came from, duration,
 * tags (add/remove with completion from the tags in use) and a link to the trade's note.
 */
import type { TradeDetail } from '../../src/shared/journalProtocol';
import { formatDuration, formatMoney, formatRatio } from '../../src/shared/format';
import { el, setTone } from '../lib/common';

export interface DetailCallbacks {
  tag(tradeId: string, add: string[], remove: string[]): void;
  openNote(day: string, tradeId: string): void;
  close(): void;
}

const time = (ms: number) => new Date(ms).toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
const px = (n: number | null | undefined) => (n === null || n === undefined ? '—' : String(Math.round(n * 1e6) / 1e6));

export function renderDetail(d: TradeDetail | null, cb: DetailCallbacks): HTMLElement {
  const box = el('aside', { class: 'detail', 'data-testid': 'trade-detail', 'aria-label': 'Trade detail' });
  const close = el('button', { class: 'pill close', 'aria-label': 'Close the detail', 'data-testid': 'detail-close' }, '×');
  close.addEventListener('click', () => cb.close());
  if (!d) {
    box.append(close, el('p', { class: 'muted' }, 'This trade is no longer in the store (rebuilt or undone).'));
    return box;
  }
  const t = d.row.trade;
  const money = (label: string, v: number | null, id?: string) => {
    const value = el('span', { class: 'value', 'data-testid': id }, v === null ? '—' : formatMoney(v, true));
    setTone(value, v);
    return el('div', { class: 'field' }, el('span', { class: 'label' }, label), value);
  };
  const plain = (label: string, v: string, title?: string) => el('div', { class: 'field', title }, el('span', { class: 'label' }, label), el('span', { class: 'value' }, v));
  const r = t.rMultiple === null ? '—' : `${formatRatio(t.rMultiple)}R`;
  const stop = d.stop === null ? 'no protective stop was working' : d.stop.assumed ? 'assumed (default stop setting)' : `stop ${px(d.stop.price)}`;

  const fills = el('table', { class: 'fills', 'data-testid': 'detail-fills' },
    el('thead', {}, el('tr', {}, ...['Time', 'Side', 'Qty', 'Price', 'Fee', 'Execution id'].map((h) => el('th', {}, h)))),
    el('tbody', {}, ...d.fills.map((f) => el('tr', {}, el('td', {}, time(f.timeMs)), el('td', {}, f.side), el('td', { class: 'num' }, String(f.qty)), el('td', { class: 'num' }, px(f.price)), el('td', { class: 'num' }, f.fee === null || f.fee === undefined ? '—' : formatMoney(f.fee)), el('td', { class: 'mono wrap' }, f.executionId)))),
  );

  const chips = el('div', { class: 'chips', 'data-testid': 'detail-tags' }, ...d.row.tags.map((tag) => {
    const x = el('button', { class: 'chip-x', 'aria-label': `Remove tag ${tag}` }, '×');
    x.addEventListener('click', () => cb.tag(t.id, [], [tag]));
    return el('span', { class: 'chip' }, tag, x);
  }));
  const input = el('input', { type: 'text', list: 'journal-tags', placeholder: 'add a tag', 'aria-label': 'Add a tag', 'data-testid': 'detail-tag-input' });
  const add = el('button', { class: 'pill', 'data-testid': 'detail-tag-add' }, 'Add');
  const submit = () => {
    const v = input.value.trim();
    if (v) cb.tag(t.id, [v], []);
    input.value = '';
  };
  add.addEventListener('click', submit);
  input.addEventListener('keydown', (e) => e.key === 'Enter' && submit());
  const note = el('button', { class: 'pill', 'data-testid': 'detail-note' }, `Note in ${d.noteDay}.md`);
  note.addEventListener('click', () => cb.openNote(d.noteDay, t.id));

  box.append(
    close,
    el('div', { class: 'head' }, el('span', { class: 'symbol' }, t.symbol), el('span', { class: `side-badge ${t.side.toLowerCase()}` }, t.side), el('span', { class: 'muted' }, `${t.qty} · ${t.account} · ${t.mode}`)),
    el('div', { class: 'fields' },
      plain('Entry', `${px(t.avgEntryPrice)} at ${time(t.entryTime)}`),
      plain('Exit', `${px(t.avgExitPrice)} at ${time(t.exitTime)}`),
      plain('Duration', formatDuration(d.row.durationSec)),
      plain('Max position', String(t.maxPosition)),
      money('Gross', t.grossPnl),
      plain('Fees', formatMoney(t.commissions)),
      money('Net', t.netPnl, 'detail-net'),
      money('MAE', t.mae),
      money('MFE', t.mfe),
      plain('R', r, 'R = net / (|avg entry - initial stop| x qty x point value)'),
      plain('Risk from', stop),
    ),
    el('h2', {}, 'Fills'),
    fills,
    el('h2', {}, 'Tags'),
    chips,
    el('div', { class: 'actions' }, input, add),
    el('h2', {}, 'Note'),
    el('div', { class: 'actions' }, note),
  );
  return box;
}
