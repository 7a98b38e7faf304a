/**
 * What only a running session can say about its store: commits waiting in memory, whether the
 * SIM mirror matches the ledger, the open store's health and schema, and the persistence report.
 */
import type { CheckItem } from '../appApi';
import type { TradeStore } from '../store/types';
import type { TradeJournal } from '../journal';
import type { MirrorKeeper } from '../sim/mirrorKeeper';
import { persistenceReport } from './report';

export interface SessionChecksHost {
  /** The open store and journal, or null with the reason the store is not open. */
  open(): { store: TradeStore; journal: TradeJournal } | { notOpen: string };
  mirror: MirrorKeeper | null;
  startingBalance(): number;
  now(): number;
}

export class SessionChecks {
  constructor(private readonly host: SessionChecksHost) {}

  /** Commits waiting in memory to be retried, and whether sim_balance.json matches the ledger. */
  own(): CheckItem[] {
    const o = this.host.open();
    if ('notOpen' in o) return [];
    const pending = o.journal.pendingCommits;
    const items: CheckItem[] = [{ name: 'unsaved commits', ok: pending === 0, detail: pending ? `${pending} waiting in memory to be retried` : 'none' }];
    if (this.host.mirror) items.push(this.host.mirror.check(o.journal.ledger, o.journal.simAccounts()));
    return items;
  }

  /** The open store's health (null when it is not open: ask the store URL instead). */
  async health(): Promise<{ ok: boolean; detail: string } | null> {
    const o = this.host.open();
    if ('notOpen' in o) return null;
    const h = await o.store.health();
    return { ok: h.ok && o.journal.pendingCommits === 0, detail: `${h.store}: ${h.state}, ${h.detail}` };
  }

  async schemaVersion(): Promise<number | null> {
    const o = this.host.open();
    return 'notOpen' in o ? null : o.store.schemaVersion();
  }

  async report(): Promise<string> {
    const o = this.host.open();
    if ('notOpen' in o || !this.host.mirror) return `# APPSIERRA persistence report\n\nThe trade store is not open: ${'notOpen' in o ? o.notOpen : 'no SIM mirror'}\n`;
    return persistenceReport({
      store: o.store,
      ledger: o.journal.ledger,
      mirror: this.host.mirror.file,
      pendingCommits: o.journal.pendingCommits,
      counters: o.journal.counters,
      startingBalance: this.host.startingBalance(),
      nowMs: this.host.now(),
    });
  }
}
