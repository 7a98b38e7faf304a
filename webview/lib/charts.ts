/**
 * Inline SVG charts built with DOM APIs (no library, nothing that needs 'unsafe-inline'): colours
 * come from CSS classes in styles.css, which use the theme's chart variables.
 */
import type { DailyPnl, EquityPoint } from '../../src/shared/protocol';
import { countOf, formatAxisMoney, formatMoney, formatTimeEnds } from '../../src/shared/format';
import { el, svg } from './common';

const W = 300;
const H = 80;

function frame(testId: string, label: string): SVGSVGElement {
  return svg('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', class: 'chart', 'data-testid': testId, role: 'img', 'aria-label': label });
}

interface Scale {
  (v: number): number;
  lo: number;
  hi: number;
}

function scaleY(min: number, max: number): Scale {
  const lo = Math.min(0, min);
  const hi = Math.max(0, max);
  const span = hi - lo || 1;
  const pad = 4;
  return Object.assign((v: number) => pad + (H - 2 * pad) * (1 - (v - lo) / span), { lo, hi });
}

/**
 * The chart with its axis values as HTML text beside the (stretched) SVG, so text never distorts:
 * the top and bottom values, the zero line's value when it lies between them, and the time ends.
 * Colours come from the theme through styles.css; the zero label is placed with CSSOM (allowed by
 * the strict CSP, unlike a style attribute).
 */
function withAxes(chart: SVGSVGElement, y: Scale, ends: [string, string] | null): HTMLElement {
  const yAxis = el('div', { class: 'y-axis', 'aria-hidden': 'true' }, el('span', { class: 'y-max', 'data-testid': 'axis-max' }, formatAxisMoney(y.hi)));
  if (y.hi !== y.lo) yAxis.append(el('span', { class: 'y-min', 'data-testid': 'axis-min' }, formatAxisMoney(y.lo)));
  const zero = y(0) / H;
  if (y.lo < 0 && y.hi > 0 && zero > 0.2 && zero < 0.8) {
    const label = el('span', { class: 'y-zero', 'data-testid': 'axis-zero' }, '$0');
    label.style.top = `${(zero * 100).toFixed(1)}%`;
    yAxis.append(label);
  }
  const frame = el('div', { class: 'chart-frame' }, yAxis, chart);
  if (ends) frame.append(el('div', { class: 'x-axis', 'aria-hidden': 'true', 'data-testid': 'axis-time' }, el('span', {}, ends[0]), el('span', {}, ends[1])));
  return frame;
}

/** 'YYYY-MM-DD' -> noon UTC of that date, so the date reads the same in every zone. */
const dayMs = (day: string) => Date.parse(`${day}T12:00:00Z`);

/** Closed-trade equity, trade by trade, starting at 0 (as Max Drawdown reads it). */
export function equityChart(points: EquityPoint[]): HTMLElement {
  const values = [0, ...points.map((p) => p.v)];
  const root = frame('equity-curve', `Equity curve over ${countOf(points.length, 'trade')}, ending at ${formatMoney(values[values.length - 1], true)}`);
  const y = scaleY(Math.min(...values), Math.max(...values));
  const x = (i: number) => (values.length === 1 ? 0 : (i / (values.length - 1)) * W);
  root.append(svg('line', { x1: 0, x2: W, y1: y(0), y2: y(0), class: 'zero-line' }));
  const coords = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  const last = values[values.length - 1];
  const tone = last > 0 ? 'profit' : last < 0 ? 'loss' : 'flat';
  root.append(svg('polygon', { points: [`0,${y(0)}`, ...coords, `${W},${y(0)}`].join(' '), class: `equity-area ${tone}` }));
  root.append(svg('polyline', { points: coords.join(' '), class: `equity-line ${tone}` }));
  return withAxes(root, y, points.length ? formatTimeEnds(points[0].t, points[points.length - 1].t) : null);
}

/** One bar per trading day; each bar has a hover title with the day, P&L and trade count. */
export function dailyChart(days: DailyPnl[]): HTMLElement {
  const shown = days.slice(-60);
  const root = frame('daily-chart', `Daily P&L over ${shown.length} days`);
  const y = scaleY(Math.min(0, ...shown.map((d) => d.pnl)), Math.max(0, ...shown.map((d) => d.pnl)));
  const slot = W / Math.max(shown.length, 1);
  const width = Math.max(1, slot * 0.7);
  shown.forEach((d, i) => {
    const top = Math.min(y(d.pnl), y(0));
    const height = Math.max(1, Math.abs(y(d.pnl) - y(0)));
    const bar = svg('rect', { x: (i * slot + (slot - width) / 2).toFixed(2), y: top.toFixed(2), width: width.toFixed(2), height: height.toFixed(2), class: `bar ${d.pnl > 0 ? 'profit' : d.pnl < 0 ? 'loss' : 'flat'}`, 'data-day': d.day });
    const title = svg('title');
    title.textContent = `${d.day}: ${formatMoney(d.pnl, true)} (${countOf(d.trades, 'trade')})`;
    bar.append(title);
    root.append(bar);
  });
  root.append(svg('line', { x1: 0, x2: W, y1: y(0), y2: y(0), class: 'zero-line' }));
  const ends = shown.length ? formatTimeEnds(dayMs(shown[0].day), dayMs(shown[shown.length - 1].day), 'UTC') : null;
  return withAxes(root, y, ends && shown.length === 1 ? [ends[0], ''] : ends);
}
