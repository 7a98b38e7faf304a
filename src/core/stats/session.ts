/**
 * Trading-session dates and timeframe windows (TRADING-MATH.md §4), zone-correct across DST with
 * Intl only. A session starting at `sessionStart` in `timeZone` runs until the next day's start
 * (23 or 25 hours across a DST change). Sessions that start in the afternoon or evening (CME's
 * 17:00) are named by the day they end — a trade at 17:30 CT Monday belongs to Tuesday — and
 * sessions starting before noon by the day they start; '00:00' gives the calendar date.
 */
import type { SessionConfig, Timeframe } from './types';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Zone offsets only change at quarter-hour instants (UTC) in modern tz data; memo per bucket. */
const BUCKET = 15 * MINUTE;

export const DEFAULT_SESSION: SessionConfig = { sessionStart: '17:00', timeZone: 'America/Chicago' };

export interface TimeWindow {
  /** Inclusive, epoch ms. */
  fromMs: number;
  /** Exclusive, epoch ms. */
  toMs: number;
}

interface Zone {
  fmt: Intl.DateTimeFormat;
  /** Offset at the start of each 15-minute bucket that was asked for. */
  offsets: Map<number, number>;
  /** Per UTC day: its offset when the day starts and ends on the same one, else NaN (a transition inside). */
  days: Map<number, number>;
}

const zones = new Map<string, Zone>();

/** 'local' -> this machine's IANA zone. */
export function resolveTimeZone(tz: string): string {
  return tz === 'local' || tz === '' ? Intl.DateTimeFormat().resolvedOptions().timeZone : tz;
}

function zone(tz: string): Zone {
  const name = resolveTimeZone(tz);
  let z = zones.get(name);
  if (!z) {
    const fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: name, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    z = { fmt, offsets: new Map(), days: new Map() };
    zones.set(name, z);
  }
  return z;
}

/** Offset of the zone from UTC at instant `ms`, in ms (Chicago in winter: -6 h). */
export function zoneOffsetMs(ms: number, tz: string): number {
  const z = zone(tz);
  // Most days have one offset: two Intl calls per day instead of one per bucket (a year of trades
  // took 0.5 s). Zones change offset months apart, never twice within a day.
  const day = Math.floor(ms / DAY);
  let off = z.days.get(day);
  if (off === undefined) {
    const start = bucketOffset(z, (day * DAY) / BUCKET);
    off = start === bucketOffset(z, ((day + 1) * DAY) / BUCKET) ? start : NaN;
    z.days.set(day, off);
  }
  return Number.isNaN(off) ? bucketOffset(z, Math.floor(ms / BUCKET)) : off;
}

function bucketOffset(z: Zone, key: number): number {
  let off = z.offsets.get(key);
  if (off === undefined) {
    const at = key * BUCKET;
    const p: Record<string, number> = {};
    for (const part of z.fmt.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
    off = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - at;
    z.offsets.set(key, off);
  }
  return off;
}

/** The UTC instant of a wall-clock time (minutes after local midnight of `dayIndex`, days since 1970-01-01). */
export function wallToUtc(dayIndex: number, minuteOfDay: number, tz: string): number {
  const wall = dayIndex * DAY + minuteOfDay * MINUTE;
  let t = wall - zoneOffsetMs(wall, tz);
  // A second round settles the offset on the right side of a transition.
  const off = zoneOffsetMs(t, tz);
  t = wall - off;
  return t;
}

/** Session start as minutes after midnight; throws a clear error on a bad 'HH:MM'. */
export function sessionStartMinutes(session: SessionConfig): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(session.sessionStart);
  if (!m) throw new RangeError(`session start '${session.sessionStart}' is not a 24-hour time HH:MM, e.g. 17:00`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Null when the config is usable, else one sentence saying what is wrong. */
export function checkSessionConfig(session: SessionConfig): string | null {
  try {
    sessionStartMinutes(session);
  } catch (err) {
    return (err as Error).message;
  }
  try {
    zone(session.timeZone).fmt.format(0);
  } catch {
    return `time zone '${session.timeZone}' is not a known IANA zone (e.g. America/Chicago) or 'local'`;
  }
  return null;
}

/**
 * Index (days since 1970-01-01) of the date naming the session that contains `ms`.
 * Cheap after warm-up (memoized offsets): the stats cache calls it per trade.
 */
export function sessionDayIndex(ms: number, session: SessionConfig, startMin = sessionStartMinutes(session)): number {
  return sessionDayOfLocal(ms + zoneOffsetMs(ms, session.timeZone), startMin);
}

/** sessionDayIndex from a wall-clock time already in the session's zone (ms since 1970 local). */
export function sessionDayOfLocal(local: number, startMin: number): number {
  const day = Math.floor(local / DAY);
  const started = local - day * DAY >= startMin * MINUTE ? day : day - 1;
  return startMin >= 12 * 60 ? started + 1 : started;
}

/** 'YYYY-MM-DD' of a day index. */
export function dayIndexToDate(dayIndex: number): string {
  return new Date(dayIndex * DAY).toISOString().slice(0, 10);
}

/** The trading-session date of an instant, 'YYYY-MM-DD'. */
export function sessionDate(ms: number, session: SessionConfig): string {
  return dayIndexToDate(sessionDayIndex(ms, session));
}

/** [start, end) of the trading session containing `ms`. */
export function sessionBounds(ms: number, session: SessionConfig): TimeWindow {
  const startMin = sessionStartMinutes(session);
  const named = sessionDayIndex(ms, session, startMin);
  const startDay = startMin >= 12 * 60 ? named - 1 : named;
  return { fromMs: wallToUtc(startDay, startMin, session.timeZone), toMs: wallToUtc(startDay + 1, startMin, session.timeZone) };
}

/** [start, end) of the session named `day` ('YYYY-MM-DD'); throws a RangeError on a bad date. */
export function sessionDayBounds(day: string, session: SessionConfig): TimeWindow {
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== day) {
    throw new RangeError(`'${day}' is not a date YYYY-MM-DD, e.g. 2026-11-20`);
  }
  const startMin = sessionStartMinutes(session);
  const startDay = Math.round(ms / DAY) - (startMin >= 12 * 60 ? 1 : 0);
  return { fromMs: wallToUtc(startDay, startMin, session.timeZone), toMs: wallToUtc(startDay + 1, startMin, session.timeZone) };
}

const ROLLING_DAYS: Partial<Record<Timeframe, number>> = { '1W': 7, '1M': 30, '3M': 90 };

/**
 * The exit-time window a timeframe sees at `nowMs`: [fromMs, toMs). Every bounded window ends just
 * after `nowMs` ("up to now"), so a fixed `--now` in the past hides later trades; callers with a
 * live clock should pass max(Date.now(), newest exit) so a server clock slightly ahead never hides
 * a trade. ALL is unbounded.
 */
export function timeframeWindow(tf: Timeframe, nowMs: number, session: SessionConfig): TimeWindow {
  const toMs = nowMs + 1;
  switch (tf) {
    case 'ALL':
      return { fromMs: -Infinity, toMs: Infinity };
    case '1D':
      return { fromMs: sessionBounds(nowMs, session).fromMs, toMs };
    case 'YTD': {
      // 1 January 00:00 of the current year, both in the session's time zone.
      const year = new Date(nowMs + zoneOffsetMs(nowMs, session.timeZone)).getUTCFullYear();
      return { fromMs: wallToUtc(Math.round(Date.UTC(year, 0, 1) / DAY), 0, session.timeZone), toMs };
    }
    default:
      return { fromMs: nowMs - (ROLLING_DAYS[tf] as number) * DAY, toMs };
  }
}
