/**
 * One import run: files -> parser -> dedupe -> engine -> store, in chunks of `chunkFills` fills,
 * each chunk one durable BulkWrite tagged with the run's batch id. Memory holds the store's fill
 * index (for dedupe, loaded once per run) and one chunk, never the file.
 *
 * Dedupe: a fill is a duplicate when a stored (or already imported) fill has the same account and
 * execution id; or, when either side's id was made up from the row (the source had none), when one
 * has the same account, symbol, side, quantity and price within `toleranceMs` (default 2 s: a DTC
 * fill time is whole seconds, a Trade Activity Log time has milliseconds). Each stored fill
 * absorbs at most one imported fill, so two identical 1-lot fills stay two.
 *
 * Fills older than the newest stored fill of their partition (an import of older history) are
 * stored as they come and their partitions rebuilt from all their fills at the end, so the trades
 * are those of the fills in time order, not in arrival order.
 *
 * Tags (APPSIERRA's export) are restored with the run's last write, onto the trades that exist
 * then, so a cancelled run leaves none; they are added, never removed (undo keeps them, as a
 * rebuild does: tags belong to trade ids).
 *
 * Cancel or failure mid-run removes the run's fills and rebuilds what they touched (undo): the
 * store is as before. A process killed mid-run leaves whole chunks only, and the batch 'running';
 * importing the same files again completes it (duplicates are skipped), undo removes it.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { TradeStore } from '../store/types';
import type { BulkWrite, ImportBatch, ImportBatchFile, PositionWrite } from '../store/bulk';
import { contractKey, TradeEngine } from '../trading';
import type { Fill, SimBalanceEvent, Trade } from '../trading/types';
import { SimBalanceLedger } from '../sim';
import { detectFormat, parseBlocksAs, readHead } from './detect';
import { checkTimeZone } from './timeZone';
import { ImportFormatError, type ImportFormat, type ParseOptions } from './types';
import type { ByteSource } from './lines';
import { rebuildPartitions, replayPartition, type Partition, type ReplayOptions } from './rebuild';
import { isSpecError } from '../trading/specs';
import { normalizeTag } from '../trading/tags';
import { DEFAULT_TOLERANCE_MS, FillIndex } from './fillIndex';

/**
 * Fills per durable write. Each commit rewrites the pages its rows touch across the key indexes
 * (trade and event ids are hashes), so its cost grows with the store: 20,000 fills is a third of
 * the bytes written per 100k trades that 5000 was, for ~30 MB more held between commits.
 */
export const DEFAULT_CHUNK_FILLS = 20_000;

export interface ImportProgress {
  file: string;
  rows: number;
  fillsNew: number;
  duplicates: number;
  skipped: number;
}

export interface ImportRunOptions extends ReplayOptions {
  store: TradeStore;
  files: string[];
  format?: ImportFormat | 'auto';
  timeZone?: string | null;
  account?: string | null;
  dryRun?: boolean;
  chunkFills?: number;
  toleranceMs?: number;
  onProgress?: (p: ImportProgress) => void;
  isCancelled?: () => boolean;
  now?: () => number;
  /** Called after each chunk is durable (tests kill the process here). */
  onChunk?: (fillsSoFar: number) => void;
}

export interface ImportFileSummary extends ImportBatchFile {
  /** Set when an earlier complete batch had this exact content: the file was not read again. */
  alreadyImportedIn?: string;
}

export interface ImportSummary {
  batchId: string | null;
  dryRun: boolean;
  cancelled: boolean;
  files: ImportFileSummary[];
  rows: number;
  fills: { new: number; duplicate: number; skipped: number };
  duplicatesBy: { executionId: number; match: number };
  skipped: { reason: string; count: number; first: string }[];
  tradesClosed: number;
  openPositions: number;
  /** Partitions rebuilt because older fills arrived. */
  rebuilt: number;
  /** Trades whose exported tags were restored (APPSIERRA's export). */
  tagsRestored: number;
  problems: string[];
  toleranceMs: number;
  ms: number;
}

export class ImportCancelled extends Error {}

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = crypto.createHash('sha256');
    fs.createReadStream(file)
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

export function newBatchId(nowMs: number): string {
  return `imp-${new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}-${crypto.randomBytes(3).toString('hex')}`;
}

/**
 * Every file found and recognised (and the zone checked) before anything is written, or an
 * ImportFormatError saying what was expected and found. The CLI runs it before it opens the store,
 * so a wrong file leaves no store behind either.
 */
export function planImport(opts: Pick<ImportRunOptions, 'files' | 'format' | 'timeZone'>): { file: string; format: ImportFormat; autoVariant: boolean }[] {
  if (opts.timeZone) {
    const bad = checkTimeZone(opts.timeZone);
    if (bad) throw new ImportFormatError(`--time-zone ${bad}`, 'an IANA time zone', opts.timeZone);
  }
  const plans: { file: string; format: ImportFormat; autoVariant: boolean }[] = [];
  for (const file of opts.files) {
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new ImportFormatError(`${file} does not exist or is not a file.`, 'a file', file);
    if (!opts.format || opts.format === 'auto') {
      let d;
      try {
        d = detectFormat(readHead(file));
      } catch (e) {
        if (e instanceof ImportFormatError) throw new ImportFormatError(`${path.basename(file)}: ${e.message}`, e.expected, e.found);
        throw e;
      }
      plans.push({ file, format: d.format, autoVariant: !!d.variantUndecided });
    } else plans.push({ file, format: opts.format, autoVariant: false });
  }
  return plans;
}

export async function runImport(opts: ImportRunOptions): Promise<ImportSummary> {
  const t0 = Date.now();
  const now = opts.now ?? Date.now;
  const tol = opts.toleranceMs ?? DEFAULT_TOLERANCE_MS;
  const chunkFills = Math.max(1, opts.chunkFills ?? DEFAULT_CHUNK_FILLS);
  const store = opts.store;
  const plans = planImport(opts);

  const summary: ImportSummary = {
    batchId: null, dryRun: !!opts.dryRun, cancelled: false, files: [], rows: 0, fills: { new: 0, duplicate: 0, skipped: 0 },
    duplicatesBy: { executionId: 0, match: 0 }, skipped: [], tradesClosed: 0, openPositions: 0, rebuilt: 0, tagsRestored: 0, problems: [], toleranceMs: tol, ms: 0,
  };
  const skipped = new Map<string, { count: number; first: string }>();
  const problems = new Set<string>();
  const skip = (reason: string, where: string) => {
    summary.fills.skipped++;
    const s = skipped.get(reason);
    if (s) s.count++;
    else skipped.set(reason, { count: 1, first: where });
  };

  const batches = await store.importBatches();
  const index = new FillIndex(tol);
  if (store.eachStoredFill) await store.eachStoredFill((f) => index.add(f, -1));
  else for (const f of await store.storedFills()) index.add(f, -1);
  // Live positions: a chunk keeps each contract's latest one and is written before the next fill.
  // One set of fill keys: the engine's is the index's (every fill the engine sees passed the index first).
  const engine = new TradeEngine({ specs: opts.specs, simPattern: opts.simPattern, livePositions: true, knownFills: index.exact });
  engine.restore(await store.openPositions(), []);
  // The run asks the ledger only whether an account already has SIM events (else it writes its
  // start event): it keeps the accounts, not a copy of every stored and imported event.
  const ledger = new SimBalanceLedger(opts.startingBalance);
  const simAccounts = new Set<string>();
  if (store.simEventAccounts) for (const a of await store.simEventAccounts()) simAccounts.add(a);
  else for (const e of await store.simEvents()) simAccounts.add(e.account);
  const parseOpts: ParseOptions = {
    timeZone: opts.timeZone ?? null,
    account: opts.account ?? null,
    tickSize: (s) => {
      const r = opts.specs.resolve(s);
      return isSpecError(r) ? null : r.tickSize;
    },
    pointValue: (s) => {
      const r = opts.specs.resolve(s);
      return isSpecError(r) ? null : r.pointValue;
    },
  };

  const batchId = newBatchId(now());
  let batchWritten = false;
  const needsRebuild = new Map<string, Partition>();
  /** Dry run only: imported fills of partitions to rebuild (nothing is stored to replay from). */
  const dryPending = new Map<string, Fill[]>();
  const incrementalTrades = new Map<string, number>();
  /** Tags of the file's trades (APPSIERRA's export), written with the last write. */
  const tags = new Map<string, Set<string>>();
  let chunk: { fills: Fill[]; trades: BulkWrite['trades']; positions: Map<string, PositionWrite>; simEvents: SimBalanceEvent[] } = newChunk();
  const batchRecord = (status: ImportBatch['status']): ImportBatch => ({
    id: batchId, createdMs: now(), status, files: summary.files.map(({ alreadyImportedIn: _a, ...f }) => f),
    counts: { rows: summary.rows, new: summary.fills.new, duplicate: summary.fills.duplicate, skipped: summary.fills.skipped },
  });

  const flush = async () => {
    if (chunk.fills.length === 0) return;
    const write: BulkWrite = { fills: chunk.fills, batchId, trades: chunk.trades, positions: [...chunk.positions.values()], simEvents: chunk.simEvents };
    if (!batchWritten) write.batch = batchRecord('running');
    if (!opts.dryRun) await store.bulkWrite(write);
    batchWritten = true;
    for (const e of chunk.simEvents) simAccounts.add(e.account);
    const n = chunk.fills.length;
    chunk = newChunk();
    opts.onChunk?.(n);
  };

  const cancelled = () => opts.isCancelled?.() ?? false;
  /** Accounts whose SIM start event is known or written by this run. */
  const started = new Set<string>();

  try {
    for (let fi = 0; fi < plans.length; fi++) {
      const plan = plans[fi];
      const sha256 = await sha256File(plan.file);
      const fileSummary: ImportFileSummary = { name: path.basename(plan.file), sha256, format: plan.format, rows: 0, fills: 0 };
      summary.files.push(fileSummary);
      const earlier = batches.find((b) => b.status === 'complete' && b.files.some((f) => f.sha256 === sha256));
      if (earlier) {
        fileSummary.alreadyImportedIn = earlier.id;
        const f = earlier.files.find((x) => x.sha256 === sha256)!;
        summary.fills.duplicate += f.fills;
        summary.duplicatesBy.executionId += f.fills;
        continue;
      }
      const source: ByteSource = fs.createReadStream(plan.file, { highWaterMark: 1 << 16 });
      const name = fileSummary.name;
      // A block of items per await (a read block of a Sierra text file), looped over synchronously.
      for await (const items of parseBlocksAs(plan.format, source, parseOpts, plan.autoVariant)) for (let ii = 0; ii < items.length; ii++) {
        const item = items[ii];
        fileSummary.rows++;
        summary.rows++;
        if ((summary.rows & 1023) === 0) {
          if (cancelled()) throw new ImportCancelled();
          opts.onProgress?.({ file: name, rows: summary.rows, fillsNew: summary.fills.new, duplicates: summary.fills.duplicate, skipped: summary.fills.skipped });
        }
        if (item.kind === 'other') continue;
        if (item.kind === 'skip') {
          skip(item.reason, `${name} ${item.where}`);
          continue;
        }
        const fill = item.fill;
        if (opts.account && fill.account !== opts.account) {
          skip(`account ${fill.account} is not --account ${opts.account}`, `${name} ${item.where}`);
          continue;
        }
        if (item.tags) keepTags(item.tags, `${name} ${item.where}`);
        const dup = index.match(fill, fi);
        if (dup) {
          summary.fills.duplicate++;
          if (dup === 'executionId') summary.duplicatesBy.executionId++;
          else summary.duplicatesBy.match++;
          continue;
        }
        const pk = contractKey(fill.account, fill.symbol);
        const older = fill.timeMs < (index.lastTime.get(pk) ?? -Infinity);
        if (older) needsRebuild.set(pk, { account: fill.account, symbol: fill.symbol });
        // The parser's own object: stored as it is, with an unknown fee as NULL.
        const stored: Fill = fill;
        if (stored.fee === undefined) stored.fee = null;
        if (needsRebuild.has(pk)) {
          // Validation still runs once, through the engine of the rebuild; here only obvious junk is dropped.
          if (opts.dryRun) {
            const l = dryPending.get(pk) ?? [];
            l.push(stored);
            dryPending.set(pk, l);
          }
        } else {
          const rejectedBefore = engine.counters.rejected;
          const o = engine.apply(fill);
          if (engine.counters.rejected > rejectedBefore) {
            skip(reasonOf(o.error ?? 'invalid fill'), `${name} ${item.where}`);
            continue;
          }
          if (o.error) problems.add(o.error);
          if (!started.has(fill.account)) {
            started.add(fill.account);
            if (engine.modeOf(fill.account) === 'SIM' && !simAccounts.has(fill.account)) chunk.simEvents.push(ledger.startEvent(fill.account, Math.min(fill.timeMs, now()), opts.startingBalance));
          }
          for (const t of o.trades) {
            for (const e of ledger.eventsForTrade(t)) chunk.simEvents.push(e);
            chunk.trades!.push(t);
          }
          if (o.trades.length) incrementalTrades.set(pk, (incrementalTrades.get(pk) ?? 0) + o.trades.length);
          const pw = chunk.positions.get(pk);
          if (pw) pw.position = o.position;
          else chunk.positions.set(pk, { account: fill.account, symbol: fill.symbol, position: o.position });
        }
        index.add(fill, fi);
        chunk.fills.push(stored);
        fileSummary.fills++;
        summary.fills.new++;
        if (chunk.fills.length >= chunkFills) {
          await flush();
          if (cancelled()) throw new ImportCancelled();
        }
      }
    }
    await flush();
    if (cancelled()) throw new ImportCancelled();

    // Incremental trades of partitions that are rebuilt are recounted by the rebuild.
    for (const [pk, n] of incrementalTrades) if (!needsRebuild.has(pk)) summary.tradesClosed += n;
    const finish: BulkWrite = batchWritten ? { batch: batchRecord('complete') } : {};
    /** Tags onto the trades that exist once this run's fills are in (ids are deterministic). */
    const withTags = async (w: BulkWrite, rebuilt: Trade[] = []): Promise<void> => {
      if (tags.size === 0 || opts.dryRun) return;
      const known = new Set((await store.trades()).map((t) => t.id));
      for (const t of rebuilt) known.add(t.id);
      w.tags = [...tags].filter(([id]) => known.has(id)).map(([tradeId, set]) => ({ tradeId, tags: [...set] }));
      summary.tagsRestored = w.tags.length;
    };
    if (needsRebuild.size > 0) {
      summary.rebuilt = needsRebuild.size;
      if (opts.dryRun) {
        for (const [pk, p] of needsRebuild) {
          const fills = [...(await store.storedFills(p)), ...(dryPending.get(pk) ?? [])];
          const before = (await store.trades({ account: p.account })).filter((t) => t.symbol === p.symbol).length;
          summary.tradesClosed += replayPartition(p, fills, opts).trades.length - before;
        }
      } else {
        const r = await rebuildPartitions(store, { specs: opts.specs, simPattern: opts.simPattern, startingBalance: opts.startingBalance, partitions: [...needsRebuild.values()], write: finish, now, beforeWrite: (w) => withTags(w, w.trades) });
        summary.tradesClosed += r.tradesAfter - r.tradesBefore;
        r.problems.forEach((m) => problems.add(m));
      }
    } else if (!opts.dryRun) {
      await withTags(finish);
      if (batchWritten || finish.tags?.length) await store.bulkWrite(finish);
    }
    summary.batchId = batchWritten ? batchId : null;
  } catch (err) {
    if (batchWritten && !opts.dryRun) {
      try {
        await undoImport(store, batchId, { specs: opts.specs, simPattern: opts.simPattern, startingBalance: opts.startingBalance, now, status: err instanceof ImportCancelled ? 'cancelled' : 'failed' });
      } catch (undoErr) {
        throw new Error(`${(err as Error).message}; removing the partial import ${batchId} failed too (${(undoErr as Error).message}): run 'appsierra import undo ${batchId}'.`);
      }
    }
    if (!(err instanceof ImportCancelled)) throw err;
    summary.cancelled = true;
    summary.batchId = batchWritten ? batchId : null;
  }
  summary.openPositions = opts.dryRun ? engine.positions().filter((p) => p.qty !== 0).length : (await store.openPositions()).length;
  summary.skipped = [...skipped].map(([reason, s]) => ({ reason, ...s })).sort((a, b) => b.count - a.count);
  summary.problems = [...problems];
  summary.ms = Date.now() - t0;
  return summary;

  function keepTags(t: { tradeId: string; tags: string[] }, where: string): void {
    for (const raw of t.tags) {
      try {
        const tag = normalizeTag(raw);
        let set = tags.get(t.tradeId);
        if (!set) tags.set(t.tradeId, (set = new Set()));
        set.add(tag);
      } catch (e) {
        problems.add(`${where}: tag dropped: ${(e as Error).message}`);
      }
    }
  }

  function newChunk() {
    return { fills: [] as Fill[], trades: [] as NonNullable<BulkWrite['trades']>, positions: new Map<string, PositionWrite>(), simEvents: [] as SimBalanceEvent[] };
  }
}

/** The engine's refusal without the fill's ids, so alike rows group under one reason. */
function reasonOf(message: string): string {
  const m = /ignored: (.*?)\. It is not applied/.exec(message);
  return m ? m[1] : message;
}

export interface UndoSummary {
  batchId: string;
  fillsRemoved: number;
  partitions: number;
  tradesBefore: number;
  tradesAfter: number;
  ms: number;
}

/** Removes exactly one batch's fills and rebuilds the partitions they touched, in one durable write. */
export async function undoImport(store: TradeStore, batchId: string, opts: ReplayOptions & { status?: ImportBatch['status']; now?: () => number }): Promise<UndoSummary> {
  const t0 = Date.now();
  const batch = (await store.importBatches()).find((b) => b.id === batchId);
  if (!batch) throw new ImportFormatError(`No import batch ${batchId} in this store; 'appsierra import list' shows the batches.`, 'a batch id', batchId);
  const fills = await store.batchFills(batchId);
  const parts = new Map<string, Partition>();
  for (const f of fills) parts.set(contractKey(f.account, f.symbol), { account: f.account, symbol: f.symbol });
  const r = await rebuildPartitions(store, {
    ...opts, partitions: [...parts.values()], excludeBatch: batchId,
    write: { deleteBatchFills: batchId, batch: { ...batch, status: opts.status ?? 'undone' } },
  });
  return { batchId, fillsRemoved: fills.length, partitions: parts.size, tradesBefore: r.tradesBefore, tradesAfter: r.tradesAfter, ms: Date.now() - t0 };
}
