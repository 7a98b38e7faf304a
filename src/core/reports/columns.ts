/**
 * The journal's trades as typed columns in exit order (exit time, then id: the order every stats
 * figure is computed in). Filters, sorts and reports over 100k trades read these arrays instead of
 * trade objects. Per-trade inputs of the stats accumulator come from `tradeRow` (stats/compute.ts),
 * so a trade is classified and rounded exactly as the stats engine does it.
 */
import type { Trade } from '../trading/types';
import { tradeRow } from '../stats/compute';
import { sessionDayOfLocal, sessionStartMinutes, zoneOffsetMs } from '../stats/session';
import type { SessionConfig, StatsOptions } from '../stats/types';
import { searchSorted } from '../stats/sortedSearch';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Duration buckets of the breakdown (upper bounds, exclusive), in order. */
export const DURATION_BUCKETS: readonly { key: string; label: string; maxMs: number }[] = [
  { key: '<1m', label: 'under 1 min', maxMs: MINUTE },
  { key: '1m-5m', label: '1–5 min', maxMs: 5 * MINUTE },
  { key: '5m-15m', label: '5–15 min', maxMs: 15 * MINUTE },
  { key: '15m-1h', label: '15–60 min', maxMs: HOUR },
  { key: '1h-4h', label: '1–4 h', maxMs: 4 * HOUR },
  { key: '>=4h', label: '4 h and more', maxMs: Infinity },
];

export function durationBucket(durMs: number): number {
  let b = 0;
  while (durMs >= DURATION_BUCKETS[b].maxMs) b++;
  return b;
}

/** Monday = 0 ... Sunday = 6, of a day index (days since 1970-01-01, a Thursday). */
export function weekdayOf(dayIndex: number): number {
  return (((dayIndex + 3) % 7) + 7) % 7;
}

/** Interns strings as small integer codes (accounts, symbols). */
export class Dictionary {
  readonly values: string[] = [];
  private readonly codes = new Map<string, number>();
  code(s: string): number {
    let c = this.codes.get(s);
    if (c === undefined) {
      c = this.values.length;
      this.values.push(s);
      this.codes.set(s, c);
    }
    return c;
  }
  find(s: string): number {
    return this.codes.get(s) ?? -1;
  }
}

export class TradeColumns {
  len = 0;
  exit = new Float64Array(16);
  entry = new Float64Array(16);
  cls = new Int8Array(16);
  netC = new Float64Array(16);
  grossC = new Float64Array(16);
  feesC = new Float64Array(16);
  durMs = new Float64Array(16);
  /** NaN when unknown. */
  r = new Float64Array(16);
  maeC = new Float64Array(16);
  mfeC = new Float64Array(16);
  /** 0 SIM, 1 LIVE. */
  mode = new Uint8Array(16);
  account = new Int32Array(16);
  symbol = new Int32Array(16);
  /** 0 LONG, 1 SHORT. */
  side = new Uint8Array(16);
  /** Session day index of the exit. */
  day = new Int32Array(16);
  /** Hour of the entry in the session's time zone, 0-23. */
  hour = new Uint8Array(16);
  durBucket = new Uint8Array(16);
  readonly accounts = new Dictionary();
  readonly symbols = new Dictionary();
  private startMin: number;
  private readonly exitZone: ZoneSpan;
  private readonly entryZone: ZoneSpan;

  constructor(private readonly session: SessionConfig, private readonly opts: StatsOptions, capacity = 16) {
    this.startMin = sessionStartMinutes(session);
    this.exitZone = new ZoneSpan(session.timeZone);
    this.entryZone = new ZoneSpan(session.timeZone);
    this.grow(capacity);
  }

  private grow(min: number): void {
    let cap = this.exit.length;
    if (cap >= min) return;
    while (cap < min) cap *= 2;
    for (const k of ['exit', 'entry', 'cls', 'netC', 'grossC', 'feesC', 'durMs', 'r', 'maeC', 'mfeC', 'mode', 'account', 'symbol', 'side', 'day', 'hour', 'durBucket'] as const) {
      const a = this[k];
      const b = new (a.constructor as { new (n: number): typeof a })(cap);
      b.set(a as never);
      (this as Record<string, unknown>)[k] = b;
    }
  }

  clear(): void {
    this.len = 0;
  }

  /** Appends one trade (the caller keeps exit order). */
  push(t: Trade): void {
    const i = this.len;
    this.grow(i + 1);
    const row = tradeRow(t, this.opts);
    this.exit[i] = t.exitTime;
    this.entry[i] = t.entryTime;
    this.cls[i] = row.cls;
    this.netC[i] = row.netC;
    this.grossC[i] = Math.round(t.grossPnl * 100);
    this.feesC[i] = row.feesC;
    this.durMs[i] = row.durMs;
    this.r[i] = row.r;
    this.maeC[i] = row.maeC;
    this.mfeC[i] = row.mfeC;
    this.mode[i] = t.mode === 'LIVE' ? 1 : 0;
    this.account[i] = this.accounts.code(t.account);
    this.symbol[i] = this.symbols.code(t.symbol);
    this.side[i] = t.side === 'SHORT' ? 1 : 0;
    this.day[i] = sessionDayOfLocal(t.exitTime + this.exitZone.offset(t.exitTime), this.startMin);
    const local = t.entryTime + this.entryZone.offset(t.entryTime);
    this.hour[i] = Math.floor((((local % DAY) + DAY) % DAY) / HOUR);
    this.durBucket[i] = durationBucket(row.durMs);
    this.len = i + 1;
  }

  /** First row with exit >= ms. */
  lowerBound(ms: number): number {
    return searchSorted(this.exit, this.len, ms, 'left');
  }
}

/**
 * The zone offset over the span of time it stays constant, so a pass over trades in time order
 * asks the zone (Intl, memoized per quarter hour) a few dozen times per DST period, not per trade.
 * Offsets change only at quarter-hour instants and at most a few times a year.
 */
export class ZoneSpan {
  private from = Infinity;
  private until = -Infinity;
  private off = 0;
  constructor(private readonly tz: string) {}

  offset(ms: number): number {
    if (ms >= this.from && ms < this.until) return this.off;
    const Q = 15 * MINUTE;
    const off = zoneOffsetMs(ms, this.tz);
    const base = Math.floor(ms / Q) * Q;
    // Same offset over [from, until): gallop out by days, then bisect to the quarter hour.
    const edge = (dir: 1 | -1): number => {
      let good = base;
      let step = DAY;
      let probe = base + dir * step;
      while (Math.abs(probe - base) <= 400 * DAY && zoneOffsetMs(probe, this.tz) === off) {
        good = probe;
        step *= 2;
        probe = base + dir * step;
      }
      if (Math.abs(probe - base) > 400 * DAY) return good;
      let bad = probe;
      while (Math.abs(bad - good) > Q) {
        const mid = good + Math.round((bad - good) / 2 / Q) * Q;
        if (mid === good || mid === bad) break;
        if (zoneOffsetMs(mid, this.tz) === off) good = mid;
        else bad = mid;
      }
      return good;
    };
    this.off = off;
    this.from = edge(-1);
    this.until = edge(1) + Q;
    return off;
  }
}
