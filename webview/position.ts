/** Position view: the open position (TRADING-MATH.md §6) or, when flat, the last closed trade. */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import type { PositionSnapshot } from '../src/shared/protocol';
import { formatDuration, formatMoney, formatPrice, formatRatio } from '../src/shared/format';
import { el, field, formatTime, loadingLine, mount, onSnapshot, setMoney, setTone, show } from './lib/common';

const loading = loadingLine();

const symbol = el('span', { class: 'symbol', 'data-testid': 'position-symbol' });
const side = el('vscode-badge', { class: 'side-badge', 'data-testid': 'position-side' });
const qty = el('span', { class: 'qty', 'data-testid': 'position-qty' });
const openPnl = el('div', { class: 'big-number', 'data-testid': 'position-open-pnl', title: 'Open P&L = (mark - avg) x direction x |qty| x point value' });
const specError = el('p', { class: 'error-text', role: 'alert', 'data-testid': 'position-spec-error' });
const avg = field('Avg', 'position-avg', 'Average cost of the open quantity');
const price = field('Price', 'position-price', 'Last price (mark)');
const heat = field('Heat', 'position-heat', 'Money at risk to the current stop = max(0, (avg - stop) x direction x |qty| x point value)');
const time = field('Time in trade', 'position-time', 'Now - first entry fill');
const target = field('Target', 'position-target', 'From working orders');
const stop = field('Stop', 'position-stop', 'From working orders');
const mae = field('MAE', 'position-mae', 'Worst open P&L so far (gross)');
const mfe = field('MFE', 'position-mfe', 'Best open P&L so far (gross)');
const liveR = field('Live R', 'position-r', 'Open P&L / initial risk (risk to the first stop)');

const openBox = el(
  'div',
  { class: 'open', 'data-testid': 'position-open' },
  el('header', { class: 'head' }, side, qty, symbol),
  el('div', { class: 'hero' }, el('span', { class: 'label' }, 'Open P&L'), openPnl),
  specError,
  el('div', { class: 'fields two-col' }, avg.row, price.row, heat.row, time.row, target.row, stop.row, mae.row, mfe.row, liveR.row),
);

const lastSymbol = el('span', { class: 'symbol', 'data-testid': 'last-trade-symbol' });
const lastSide = el('span', { class: 'muted', 'data-testid': 'last-trade-side' });
const lastPnl = el('span', { class: 'value', 'data-testid': 'last-trade-pnl' });
const lastPrices = el('p', { class: 'muted small', 'data-testid': 'last-trade-prices' });
const lastTrade = el(
  'div',
  { class: 'last-trade', 'data-testid': 'last-trade' },
  el('h2', {}, 'Last trade'),
  el('div', { class: 'last-line' }, lastSymbol, lastSide, lastPnl),
  lastPrices,
);
const flatLine = el('p', { class: 'flat', 'data-testid': 'position-flat' }, 'Flat');
const flatBox = el('div', { class: 'flat-box' }, flatLine);

// The last closed trade shows while flat and under an open position alike.
const content = el('div', { class: 'content' }, openBox, flatBox, lastTrade);
mount(el('div', { class: 'page position' }, loading, content));
show(content, false);

let entryTime: number | null = null;
/** Host clock minus page clock, so "time in trade" ticks on the host's time. */
let offset = 0;

function render(s: PositionSnapshot): void {
  offset = s.now - Date.now();
  show(loading, s.loading);
  show(content, true);
  const p = s.open;
  show(openBox, p !== null);
  show(flatBox, p === null);
  if (p) {
    entryTime = p.entryTime;
    // With "All SIM" / "All LIVE" the open position may be any account's: name it.
    symbol.textContent = s.account === null ? `${p.symbol} · ${p.account}` : p.symbol;
    side.textContent = p.side;
    side.classList.toggle('short', p.side === 'SHORT');
    qty.textContent = String(p.qty);
    setMoney(openPnl, p.specError ? '—' : formatMoney(p.openPnl, true), p.openPnl);
    specError.textContent = p.specError ?? '';
    show(specError, !!p.specError);
    avg.value.textContent = formatPrice(p.avgPrice);
    price.value.textContent = formatPrice(p.markPrice);
    heat.value.textContent = formatMoney(p.heat);
    heat.value.classList.toggle('loss', (p.heat ?? 0) > 0);
    target.value.textContent = formatPrice(p.target);
    stop.value.textContent = formatPrice(p.stop);
    setMoney(mae.value, formatMoney(p.mae, true), p.mae);
    setMoney(mfe.value, formatMoney(p.mfe, true), p.mfe);
    liveR.value.textContent = p.liveR === null ? '—' : `${formatRatio(p.liveR)}R`;
    setTone(liveR.value, p.liveR);
  } else {
    entryTime = null;
    flatLine.textContent = s.account ? `Flat · ${s.mode} ${s.account}` : `Flat · ${s.scope}`;
  }
  const t = s.lastTrade;
  show(lastTrade, t !== null);
  if (t) {
    lastSymbol.textContent = t.symbol;
    lastSide.textContent = s.account === null ? `${t.side} ${t.qty} · ${t.account}` : `${t.side} ${t.qty}`;
    setMoney(lastPnl, formatMoney(t.netPnl, true), t.netPnl);
    lastPrices.textContent = `${formatPrice(t.avgEntryPrice)} → ${formatPrice(t.avgExitPrice)} · closed ${formatTime(t.exitTime)}`;
  }
  tick();
}

function tick(): void {
  if (entryTime === null) return;
  time.value.textContent = formatDuration((Date.now() + offset - entryTime) / 1000);
}

setInterval(tick, 1000);
onSnapshot('position', render);
