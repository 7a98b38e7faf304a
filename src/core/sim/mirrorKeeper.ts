/**
 * Keeps sim_balance.json in step with the ledger for a running session: a write shortly after a
 * burst of SIM events (one file write per burst, not per event), at once after a reset or a bulk
 * change, and a check at open where the ledger wins over a file that disagrees.
 */
import type { CheckItem } from '../appApi';
import type { SimBalanceLedger } from './ledger';
import { SimBalanceMirror } from './mirror';
import { errorText } from '../errors';

/** What the mirror mirrors, while the session may write (null: closed, or following another writer). */
export type MirrorSource = () => { ledger: SimBalanceLedger; accounts: string[] } | null;

const WRITE_DELAY_MS = 200;

export class MirrorKeeper {
  readonly file: SimBalanceMirror;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    dir: string,
    private readonly source: MirrorSource,
    private readonly log: { warn(m: string): void },
    private readonly now: () => number,
  ) {
    this.file = new SimBalanceMirror(dir);
  }

  /** A SIM event happened: write soon. */
  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.writeNow();
    }, WRITE_DELAY_MS);
    this.timer.unref?.();
  }

  writeNow(): void {
    const src = this.source();
    if (!src) return;
    try {
      const r = this.file.write(src.ledger, { nowMs: this.now(), accounts: src.accounts });
      if (!r.ok) this.log.warn(`sim_balance.json: ${r.message}`);
    } catch (e) {
      this.log.warn(`sim_balance.json: ${errorText(e)}`);
    }
  }

  /**
   * At open: the ledger wins over a mirror that disagrees (a missing file on first run is no news).
   * A file already in step is left alone: its rewrite is two fsyncs on every start.
   */
  checkAtOpen(ledger: SimBalanceLedger, accounts: string[]): void {
    const r = this.file.read();
    const opts = { nowMs: this.now(), accounts };
    if (r.ok && this.file.inStep(r.file, ledger, opts)) return;
    const firstRun = !r.ok && r.problem === 'missing';
    const mismatches = firstRun ? [] : this.file.compare(ledger, opts);
    for (const m of mismatches) this.log.warn(`sim_balance.json: ${m} (the ledger wins; the file is rewritten)`);
    this.writeNow();
  }

  check(ledger: SimBalanceLedger, accounts: string[]): CheckItem {
    const mismatches = this.file.compare(ledger, { accounts });
    return { name: 'SIM balance mirror', ok: mismatches.length === 0, detail: mismatches.length ? mismatches.join('; ') : 'sim_balance.json matches the ledger' };
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
