/**
 * Reports tab: a breakdown (symbol, side, hour, weekday, duration, tag) with a bar per row, every
 * metric the stats engine computes with its formula as a tooltip, and the equity curve with its
 * drawdown underneath, both with axis values. All numbers come computed from the host.
 */
import type { BreakdownKey, EquitySeries, MetricValue } from '../../src/core/reports/types';
import { BREAKDOWN_KEYS } from '../../src/core/reports/types';
import type { GridJson } from '../../src/core/stats/json';
import type { JournalReportMsg } from '../../src/shared/journalProtocol';
import { formatDuration, formatMoney, formatPercent, formatRatio } from '../../src/shared/format';
import { el, setTone, svg } from '../lib/common';

const LABELS: Record<BreakdownKey, string> = { symbol: 'Symbol', side: 'Side', hour: 'Hour of day', weekday: 'Weekday', duration: 'Duration', tag: 'Tag' };
const num = (v: unknown) => (typeof v === 'number' ? v : null);
const pf = (v: GridJson['profitFactor']) => (v === 'Infinity' ? '∞' : formatRatio(num(v)));

export function formatMetricValue(m: MetricValue): string {
  switch (m.kind) {
    case 'money': return formatMoney(m.value, true);
    case 'percent': return formatPercent(m.value);
    case 'r': return m.value === null ? '—' : `${formatRatio(m.value)}R`;
    case 'duration': return formatDuration(m.value);
    case 'ratio': return m.value === Infinity ? '∞' : formatRatio(m.value);
    default: return m.value === null ? '—' : String(Math.round(m.value * 100) / 100);
  }
}

export function renderReports(r: JournalReportMsg, onBy: (by: BreakdownKey) => void): HTMLElement {
  const pills = el('div', { class: 'pills', role: 'group', 'aria-label': 'Break down by' }, ...BREAKDOWN_KEYS.map((k) => {
    const b = el('button', { class: 'pill', 'aria-pressed': String(k === r.breakdown.key), 'data-testid': `by-${k}` }, LABELS[k]);
    b.addEventListener('click', () => onBy(k));
    return b;
  }));
  const max = Math.max(1, ...r.breakdown.rows.map((x) => Math.abs(num(x.grid.totalPnl) ?? 0)));
  const table = el('table', { class: 'breakdown', 'data-testid': 'breakdown' },
    el('thead', {}, el('tr', {}, ...['', 'Trades', 'Net', '', 'Hit rate', 'Expectancy', 'Avg R', 'Profit factor'].map((h) => el('th', {}, h)))),
    el('tbody', {}, ...r.breakdown.rows.map((x) => {
      const net = num(x.grid.totalPnl) ?? 0;
      const netCell = el('td', { class: 'num' }, formatMoney(net, true));
      setTone(netCell, net);
      const bar = el('span', { class: `hbar ${net >= 0 ? 'profit' : 'loss'}` });
      bar.style.width = `${Math.round((100 * Math.abs(net)) / max)}%`;
      return el('tr', { 'data-key': x.key },
        el('th', { scope: 'row', title: x.key }, x.label),
        el('td', { class: 'num' }, String(x.grid.trades)),
        netCell,
        el('td', { class: 'bar-cell', 'aria-hidden': 'true' }, bar),
        el('td', { class: 'num' }, formatPercent(num(x.grid.hitRate))),
        el('td', { class: 'num' }, formatMoney(num(x.grid.expectancy), true)),
        el('td', { class: 'num' }, x.grid.avgR === null ? '—' : `${formatRatio(num(x.grid.avgR))}R`),
        el('td', { class: 'num' }, pf(x.grid.profitFactor)));
    })));
  const metrics = el('div', { class: 'grid metrics', 'data-testid': 'report-metrics' }, ...r.metrics.map((m) => {
    const v = el('div', { class: 'metric-value' }, formatMetricValue(m));
    if (m.kind === 'money') setTone(v, m.value);
    return el('div', { class: 'metric', title: `${m.label}: ${m.formula}`, tabindex: '0', 'data-metric': m.id }, el('div', { class: 'metric-label' }, m.label), v);
  }));
  return el('section', { class: 'tab-reports', 'data-testid': 'reports' },
    el('h2', {}, 'Breakdown'), pills, r.breakdown.rows.length ? table : el('p', { class: 'muted' }, 'No trades for these filters.'),
    el('h2', {}, 'Equity and drawdown'), equityChart(r.equity),
    el('h2', {}, 'Every metric'), metrics);
}

/** Equity (top) and drawdown (bottom) on one time axis, with min/max values and first/last dates written out. */
export function equityChart(s: EquitySeries): HTMLElement {
  if (s.t.length < 1) return el('p', { class: 'muted' }, 'No closed trades yet.');
  const W = 600, H = 160, D = 70, PAD = 4;
  const t0 = s.t[0], t1 = s.t[s.t.length - 1];
  const x = (t: number) => (t1 === t0 ? W / 2 : ((t - t0) / (t1 - t0)) * W);
  const lo = Math.min(0, ...s.equity), hi = Math.max(0, ...s.equity);
  const y = (v: number) => PAD + (hi === lo ? H / 2 : ((hi - v) / (hi - lo)) * (H - 2 * PAD));
  const dlo = Math.min(0, ...s.drawdown);
  const yd = (v: number) => (dlo === 0 ? 0 : (v / dlo) * (D - PAD));
  const top = svg('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', class: 'chart tall', role: 'img', 'aria-label': `Equity from ${formatMoney(s.equity[0])} to ${formatMoney(s.equity[s.equity.length - 1])}` });
  top.append(svg('line', { x1: 0, x2: W, y1: y(0), y2: y(0), class: 'zero-line' }));
  const last = s.equity[s.equity.length - 1];
  top.append(svg('polyline', { points: s.t.map((t, i) => `${x(t).toFixed(1)},${y(s.equity[i]).toFixed(1)}`).join(' '), class: `equity-line ${last >= 0 ? 'profit' : 'loss'}` }));
  const bottom = svg('svg', { viewBox: `0 0 ${W} ${D}`, preserveAspectRatio: 'none', class: 'chart dd', role: 'img', 'aria-label': `Drawdown, deepest ${formatMoney(dlo)}` });
  const area = `0,0 ${s.t.map((t, i) => `${x(t).toFixed(1)},${yd(s.drawdown[i]).toFixed(1)}`).join(' ')} ${W},0`;
  bottom.append(svg('polygon', { points: area, class: 'equity-area loss' }));
  const date = (ms: number) => new Date(ms).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
  const axisY = (a: string, b: string) => el('div', { class: 'axis-y' }, el('span', {}, a), el('span', {}, b));
  return el('div', { class: 'equity-box', 'data-testid': 'equity-chart' },
    el('div', { class: 'chart-row' }, axisY(formatMoney(hi, true), formatMoney(lo, true)), top),
    el('div', { class: 'chart-row' }, axisY('$0.00', formatMoney(dlo, true)), bottom),
    el('div', { class: 'axis-x muted' }, el('span', {}, date(t0)), el('span', {}, `${s.total} trades${s.total > s.t.length ? ` (${s.t.length} points shown)` : ''}`), el('span', {}, date(t1))));
}
