/**
 * TradeIndex: the journal's in-memory model of closed trades and their tags, for the Trades,
 * Calendar and Reports tabs and the CLI. The host owns it; a panel asks for pages (never the whole
 * table). Filtering is one pass over typed columns restricted by binary search to the date range;
 * each sort order is one cached permutation, so re-sorting or scrolling 100k trades costs a pass,
 * not a sort. Totals come from the stats accumulator in exit order: the same figures the stats
 * engine gives for the same trades.
 */
import type { Trade } from '../trading/types';
import { compareTags, UNTAGGED } from '../trading/tags';
import { compareTrades } from '../stats/compute';
import { StatsAccumulator } from '../stats/accumulator';
import { gridFrom } from '../stats/metrics';
import { DEFAULT_SESSION, dayIndexToDate, sessionDayBounds, sessionStartMinutes } from '../stats/session';
import type { SessionConfig, StatsGrid, StatsOptions } from '../stats/types';
import { TradeColumns } from './columns';
import { columnKeys, insertRow, SortOrder, stableOrder } from './sortOrder';
import { MAX_PAGE, TRADE_COLUMNS, TradeColumn, TradeFilter, TradeListRow, TradePage, TradePageRequest, TradeSort } from './types';

const NO_TAGS: readonly string[] = Object.freeze([]);
const OUTCOME = ['scratch', 'win', 'loss'] as const;

export interface TradeIndexOptions {
  /** Session boundary for days, weekdays and hours (default: 17:00 America/Chicago). */
  session?: SessionConfig;
  /** Scratch classification, as given to the stats engine. */
  stats?: StatsOptions;
}

/** A filter compiled to codes and a row range; `null` from compile means "matches nothing". */
export interface CompiledFilter {
  lo: number;
  hi: number;
  mode: number;
  account: number;
  symbol: number;
  side: number;
  tag: string | null;
  /** 1 win, -1 loss, 0 scratch, 2 any. */
  cls: number;
}

/** A column's sort order (unknown values after the known ones: they stay last in both directions). */
interface Permutation extends SortOrder {
  /** The rows and tags it was built for. */
  v: string;
  /** A row's key; undefined when the row's value is not ranked in this order (a new symbol): rebuild. */
  keyAt: (i: number) => number | undefined;
}

export class TradeIndex {
  readonly session: SessionConfig;
  private readonly statsOpts: StatsOptions;
  private trades: Trade[] = [];
  private readonly byId = new Map<string, number>();
  private readonly tags = new Map<string, readonly string[]>();
  private rowTags: (readonly string[])[] = [];
  private cols: TradeColumns;
  /** Rows or columns need rebuilding (an out-of-order append, a replaced trade). */
  private dirty = false;
  private version = 0;
  private tagVersion = 0;
  /** Bumped when rows are rebuilt; an append in exit order keeps the sort orders (each gets the row). */
  private rowsVersion = 0;
  private perms = new Map<TradeColumn, Permutation>();
  private preparing: Promise<void> | null = null;
  private listCache: { key: string; list: Uint32Array } | null = null;
  private totalsCache: { key: string; grid: StatsGrid } | null = null;
  private tagsCache: { key: string; list: { tag: string; trades: number }[] } | null = null;

  constructor(opts: TradeIndexOptions = {}) {
    this.session = { ...(opts.session ?? DEFAULT_SESSION) };
    sessionStartMinutes(this.session); // a bad session start fails here, with its message
    this.statsOpts = opts.stats ?? {};
    this.cols = new TradeColumns(this.session, this.statsOpts);
  }

  /** Replaces the contents (closed trades; an id seen twice keeps the last). */
  load(trades: readonly Trade[], tags: ReadonlyMap<string, readonly string[]> = new Map()): void {
    // Last of each id wins; ready() builds the id map once, in exit order.
    const last = new Map<string, Trade>();
    for (const t of trades) last.set(t.id, t);
    this.trades = last.size === trades.length ? trades.slice() : [...last.values()];
    this.byId.clear();
    this.tags.clear();
    for (const [id, list] of tags) if (list.length) this.tags.set(id, [...list].sort(compareTags));
    this.dirty = true;
  }

  /** Adds or replaces one closed trade. In exit order this is O(1). */
  upsert(t: Trade): void {
    this.ready();
    const known = this.byId.has(t.id);
    const last = this.trades[this.trades.length - 1];
    const inOrder = !known && !this.dirty && (!last || compareTrades(last, t) < 0);
    this.upsertRow(t);
    if (inOrder) {
      this.cols.push(t);
      this.rowTags.push(this.tags.get(t.id) ?? NO_TAGS);
      this.extendOrders(this.cols.len - 1);
      this.changed();
    } else {
      this.dirty = true;
    }
  }

  /** Sets one trade's tags (sorted, as stored); tags of a trade not (yet) loaded are kept for it. */
  setTags(tradeId: string, tags: readonly string[]): void {
    const list = tags.length ? [...tags].sort(compareTags) : NO_TAGS;
    if (list.length) this.tags.set(tradeId, list);
    else this.tags.delete(tradeId);
    const i = this.byId.get(tradeId);
    if (i !== undefined && !this.dirty) this.rowTags[i] = list;
    this.tagVersion++;
    this.listCache = null;
    this.totalsCache = null;
  }

  tagsOf(tradeId: string): readonly string[] {
    return this.tags.get(tradeId) ?? NO_TAGS;
  }

  /** One trade's table row (tags, duration, session day, outcome), for the trade detail. */
  rowOf(tradeId: string): TradeListRow | undefined {
    this.ready();
    const i = this.byId.get(tradeId);
    return i === undefined ? undefined : this.row(i);
  }

  get(tradeId: string): Trade | undefined {
    this.ready(); // after load() the id map is built lazily
    const i = this.byId.get(tradeId);
    return i === undefined ? undefined : this.trades[i];
  }

  get size(): number {
    return this.trades.length;
  }

  /** Tags in use with their trade counts, most used first (autocomplete); one pass over the rows, cached until trades or tags change. */
  tagsInUse(): { tag: string; trades: number }[] {
    this.ready();
    const key = `${this.version}.${this.tagVersion}`;
    if (this.tagsCache?.key !== key) {
      const n = new Map<string, number>();
      for (const list of this.rowTags) for (let k = 0; k < list.length; k++) n.set(list[k], (n.get(list[k]) ?? 0) + 1);
      const list = [...n].map(([tag, trades]) => ({ tag, trades })).sort((a, b) => b.trades - a.trades || compareTags(a.tag, b.tag));
      this.tagsCache = { key, list };
    }
    return this.tagsCache.list.map((t) => ({ ...t }));
  }

  /** Distinct accounts and symbols (filter menus), sorted. */
  facets(): { accounts: string[]; symbols: string[] } {
    this.ready();
    return { accounts: [...this.cols.accounts.values].sort(compareTags), symbols: [...this.cols.symbols.values].sort(compareTags) };
  }

  /** One page of the filtered, sorted trades plus the totals of the whole filtered set. */
  page(req: TradePageRequest): TradePage {
    this.ready();
    const offset = Math.max(0, Math.floor(req.offset ?? 0));
    const limit = Math.max(0, Math.min(MAX_PAGE, Math.floor(req.limit ?? 100)));
    const list = this.matching(req.filter, req.sort ?? { column: 'exitTime', dir: 'desc' });
    const rows: TradeListRow[] = [];
    for (let k = offset; k < Math.min(list.length, offset + limit); k++) rows.push(this.row(list[k]));
    return { total: list.length, offset, rows, totals: this.totals(req.filter) };
  }

  /** Every matching trade in exit order (CLI listings, day notes). */
  select(filter: TradeFilter): TradeListRow[] {
    this.ready();
    const out: TradeListRow[] = [];
    this.scan(filter, (i) => out.push(this.row(i)));
    return out;
  }

  /** The stats grid of the filtered set (the Trades tab's totals row). */
  totals(filter: TradeFilter): StatsGrid {
    this.ready();
    const key = `${this.version}.${this.tagVersion}|${JSON.stringify(filter)}`;
    if (this.totalsCache?.key === key) return this.totalsCache.grid;
    const acc = new StatsAccumulator();
    const c = this.cols;
    this.scan(filter, (i) => acc.add(c.cls[i] as 1 | -1 | 0, c.netC[i], c.feesC[i], c.durMs[i], c.r[i], c.maeC[i], c.mfeC[i], NaN));
    const grid = gridFrom(acc);
    this.totalsCache = { key, grid };
    return grid;
  }

  // ---------- for the report builders (same folder) ----------

  /** The columns, rebuilt if needed. */
  columns(): TradeColumns {
    this.ready();
    return this.cols;
  }

  tagsAt(i: number): readonly string[] {
    return this.rowTags[i];
  }

  tradeAt(i: number): Trade {
    return this.trades[i];
  }

  /** Calls `fn` with each matching row index, in exit order. */
  scan(filter: TradeFilter, fn: (i: number) => void): void {
    this.ready();
    const f = this.compile(filter);
    if (!f) return;
    for (let i = f.lo; i < f.hi; i++) if (this.matches(i, f)) fn(i);
  }

  compile(f: TradeFilter): CompiledFilter | null {
    const c = this.cols;
    let lo = 0;
    let hi = c.len;
    const from = Math.max(f.fromMs ?? -Infinity, f.fromDay ? sessionDayBounds(f.fromDay, this.session).fromMs : -Infinity);
    const to = Math.min(f.toMs ?? Infinity, f.toDay ? sessionDayBounds(f.toDay, this.session).toMs : Infinity);
    if (from > -Infinity) lo = c.lowerBound(from);
    if (to < Infinity) hi = c.lowerBound(to);
    const account = f.account == null ? -1 : c.accounts.find(f.account);
    const symbol = f.symbol === undefined ? -1 : c.symbols.find(f.symbol);
    if ((f.account != null && account < 0) || (f.symbol !== undefined && symbol < 0) || lo >= hi) return null;
    return {
      lo, hi, account, symbol,
      mode: f.mode === undefined ? -1 : f.mode === 'LIVE' ? 1 : 0,
      side: f.side === undefined ? -1 : f.side === 'SHORT' ? 1 : 0,
      tag: f.tag ?? null,
      cls: f.outcome === undefined ? 2 : f.outcome === 'win' ? 1 : f.outcome === 'loss' ? -1 : 0,
    };
  }

  matches(i: number, f: CompiledFilter): boolean {
    const c = this.cols;
    if (f.mode >= 0 && c.mode[i] !== f.mode) return false;
    if (f.account >= 0 && c.account[i] !== f.account) return false;
    if (f.symbol >= 0 && c.symbol[i] !== f.symbol) return false;
    if (f.side >= 0 && c.side[i] !== f.side) return false;
    if (f.cls !== 2 && c.cls[i] !== f.cls) return false;
    if (f.tag !== null) {
      const tags = this.rowTags[i];
      if (f.tag === UNTAGGED ? tags.length > 0 : !tags.includes(f.tag)) return false;
    }
    return true;
  }

  // ---------- internals ----------

  private upsertRow(t: Trade): void {
    const i = this.byId.get(t.id);
    if (i === undefined) {
      this.byId.set(t.id, this.trades.length);
      this.trades.push(t);
    } else {
      this.trades[i] = t;
    }
  }

  private changed(): void {
    this.version++;
    this.listCache = null;
    this.totalsCache = null;
  }

  /** Puts rows in exit order and rebuilds the columns after a load or an out-of-order change. */
  private ready(): void {
    if (!this.dirty) return;
    this.trades.sort(compareTrades);
    this.byId.clear();
    this.trades.forEach((t, i) => this.byId.set(t.id, i));
    this.cols = new TradeColumns(this.session, this.statsOpts, this.trades.length + 16);
    for (const t of this.trades) this.cols.push(t);
    this.rowTags = this.trades.map((t) => this.tags.get(t.id) ?? NO_TAGS);
    this.dirty = false;
    this.rowsVersion++;
    this.changed();
  }

  private row(i: number): TradeListRow {
    const c = this.cols;
    return {
      trade: this.trades[i],
      tags: this.rowTags[i],
      durationSec: c.durMs[i] / 1000,
      sessionDay: dayIndexToDate(c.day[i]),
      outcome: OUTCOME[c.cls[i] === -1 ? 2 : c.cls[i]],
    };
  }

  /** Row indices matching a filter in the sort order; cached for scrolling. */
  private matching(filter: TradeFilter, sort: TradeSort): Uint32Array {
    const key = `${this.version}.${this.tagVersion}|${sort.column}.${sort.dir}|${JSON.stringify(filter)}`;
    if (this.listCache?.key === key) return this.listCache.list;
    const f = this.compile(filter);
    const out = new Uint32Array(f ? f.hi - f.lo : 0);
    let m = 0;
    if (f) {
      if (sort.column === 'exitTime') {
        if (sort.dir === 'asc') for (let i = f.lo; i < f.hi; i++) this.matches(i, f) && (out[m++] = i);
        else for (let i = f.hi - 1; i >= f.lo; i--) this.matches(i, f) && (out[m++] = i);
      } else {
        const p = this.permutation(sort.column);
        const { lo, hi } = f;
        const order = p.order;
        const take = (i: number) => i >= lo && i < hi && this.matches(i, f) && (out[m++] = i);
        if (sort.dir === 'asc') for (let k = 0; k < p.known; k++) take(order[k]);
        else for (let k = p.known - 1; k >= 0; k--) take(order[k]);
        for (let k = p.known; k < order.length; k++) take(order[k]);
      }
    }
    const list = out.subarray(0, m);
    this.listCache = { key, list };
    return list;
  }

  private orderVersion(column: TradeColumn): string {
    return column === 'tags' ? `${this.rowsVersion}.${this.tagVersion}` : String(this.rowsVersion);
  }

  private permutation(column: TradeColumn): Permutation {
    const v = this.orderVersion(column);
    const hit = this.perms.get(column);
    if (hit?.v === v) return hit;
    const { keys, keyAt } = columnKeys(column, this.cols, this.trades, this.rowTags);
    const p = { ...stableOrder(keys), v, keyAt };
    this.perms.set(column, p);
    return p;
  }

  /** Row `i` was appended in exit order: each current sort order takes it in place (no re-sort). */
  private extendOrders(i: number): void {
    for (const [column, p] of this.perms) {
      const key = p.v === this.orderVersion(column) ? p.keyAt(i) : undefined;
      if (key === undefined) this.perms.delete(column);
      else this.perms.set(column, { ...insertRow(p, i, key, (j) => p.keyAt(j)!), v: p.v, keyAt: p.keyAt });
    }
  }

  /**
   * Builds the sort orders not built yet, one column per macrotask, so the first sort by a column
   * finds its order ready instead of sorting 100k rows while the trader waits (the journal panel
   * starts this once it has shown its first rows). Appends keep the orders; a rebuild drops them.
   */
  prepareSorts(pause: () => Promise<void> = () => new Promise((r) => setImmediate(r))): Promise<void> {
    this.preparing ??= (async () => {
      try {
        for (const column of TRADE_COLUMNS) {
          if (column === 'exitTime') continue; // rows are in exit order already
          if (!this.dirty && this.perms.get(column)?.v === this.orderVersion(column)) continue;
          await pause();
          this.ready();
          this.permutation(column);
        }
      } finally {
        this.preparing = null;
      }
    })();
    return this.preparing;
  }
}
