/**
 * Wall-clock times in a named zone -> UTC, with the platform's time zone database (Intl), for
 * Sierra Chart's Save Log As files, which carry display times without an offset.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Null when the zone is a valid IANA name (e.g. America/New_York, UTC), else why not. */
export function checkTimeZone(tz: string): string | null {
  try {
    formatterFor(tz);
    return null;
  } catch {
    return `'${tz}' is not a time zone name; use an IANA name such as America/Chicago, Europe/London or UTC.`;
  }
}

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(tz, f);
  }
  return f;
}

/** Offset (zone time - UTC) in ms at the instant `utcMs`. */
function offsetAt(utcMs: number, tz: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(tz).formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/**
 * UTC ms of a wall-clock time in `tz`. In the repeated hour when clocks go back the first (daylight)
 * instant is taken; a time inside the skipped hour moves forward by the gap, as the clock did.
 */
export function zonedToUtc(wallMs: number, tz: string): number {
  // Offsets change on whole hours (nearly everywhere), so one answer serves a whole wall-clock hour.
  const hour = Math.floor(wallMs / 3_600_000);
  const key = tz + '|' + hour;
  const cached = hourOffsets.get(key);
  if (cached !== undefined) return wallMs - cached;
  const utc = solve(wallMs, tz);
  if (hourOffsets.size > 100_000) hourOffsets.clear();
  hourOffsets.set(key, wallMs - utc);
  return utc;
}

const hourOffsets = new Map<string, number>();

function solve(wallMs: number, tz: string): number {
  const o1 = offsetAt(wallMs, tz);
  let utc = wallMs - o1;
  const o2 = offsetAt(utc, tz);
  if (o2 !== o1) {
    const alt = wallMs - o2;
    utc = offsetAt(alt, tz) === o2 ? Math.min(utc, alt) : Math.max(utc, alt);
  }
  return utc;
}
