/**
 * Display formatting shared by the webviews, the status bar and the CLI tables, so a number reads
 * the same everywhere. The engines return raw numbers, null and Infinity; only this file words them.
 */
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** `1 trade`, `2 trades`: a count with its noun in the right number (`plural` for irregular nouns). */
export function countOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** `$1,234.50`, `-$87.25`; with `signed`, `+$1,234.50`. Null -> an em dash. */
export function formatMoney(n: number | null | undefined, signed = false): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  if (n === Infinity) return '∞';
  const abs = money.format(Math.abs(n));
  if (n < 0 && abs !== '0.00') return `-$${abs}`;
  return `${signed && n > 0 && abs !== '0.00' ? '+' : ''}$${abs}`;
}

/** `4m 12s`, `1h 03m`, `2d 4h`. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

/** `62.5%` from a fraction. */
export function formatPercent(fraction: number | null | undefined, digits = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** Profit factor / R style ratios: `1.85`, `∞`, `—`. */
export function formatRatio(n: number | null | undefined, digits = 2): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  if (n === Infinity) return '∞';
  return n.toFixed(digits);
}

/** A price with the decimals its tick needs (0.25 -> 2, 0.01 -> 2, 0.005 -> 3, 1 -> 0). */
export function formatPrice(n: number | null | undefined, tickSize?: number): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const decimals = tickSize ? Math.min(6, Math.max(0, Math.ceil(-Math.log10(tickSize) - 1e-9))) : 2;
  return n.toFixed(decimals);
}

/** `+3`, `-2`, `0` for streaks. */
export function formatSigned(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** Short money for a chart axis: `$0`, `-$48`, `+$1.2k`, `-$15k`, `+$1.5M` (whole dollars below $1,000). */
export function formatAxisMoney(n: number): string {
  const abs = Math.abs(n);
  const sign = n < 0 && abs >= 0.5 ? '-' : n > 0 && abs >= 0.5 ? '+' : '';
  const body = abs >= 1e6 ? `${trim(abs / 1e6)}M` : abs >= 1e3 ? `${trim(abs / 1e3)}k` : String(Math.round(abs));
  return `${sign}$${body}`;
}

const trim = (v: number) => (v >= 100 ? String(Math.round(v)) : v.toFixed(1).replace(/\.0$/, ''));

/** The two ends of a time axis: clock times when both instants fall on one calendar day, else dates (`Dec 2`). */
export function formatTimeEnds(fromMs: number, toMs: number, timeZone?: string): [string, string] {
  const day = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'short', day: 'numeric' });
  const sameDay = day.format(fromMs) === day.format(toMs);
  const f = sameDay
    ? new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    : new Intl.DateTimeFormat('en-US', { timeZone, month: 'short', day: 'numeric' });
  return [f.format(fromMs), f.format(toMs)];
}
