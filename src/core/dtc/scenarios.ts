/**
 * Simulator scenarios. Built-ins drive the shared SimBook over time ('smoke': one scripted MES
 * round trip; 'random-day': a seeded trading day); a scenario FILE is newline-delimited DTC JSON
 * with optional {"Wait":ms} and {"Disconnect":true} lines, played to each connected client.
 */
import * as fs from 'fs';
import type { DtcMessage } from './codec';
import { parseDtcJsonLine } from './codec';
import { BUY, SELL, SIM_CONTRACTS, SIM_ORDER_TYPE, SimBook, contractFor } from './simBook';
import { Rng, pick, randInt } from './random';
import { DEFAULT_SESSION, sessionBounds } from '../stats/session';
import type { SessionConfig } from '../stats/types';

export const BUILT_IN_SCENARIOS = ['random-day', 'smoke'] as const;

export type ScriptStep = { kind: 'message'; msg: DtcMessage } | { kind: 'wait'; ms: number } | { kind: 'disconnect' };

/** Cancellable, speed-scaled sleeping for scenario code. */
export interface ScenarioClock {
  sleep(ms: number): Promise<void>;
  readonly running: boolean;
}

export interface ScenarioHooks {
  /** Drops every client connection (random-day's occasional disconnects). */
  disconnectAll(): void;
}

/** Reads and validates a scenario file; errors name the line and the fix. */
export function loadScenarioFile(path: string): ScriptStep[] {
  let text: string;
  try {
    text = fs.readFileSync(path, 'latin1');
  } catch (e) {
    throw new Error(`scenario '${path}' is neither a built-in (${BUILT_IN_SCENARIOS.join(', ')}) nor a readable file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const steps: ScriptStep[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (!t || t.startsWith('#') || t.startsWith('//')) return;
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(t);
    } catch (e) {
      throw new Error(`${path}:${i + 1}: not valid JSON (${(e as Error).message}); each line is one DTC JSON message, {"Wait":ms} or {"Disconnect":true}`);
    }
    if (typeof obj.Wait === 'number') steps.push({ kind: 'wait', ms: Math.max(0, obj.Wait) });
    else if (obj.Disconnect === true) steps.push({ kind: 'disconnect' });
    else {
      try {
        steps.push({ kind: 'message', msg: parseDtcJsonLine(t) });
      } catch (e) {
        throw new Error(`${path}:${i + 1}: ${(e as Error).message}`);
      }
    }
  });
  return steps;
}

const ts = (sym: string) => contractFor(sym)!.tick;
const roundTick = (p: number, tick: number) => Math.round(Math.round(p / tick) * tick * 1e6) / 1e6;

/** Short scripted session: on Sim1 a long 2 MES entered in two fills, stop + target, exit at the target. */
export async function runSmoke(book: SimBook, clock: ScenarioClock): Promise<void> {
  const sym = 'MESZ25';
  await clock.sleep(300);
  if (!clock.running) return;
  const entry = book.newOrder('Sim1', sym, BUY, 2);
  book.fillOrder(entry, 1, 5000.0);
  await clock.sleep(400);
  if (!clock.running) return;
  book.fillOrder(entry, 1, 5000.25);
  book.setBracket('Sim1', sym, 4995.0, 5004.0);
  for (const p of [5001.0, 5002.5, 5003.25, 5004.0]) {
    await clock.sleep(350);
    if (!clock.running) return;
    book.mark(sym, p);
  }
}

/** How long after a session's start the seeded history has closed; a demo started earlier seeds the session before. */
export const HISTORY_SPAN_MS = 3 * 60_000;

/**
 * Where the seeded history lies: fixed offsets from the start of the trading session containing
 * `nowMs` (so "today" has trades the moment the feed starts), or of the session before while the
 * current one is younger than HISTORY_SPAN_MS (never a fill in the future).
 */
export function historyAnchors(nowMs: number, session: SessionConfig = DEFAULT_SESSION): { today: number; before: number } {
  let today = sessionBounds(nowMs, session).fromMs;
  if (nowMs < today + HISTORY_SPAN_MS) today = sessionBounds(today - 1, session).fromMs;
  return { today, before: sessionBounds(today - 1, session).fromMs };
}

/**
 * Past trades so positions (incl. flat rows), fills and balances exist before the first client.
 * Times and execution ids depend only on the session, never on the run or the seed: a restarted
 * demo feed replays the same fills and the store's dedupe drops them instead of doubling trades
 * and the SIM balance (issue 9 item 3).
 */
export function seedHistory(book: SimBook, nowMs: number, session: SessionConfig = DEFAULT_SESSION): void {
  const { today, before } = historyAnchors(nowMs, session);
  const play = (account: string, sym: string, side: number, qty: number, entry: number, exit: number, from: number, inSec: number, outSec: number) => {
    const o = book.newOrder(account, sym, side, qty);
    book.fillOrder(o, qty, entry, from + inSec * 1000);
    const x = book.newOrder(account, sym, side === BUY ? SELL : BUY, qty);
    book.fillOrder(x, qty, exit, from + outSec * 1000);
  };
  book.withIdPrefix(`H${today.toString(36)}x`, () => {
    play('120045', 'MNQZ25', BUY, 1, 17480.0, 17490.5, before, 2 * 3600, 2 * 3600 + 25 * 60);
    play('Sim1', 'ESZ25', BUY, 1, 4990.0, 4994.5, today, 20, 80);
    play('Sim1', 'MNQZ25', SELL, 2, 17520.0, 17531.25, today, 100, 150);
  });
}

/** A seeded trading day: entries, partial fills, scale in/out, flips, stops/targets, timeouts. */
export async function runRandomDay(book: SimBook, clock: ScenarioClock, rng: Rng, hooks: ScenarioHooks, opts: { disconnects: boolean }): Promise<void> {
  const accounts = ['Sim1', 'Sim1', 'Sim1', 'Sim1', 'Sim1', 'Sim1', 'Sim2', 'Sim2', '120045'];
  const symbols = ['MESZ25', 'MESZ25', 'MESZ25', 'ESZ25', 'MNQZ25', 'NQZ25', 'CLF26', 'GCG26'];
  while (clock.running) {
    await clock.sleep(randInt(rng, 2500, 6000));
    if (!clock.running) return;
    const account = pick(rng, accounts);
    const sym = pick(rng, symbols);
    const tick = ts(sym);
    let side = rng() < 0.5 ? BUY : SELL;
    const qty = randInt(rng, 1, 3);
    let price = book.markOf(sym);
    // Entry, sometimes in several fills.
    const entry = book.newOrder(account, sym, side, qty);
    let left = qty;
    while (left > 0 && clock.running) {
      const part = left > 1 && rng() < 0.5 ? randInt(rng, 1, left - 1) : left;
      book.fillOrder(entry, part, price);
      left -= part;
      if (left > 0) {
        await clock.sleep(randInt(rng, 400, 1500));
        price = roundTick(price + (rng() < 0.5 ? -tick : tick), tick);
      }
    }
    const bracket = () => {
      const q = book.positionQty(account, sym);
      const dir = q > 0 ? 1 : -1;
      const p = book.markOf(sym);
      book.setBracket(account, sym, roundTick(p - dir * randInt(rng, 8, 16) * tick, tick), roundTick(p + dir * randInt(rng, 10, 24) * tick, tick));
    };
    bracket();
    const maxTicks = randInt(rng, 20, 80);
    for (let t = 0; t < maxTicks && clock.running && book.positionQty(account, sym) !== 0; t++) {
      await clock.sleep(1000);
      if (!clock.running) return;
      const q = book.positionQty(account, sym);
      // A slight drift with the trade makes wins and losses both common.
      const drift = (q > 0 ? 1 : -1) * (rng() < 0.55 ? 1 : -1);
      price = roundTick(book.markOf(sym) + drift * randInt(rng, 0, 3) * tick, tick);
      book.mark(sym, price);
      const now = book.positionQty(account, sym);
      if (now === 0) break;
      const r = rng();
      if (r < 0.04 && Math.abs(now) < 6) {
        book.fillOrder(book.newOrder(account, sym, now > 0 ? BUY : SELL, 1), 1, price); // scale in
        bracket();
      } else if (r < 0.08 && Math.abs(now) > 1) {
        book.fillOrder(book.newOrder(account, sym, now > 0 ? SELL : BUY, 1), 1, price); // scale out
        bracket();
      } else if (r < 0.095) {
        const flipQty = Math.abs(now) + randInt(rng, 1, 2);
        side = now > 0 ? SELL : BUY;
        book.fillOrder(book.newOrder(account, sym, side, flipQty), flipQty, price); // flip
        bracket();
      } else if (opts.disconnects && r > 0.995) {
        hooks.disconnectAll();
      }
    }
    const q = book.positionQty(account, sym);
    if (q !== 0) {
      const exit = book.newOrder(account, sym, q > 0 ? SELL : BUY, Math.abs(q), SIM_ORDER_TYPE.MARKET);
      book.fillOrder(exit, Math.abs(q), book.markOf(sym)); // time stop; cancels the bracket when flat
    }
  }
}

export function isBuiltInScenario(name: string): name is (typeof BUILT_IN_SCENARIOS)[number] {
  return (BUILT_IN_SCENARIOS as readonly string[]).includes(name);
}

export { SIM_CONTRACTS };
