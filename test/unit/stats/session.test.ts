import * as assert from 'assert';
import { checkSessionConfig, sessionBounds, sessionDate, timeframeWindow, zoneOffsetMs } from '../../../src/core/stats/session';
import { CME } from './trades';

const Z = (iso: string) => Date.parse(iso);
const H = 3_600_000;
const D = 24 * H;

describe('trading sessions and timeframes (§4)', () => {
  it('17:00 CT: 16:59 Monday is Monday, 17:00 and 17:30 Monday are Tuesday (CST)', () => {
    assert.strictEqual(sessionDate(Z('2025-01-13T22:59:59.999Z'), CME), '2025-01-13');
    assert.strictEqual(sessionDate(Z('2025-01-13T23:00:00.000Z'), CME), '2025-01-14');
    assert.strictEqual(sessionDate(Z('2025-01-13T23:30:00Z'), CME), '2025-01-14');
    // Sunday evening open belongs to Monday.
    assert.strictEqual(sessionDate(Z('2025-01-12T23:05:00Z'), CME), '2025-01-13');
  });

  it('17:00 CT in summer is 22:00 UTC (CDT)', () => {
    assert.strictEqual(sessionDate(Z('2025-07-14T21:59:00Z'), CME), '2025-07-14');
    assert.strictEqual(sessionDate(Z('2025-07-14T22:00:00Z'), CME), '2025-07-15');
  });

  it('March DST (9 Mar 2025): the session of Monday 10 Mar starts 22:00 UTC Sunday and the Sunday one lasts 23 h', () => {
    const b = sessionBounds(Z('2025-03-10T15:00:00Z'), CME);
    assert.strictEqual(new Date(b.fromMs).toISOString(), '2025-03-09T22:00:00.000Z');
    assert.strictEqual(new Date(b.toMs).toISOString(), '2025-03-10T22:00:00.000Z');
    const sun = sessionBounds(Z('2025-03-09T12:00:00Z'), CME);
    assert.strictEqual(new Date(sun.fromMs).toISOString(), '2025-03-08T23:00:00.000Z');
    assert.strictEqual(sun.toMs - sun.fromMs, 23 * H);
    assert.strictEqual(sessionDate(Z('2025-03-09T21:59:00Z'), CME), '2025-03-09');
    assert.strictEqual(sessionDate(Z('2025-03-09T22:00:00Z'), CME), '2025-03-10');
  });

  it('November DST (2 Nov 2025): the Sunday session lasts 25 h and the next starts 23:00 UTC', () => {
    const sun = sessionBounds(Z('2025-11-02T12:00:00Z'), CME);
    assert.strictEqual(new Date(sun.fromMs).toISOString(), '2025-11-01T22:00:00.000Z');
    assert.strictEqual(new Date(sun.toMs).toISOString(), '2025-11-02T23:00:00.000Z');
    assert.strictEqual(sun.toMs - sun.fromMs, 25 * H);
    assert.strictEqual(sessionDate(Z('2025-11-02T22:30:00Z'), CME), '2025-11-02');
    assert.strictEqual(sessionDate(Z('2025-11-02T23:00:00Z'), CME), '2025-11-03');
  });

  it('1D is the current session up to now', () => {
    const now = Z('2025-01-14T15:00:00Z');
    assert.deepStrictEqual(timeframeWindow('1D', now, CME), { fromMs: Z('2025-01-13T23:00:00Z'), toMs: now + 1 });
    // Right after the 17:00 open a new, empty session begins.
    const open = Z('2025-01-14T23:00:00Z');
    assert.strictEqual(timeframeWindow('1D', open, CME).fromMs, open);
  });

  it('midnight local: sessionStart 00:00 gives calendar dates in the zone (Europe/London across BST)', () => {
    const ldn = { sessionStart: '00:00', timeZone: 'Europe/London' };
    assert.strictEqual(sessionDate(Z('2025-03-30T23:30:00Z'), ldn), '2025-03-31'); // 00:30 BST
    assert.strictEqual(sessionDate(Z('2025-03-29T23:30:00Z'), ldn), '2025-03-29'); // 23:30 GMT
    assert.strictEqual(timeframeWindow('1D', Z('2025-07-01T10:00:00Z'), ldn).fromMs, Z('2025-06-30T23:00:00Z'));
  });

  it("'local' resolves to the machine's zone", () => {
    const local = { sessionStart: '00:00', timeZone: 'local' };
    const now = Z('2025-07-01T10:00:00Z');
    const d = new Date(now);
    const expected = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
    assert.strictEqual(timeframeWindow('1D', now, local).fromMs, expected);
  });

  it('a session starting before noon is named by the day it starts', () => {
    const s = { sessionStart: '08:30', timeZone: 'America/New_York' };
    assert.strictEqual(sessionDate(Z('2025-01-14T13:30:00Z'), s), '2025-01-14'); // 08:30 EST
    assert.strictEqual(sessionDate(Z('2025-01-14T13:29:00Z'), s), '2025-01-13');
  });

  it('1W / 1M / 3M are the last 7 / 30 / 90 days up to now; ALL is unbounded', () => {
    const now = Z('2025-06-01T12:00:00Z');
    assert.deepStrictEqual(timeframeWindow('1W', now, CME), { fromMs: now - 7 * D, toMs: now + 1 });
    assert.deepStrictEqual(timeframeWindow('1M', now, CME), { fromMs: now - 30 * D, toMs: now + 1 });
    assert.deepStrictEqual(timeframeWindow('3M', now, CME), { fromMs: now - 90 * D, toMs: now + 1 });
    assert.deepStrictEqual(timeframeWindow('ALL', now, CME), { fromMs: -Infinity, toMs: Infinity });
  });

  it('YTD on 1 January starts at 1 January 00:00 in the session zone; on 31 December evening CT it is still last year', () => {
    assert.strictEqual(timeframeWindow('YTD', Z('2026-01-01T16:00:00Z'), CME).fromMs, Z('2026-01-01T06:00:00Z'));
    // 21:00 CT on 31 Dec 2025 = 03:00 UTC on 1 Jan 2026: the zone's year is still 2025.
    assert.strictEqual(timeframeWindow('YTD', Z('2026-01-01T03:00:00Z'), CME).fromMs, Z('2025-01-01T06:00:00Z'));
    assert.strictEqual(timeframeWindow('YTD', Z('2025-07-01T00:00:00Z'), { sessionStart: '00:00', timeZone: 'Asia/Tokyo' }).fromMs, Z('2024-12-31T15:00:00Z'));
  });

  it('zone offsets come from Intl (CST -6 h, CDT -5 h)', () => {
    assert.strictEqual(zoneOffsetMs(Z('2025-01-15T00:00:00Z'), 'America/Chicago'), -6 * H);
    assert.strictEqual(zoneOffsetMs(Z('2025-07-15T00:00:00Z'), 'America/Chicago'), -5 * H);
    assert.strictEqual(zoneOffsetMs(Z('2025-07-15T00:00:00Z'), 'Asia/Kolkata'), 5.5 * H);
  });

  it('bad settings are reported in one sentence', () => {
    assert.strictEqual(checkSessionConfig(CME), null);
    assert.match(checkSessionConfig({ sessionStart: '25:00', timeZone: 'America/Chicago' })!, /HH:MM/);
    assert.match(checkSessionConfig({ sessionStart: '17:00', timeZone: 'Mars/Olympus' })!, /Mars\/Olympus/);
  });
  it('zone offsets (memoized per day) match Intl at every quarter hour of 2025 in zones with odd transitions', () => {
    for (const tz of ['America/Chicago', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Sao_Paulo', 'Pacific/Chatham']) {
      const fmt = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
      const truth = (ms: number) => {
        const p: Record<string, number> = {};
        for (const x of fmt.formatToParts(ms)) if (x.type !== 'literal') p[x.type] = Number(x.value);
        return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - ms;
      };
      // Odd instants too (7 min past), so a bucket's value is checked inside the bucket.
      for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2026, 0, 1); ms += 15 * 60_000) {
        for (const at of [ms, ms + 7 * 60_000]) assert.strictEqual(zoneOffsetMs(at, tz), truth(at), `${tz} at ${new Date(at).toISOString()}`);
      }
    }
  });
});
