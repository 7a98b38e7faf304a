/**
 * Inline SVG charts built with DOM APIs (no library, nothing that needs 'unsafe-inline'): colours
 * come from CSS classes in styles.css, which use the theme's chart variables.
 */
import type { DailyPnl, EquityPoint } from '../../src/shared/protocol';
import { countOf, formatMoney } from '../../src/shared/format';
import { svg } from './common';

const W = 300;
const H = 80;

function frame(testId: string, label: string): SVGSVGElement {
  return svg('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', class: 'chart', 'data-testid': testId, role: 'img', 'aria-label': label });
}

function scaleY(min: number, max: number): (v: number) => number {
  const lo = Math.min(0, min);
  const hi = Math.max(0, max);
  const span = hi - lo || 1;
  const pad = 4;
  return (v) => pad + (H - 2 * pad) * (1 - (v - lo) / span);
}

/** Closed-trade equity, trade by trade, starting at 0 (as Max Drawdown reads it). */
export function equityChart(points: EquityPoint[]): SVGSVGElement {
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
  return root;
}

/** One bar per trading day; each bar has a hover title with the day, P&L and trade count. */
export function dailyChart(days: DailyPnl[]): SVGSVGElement {
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
  return root;
}
