/**
 * The status bar item's words: text with codicons and a Markdown tooltip, built from the Balance
 * view model. Pure (no 'vscode'), so it is unit-tested; statusBar.ts maps it onto the item.
 * Text that comes from the server or the store (errors, names, paths) is escaped before it goes
 * into Markdown, so it can never inject links, tables or icons.
 */
import type { AppSettings } from '../core/settings';
import type { BalanceSnapshot, ConnectionInfo } from '../core/viewModels';
import { formatMoney } from '../shared/format';
import { worstLevel, type RiskLevel } from '../core/risk';

export interface StatusBarModel {
  /** e.g. `$(pulse) SIM Sim1 $(triangle-up) +$512.50` (codicons allowed): whose P&L, and its sign as an icon. */
  text: string;
  tone: 'profit' | 'loss' | 'flat';
  /** Disconnected or store degraded: the item gets the warning background. */
  warning: boolean;
  /** Nothing durable can be written (store failed, commits waiting in memory): the error background. */
  error: boolean;
  /** Markdown: balance, open P&L, trades today, connection, store. */
  tooltip: string;
  /** The risk guard's worst level over the accounts shown ('ok' also when no limit is set). */
  risk: RiskLevel;
}

export const LOADING_MODEL: StatusBarModel = { text: '$(sync~spin) APPSIERRA', tone: 'flat', warning: false, error: false, tooltip: 'APPSIERRA is loading…', risk: 'ok' };

/**
 * The sign of the day as an icon, so it reads on any status bar colour (Light+, remote, debug):
 * the item keeps the status bar's own foreground, never a chart colour on an unknown background.
 */
const SIGN_ICON: Record<StatusBarModel['tone'], string> = { profit: '$(triangle-up) ', loss: '$(triangle-down) ', flat: '' };

export function statusBarModel(b: BalanceSnapshot, format: AppSettings['statusBar']['format']): StatusBarModel {
  if (b.loading) return LOADING_MODEL;
  const pnl = b.dailyPnl;
  const tone = pnl > 0 ? 'profit' : pnl < 0 ? 'loss' : 'flat';
  const connected = b.connection.state === 'connected';
  const st = b.store;
  const error = st.state === 'failed' || st.pendingCommits > 0;
  const degraded = error || st.state === 'outbox';
  const icon = degraded ? '$(warning)' : connected ? '$(pulse)' : '$(debug-disconnect)';
  // Whose P&L: `SIM Sim1` for one account, `All SIM` for every account of the mode.
  const whose = b.account ? `${b.mode} ${b.account}` : b.scope;
  let text = `${icon} ${whose} ${SIGN_ICON[tone]}${formatMoney(pnl, true)}`;
  if (format === 'pnl-and-balance' && b.balance !== null) text += ` · ${formatMoney(b.balance)}`;
  // The risk guard: the smallest money room left when a money limit is set; 50 % used warns, 80 % is an error.
  const risk = worstLevel(b.risk);
  const rooms = b.risk.map((r) => r.moneyRoom).filter((r): r is number => r !== null);
  if (rooms.length) text += ` · room ${formatMoney(Math.min(...rooms))}`;
  if (risk === 'breached') text += ' $(error) limit reached';
  const rows = [
    `**APPSIERRA** — P&L of ${b.account ? `${escapeMarkdown(b.account)} (${b.mode})` : `all ${b.mode} accounts`}`,
    '',
    `| | |`,
    `|---|---|`,
    `| Today's P&L | ${formatMoney(pnl, true)} (${b.tradesToday} trade${b.tradesToday === 1 ? '' : 's'}) |`,
    `| Balance | ${b.balance === null ? '—' : formatMoney(b.balance)} |`,
    `| Open P&L | ${b.openPnl === null ? '—' : formatMoney(b.openPnl, true)} |`,
    `| Connection | ${escapeMarkdown(connectionText(b.connection))} |`,
    `| Store | ${escapeMarkdown(st.description)} (${st.state}${st.outboxPending ? `, outbox: ${st.outboxPending} pending` : ''}) |`,
  ];
  for (const r of b.risk) {
    for (const l of r.limits) rows.push(`| ${escapeMarkdown(`${l.label}${b.risk.length > 1 || !b.account ? ` (${r.account})` : ''}`)} | ${escapeMarkdown(`${Math.round(l.fraction * 100)}% · ${l.text}${l.source === 'server' ? ' (server)' : ''}`)} |`);
  }
  if (b.alerts.length) rows.push('', ...b.alerts.map((a) => `$(warning) ${escapeMarkdown(a)}`));
  rows.push('', 'Click to open the Balance view; "APPSIERRA: Select Account" picks whose P&L this is.');
  const riskError = risk === 'error' || risk === 'breached';
  return { text, tone, warning: !connected || degraded || risk === 'warning', error: error || riskError, tooltip: rows.join('\n'), risk };
}

function connectionText(c: ConnectionInfo): string {
  const where = c.demo ? `demo feed (127.0.0.1:${c.port})` : `${c.host}:${c.port}`;
  return `${c.state} — ${where}${c.lastError ? ` — ${c.lastError}` : ''}`;
}

/**
 * Escapes text for Markdown with theme icons on: every Markdown punctuation character, `$(` (an
 * icon), `|` (a table cell) and line breaks (a table row is one line).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+\-.!|<>~$&:]/g, '\\$&');
}
