/**
 * What the session knows of its store's state (loading, primary, outbox, read-only follower,
 * failed) and the database alert that lasts exactly as long as the outbox takes the commits.
 * Refreshed after every commit batch the store reports, on a poll, and at open.
 */
import type { TradeStore } from './store/types';
import type { StoreInfo } from './viewModels';
import type { Alerts } from './alerts';
import { errorText } from './errors';

export class StoreWatch {
  private info: StoreInfo;

  constructor(
    private readonly description: string,
    private readonly alerts: Alerts,
    /** Commits waiting in memory (the store refused them; they are retried). */
    private readonly pendingCommits: () => number,
    /** The state changed (and whether we now only follow another writer). */
    private readonly onChange: (readOnly: boolean) => void,
  ) {
    this.info = { description, state: 'loading', outboxPending: 0, pendingCommits: 0, detail: 'Loading the trade store…' };
  }

  get state(): StoreInfo['state'] {
    return this.info.state;
  }

  get current(): StoreInfo {
    return { ...this.info, pendingCommits: this.pendingCommits() };
  }

  /** The store could not be opened: the state says why and an alert tells the user what to run. */
  openFailed(err: unknown): void {
    this.info = { ...this.info, state: 'failed', detail: errorText(err) };
    this.alerts.raise('store', 'open', `The trade store could not be opened: ${errorText(err)}. Run "APPSIERRA: Check Database" for details.`);
    this.onChange(false);
  }

  opened(): void {
    this.alerts.clear('store');
  }

  async refresh(store: TradeStore): Promise<void> {
    let next: StoreInfo;
    try {
      const h = await store.health();
      next = { description: h.store || this.description, state: h.state, outboxPending: h.outboxPending, pendingCommits: 0, detail: h.detail };
      const pending = this.pendingCommits();
      if (pending > 0) next.detail = `${pending} commit(s) waiting to be saved. ${next.detail}`;
    } catch (e) {
      next = { ...this.info, state: 'failed', detail: errorText(e) };
    }
    const alertChanged =
      next.state === 'outbox'
        ? this.alerts.raise('database', 'outbox', `The database is unreachable, so commits go to the local outbox (${next.outboxPending} pending) and are synced when it is back: ${next.detail}`)
        : this.alerts.clear('database');
    if (JSON.stringify(next) === JSON.stringify(this.info) && !alertChanged) return;
    this.info = next;
    this.onChange(next.state === 'readonly');
  }
}
