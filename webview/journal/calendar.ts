/**
 * Calendar tab: a month of session days coloured by net P&L (strength by size, sign also written out
 * so colour never carries the meaning alone), trade counts, week and month totals. A day click
 * filters the Trades tab to that day.
 */
import type { CalendarMonth } from '../../src/core/reports/types';
import { formatMoney, formatPercent } from '../../src/shared/format';
import { el, setTone } from '../lib/common';

export interface CalendarCallbacks {
  month(year: number, month: number): void;
  day(day: string): void;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function renderCalendar(m: CalendarMonth, cb: CalendarCallbacks): HTMLElement {
  const title = new Date(Date.UTC(m.year, m.month - 1, 1)).toLocaleDateString(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const step = (delta: number) => {
    const d = new Date(Date.UTC(m.year, m.month - 1 + delta, 1));
    cb.month(d.getUTCFullYear(), d.getUTCMonth() + 1);
  };
  const prev = el('button', { class: 'pill', 'aria-label': 'Previous month', 'data-testid': 'cal-prev' }, '‹');
  const next = el('button', { class: 'pill', 'aria-label': 'Next month', 'data-testid': 'cal-next' }, '›');
  const today = el('button', { class: 'pill' }, 'This month');
  prev.addEventListener('click', () => step(-1));
  next.addEventListener('click', () => step(1));
  today.addEventListener('click', () => {
    const d = new Date();
    cb.month(d.getFullYear(), d.getMonth() + 1);
  });
  const monthNet = el('span', { 'data-testid': 'cal-month-net' }, formatMoney(m.net, true));
  setTone(monthNet, m.net);
  const head = el('div', { class: 'cal-head' }, prev, el('h3', { 'data-testid': 'cal-title' }, title), next, today,
    el('span', { class: 'cal-summary' }, 'Month ', monthNet, el('span', { class: 'muted' }, ` · ${m.trades} ${m.trades === 1 ? 'trade' : 'trades'} · ${m.winningDays}/${m.tradingDays} winning days · hit rate ${formatPercent(m.grid.hitRate)}`)));

  const max = Math.max(1, ...m.weeks.flatMap((w) => w.days.map((d) => Math.abs(d.net ?? 0))));
  const names = [...WEEKDAYS.slice(m.weekStart), ...WEEKDAYS.slice(0, m.weekStart)];
  const grid = el('div', { class: 'cal-grid', role: 'grid', 'aria-label': `P&L calendar, ${title}` },
    ...names.map((n) => el('div', { class: 'cal-dow', role: 'columnheader' }, n)),
    el('div', { class: 'cal-dow', role: 'columnheader' }, 'Week'));
  for (const w of m.weeks) {
    for (const d of w.days) {
      const has = d.net !== null;
      const cell = el('button', { class: `cal-day${d.inMonth ? '' : ' out'}${has ? (d.net! > 0 ? ' up' : d.net! < 0 ? ' down' : ' flat') : ''}`, role: 'gridcell', 'data-testid': `cal-day-${d.day}`, title: has ? `${d.day}: ${formatMoney(d.net, true)}, ${d.trades} trade(s): show them` : d.day });
      // Strength 15-60 % by size of the day relative to the month's largest day.
      if (has) cell.style.setProperty('--strength', `${Math.round(15 + (45 * Math.abs(d.net!)) / max)}%`);
      const net = el('span', { class: 'cal-net' }, has ? formatMoney(d.net, true) : '');
      setTone(net, d.net);
      cell.append(el('span', { class: 'cal-date' }, String(d.dayOfMonth)), net, el('span', { class: 'cal-count muted' }, has ? `${d.trades} ${d.trades === 1 ? 'trade' : 'trades'}` : ''));
      if (has) cell.addEventListener('click', () => cb.day(d.day));
      else cell.disabled = true;
      grid.append(cell);
    }
    const wn = el('span', { class: 'cal-net' }, w.trades ? formatMoney(w.net, true) : '');
    setTone(wn, w.net);
    grid.append(el('div', { class: 'cal-week', role: 'gridcell' }, wn, el('span', { class: 'cal-count muted' }, w.trades ? `${w.trades} ${w.trades === 1 ? 'trade' : 'trades'}` : '')));
  }
  return el('section', { class: 'tab-calendar', 'data-testid': 'calendar' }, head, grid);
}
