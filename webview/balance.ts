/** Balance view: mode, balance, equity, today's P&L, connection, store, alerts. */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import type { BalanceSnapshot, ConnectionState } from '../src/shared/protocol';
import { formatDuration, formatMoney } from '../src/shared/format';
import { commandButton } from './lib/actions';
import { el, field, formatDate, loadingLine, mount, onSnapshot, setMoney, show } from './lib/common';

const STATE_TEXT: Record<ConnectionState, string> = {
  disconnected: 'Disconnected',
  connecting: 'Connecting…',
  negotiating: 'Negotiating encoding…',
  'logging-on': 'Logging on…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  stopped: 'Stopped',
};

const STORE_STATE_TEXT: Record<BalanceSnapshot['store']['state'], string> = {
  loading: 'loading…',
  primary: 'ok',
  outbox: 'degraded',
  readonly: 'read-only (another window writes)',
  failed: 'FAILED: nothing durable can be written',
};

const loading = loadingLine();
const badge = el('vscode-badge', { 'data-testid': 'mode-badge', class: 'mode-badge' });
const account = el('span', { class: 'account', 'data-testid': 'account-name', title: 'Whose figures these are (the status bar and Reset follow the same choice)' });
const switchBtn = commandButton('Switch account', 'selectAccount', true);
const balanceLabel = el('span', { class: 'label' }, 'Balance');
const balance = el('div', { class: 'big-number', 'data-testid': 'balance-value' });
const equity = field('Equity', 'equity-value', 'Balance + open P&L');
const openPnl = field('Open P&L', 'open-pnl');
const daily = field("Today's P&L", 'daily-pnl', 'Net P&L of trades closed in the current trading session');
const trades = field('Trades today', 'trades-today');
const lastReset = field('Last reset', 'last-reset', 'SIM balance resets are events; no trade is deleted');
const starting = field('Starting balance', 'starting-balance');

const connDot = el('span', { class: 'dot', 'aria-hidden': 'true' });
const connState = el('span', { 'data-testid': 'connection-state' });
const connTarget = el('span', { class: 'muted', 'data-testid': 'connection-target' });
const connError = el('p', { class: 'error-text', 'data-testid': 'connection-error', role: 'alert' });
const connRetry = el('p', { class: 'muted', 'data-testid': 'connection-retry' });

const storeDesc = el('span', { class: 'mono wrap', 'data-testid': 'store-description' });
const storeState = el('span', { class: 'muted', 'data-testid': 'store-state' });
const outbox = el('p', { class: 'warning-text', 'data-testid': 'store-outbox', role: 'status' });
const storeDetail = el('p', { class: 'muted small', 'data-testid': 'store-detail' });

const alerts = el('ul', { class: 'alerts', 'data-testid': 'alerts' });
const riskList = el('div', { class: 'risk-list', 'data-testid': 'risk' });
const risk = el('section', { class: 'section', 'aria-label': 'Risk guard' }, el('h2', { title: 'Limits from the server or the appsierra.risk settings; the guard only warns, it never sends an order' }, 'Risk'), riskList);

const connectBtn = commandButton('Connect', 'connect');
const disconnectBtn = commandButton('Disconnect', 'disconnect', true);
const demoBtn = commandButton('Start demo feed', 'startDemoFeed', true);
const resetBtn = commandButton('Reset SIM balance', 'resetSimBalance', true);

const content = el(
  'div',
  { class: 'content' },
  el('header', { class: 'head' }, badge, account, switchBtn),
  el('div', { class: 'hero' }, balanceLabel, balance),
  el('div', { class: 'fields' }, equity.row, openPnl.row, daily.row, trades.row),
  alerts,
  risk,
  el(
    'section',
    { class: 'section', 'aria-label': 'Connection' },
    el('h2', {}, 'Connection'),
    el('div', { class: 'conn-line' }, connDot, connState, connTarget),
    connError,
    connRetry,
    el('div', { class: 'actions' }, connectBtn, disconnectBtn, demoBtn),
  ),
  el('section', { class: 'section', 'aria-label': 'Store' }, el('h2', {}, 'Store'), el('div', { class: 'store-line' }, storeDesc, storeState), outbox, storeDetail),
  el('section', { class: 'section', 'aria-label': 'SIM balance' }, el('h2', {}, 'SIM'), el('div', { class: 'fields' }, starting.row, lastReset.row), el('div', { class: 'actions' }, resetBtn)),
);
const root = el('div', { class: 'page balance' }, loading, content);
mount(root);
show(content, false);

let retryAt: number | null = null;

function render(s: BalanceSnapshot): void {
  show(loading, s.loading);
  show(content, true);
  root.classList.toggle('is-loading', s.loading);

  badge.textContent = s.mode;
  badge.classList.toggle('live', s.mode === 'LIVE');
  badge.title = s.mode === 'SIM' ? 'Simulated account (balance kept by APPSIERRA)' : 'Live account (balance from the server)';
  // One account, or the sum of every account of the mode ("All SIM"); never whichever traded last.
  account.textContent = s.accounts.length ? s.scope : 'No account yet';

  // Before the first SIM account appears, a SIM balance is the configured starting balance: say so.
  const simUnopened = s.mode === 'SIM' && s.balance === null;
  balance.textContent = formatMoney(simUnopened ? s.startingBalance : s.balance);
  balanceLabel.textContent = simUnopened ? 'Balance (starting, no SIM account yet)' : 'Balance';
  setMoney(equity.value, formatMoney(s.equity), null);
  setMoney(openPnl.value, formatMoney(s.openPnl, true), s.openPnl);
  setMoney(daily.value, formatMoney(s.dailyPnl, true), s.dailyPnl);
  trades.value.textContent = String(s.tradesToday);
  starting.value.textContent = formatMoney(s.startingBalance);
  lastReset.value.textContent = s.lastReset === null ? 'never' : formatDate(s.lastReset);

  const c = s.connection;
  connState.textContent = STATE_TEXT[c.state] ?? c.state;
  connDot.className = `dot state-${c.state}`;
  connTarget.textContent = c.demo ? 'demo feed' : `${c.serverName ? c.serverName + ' · ' : ''}${c.host}:${c.port}`;
  connError.textContent = c.lastError ?? '';
  show(connError, !!c.lastError);
  retryAt = c.nextRetryAt;
  const connectedish = c.state !== 'disconnected' && c.state !== 'stopped';
  show(connectBtn, !connectedish);
  show(demoBtn, !connectedish);
  show(disconnectBtn, connectedish);
  show(resetBtn, s.mode === 'SIM');

  const st = s.store;
  storeDesc.textContent = st.description;
  storeState.textContent = STORE_STATE_TEXT[st.state] ?? st.state;
  storeState.classList.toggle('warning-text', st.state === 'outbox' || st.state === 'readonly');
  storeState.classList.toggle('error-text', st.state === 'failed');
  outbox.textContent = st.outboxPending > 0 ? `⚠ outbox: ${st.outboxPending} pending (kept locally, synced when the database is back)` : '';
  show(outbox, st.outboxPending > 0 || st.state === 'outbox');
  if (st.state === 'outbox' && st.outboxPending === 0) outbox.textContent = '⚠ database unreachable: writing to the local outbox';
  storeDetail.textContent = st.detail;
  show(storeDetail, !!st.detail);

  renderRisk(s.risk, s.account === null);
  alerts.replaceChildren(...s.alerts.map((a) => el('li', { class: 'alert', 'data-testid': 'alert' }, a)));
  show(alerts, s.alerts.length > 0);
  tickRetry();
}

/** A bar per limit: used / limit, its words, the level as a theme colour. Widths go through CSSOM (the CSP forbids style attributes). */
function renderRisk(list: BalanceSnapshot['risk'], several: boolean): void {
  const rows: HTMLElement[] = [];
  for (const r of list) {
    for (const l of r.limits) {
      const pct = Math.round(l.fraction * 100);
      const fill = el('div', { class: `risk-fill level-${l.level}` });
      fill.style.width = `${Math.min(100, Math.max(0, l.fraction * 100)).toFixed(1)}%`;
      const bar = el('div', { class: 'risk-bar', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(Math.min(100, pct)), 'aria-label': `${l.label} used` }, fill);
      rows.push(
        el(
          'div',
          { class: `risk-row level-${l.level}`, 'data-testid': 'risk-limit', 'data-kind': l.kind, 'data-level': l.level },
          el('div', { class: 'risk-head' }, el('span', { class: 'label' }, `${l.label}${several ? ` · ${r.account}` : ''}${l.source === 'server' ? ' (server)' : ''}`), el('span', { class: 'risk-pct' }, `${pct}%`)),
          bar,
          el('div', { class: 'muted small', 'data-testid': 'risk-text' }, l.text),
        ),
      );
    }
  }
  riskList.replaceChildren(...rows);
  show(risk, rows.length > 0);
}

/** Counts down to the next reconnect attempt between snapshots. */
function tickRetry(): void {
  if (retryAt === null) {
    show(connRetry, false);
    return;
  }
  const secs = Math.ceil((retryAt - Date.now()) / 1000);
  connRetry.textContent = secs > 0 ? `Next retry in ${formatDuration(secs)}` : 'Retrying now…';
  show(connRetry, true);
}

setInterval(tickRetry, 1000);
// The host and the page share a machine clock, so the countdown needs no offset.
onSnapshot('balance', render);
