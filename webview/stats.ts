/** Stats view: the 15-metric grid (TRADING-MATH.md §5), timeframe pills, SIM/LIVE, charts. */
import { TIMEFRAMES, type Mode, type StatsGrid, type StatsSnapshot, type Timeframe } from '../src/shared/protocol';
import { countOf, formatDuration, formatMoney, formatPercent, formatRatio, formatSigned } from '../src/shared/format';
import { commandButton } from './lib/actions';
import { dailyChart, equityChart } from './lib/charts';
import { el, loadingLine, mount, onSnapshot, post, setTone, show } from './lib/common';

const TIMEFRAME_WORDS: Record<Timeframe, string> = {
  '1D': 'the current session',
  '1W': 'the last 7 days',
  '1M': 'the last 30 days',
  '3M': 'the last 90 days',
  YTD: 'this year',
  ALL: 'all time',
};
const MODES: readonly Mode[] = ['SIM', 'LIVE'];

interface Metric {
  key: keyof StatsGrid;
  label: string;
  /** Formula tooltip, worded after TRADING-MATH.md §5. */
  formula: string;
  format(g: StatsGrid): string;
  /** The number whose sign colours the value (none = neutral). */
  tone?(g: StatsGrid): number | null;
  /** Small print under the value (coverage). */
  note?(g: StatsGrid): string;
}

const money = (n: number | null) => formatMoney(n, true);

const METRICS: Metric[] = [
  { key: 'totalPnl', label: 'Total PnL', formula: 'Sum of net P&L (gross - fees) of the closed trades.', format: (g) => money(g.totalPnl), tone: (g) => g.totalPnl },
  { key: 'maxDrawdown', label: 'Max Drawdown', formula: 'Largest fall of the closed-trade equity curve from a running peak, trade by trade, curve starting at 0 (a losing first trade counts); shown as a positive amount.', format: (g) => formatMoney(g.maxDrawdown), tone: (g) => (g.maxDrawdown > 0 ? -1 : 0) },
  { key: 'maxRunUp', label: 'Max Run-Up', formula: 'Largest rise of the closed-trade equity curve above a running trough, curve starting at 0.', format: (g) => formatMoney(g.maxRunUp), tone: (g) => (g.maxRunUp > 0 ? 1 : 0) },
  { key: 'expectancy', label: 'Expectancy', formula: 'Total PnL / trades (mean net P&L per trade).', format: (g) => money(g.expectancy), tone: (g) => g.expectancy },
  { key: 'avgTimeSec', label: 'Avg Time', formula: 'Mean of exit time - entry time over the closed trades.', format: (g) => formatDuration(g.avgTimeSec) },
  { key: 'trades', label: 'Trades', formula: 'Count of closed trades (a flip makes two).', format: (g) => String(g.trades), note: (g) => `${g.wins}W ${g.losses}L ${g.scratches}S` },
  { key: 'best', label: 'Best', formula: 'Highest net P&L of any trade (may be negative).', format: (g) => money(g.best), tone: (g) => g.best },
  { key: 'worst', label: 'Worst', formula: 'Lowest net P&L of any trade.', format: (g) => money(g.worst), tone: (g) => g.worst },
  { key: 'hitRate', label: 'Hit Rate', formula: 'Wins / (wins + losses). Scratches (gross or net exactly 0) are excluded: scratching is risk management, not a miss.', format: (g) => formatPercent(g.hitRate) },
  { key: 'commissions', label: 'Commissions', formula: 'Sum of fees of the closed trades.', format: (g) => formatMoney(g.commissions) },
  { key: 'avgR', label: 'Avg R', formula: 'Mean R over the trades that have R. R = net P&L / risk, risk = |avg entry - initial stop| x qty x point value; no stop, no R.', format: (g) => (g.avgR === null ? '—' : `${formatRatio(g.avgR)}R`), tone: (g) => g.avgR, note: (g) => `${g.rCoverage} of ${g.trades}` },
  { key: 'profitFactor', label: 'Profit Factor', formula: 'Gross profit / gross loss: GP = sum of net over trades with net > 0, GL = - sum of net over trades with net < 0 (scratches included). ∞ when there are gains and no losses; — when there are neither.', format: (g) => formatRatio(g.profitFactor) },
  { key: 'streak', label: 'Streak', formula: 'Signed current run: +k for k wins in a row at the end, -k for losses; scratches neither extend nor break it.', format: (g) => formatSigned(g.streak), tone: (g) => g.streak },
  { key: 'avgMae', label: 'MAE', formula: 'Mean maximum adverse excursion (worst open P&L between entry and exit, gross) over the trades that have it.', format: (g) => money(g.avgMae), tone: (g) => g.avgMae, note: (g) => `${g.maeCoverage} of ${g.trades}` },
  { key: 'avgMfe', label: 'MFE', formula: 'Mean maximum favourable excursion (best open P&L between entry and exit, gross) over the trades that have it.', format: (g) => money(g.avgMfe), tone: (g) => g.avgMfe, note: (g) => `${g.maeCoverage} of ${g.trades}` },
];

// ---- controls --------------------------------------------------------------------------------

function pillGroup<T extends string>(values: readonly T[], testPrefix: string, label: string, onPick: (v: T) => void): { root: HTMLElement; set(v: T): void } {
  const buttons = values.map((v) => {
    const b = el('button', { type: 'button', class: 'pill', 'data-testid': `${testPrefix}-${v}`, 'aria-pressed': 'false' }, v);
    b.addEventListener('click', () => onPick(v));
    return b;
  });
  return {
    root: el('div', { class: 'pills', role: 'group', 'aria-label': label }, ...buttons),
    set: (current) => buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(values[i] === current))),
  };
}

const modes = pillGroup(MODES, 'mode', 'Account mode', (mode) => {
  modes.set(mode);
  post({ type: 'setMode', mode });
});
const pills = pillGroup(TIMEFRAMES, 'pill', 'Timeframe', (timeframe) => {
  pills.set(timeframe);
  post({ type: 'setTimeframe', timeframe });
});

const accountPicker = el('select', { class: 'account-picker', 'data-testid': 'account-picker', 'aria-label': 'Account' });
accountPicker.addEventListener('change', () => {
  const account = accountPicker.value === '' ? null : accountPicker.value;
  post({ type: 'setAccount', account });
});

// ---- grid and charts -------------------------------------------------------------------------

const cells = METRICS.map((m) => {
  const value = el('div', { class: 'metric-value', 'data-testid': `stat-${m.key}` });
  const note = el('div', { class: 'metric-note', 'data-testid': `stat-${m.key}-note` });
  const cell = el('div', { class: 'metric', title: `${m.label}: ${m.formula}`, tabindex: '0' }, el('div', { class: 'metric-label' }, m.label), value, note);
  return { m, value, note, cell };
});
const grid = el('div', { class: 'grid', 'data-testid': 'stats-grid' }, ...cells.map((c) => c.cell));
const extras = el('p', { class: 'muted small', 'data-testid': 'stats-extras' });
// Which feed the figures come from, so simulated demo trades are never taken for Sierra Chart's (issue 9 item 3).
const feedLine = el('p', { class: 'muted small', 'data-testid': 'stats-feed' });

const emptyText = el('p', { 'data-testid': 'stats-empty-text' });
// Offered only while nothing feeds trades: never "Start demo feed" / "Connect" while one runs.
const emptyActions = el('div', { class: 'actions', 'data-testid': 'stats-empty-actions' }, commandButton('Start demo feed', 'startDemoFeed', true), commandButton('Connect', 'connect', true));
const empty = el('div', { class: 'empty', 'data-testid': 'stats-empty', role: 'status' }, emptyText, emptyActions);
const equityBox = el('div', { class: 'chart-box' });
const dailyBox = el('div', { class: 'chart-box' });
const charts = el(
  'section',
  { class: 'charts' },
  el('h2', {}, 'Equity (closed trades)'),
  equityBox,
  el('h2', {}, 'Daily P&L'),
  dailyBox,
);

const loading = loadingLine();
const content = el(
  'div',
  { class: 'content' },
  el('div', { class: 'controls' }, modes.root, accountPicker),
  pills.root,
  feedLine,
  empty,
  grid,
  extras,
  charts,
);
mount(el('div', { class: 'page stats' }, loading, content));
show(content, false);

function render(s: StatsSnapshot): void {
  show(loading, s.loading);
  show(content, true);
  modes.set(s.mode);
  pills.set(s.timeframe);

  show(accountPicker, s.accounts.length > 1);
  const options = [el('option', { value: '' }, `All ${s.mode} accounts`), ...s.accounts.map((a) => el('option', { value: a }, a))];
  accountPicker.replaceChildren(...options);
  accountPicker.value = s.account ?? '';

  const g = s.grid;
  for (const c of cells) {
    c.value.textContent = c.m.format(g);
    setTone(c.value, c.m.tone ? c.m.tone(g) : null);
    const note = c.m.note ? c.m.note(g) : '';
    c.note.textContent = note;
    show(c.note, note !== '');
  }
  extras.textContent =
    g.trades > 0
      ? `Gross profit ${formatMoney(g.grossProfit)} · gross loss ${formatMoney(g.grossLoss)} · ${countOf(g.wins, 'win')}, ${countOf(g.losses, 'loss', 'losses')}, ${countOf(g.scratches, 'scratch', 'scratches')}`
      : '';
  show(extras, g.trades > 0);

  const isEmpty = g.trades === 0;
  const scope = s.account ? `${s.mode} trades on ${s.account}` : `${s.mode} trades`;
  emptyText.textContent = s.emptyReason ?? `No closed ${scope} in ${s.timeframe} (${TIMEFRAME_WORDS[s.timeframe]}). Start the demo feed or connect to Sierra Chart.`;
  show(empty, isEmpty && !s.loading);
  show(emptyActions, s.feed === null);
  feedLine.textContent =
    s.feed === 'demo' ? 'Feed: demo (simulated trades from the built-in simulator)' : s.feed === 'server' ? 'Feed: Sierra Chart (DTC server)' : 'Feed: none running (stored trades)';
  show(charts, !isEmpty);
  if (!isEmpty) {
    equityBox.replaceChildren(equityChart(s.equityCurve));
    dailyBox.replaceChildren(dailyChart(s.daily));
  }
}

onSnapshot('stats', render);
// The host owns the picks (remembered per workspace): a reloaded page gets them in its first snapshot.
