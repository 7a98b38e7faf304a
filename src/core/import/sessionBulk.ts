/**
 * History changes through a running session: an import, its undo, a rebuild. Each runs alone on
 * the journal's commit chain (fills arriving meanwhile wait), then the session reloads what it
 * may have changed (journal, SIM ledger, mirror, stats, monthly resets), as after any commit.
 */
import type { TradeStore } from '../store/types';
import type { ImportBatch } from '../store/bulk';
import type { TradeJournal } from '../journal';
import { runImport, undoImport, type ImportRunOptions, type ImportSummary, type UndoSummary } from './run';
import { rebuildPartitions, type RebuildSummary, type ReplayOptions } from './rebuild';

/** An import through the session: files and choices; store, specs and SIM settings are the session's. */
export type SessionImportOptions = Omit<ImportRunOptions, 'store' | keyof ReplayOptions | 'now'>;

export interface SessionRebuildOptions {
  dryRun?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Polled between partitions and before the one write: true throws RebuildCancelled, nothing changed. */
  isCancelled?: () => boolean;
}

export interface BulkHost {
  /** The open journal and its store (throws naming the cause when the store is not open). */
  open(): { journal: TradeJournal; store: TradeStore };
  readOnly(): boolean;
  replayOptions(): ReplayOptions;
  now?: () => number;
  /** Reloads everything a bulk change may have changed. */
  afterBulk(): Promise<void>;
}

export class SessionBulk {
  constructor(private readonly host: BulkHost) {}

  /** Imports trade history files as one batch (dry run: reads only, changes nothing). */
  importFiles(opts: SessionImportOptions): Promise<ImportSummary> {
    return this.run((store) => runImport({ ...opts, ...this.host.replayOptions(), store, now: this.host.now }), opts.dryRun === true);
  }

  /** Removes exactly one import batch's fills and rebuilds what they touched. */
  undoImport(batchId: string): Promise<UndoSummary> {
    return this.run((store) => undoImport(store, batchId, { ...this.host.replayOptions(), now: this.host.now }), false);
  }

  /** Recomputes every trade from the stored fills with today's specs and fees. */
  async rebuild(opts: SessionRebuildOptions = {}): Promise<RebuildSummary> {
    const r = await this.run((store) => rebuildPartitions(store, { ...this.host.replayOptions(), dryRun: opts.dryRun, onProgress: opts.onProgress, isCancelled: opts.isCancelled, now: this.host.now }), opts.dryRun === true);
    const { result: _write, ...summary } = r;
    return summary;
  }

  batches(): Promise<ImportBatch[]> {
    return this.host.open().store.importBatches();
  }

  private async run<T>(work: (store: TradeStore) => Promise<T>, readsOnly: boolean): Promise<T> {
    const { journal, store } = this.host.open();
    if (readsOnly) return work(store);
    if (this.host.readOnly()) throw new Error('Another VS Code window or the CLI holds the store for writing: import or rebuild there, or close it and try again.');
    return journal.exclusive(
      () => work(store),
      () => this.host.afterBulk(),
    );
  }
}
