/**
 * The journal's live model: a TradeIndex built from the store on first use (never on the
 * activation path), kept current with each durable trade (O(1) per trade in exit order), tags edited
 * through the store first and then in the index, a trade's fills read on demand. The journal panel,
 * day notes and `risk` read from it.
 */
import type { Fill, Trade } from '../trading/types';
import { normalizeTags, type TagEdit } from '../trading/tags';
import { Emitter } from '../events';
import type { SessionConfig, StatsOptions } from '../stats/types';
import { TradeIndex } from './tradeIndex';
import type { RiskEvent } from '../risk/guard';

/** What the model reads and writes: the trade session (store access with its open/read-only rules). */
export interface JournalStoreAccess {
  trades(): Promise<Trade[]>;
  tradeTags(): Promise<Map<string, string[]>>;
  fills(account: string, executionIds: readonly string[]): Promise<Fill[]>;
  editTags(edit: TagEdit): Promise<void>;
  /** A day's risk breaches (the day note's block shows them). */
  riskEvents?(query: { fromDate: string; toDate: string }): Promise<RiskEvent[]>;
}

export interface JournalModelDeps {
  /** The open store, or null while it opens. */
  store(): JournalStoreAccess | null;
  /** Subscribes to durable trades; returns the unsubscribe. */
  onTrade(listener: (t: Trade) => void): () => void;
  /** Subscribes to "everything was reloaded from the store" (a writer we follow, a rebuild, an import). */
  onReloaded(listener: () => void): () => void;
  /** The trading session boundary (a setting: read when the index is built). */
  session(): SessionConfig;
  stats?: StatsOptions;
}

type Events = { change: () => void };

export class JournalModel {
  private index: TradeIndex | null = null;
  private loading: Promise<TradeIndex> | null = null;
  private readonly events = new Emitter<Events>(() => undefined);
  private readonly offs: (() => void)[];
  /** Trades that became durable while the index loaded: applied once it is there. */
  private early: Trade[] = [];

  constructor(private readonly deps: JournalModelDeps) {
    this.offs = [
      deps.onTrade((t) => {
        if (this.index) this.index.upsert(t);
        else if (this.loading) this.early.push(t);
        this.events.emit('change');
      }),
      deps.onReloaded(() => this.invalidate()),
    ];
  }

  on(event: 'change', listener: () => void): () => void {
    return this.events.on(event, listener);
  }

  /** The index if it is built; starts building it otherwise (null until then: show "loading"). */
  current(): TradeIndex | null {
    if (!this.index && !this.loading && this.deps.store()) void this.load().catch(() => undefined);
    return this.index;
  }

  /** The index, built from the store if needed. Rejects when the store cannot be read. */
  load(): Promise<TradeIndex> {
    if (this.index) return Promise.resolve(this.index);
    if (this.loading) return this.loading;
    const store = this.deps.store();
    if (!store) return Promise.reject(new Error('the trade store is still opening'));
    this.early = [];
    this.loading = (async () => {
      try {
        const [trades, tags] = await Promise.all([store.trades(), store.tradeTags()]);
        const index = new TradeIndex({ session: this.deps.session(), stats: this.deps.stats });
        index.load(trades, tags);
        for (const t of this.early.splice(0)) index.upsert(t);
        this.index = index;
        this.events.emit('change');
        return index;
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  /** Adds then removes tags on each trade: stored first (durably, through the outbox when PostgreSQL is down), then shown. */
  /** The risk breaches of a session day (none while the store opens). */
  async riskEvents(day: string): Promise<RiskEvent[]> {
    return (await this.deps.store()?.riskEvents?.({ fromDate: day, toDate: day })) ?? [];
  }

  async editTags(tradeIds: readonly string[], add: readonly string[], remove: readonly string[]): Promise<void> {
    const store = this.deps.store();
    if (!store) throw new Error('the trade store is still opening; try again in a moment');
    const index = await this.load();
    const plus = normalizeTags(add);
    const minus = normalizeTags(remove);
    if (!plus.length && !minus.length) throw new Error('no tag was given');
    for (const tradeId of tradeIds) {
      if (!index.get(tradeId)) continue; // rebuilt or undone meanwhile
      await store.editTags({ tradeId, add: plus, remove: minus });
      const now = new Set(index.tagsOf(tradeId));
      for (const t of plus) now.add(t);
      for (const t of minus) now.delete(t);
      index.setTags(tradeId, [...now]);
    }
    this.events.emit('change');
  }

  /** A trade's fills from the store, in time order. */
  async fillsOf(tradeId: string): Promise<Fill[]> {
    const store = this.deps.store();
    const t = this.index?.get(tradeId);
    if (!store || !t) return [];
    return store.fills(t.account, t.fillIds);
  }

  /** Drops the index (a settings change such as the session start): the next use rebuilds it. */
  invalidate(): void {
    if (!this.index && !this.loading) return;
    this.index = null;
    void this.load().catch(() => undefined);
  }

  dispose(): void {
    for (const off of this.offs) off();
    this.index = null;
  }
}
