/**
 * Day notes: one Markdown file per session day (`YYYY-MM-DD.md`) that the trader owns. APPSIERRA
 * writes only a generated summary block between two marker comments and refreshes it in place;
 * every byte outside the markers is the trader's and is never rewritten. A trade note is a heading
 * in that day's file carrying the trade id, so the panel can find it again after any edit.
 */
import type { Trade } from '../trading/types';
import { computeGrid } from '../stats/compute';
import { DEFAULT_SESSION, sessionDayBounds, zoneOffsetMs } from '../stats/session';
import type { SessionConfig, StatsOptions } from '../stats/types';
import { formatMoney, formatPercent, formatPrice, formatRatio } from '../../shared/format';
import { riskEventLine, type RiskEvent } from '../risk/guard';

export const SUMMARY_START = '<!-- appsierra:summary:start (generated: the text between these markers is replaced on refresh) -->';
export const SUMMARY_END = '<!-- appsierra:summary:end -->';
const START_RE = /^[ \t]*<!-- appsierra:summary:start\b.*-->[ \t]*$/;
const END_RE = /^[ \t]*<!-- appsierra:summary:end\b.*-->[ \t]*$/;

/** The command the summary's trade links run (the journal panel registers it). */
export const OPEN_JOURNAL_COMMAND = 'appsierra.openJournal';

const WEEKDAY = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Throws a RangeError unless `day` is a real date 'YYYY-MM-DD'. */
export function checkDay(day: string): string {
  sessionDayBounds(day, DEFAULT_SESSION);
  return day;
}

export function dayNoteFileName(day: string): string {
  return `${checkDay(day)}.md`;
}

/**
 * A `command:` link that opens the journal panel on a trade or a day; VS Code passes the JSON
 * array's items as the command's arguments (`{ tradeId }` or `{ day }`).
 */
export function journalCommandUri(args: { tradeId?: string; day?: string }): string {
  return `command:${OPEN_JOURNAL_COMMAND}?${encodeURIComponent(JSON.stringify([args]))}`;
}

/** A trade of the day with its tags (a TradeListRow from the reports fits). */
export interface DayTrade {
  trade: Trade;
  tags: readonly string[];
}

export interface DaySummaryOptions {
  session: SessionConfig;
  stats?: StatsOptions;
  /** Tick size per root for price decimals; default 2 decimals. */
  tickSize?: (root: string) => number | undefined;
  /** The day's risk breaches (risk guard), listed under the summary. */
  riskEvents?: readonly RiskEvent[];
}

/**
 * The generated block (markers included, '\n' line ends) for a session day: per mode the trade
 * count, net, hit rate and profit factor from the stats engine, then the day's trades numbered in
 * exit order, each linking back to the journal panel.
 */
export function daySummaryBlock(day: string, trades: readonly DayTrade[], opts: DaySummaryOptions): string {
  checkDay(day);
  const rows = [...trades].sort((a, b) => a.trade.exitTime - b.trade.exitTime || (a.trade.id < b.trade.id ? -1 : 1));
  const weekday = WEEKDAY[new Date(`${day}T00:00:00Z`).getUTCDay()];
  const out = [SUMMARY_START, `**[${weekday} ${day}](${journalCommandUri({ day })})** · session from ${opts.session.sessionStart} ${opts.session.timeZone}`, ''];
  if (rows.length === 0) {
    out.push('No closed trades in this session.');
  } else {
    for (const mode of ['LIVE', 'SIM'] as const) {
      const mine = rows.filter((r) => r.trade.mode === mode).map((r) => r.trade);
      if (!mine.length) continue;
      const g = computeGrid(mine, null, opts.stats);
      out.push(`- **${mode}**: ${g.trades} trade${g.trades === 1 ? '' : 's'} · net **${formatMoney(g.totalPnl, true)}** · hit rate ${formatPercent(g.hitRate)} · profit factor ${formatRatio(g.profitFactor)} · fees ${formatMoney(g.commissions)}`);
    }
    out.push('', '| # | exit | mode | account | symbol | side | qty | entry | exit price | net | R | tags |', '|---:|---|---|---|---|---|---:|---:|---:|---:|---:|---|');
    rows.forEach(({ trade: t, tags }, i) => {
      const tick = opts.tickSize?.(t.root);
      out.push(
        '| ' +
          [
            String(i + 1), `[${clock(t.exitTime, opts.session.timeZone)}](${journalCommandUri({ tradeId: t.id })})`, t.mode, cell(t.account), cell(t.symbol), t.side,
            String(t.qty), formatPrice(t.avgEntryPrice, tick), formatPrice(t.avgExitPrice, tick), formatMoney(t.netPnl, true),
            t.rMultiple === null ? '—' : `${formatRatio(t.rMultiple)}R`, tags.map(cell).join(', '),
          ].join(' | ') +
          ' |',
      );
    });
  }
  if (opts.riskEvents?.length) {
    out.push('', '**Risk guard**', '');
    for (const e of opts.riskEvents) out.push(`- ⚠ ${cell(riskEventLine(e).slice(day.length + 1))} at ${clock(e.timeMs, opts.session.timeZone)}`);
  }
  out.push(SUMMARY_END);
  return out.join('\n');
}

/** HH:MM:SS wall clock in the session's zone. */
function clock(ms: number, tz: string): string {
  return new Date(ms + zoneOffsetMs(ms, tz)).toISOString().slice(11, 19);
}

/** Text safe inside a Markdown table cell. */
function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

export type RefreshAction = 'replaced' | 'appended' | 'unchanged';

/**
 * Puts `block` (as daySummaryBlock makes it) into a note: in place of the first complete
 * start..end marker pair, else appended at the end. Only the bytes of that pair are rewritten;
 * the file's line ending (CRLF or LF) is kept. A start marker without an end is left alone.
 */
export function refreshSummaryBlock(text: string, block: string): { text: string; action: RefreshAction } {
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const wanted = block.split(/\r?\n/).join(eol);
  const span = findBlock(text);
  if (span) {
    if (text.slice(span.from, span.to) === wanted) return { text, action: 'unchanged' };
    return { text: text.slice(0, span.from) + wanted + text.slice(span.to), action: 'replaced' };
  }
  let head = text;
  if (head !== '' && !head.endsWith('\n')) head += eol;
  if (head !== '' && !/(\r?\n){2}$/.test(head)) head += eol;
  return { text: head + wanted + eol, action: 'appended' };
}

/** [from, to) of the first start marker line whose next marker line is an end marker (end line's EOL excluded). */
function findBlock(text: string): { from: number; to: number } | null {
  let start: number | null = null;
  const line = /[^\r\n]*/g;
  let pos = 0;
  while (pos <= text.length) {
    line.lastIndex = pos;
    const m = line.exec(text)!;
    const s = m[0];
    const end = pos + s.length;
    if (START_RE.test(s)) start = pos;
    else if (END_RE.test(s) && start !== null) return { from: start, to: end };
    else if (END_RE.test(s)) start = null;
    if (end >= text.length) break;
    pos = end + (text.startsWith('\r\n', end) ? 2 : 1);
  }
  return null;
}

/** A new day note: a title, the block, and room for the trader. */
export function newDayNote(day: string, block: string): string {
  const weekday = WEEKDAY[new Date(`${checkDay(day)}T00:00:00Z`).getUTCDay()];
  return `# Trading journal: ${weekday} ${day}\n\n${block}\n\n## Notes\n\n`;
}

/** The heading of a trade's note: readable, and carrying the id that findTradeNote looks for. */
export function tradeNoteHeading(no: number, t: Trade, session: SessionConfig): string {
  return `### Trade ${no}: ${t.symbol} ${t.side} ${t.qty} at ${clock(t.exitTime, session.timeZone)} (\`${t.id}\`)`;
}

/** 0-based line of the heading that carries `tradeId`, or -1. */
export function findTradeNote(text: string, tradeId: string): number {
  const lines = text.split(/\r?\n/);
  const needle = `\`${tradeId}\``;
  return lines.findIndex((l) => /^#{1,6}\s/.test(l) && l.includes(needle));
}

/** Appends the trade's heading when the note has none; returns the text and the heading's line. */
export function ensureTradeNote(text: string, heading: string, tradeId: string): { text: string; line: number } {
  const found = findTradeNote(text, tradeId);
  if (found >= 0) return { text, line: found };
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  let head = text;
  if (head !== '' && !head.endsWith('\n')) head += eol;
  if (head !== '' && !/(\r?\n){2}$/.test(head)) head += eol;
  const out = head + heading + eol + eol;
  return { text: out, line: head.split(/\r?\n/).length - 1 };
}
