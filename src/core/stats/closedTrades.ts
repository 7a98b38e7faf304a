/**
 * The closed trades a session shows: the stats cache (grids, equity, daily bars) and the latest
 * trade per (mode, account) for the Position view's flat state. Loaded from the store, then fed
 * one durable trade at a time.
 */
import type { Mode, Trade } from '../trading/types';
import { KEY_SEP } from '../trading/keys';
import type { TradeStore } from '../store/types';
import { StatsCache } from './cache';
import { decodeStatsColumns, encodeStatsColumns } from './columnsFile';

/** Trades added after the saved columns that are still merged one by one (beyond: everything is read, see loadColumns). */
const MAX_ADDED = 20_000;

type ColumnStore = Pick<TradeStore, 'trades' | 'eachTradeStat' | 'savedStatsColumns' | 'saveStatsColumns'>;

/** Where a load found the trades: the columns saved at the last close plus what came after, or every trade read again (with why). */
export type ClosedTradesSource = { from: 'saved'; added: number } | { from: 'store'; why: string };

export class ClosedTrades {
  readonly stats = new StatsCache();
  private readonly latestByAccount = new Map<string, Trade>();
  /** The trade count when the columns were last saved or restored (nothing new: nothing to save). */
  private savedCount = -1;

  /**
   * From the store: the stats cache from the columns saved at the last close and the trades added
   * since, else from every trade's columns (no Trade object per trade); then the latest trade per
   * (mode, account) read back one by one. A store without columns gives its trades.
   */
  async loadFrom(store: ColumnStore): Promise<ClosedTradesSource> {
    if (!store.eachTradeStat) {
      this.load(await store.trades());
      return { from: 'store', why: 'the store keeps no columns' };
    }
    const source = await this.loadColumns(store);
    this.latestByAccount.clear();
    for (const mode of ['SIM', 'LIVE'] as const) {
      for (const account of this.stats.accounts(mode)) {
        const last = this.stats.last(mode, account);
        if (!last) continue;
        const t = (await store.trades({ mode, account, fromMs: last.exitMs })).find((x) => x.id === last.id);
        if (t) this.remember(t);
      }
    }
    return source;
  }

  /**
   * Saves the columns for the next start when trades came since the last save (the writer, at close
   * and after reading every trade); null when saved or nothing to save, else why not.
   */
  async saveTo(store: ColumnStore): Promise<string | null> {
    const count = this.count;
    if (!store.saveStatsColumns || count === this.savedCount) return null;
    const modes = this.stats.savedColumns();
    if (!modes) return 'the stats depend on contract specs (scratch ticks)';
    const problem = await store.saveStatsColumns(() => encodeStatsColumns(modes), count);
    if (!problem) this.savedCount = count;
    return problem;
  }

  private async loadColumns(store: ColumnStore): Promise<ClosedTradesSource> {
    const saved = await store.savedStatsColumns?.();
    // Many added trades (an import of older history, each inserted in place, moving the later ones)
    // cost more than reading everything: beyond 20k, or a tenth of the saved trades (~61 bytes each).
    const tooMany = saved && saved.added > Math.max(MAX_ADDED, saved.data.length / 600);
    const modes = !saved ? 'none saved, or a trade changed since' : tooMany ? `${saved.added} trades added since they were saved` : decodeStatsColumns(saved.data);
    if (saved && typeof modes !== 'string') {
      this.stats.restoreColumns(modes);
      this.prepareSoon();
      const before = this.count;
      await this.stats.loadRows((fn) => store.eachTradeStat!(fn, saved.afterRowid), false);
      // Columns of an older format are saved again in today's at the next save.
      this.savedCount = modes.some((m) => m.outdated) ? -1 : before;
      return { from: 'saved', added: this.count - before };
    }
    await this.stats.loadRows((fn) => store.eachTradeStat!(fn));
    this.savedCount = -1;
    return { from: 'store', why: typeof modes === 'string' ? modes : 'unreadable' };
  }

  /** The restored columns made ready for appends a slice per turn of the event loop (StatsCache.prepareSlice). */
  private prepareSoon(): void {
    const step = () => {
      if (!this.stats.prepareSlice()) setImmediate(step).unref();
    };
    setImmediate(step).unref();
  }

  load(trades: Trade[]): void {
    this.stats.load(trades);
    this.latestByAccount.clear();
    for (const t of trades) this.remember(t);
  }

  add(t: Trade): void {
    this.stats.append(t);
    this.remember(t);
  }

  latest(mode: Mode, account: string): Trade | undefined {
    return this.latestByAccount.get(mode + KEY_SEP + account);
  }

  get count(): number {
    return this.stats.size('SIM') + this.stats.size('LIVE');
  }

  private remember(t: Trade): void {
    const k = t.mode + KEY_SEP + t.account;
    const prev = this.latestByAccount.get(k);
    if (!prev || prev.exitTime <= t.exitTime) this.latestByAccount.set(k, t);
  }
}
