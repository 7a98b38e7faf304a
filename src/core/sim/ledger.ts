/**
 * SIM balance as events (ARCHITECTURE.md "SIM balance"): a start balance, the realized net P&L of
 * each closed SIM trade, and resets (manual, or monthly at the first session of a new month).
 * Events are the truth; ids are deterministic so replays and two writers add nothing twice.
 * Balance per account = amount of the latest reset (else the start, else the configured starting
 * balance) + the pnl events after it. The start is not an instant: it stands before every event of
 * the account, whenever it was recorded, so history that arrives after a live fill still counts.
 * Order: start, then time, then resets before trades at the same instant (the report counts a
 * trade closed at a reset's instant in the new period), then id: never arrival order, so the
 * same events give the same balance and history in any order.
 */
import { zoneOffsetMs, wallToUtc } from '../stats/session';
import { roundCents } from '../trading/money';
import type { SimBalanceEvent, Trade } from '../trading/types';

export const DEFAULT_STARTING_BALANCE = 10000;

export interface LedgerCounters {
  added: number;
  duplicates: number;
  rejected: number;
}

export interface LedgerEntry {
  event: SimBalanceEvent;
  /** Balance right after this event. */
  balance: number;
}

interface AccountState {
  events: SimBalanceEvent[];
  cache: { balance: number; baseIndex: number } | null;
}

const KINDS = new Set(['start', 'pnl', 'reset']);

export class SimBalanceLedger {
  readonly counters: LedgerCounters = { added: 0, duplicates: 0, rejected: 0 };
  /** Messages for refused events (cause + fix), newest last, capped. */
  readonly problems: string[] = [];
  private readonly ids = new Set<string>();
  private readonly byAccount = new Map<string, AccountState>();

  constructor(readonly startingBalance: number = DEFAULT_STARTING_BALANCE) {}

  /** Adds stored events (any order); returns how many were new. `replace` forgets the events loaded before (an undo removed some). */
  load(events: Iterable<SimBalanceEvent>, replace = false): number {
    if (replace) {
      this.ids.clear();
      this.byAccount.clear();
    }
    let n = 0;
    for (const e of events) if (this.add(e)) n++;
    return n;
  }

  /** Adds one event; false when its id is known (a replay) or it is malformed (see `problems`). */
  add(event: SimBalanceEvent): boolean {
    const why = checkEvent(event);
    if (why) {
      this.counters.rejected++;
      this.problems.push(why);
      if (this.problems.length > 100) this.problems.shift();
      return false;
    }
    if (this.ids.has(event.id)) {
      this.counters.duplicates++;
      return false;
    }
    this.ids.add(event.id);
    this.counters.added++;
    let st = this.byAccount.get(event.account);
    if (!st) this.byAccount.set(event.account, (st = { events: [], cache: null }));
    // Events mostly arrive in order: scan back from the end to the insertion point.
    let i = st.events.length;
    while (i > 0 && compareEvents(st.events[i - 1], event) > 0) i--;
    st.events.splice(i, 0, { ...event });
    st.cache = null;
    return true;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  accounts(): string[] {
    return [...this.byAccount.keys()].sort(naturalCompare);
  }

  balance(account: string): number {
    return this.state(account).balance;
  }

  /** Time of the latest reset event, or null (the start event is not a reset). */
  lastReset(account: string): number | null {
    const evs = this.byAccount.get(account)?.events ?? [];
    for (let i = evs.length - 1; i >= 0; i--) if (evs[i].kind === 'reset') return evs[i].timeMs;
    return null;
  }

  /** Realized net P&L since the latest start/reset. */
  realizedSinceReset(account: string): number {
    const st = this.state(account);
    return roundCents(st.balance - this.baseAmount(account, st.baseIndex));
  }

  /** True when the account has any event (O(1), unlike `history`: checked per fill). */
  hasEvents(account: string): boolean {
    return (this.byAccount.get(account)?.events.length ?? 0) > 0;
  }

  /** Events in balance order with the running balance. */
  history(account: string): LedgerEntry[] {
    let bal = this.startingBalance;
    return (this.byAccount.get(account)?.events ?? []).map((event) => {
      bal = event.kind === 'pnl' ? roundCents(bal + event.amount) : event.amount;
      return { event: { ...event }, balance: bal };
    });
  }

  /** A SIM trade -> one pnl event carrying its net P&L; a LIVE trade -> none. */
  eventsForTrade(trade: Trade): SimBalanceEvent[] {
    if (trade.mode !== 'SIM') return [];
    return [{ id: `pnl:${trade.id}`, account: trade.account, kind: 'pnl', amount: trade.netPnl, timeMs: trade.exitTime, tradeId: trade.id, note: null }];
  }

  startEvent(account: string, timeMs: number, startingBalance: number = this.startingBalance): SimBalanceEvent {
    return { id: `start:${account}`, account, kind: 'start', amount: startingBalance, timeMs, tradeId: null, note: null };
  }

  /** A manual reset at `nowMs` (not added: the caller commits it, then `add`s it). */
  resetEvent(account: string, nowMs: number, startingBalance: number = this.startingBalance): SimBalanceEvent {
    return { id: `reset:${account}:${nowMs}`, account, kind: 'reset', amount: startingBalance, timeMs: nowMs, tradeId: null, note: 'manual reset' };
  }

  /**
   * The monthly reset for the month containing `nowMs`, dated at that month's first instant in
   * `timeZone`: trades closed earlier in the month (replayed history) count towards the new
   * month, and two windows doing the same reset produce the same id.
   */
  monthlyResetEvent(account: string, nowMs: number, startingBalance: number = this.startingBalance, timeZone = 'local'): SimBalanceEvent {
    const at = monthStartMs(nowMs, timeZone);
    return { id: `reset:${account}:${at}`, account, kind: 'reset', amount: startingBalance, timeMs: at, tradeId: null, note: `monthly reset ${monthKey(nowMs, timeZone)}` };
  }

  /**
   * True when `nowMs` is in a later month (in `timeZone`, default this machine's) than the latest
   * reset, or than the earliest trade when there is none. An account without trades or resets
   * has nothing to reset.
   */
  monthlyResetDue(account: string, nowMs: number, timeZone = 'local'): boolean {
    const since = this.lastResetMonth(account, timeZone);
    return since !== null && monthKey(nowMs, timeZone) > since;
  }

  /**
   * 'YYYY-MM' of the latest reset, else of the earliest trade (the start has no month of its own:
   * its recorded time depends on which fill was seen first); null when there is neither.
   */
  lastResetMonth(account: string, timeZone = 'local'): string | null {
    const evs = this.byAccount.get(account)?.events ?? [];
    const base = this.state(account).baseIndex;
    if (base >= 0 && evs[base].kind === 'reset') return monthKey(evs[base].timeMs, timeZone);
    const first = evs.find((e) => e.kind === 'pnl');
    return first ? monthKey(first.timeMs, timeZone) : null;
  }

  /** Time of the account's latest event, or null. */
  lastEventTime(account: string): number | null {
    const evs = this.byAccount.get(account)?.events ?? [];
    return evs.length ? evs[evs.length - 1].timeMs : null;
  }

  private baseAmount(account: string, baseIndex: number): number {
    return baseIndex >= 0 ? this.byAccount.get(account)!.events[baseIndex].amount : this.startingBalance;
  }

  private state(account: string): { balance: number; baseIndex: number } {
    const st = this.byAccount.get(account);
    if (!st) return { balance: this.startingBalance, baseIndex: -1 };
    if (st.cache) return st.cache;
    let baseIndex = -1;
    for (let i = st.events.length - 1; i >= 0; i--) {
      if (st.events[i].kind !== 'pnl') {
        baseIndex = i;
        break;
      }
    }
    let bal = baseIndex >= 0 ? st.events[baseIndex].amount : this.startingBalance;
    for (let i = baseIndex + 1; i < st.events.length; i++) bal = roundCents(bal + st.events[i].amount);
    st.cache = { balance: bal, baseIndex };
    return st.cache;
  }
}

const RANK: Record<SimBalanceEvent['kind'], number> = { start: 0, reset: 1, pnl: 2 };

/** Balance order (see the header): start first, then time, resets before trades, then id. */
function compareEvents(a: SimBalanceEvent, b: SimBalanceEvent): number {
  const sa = a.kind === 'start' ? 0 : 1;
  const sb = b.kind === 'start' ? 0 : 1;
  if (sa !== sb) return sa - sb;
  if (sa === 1 && a.timeMs !== b.timeMs) return a.timeMs - b.timeMs;
  return RANK[a.kind] - RANK[b.kind] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function checkEvent(e: SimBalanceEvent): string | null {
  const fix = 'The event is ignored; check the store (appsierra: Check Database).';
  if (typeof e !== 'object' || e === null) return `SIM balance event is not an object. ${fix}`;
  if (typeof e.id !== 'string' || e.id === '') return `SIM balance event without an id. ${fix}`;
  if (typeof e.account !== 'string' || e.account === '') return `SIM balance event ${e.id} has no account. ${fix}`;
  if (!KINDS.has(e.kind)) return `SIM balance event ${e.id} has kind ${JSON.stringify(e.kind)}; expected start, pnl or reset. ${fix}`;
  if (typeof e.amount !== 'number' || !Number.isFinite(e.amount)) return `SIM balance event ${e.id} has amount ${JSON.stringify(e.amount)}; expected a number. ${fix}`;
  if (typeof e.timeMs !== 'number' || !Number.isFinite(e.timeMs)) return `SIM balance event ${e.id} has time ${JSON.stringify(e.timeMs)}; expected epoch ms. ${fix}`;
  return null;
}

/** Sim2 before Sim10. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Local calendar fields of an instant in a zone ('local' = this machine's), via the session module's zone math. */
function localYearMonth(ms: number, timeZone: string): { y: number; mo: number } {
  const d = new Date(ms + zoneOffsetMs(ms, timeZone));
  return { y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1 };
}

/** 'YYYY-MM' of an instant in a time zone ('local' = this machine's). */
export function monthKey(ms: number, timeZone = 'local'): string {
  const { y, mo } = localYearMonth(ms, timeZone);
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}`;
}

/** The first instant of the month containing `ms`, in `timeZone` (local midnight of the 1st). */
export function monthStartMs(ms: number, timeZone = 'local'): number {
  const { y, mo } = localYearMonth(ms, timeZone);
  return wallToUtc(Date.UTC(y, mo - 1, 1) / 86_400_000, 0, timeZone);
}
