/**
 * The incremental stats cache (ARCHITECTURE.md data flow step 5): closed trades held once as
 * compact columns per (mode, account) and per mode for all accounts, sorted by exit time (ties by
 * id). A query is two binary searches on exit time and one pass through the accumulator, so a
 * grid over 100k trades costs milliseconds and appending a trade is O(1) amortized.
 */
import type { Mode, Trade } from '../trading/types';
import type { TradeStatRow } from '../store/types';
import { StatsAccumulator } from './accumulator';
import { compareTrades, dailyFrom, StatsReport, TradeRow, tradeRow } from './compute';
import { extrasFrom, gridFrom } from './metrics';
import { resolveTimeZone, sessionDayIndex, sessionStartMinutes, timeframeWindow } from './session';
import type { DailyPnl, EquityPoint, SessionConfig, StatsExtras, StatsGrid, StatsOptions, StatsQuery } from './types';
import { searchSorted } from './sortedSearch';
import { equityFromColumns } from './downsample';
import type { ModeColumns } from './columnsFile';
import { IdHashes, idHash, TradeIds } from './tradeIds';

/** The day column's mark for a day not computed yet (no session day is that far from 1970). */
const NO_DAY = -0x80000000;

/**
 * The typed columns of a TradeColumns. All have the same capacity but while a restore's columns
 * are made arrays of their own one by one, exit last: exit's capacity is then the smallest.
 */
const COLUMN_KEYS = ['exit', 'cls', 'net', 'fees', 'dur', 'r', 'mae', 'mfe', 'day', 'acct'] as const;

/** One sorted column set. Growable typed arrays; NaN marks an unknown R / MAE / MFE, NO_DAY a day not computed yet. */
class TradeColumns {
  len = 0;
  exit = new Float64Array(16);
  cls = new Int8Array(16);
  net = new Float64Array(16);
  fees = new Float64Array(16);
  dur = new Float64Array(16);
  r = new Float64Array(16);
  mae = new Float64Array(16);
  mfe = new Float64Array(16);
  /** Session day index for the cache's current session config (days since 1970 fit 32 bits: half the memory of f64). */
  day = new Int32Array(16);
  /** The cache's number of the trade's account (kept so the columns can be saved and restored). */
  acct = new Uint32Array(16);
  ids = new TradeIds();

  /** Columns restored from saved ones (capacity may exceed len); days wait for the next session config. */
  static from(m: ModeColumns): TradeColumns {
    const c = new TradeColumns();
    c.len = m.len;
    Object.assign(c, { exit: m.exit, cls: m.cls, net: m.net, fees: m.fees, dur: m.dur, r: m.r, mae: m.mae, mfe: m.mfe, acct: m.account });
    c.day = new Int32Array(m.exit.length).fill(NO_DAY);
    c.ids = m.ids;
    return c;
  }

  /** An independent copy (an account that stops sharing its mode's columns). */
  copy(): TradeColumns {
    const c = TradeColumns.withCapacity(this.len);
    for (let i = 0; i < this.len; i++) c.pushFrom(this, i);
    return c;
  }

  /** Empty columns with room for `n` rows. */
  static withCapacity(n: number): TradeColumns {
    const c = new TradeColumns();
    if (n > 16) c.reserve(n);
    return c;
  }

  private grow(): void {
    // Doubling while small; past 64k rows an eighth more (a million rows doubled is 61 MB unused).
    const cap = this.exit.length;
    this.reserve(cap + (cap < 65_536 ? Math.max(cap, 16) : cap >> 3));
  }

  private reserve(cap: number): void {
    for (const key of COLUMN_KEYS) this.reserveColumn(key, cap);
  }

  /** One column copied into an array of its own with room for `cap` rows (no-op when it has that already). */
  reserveColumn(key: (typeof COLUMN_KEYS)[number], cap: number): void {
    const a = this[key];
    if (a.length >= cap) return;
    const b = new (a.constructor as { new (n: number): typeof a })(cap);
    b.set(a.subarray(0, this.len) as never);
    (this as Record<(typeof COLUMN_KEYS)[number], typeof a>)[key] = b;
  }

  /** Inserts in (exit, id) order: a plain push in the usual in-order case. */
  insert(row: TradeRow, id: string, day: number, acct: number): void {
    if (this.len === this.exit.length) this.grow();
    let at = this.len;
    if (at > 0 && (this.exit[at - 1] > row.exitMs || (this.exit[at - 1] === row.exitMs && this.ids.at(at - 1) > id))) {
      at = this.upperBound(row.exitMs);
      while (at > 0 && this.exit[at - 1] === row.exitMs && this.ids.at(at - 1) > id) at--;
      for (const col of [this.exit, this.cls, this.net, this.fees, this.dur, this.r, this.mae, this.mfe, this.day, this.acct]) col.copyWithin(at + 1, at, this.len);
      this.ids.insert(at, id);
    } else {
      this.ids.push(id);
    }
    this.exit[at] = row.exitMs;
    this.cls[at] = row.cls;
    this.net[at] = row.netC;
    this.fees[at] = row.feesC;
    this.dur[at] = row.durMs;
    this.r[at] = row.r;
    this.mae[at] = row.maeC;
    this.mfe[at] = row.mfeC;
    this.day[at] = day !== day ? NO_DAY : day;
    this.acct[at] = acct;
    this.len++;
  }

  /** Appends row i of `from` (callers keep exit order). */
  pushFrom(from: TradeColumns, i: number): void {
    if (this.len === this.exit.length) this.grow();
    const at = this.len++;
    this.exit[at] = from.exit[i];
    this.cls[at] = from.cls[i];
    this.net[at] = from.net[i];
    this.fees[at] = from.fees[i];
    this.dur[at] = from.dur[i];
    this.r[at] = from.r[i];
    this.mae[at] = from.mae[i];
    this.mfe[at] = from.mfe[i];
    this.day[at] = from.day[i];
    this.acct[at] = from.acct[i];
    this.ids.pushFrom(from.ids, i);
  }

  /** First index with exit >= ms. */
  lowerBound(ms: number): number {
    return searchSorted(this.exit, this.len, ms, 'left');
  }

  /** First index with exit > ms. */
  upperBound(ms: number): number {
    return searchSorted(this.exit, this.len, ms, 'right');
  }

  /** Feeds [lo, hi) to the accumulator; with `equity`, records the curve as it goes. */
  /** `dayOf` computes a session day not known yet (NO_DAY), which is then kept: days cost only the rows a query reads. */
  scan(acc: StatsAccumulator, lo: number, hi: number, dayOf: ((exitMs: number) => number) | null, equity: EquityPoint[] | null = null): void {
    const { cls, net, fees, dur, r, mae, mfe, day, exit } = this;
    for (let i = lo; i < hi; i++) {
      let d = NaN;
      if (dayOf) {
        d = day[i];
        if (d === NO_DAY) d = day[i] = dayOf(exit[i]);
      }
      acc.add(cls[i] as 1 | -1 | 0, net[i], fees[i], dur[i], r[i], mae[i], mfe[i], d);
      if (equity) equity.push({ t: exit[i], v: acc.cumC / 100 });
    }
  }
}

export class StatsCache {
  private readonly byMode = new Map<Mode, TradeColumns>();
  private readonly byAccount = new Map<string, TradeColumns>();
  private readonly accountsOf = new Map<Mode, Set<string>>();
  /** Hashes of the ids held (after a restore, complete once `preparing` is done). */
  private idHashes = new IdHashes();
  /** What a restore leaves to do before the next append, in order; each step says when it is done. */
  private preparing: (() => boolean)[] = [];
  /** Account numbers of the acct columns (the order accounts were first met). */
  private readonly accountNames: string[] = [];
  private readonly accountNumbers = new Map<string, number>();
  private readonly dayOf = (exitMs: number): number => sessionDayIndex(exitMs, this.session!, this.startMin);
  /** The session config the day columns were computed for. */
  private session: SessionConfig | null = null;
  private sessionKey = '';
  private startMin = 0;

  constructor(private readonly opts: StatsOptions = {}) {}

  /** Replaces the contents with these trades (open trades must not be passed; ids seen twice count once). */
  load(trades: readonly Trade[]): void {
    this.clear();
    // Sorting first makes every insert a push.
    for (const t of [...trades].sort(compareTrades)) this.append(t);
  }

  /**
   * Replaces the contents with the rows a store reads (TradeStore.eachTradeStat, exit order, unique
   * by id, also against restored columns: only rows added since they were saved): the columns are
   * filled from each row through one reused record, so no Trade is made or kept.
   */
  async loadRows(each: (fn: (row: TradeStatRow) => void) => Promise<void>, replace = true): Promise<void> {
    if (replace) this.clear();
    const t = { id: '', account: '', mode: 'SIM', root: '', qty: 0, entryTime: 0, exitTime: 0, grossPnl: 0, commissions: 0, netPnl: 0, mae: null, mfe: null, rMultiple: null } as unknown as Trade;
    const w = t as unknown as Record<string, unknown>;
    const orNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    await each((r) => {
      w.id = String(r.id);
      w.account = String(r.account);
      w.mode = r.mode;
      w.root = String(r.root);
      w.qty = Number(r.qty);
      w.entryTime = Number(r.entry_time);
      w.exitTime = Number(r.exit_time);
      w.grossPnl = Number(r.gross_pnl);
      w.commissions = Number(r.commissions);
      w.netPnl = Number(r.net_pnl);
      w.mae = orNull(r.mae);
      w.mfe = orNull(r.mfe);
      w.rMultiple = orNull(r.r_multiple);
      // A store's rows are unique by id (its primary key): no lookup, only the hash noted.
      this.append(t, true);
    });
  }

  /**
   * Adds one closed trade; false when its id was already seen. O(1) amortized when in exit order.
   * `unique`: the caller knows the id is new (a store's rows), so a shared 32-bit hash (about a
   * hundred pairs among a million ids) costs no search.
   */
  append(t: Trade, unique = false): boolean {
    const h = idHash(t.id);
    const hashes = this.hashes();
    if (!unique && hashes.mayHold(h) && this.holds(t.id, h, t.mode, t.exitTime)) return false;
    hashes.add(h);
    const row = tradeRow(t, this.opts);
    const day = this.session ? sessionDayIndex(t.exitTime, this.session, this.startMin) : NaN;
    const acct = this.accountNumber(t.account);
    const all = this.columns(t.mode, null, true)!;
    const own = this.accountColumns(t.mode, t.account, all);
    all.insert(row, t.id, day, acct);
    if (own !== all) own.insert(row, t.id, day, acct);
    this.noteAccount(t.mode, t.account);
    return true;
  }

  /**
   * A mode with one account shares its columns with that account (half the memory for the usual
   * single-account trader); a second account gets its own and the first a copy.
   */
  private accountColumns(mode: Mode, account: string, all: TradeColumns): TradeColumns {
    const key = accountKey(mode, account);
    const own = this.byAccount.get(key);
    if (own) return own;
    if (all.len === 0) {
      this.byAccount.set(key, all);
      return all;
    }
    for (const other of this.accountsOf.get(mode) ?? []) {
      const k = accountKey(mode, other);
      if (this.byAccount.get(k) === all) this.byAccount.set(k, all.copy());
    }
    const c = new TradeColumns();
    this.byAccount.set(key, c);
    return c;
  }

  private hashes(): IdHashes {
    while (this.preparing.length > 0) if (this.preparing[0]()) this.preparing.shift();
    return this.idHashes;
  }

  /**
   * Restored columns are views of the saved file and their ids are not hashed yet; columns split
   * per account have no room to grow. On the first append that would stall the host (at 1M trades
   * a million hashes, 0.2 s). The owner calls this between events after a start; each call does
   * about `budgetMs` of it. True when nothing is left (an append finishes what is).
   */
  prepareSlice(budgetMs = 8): boolean {
    const end = performance.now() + budgetMs;
    // At least one step per call, however small the budget.
    do if (this.preparing.length > 0 && this.preparing[0]()) this.preparing.shift();
    while (this.preparing.length > 0 && performance.now() < end);
    return this.preparing.length === 0;
  }

  /** Nothing left of a restore's preparation (prepareSlice). */
  get prepared(): boolean {
    return this.preparing.length === 0;
  }

  private prepareRestored(): void {
    const sets = new Set([...this.byMode.values(), ...this.byAccount.values()]);
    for (const c of sets) {
      // A no-op for columns restored with the room saved in the file; split ones get theirs.
      const room = c.len + Math.max(64, c.len >> 5);
      for (const key of [...COLUMN_KEYS.filter((k) => k !== 'exit'), 'exit' as const]) this.preparing.push(() => (c.reserveColumn(key, room), true));
    }
    // Then the ids, hashed in steps (their bytes stay where the file put them, beside the columns).
    for (const c of this.byMode.values()) {
      let i = 0;
      this.preparing.push(() => {
        for (const end = Math.min(c.len, i + 32_768); i < end; i++) this.idHashes.add(c.ids.hashAt(i));
        return i >= c.len;
      });
    }
  }

  /**
   * Whether a trade with this id (and hash) is held: first among its mode's trades closed at the
   * same instant (a trade seen again), then all of them (a hash shared by another id: about one new
   * trade in 4,000 at 1M trades, a pass over hashes, not strings).
   */
  private holds(id: string, h: number, mode: Mode, exitMs: number): boolean {
    const same = this.byMode.get(mode);
    if (same) for (let i = same.lowerBound(exitMs), hi = same.upperBound(exitMs); i < hi; i++) if (same.ids.at(i) === id) return true;
    for (const c of this.byMode.values()) for (let i = 0; i < c.len; i++) if (c.ids.hashAt(i) === h && c.ids.at(i) === id) return true;
    return false;
  }

  /**
   * The columns of each mode, to keep between sessions (columnsFile.ts); null when they depend on
   * options a saved copy cannot carry (scratch ticks read the contract specs).
   */
  savedColumns(): ModeColumns[] | null {
    if (this.opts.scratchTicks) return null;
    return [...this.byMode].map(([mode, c]) => ({
      mode, len: c.len, exit: c.exit, cls: c.cls, net: c.net, fees: c.fees, dur: c.dur, r: c.r, mae: c.mae, mfe: c.mfe,
      account: c.acct, accounts: this.accountNames, ids: c.ids,
    }));
  }

  /** Replaces the contents with saved columns (columnsFile.ts); the per-account columns are split from them. */
  restoreColumns(modes: readonly ModeColumns[]): void {
    this.clear();
    for (const m of modes) {
      const all = TradeColumns.from(m);
      // Renumber into this cache's accounts, then split per account (both stay in exit order).
      const numbers = m.accounts.map((a) => this.accountNumber(a));
      const rows = new Array<number>(this.accountNames.length).fill(0);
      for (let i = 0; i < all.len; i++) rows[(all.acct[i] = numbers[all.acct[i]])]++;
      this.byMode.set(m.mode, all);
      const owners = rows.flatMap((n, a) => (n > 0 ? [a] : []));
      if (owners.length === 1) {
        this.byAccount.set(accountKey(m.mode, this.accountNames[owners[0]]), all);
        this.noteAccount(m.mode, this.accountNames[owners[0]]);
        continue;
      }
      const split = rows.map((n, a) => (n > 0 ? this.restoredAccount(m.mode, this.accountNames[a], n) : null));
      for (let i = 0; i < all.len; i++) split[all.acct[i]]!.pushFrom(all, i);
    }
    this.prepareRestored();
  }

  private restoredAccount(mode: Mode, account: string, rows: number): TradeColumns {
    const c = TradeColumns.withCapacity(rows);
    this.byAccount.set(accountKey(mode, account), c);
    this.noteAccount(mode, account);
    return c;
  }

  private clear(): void {
    this.byMode.clear();
    this.byAccount.clear();
    this.accountsOf.clear();
    this.idHashes = new IdHashes();
    this.preparing = [];
    this.accountNames.length = 0;
    this.accountNumbers.clear();
    // Restored or reloaded columns have no days yet: the next query computes them.
    this.sessionKey = '';
    this.session = null;
  }

  private accountNumber(account: string): number {
    let n = this.accountNumbers.get(account);
    if (n === undefined) {
      n = this.accountNames.push(account) - 1;
      this.accountNumbers.set(account, n);
    }
    return n;
  }

  private noteAccount(mode: Mode, account: string): void {
    let set = this.accountsOf.get(mode);
    if (!set) this.accountsOf.set(mode, (set = new Set()));
    set.add(account);
  }

  /** Closed trades held for a mode (and account). */
  size(mode: Mode, account: string | null = null): number {
    return this.columns(mode, account, false)?.len ?? 0;
  }

  /** Latest exit time of a mode, or null; callers with a live clock use max(now, this) as `nowMs`. */
  latestExit(mode: Mode): number | null {
    const c = this.byMode.get(mode);
    return c && c.len > 0 ? c.exit[c.len - 1] : null;
  }

  /** The latest trade of a mode and account (exit order, ties by id), or null. */
  last(mode: Mode, account: string): { id: string; exitMs: number } | null {
    const c = this.columns(mode, account, false);
    return c && c.len > 0 ? { id: c.ids.at(c.len - 1), exitMs: c.exit[c.len - 1] } : null;
  }

  /** Accounts with closed trades in a mode, sorted. */
  accounts(mode: Mode): string[] {
    return [...(this.accountsOf.get(mode) ?? [])].sort();
  }

  grid(q: StatsQuery): StatsGrid {
    const acc = new StatsAccumulator();
    const s = this.slice(q, false);
    s?.cols.scan(acc, s.lo, s.hi, null);
    return gridFrom(acc);
  }

  extras(q: StatsQuery): StatsExtras {
    return this.stats(q).extras;
  }

  /**
   * Cumulative net after each trade of the window, starting from 0 at the window's start; with
   * `maxPoints`, thinned as downsampleEquity does, straight from the columns (no object per trade).
   */
  equityCurve(q: StatsQuery, maxPoints = Infinity): EquityPoint[] {
    const s = this.slice(q, false);
    return s ? equityFromColumns(s.cols.exit, s.cols.net, s.lo, s.hi, maxPoints) : [];
  }

  /** Net P&L per trading-session date (days with trades only), oldest first. */
  daily(q: StatsQuery): DailyPnl[] {
    const raw: [number, number, number][] = [];
    const acc = new StatsAccumulator(raw);
    const s = this.slice(q, true);
    s?.cols.scan(acc, s.lo, s.hi, this.dayOf);
    acc.finish();
    return dailyFrom(raw);
  }

  /** Grid, extras, daily and equity in one pass. */
  stats(q: StatsQuery): StatsReport {
    const raw: [number, number, number][] = [];
    const acc = new StatsAccumulator(raw);
    const equity: EquityPoint[] = [];
    const s = this.slice(q, true);
    s?.cols.scan(acc, s.lo, s.hi, this.dayOf, equity);
    acc.finish();
    return { grid: gridFrom(acc), extras: extrasFrom(acc), daily: dailyFrom(raw), equity };
  }

  private columns(mode: Mode, account: string | null | undefined, create: boolean): TradeColumns | undefined {
    const map = account == null ? this.byMode : this.byAccount;
    const key = account == null ? mode : accountKey(mode, account);
    let c = (map as Map<string, TradeColumns>).get(key);
    if (!c && create) {
      c = new TradeColumns();
      (map as Map<string, TradeColumns>).set(key, c);
    }
    return c;
  }

  private slice(q: StatsQuery, withDays: boolean): { cols: TradeColumns; lo: number; hi: number } | null {
    const w = timeframeWindow(q.timeframe, q.nowMs, q.session);
    if (withDays) this.useSession(q.session);
    const cols = this.columns(q.mode, q.account, false);
    if (!cols) return null;
    return { cols, lo: cols.lowerBound(w.fromMs), hi: cols.lowerBound(w.toMs) };
  }

  /** Day columns follow one session config; a new config (a settings change) forgets them and scans recompute what they read. */
  private useSession(session: SessionConfig): void {
    const key = `${session.sessionStart}|${resolveTimeZone(session.timeZone)}`;
    if (key === this.sessionKey) return;
    this.startMin = sessionStartMinutes(session);
    this.session = { ...session };
    this.sessionKey = key;
    // Days are computed when a query reads them (scan): a settings change costs no pass over history.
    for (const c of new Set([...this.byMode.values(), ...this.byAccount.values()])) c.day.fill(NO_DAY, 0, c.len);
  }
}

function accountKey(mode: Mode, account: string): string {
  return `${mode}\u0000${account}`;
}
