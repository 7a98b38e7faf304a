/**
 * What a writing command (ingest) says while PostgreSQL is away: one line when the outage starts,
 * a summary with the backlog every `everyMs` while it lasts, one line when it is over, and a
 * closing line if commits are still waiting at exit. Never one line per commit.
 */
import type { StoreHealth, TradeStore } from '../core/store/types';

export class OutageNotice {
  private since: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private armed = false;

  constructor(
    private readonly write: (line: string) => void,
    private readonly store: () => TradeStore | null,
    private readonly everyMs = 30_000,
  ) {}

  /** From here on outages are told (before, the command refuses to start without the whole store). */
  arm(): void {
    this.armed = true;
  }

  /** ResilientStore's onStateChange. */
  onState(h: StoreHealth): void {
    if (!this.armed) return;
    if (h.state === 'outbox' && this.since === null) {
      this.since = Date.now();
      this.write(`PostgreSQL is unreachable: commits go to the local outbox and are replayed when it is back (${h.detail})`);
      this.timer = setInterval(() => void this.summary('still writing to the local outbox'), this.everyMs);
      this.timer.unref();
    } else if (h.state === 'primary' && this.since !== null) {
      this.stopTimer();
      this.write(`PostgreSQL is back after ${Math.round((Date.now() - this.since) / 1000)} s; the local outbox was replayed into it`);
      this.since = null;
    }
  }

  /** At exit: says what is still waiting, if anything. */
  async close(): Promise<void> {
    this.stopTimer();
    if (this.since !== null) await this.summary('exiting with PostgreSQL still unreachable');
  }

  private async summary(what: string): Promise<void> {
    const h = await this.store()?.health().catch(() => null);
    if (!h || h.outboxPending === 0) return;
    this.write(`${what}: ${h.outboxPending} commit(s) waiting in the local outbox since ${new Date(this.since ?? Date.now()).toISOString()}; they reach PostgreSQL by the next 'appsierra ingest' or 'appsierra db check' once it is reachable`);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
