/**
 * Display formatting shared by the webviews, the status bar and the CLI tables, so a number reads
 * the same everywhere. The engines return raw numbers, null and Infinity; only this file words them.
 */

/**
 * `1,234.50` from a finite `x >= 0`: what Intl.NumberFormat('en-US') with two fraction digits
 * writes (the shortest decimal of the double, rounded half up, grouped by thousands), without
 * Intl: its first use in a fresh webview costs 50-100 ms, most of the script time before the
 * journal's first rows.
 */
export function fixed2Grouped(x: number): string {
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!m) return String(x);
  let digits = m[1] + (m[2] ?? '');
  let point = m[1].length + Number(m[3] ?? 0);
  if (point < 1) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  }
  digits = digits.padEnd(point + 3, '0');
  let cents = BigInt(digits.slice(0, point + 2));
  if (digits[point + 2] >= '5') cents += 1n;
  const text = cents.toString().padStart(3, '0');
  const int = text.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${int}.${text.slice(-2)}`;
}

/** `2025-06-01 14:05:12` in local time (the form of Sierra Chart's logs); no Intl, for the same reason as fixed2Grouped. */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** `1 trade`, `2 trades`: a count with its noun in the right number (`plural` for irregular nouns). */
export function countOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** `$1,234.50`, `-$87.25`; with `signed`, `+$1,234.50`. Null -> an em dash. */
export function formatMoney(n: number | null | undefined, signed = false): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  if (n === Infinity) return '∞';
  const abs = fixed2Grouped(Math.abs(n));
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
