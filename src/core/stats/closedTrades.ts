/**
 * The closed trades a session shows: the stats cache (grids, equity, daily bars) and the latest
 * trade per (mode, account) for the Position view's flat state. Loaded from the store, then fed
 * one durable trade at a time.
 */
import type { Mode, Trade } from '../trading/types';
import { KEY_SEP } from '../trading/keys';
import { StatsCache } from './cache';

export class ClosedTrades {
  readonly stats = new StatsCache();
  private readonly latestByAccount = new Map<string, Trade>();

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
