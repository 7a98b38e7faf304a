/**
 * The risk guard wired to a running AppCore: it re-checks every account when the balance state
 * changed (coalesced to one check per turn of the event loop), hands new notices to the shell and
 * breaches to the store, and answers "what is the risk now" for the views and the CLI.
 * Kept apart from app.ts so AppCore only composes it.
 */
import type { AppLogger } from '../appApi';
import type { ProjectionInput } from '../projections';
import type { AppSettings } from '../settings';
import { Emitter } from '../events';
import { errorText } from '../errors';
import { accountFigures, MarkCache } from './figures';
import { RiskGuard, type AccountRisk, type RiskEvent } from './guard';
import type { RiskNotice } from './notices';

export interface RiskWatchOptions {
  settings(): AppSettings['risk'];
  /** The session's state now (any selection: the guard reads every account). */
  input(): ProjectionInput;
  /** Stores a day's breach (idempotent by id); a failure is logged and counted, never thrown. */
  record?(event: RiskEvent): Promise<void>;
  logger: Pick<AppLogger, 'info' | 'warn' | 'error'>;
  now?: () => number;
}

export class RiskWatch {
  readonly guard: RiskGuard;
  private readonly marks = new MarkCache();
  private readonly events: Emitter<{ notice: (n: RiskNotice) => void }>;
  private scheduled = false;
  /** Breaches the store refused (diagnostics). */
  recordFailures = 0;

  constructor(private readonly opts: RiskWatchOptions) {
    this.events = new Emitter((e, err) => opts.logger.error(`risk ${e} listener: ${errorText(err)}`));
    this.guard = new RiskGuard({
      settings: () => opts.settings(),
      now: opts.now,
      onNotice: (n) => {
        opts.logger.warn(`risk: ${n.message}`);
        this.events.emit('notice', n);
      },
      onBreach: (e) => {
        void opts.record?.(e).catch((err) => {
          this.recordFailures++;
          opts.logger.error(`risk: the breach of ${e.account} could not be stored: ${errorText(err)}`);
        });
      },
    });
  }

  get counters(): { notices: number; breaches: number; recordFailures: number } {
    return { ...this.guard.counters, recordFailures: this.recordFailures };
  }

  onNotice(listener: (n: RiskNotice) => void): () => void {
    return this.events.on('notice', listener);
  }

  /** Re-checks every account once, after the current burst of changes. */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.checkNow();
    });
  }

  checkNow(): RiskNotice[] {
    try {
      const input = this.opts.input();
      if (input.session.loading) return [];
      return this.guard.check(input.session.accounts().map((a) => accountFigures(input, a, this.marks)));
    } catch (e) {
      this.opts.logger.warn(`risk check: ${errorText(e)}`);
      return [];
    }
  }

  /** One account's status now (null: no limit set for it). */
  statusOf(input: ProjectionInput, account: string): AccountRisk | null {
    return this.guard.assess(accountFigures(input, account, this.marks));
  }

  /** Every account with a limit, or one. */
  status(input: ProjectionInput, account?: string | null): AccountRisk[] {
    const accounts = account ? [account] : input.session.accounts();
    return accounts.map((a) => this.statusOf(input, a)).filter((r): r is AccountRisk => r !== null);
  }
}
