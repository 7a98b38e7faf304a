/**
 * The closed trades a session shows: the stats cache (grids, equity, daily bars) and the latest
 * trade per (mode, account) for the Position view's flat state. Loaded from the store, then fed
 * one durable trade at a time.
 */
import type { Mode, Trade } from '../trading/types';
import { KEY_SEP } from '../trading/keys';
import type { TradeStore } from '../store/types';
import { StatsCache } from './cache';

export class ClosedTrades {
  readonly stats = new StatsCache();
  private readonly latestByAccount = new Map<string, Trade>();

  /**
   * From the store: the stats cache from its columns (no Trade object per trade, issue 12), and the
   * latest trade per (mode, account) read back one by one; a store without columns gives its trades.
   */
  async loadFrom(store: Pick<TradeStore, 'trades' | 'eachTradeStat'>): Promise<void> {
    if (!store.eachTradeStat) return this.load(await store.trades());
    await this.stats.loadRows((fn) => store.eachTradeStat!(fn));
    this.latestByAccount.clear();
    for (const mode of ['SIM', 'LIVE'] as const) {
      for (const account of this.stats.accounts(mode)) {
        const last = this.stats.last(mode, account);
        if (!last) continue;
        const t = (await store.trades({ mode, account, fromMs: last.exitMs })).find((x) => x.id === last.id);
        if (t) this.remember(t);
      }
    }
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
