/**
 * SIM balance resets of a running session: a manual one (Reset SIM Balance, `sim-balance reset`)
 * and the monthly one at the first session of a new month. Each is an event in the ledger, never
 * a deletion; the mirror is rewritten at once and the views told.
 */
import type { TradeJournal } from '../journal';
import type { MirrorKeeper } from './mirrorKeeper';
import { errorText } from '../errors';
import { formatMoney } from '../../shared/format';

export interface SimResetsHost {
  /** The open journal (throws naming the cause when the store is not open). */
  journal(): TradeJournal;
  isOpen(): boolean;
  readOnly(): boolean;
  sim(): { startingBalance: number; monthlyReset: boolean };
  mirror: MirrorKeeper | null;
  log: { info(m: string): void; warn(m: string): void };
  /** The ledger changed: the views should show it. */
  changed(): void;
}

export class SimResets {
  constructor(private readonly host: SimResetsHost) {}

  /** Records a manual reset of one SIM account. */
  async manual(account: string): Promise<{ before: number; after: number }> {
    const journal = this.host.journal();
    if (this.host.readOnly()) throw new Error('Another VS Code window (or the CLI) holds the store; reset the SIM balance there.');
    const r = await journal.reset(account, 'manual', this.host.sim().startingBalance);
    this.host.mirror?.writeNow();
    this.host.log.info(`SIM balance reset for ${account}: ${formatMoney(r.before)} -> ${formatMoney(r.after)}`);
    this.host.changed();
    return r;
  }

  /** The first session of a new month resets SIM balances (checked at open and while running). */
  async monthly(): Promise<string[]> {
    const sim = this.host.sim();
    if (!this.host.isOpen() || !sim.monthlyReset || this.host.readOnly()) return [];
    try {
      const reset = await this.host.journal().applyMonthlyResets();
      if (reset.length) {
        this.host.log.info(`monthly SIM reset: ${reset.join(', ')} back to ${formatMoney(sim.startingBalance)}`);
        this.host.mirror?.writeNow();
        this.host.changed();
      }
      return reset;
    } catch (e) {
      this.host.log.warn(`monthly SIM reset failed: ${errorText(e)}`);
      return [];
    }
  }
}
