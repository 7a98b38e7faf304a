/**
 * Trades from stored fills: replay partitions (account + symbol) through a fresh engine with
 * today's specs and fees, in a fixed order (time, then execution id), so the same fills always give
 * the same trades and ids. Used by `appsierra rebuild`, by undo, and by an import whose fills land
 * before fills already stored. The SIM ledger follows: a replaced partition's pnl events are
 * replaced with its new trades' ones.
 */
import type { TradeStore } from '../store/types';
import type { BulkWrite, PositionWrite, StoredFill } from '../store/bulk';
import { ContractSpecs, TradeEngine, contractKey, modeOf } from '../trading';
import type { Fill, SimBalanceEvent, Trade } from '../trading/types';
import { SimBalanceLedger } from '../sim';
import { tradeParams } from '../store/schema';

export interface ReplayOptions {
  specs: ContractSpecs;
  simPattern: string;
  startingBalance: number;
}

export interface Partition {
  account: string;
  symbol: string;
}

export interface ReplayResult {
  trades: Trade[];
  positions: PositionWrite[];
  /** pnl events of the new SIM trades. */
  simEvents: SimBalanceEvent[];
  /** Messages of fills the engine refused or could not price (once per message). */
  problems: string[];
}

export const byTimeThenId = (a: Fill, b: Fill): number => a.timeMs - b.timeMs || (a.executionId < b.executionId ? -1 : a.executionId > b.executionId ? 1 : 0);

/** Replays one partition's fills (any order in; sorted here). Fees come from today's specs. */
export function replayPartition(p: Partition, fills: Fill[], opts: ReplayOptions): ReplayResult {
  const engine = new TradeEngine({ specs: opts.specs, simPattern: opts.simPattern, livePositions: true });
  const ledger = new SimBalanceLedger(opts.startingBalance);
  const trades: Trade[] = [];
  const problems = new Set<string>();
  for (const f of [...fills].sort(byTimeThenId)) {
    // The fee a source gave with the fill stands; a fee the engine derived is derived again today.
    const o = engine.apply({ ...f, fee: f.source === 'import' ? f.fee ?? null : null });
    if (o.error) problems.add(o.error);
    trades.push(...o.trades);
  }
  const position = engine.position(p.account, p.symbol);
  return { trades, positions: [{ ...p, position }], simEvents: trades.flatMap((t) => ledger.eventsForTrade(t)), problems: [...problems] };
}

/**
 * True when a replay gives exactly the stored rows of its partition (trades, open position, SIM
 * pnl events): a rebuild that changes nothing there writes nothing there. Anything that differs,
 * even in representation, rewrites the partition, as before.
 */
function sameAsStored(r: ReplayResult, stored: { trades: Trade[]; position: string } | undefined, pnlBefore: Map<string, SimBalanceEvent>): boolean {
  const before = stored?.trades ?? [];
  if (r.trades.length !== before.length) return false;
  if ((stored?.position ?? 'null') !== JSON.stringify(r.positions[0]?.position ?? null)) return false;
  const byId = new Map(before.map((t) => [t.id, t]));
  for (const t of r.trades) {
    const b = byId.get(t.id);
    if (!b) return false;
    const x = tradeParams(t);
    const y = tradeParams(b);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  }
  for (const e of r.simEvents) {
    const b = pnlBefore.get(e.id);
    if (!b || b.amount !== e.amount || b.timeMs !== e.timeMs || b.account !== e.account) return false;
  }
  return true;
}

/** The `start` event a SIM account needs when it has none yet (dated at its first fill). */
export function startEvents(accounts: Map<string, number>, known: Set<string>, opts: ReplayOptions, nowMs: number): SimBalanceEvent[] {
  const out: SimBalanceEvent[] = [];
  const ledger = new SimBalanceLedger(opts.startingBalance);
  for (const [account, firstMs] of accounts) {
    if (modeOf(account, opts.simPattern) !== 'SIM' || known.has(account)) continue;
    out.push(ledger.startEvent(account, Math.min(firstMs, nowMs), opts.startingBalance));
  }
  return out;
}

/** A rebuild cancelled before its one durable write: nothing changed. */
export class RebuildCancelled extends Error {
  constructor() {
    super('Rebuild cancelled: nothing was changed.');
  }
}

export interface RebuildSummary {
  partitions: number;
  fills: number;
  tradesBefore: number;
  tradesAfter: number;
  openPositions: number;
  problems: string[];
  ms: number;
}

/**
 * Replaces the derived rows (trades, open positions, SIM pnl events) of `partitions` (default:
 * every partition with fills, trades or an open position) with a replay of their stored fills,
 * in one durable write. Partitions whose replay equals what is stored are left out of the write
 * (a rebuild with unchanged specs and fees writes nothing, instead of every trade again). `exclude` drops fills (an undone batch) and `extra` adds some (dry runs).
 */
export async function rebuildPartitions(
  store: TradeStore,
  opts: ReplayOptions & { partitions?: Partition[]; excludeBatch?: string; write?: Omit<BulkWrite, 'replace' | 'trades' | 'positions' | 'simEvents'>; dryRun?: boolean; onProgress?: (done: number, total: number) => void; isCancelled?: () => boolean; now?: () => number; beforeWrite?: (w: BulkWrite) => Promise<void> },
): Promise<RebuildSummary & { result: BulkWrite }> {
  const t0 = Date.now();
  const byPart = new Map<string, { p: Partition; fills: StoredFill[] }>();
  const add = (p: Partition) => {
    const k = contractKey(p.account, p.symbol);
    let e = byPart.get(k);
    if (!e) byPart.set(k, (e = { p: { account: p.account, symbol: p.symbol }, fills: [] }));
    return e;
  };
  let tradesBeforeAll = await store.trades({ unordered: true });
  const positionsBefore = await store.openPositions();
  if (!opts.partitions) {
    for (const p of await store.fillPartitions()) add(p);
    for (const t of tradesBeforeAll) add(t);
    for (const p of positionsBefore) add(p);
  } else {
    for (const p of opts.partitions) add(p);
  }
  const parts = [...byPart.values()];
  // What is stored now, per partition: a partition whose replay gives exactly that is not rewritten.
  const stored = new Map<string, { trades: Trade[]; position: string }>();
  for (const t of tradesBeforeAll) {
    const k = contractKey(t.account, t.symbol);
    if (!byPart.has(k)) continue;
    let e = stored.get(k);
    if (!e) stored.set(k, (e = { trades: [], position: 'null' }));
    e.trades.push(t);
  }
  for (const p of positionsBefore) {
    const k = contractKey(p.account, p.symbol);
    if (!byPart.has(k)) continue;
    let e = stored.get(k);
    if (!e) stored.set(k, (e = { trades: [], position: 'null' }));
    e.position = JSON.stringify(p);
  }
  const tradesBefore = tradesBeforeAll.filter((t) => byPart.has(contractKey(t.account, t.symbol))).length;
  // Memory holds the stored trades (grouped) and one partition's fills at a time: each partition's
  // rows are read when it is replayed and let go after.
  tradesBeforeAll = [];
  const simEvents = await store.simEvents();
  const known = new Set(simEvents.filter((e) => e.kind === 'start' || e.kind === 'reset').map((e) => e.account));
  const pnlBefore = new Map(simEvents.filter((e) => e.kind === 'pnl').map((e) => [e.id, e]));
  const firstFill = new Map<string, number>();
  const write: BulkWrite = { ...(opts.write ?? {}), replace: [], trades: [], positions: [], simEvents: [] };
  const problems = new Set<string>();
  let fills = 0;
  let tradesAfter = 0;
  let openPositions = 0;
  const cancelled = () => {
    if (opts.isCancelled?.()) throw new RebuildCancelled();
  };
  for (let i = 0; i < parts.length; i++) {
    const e = parts[i];
    cancelled();
    e.fills = await store.storedFills(e.p);
    const use = opts.excludeBatch ? e.fills.filter((f) => f.batchId !== opts.excludeBatch) : e.fills;
    fills += use.length;
    const r = replayPartition(e.p, use, opts);
    tradesAfter += r.trades.length;
    openPositions += r.positions.filter((p) => p.position !== null).length;
    r.problems.forEach((m) => problems.add(m));
    for (const f of use) firstFill.set(f.account, Math.min(firstFill.get(f.account) ?? Infinity, f.timeMs));
    const key = contractKey(e.p.account, e.p.symbol);
    const same = sameAsStored(r, stored.get(key), pnlBefore);
    stored.delete(key);
    e.fills = [];
    if (!same) {
      write.replace!.push(e.p);
      for (const t of r.trades) write.trades!.push(t);
      for (const p of r.positions) write.positions!.push(p);
      for (const ev of r.simEvents) write.simEvents!.push(ev);
    }
    opts.onProgress?.(i + 1, parts.length);
    // Let a Cancel click (and other work) through between partitions.
    if (opts.isCancelled) await new Promise<void>((r) => setImmediate(r));
  }
  write.simEvents!.unshift(...startEvents(firstFill, known, opts, (opts.now ?? Date.now)()));
  await opts.beforeWrite?.(write);
  // The last moment a cancel changes nothing: the one durable write follows.
  cancelled();
  if (!opts.dryRun) await store.bulkWrite(write);
  return {
    partitions: parts.length,
    fills,
    tradesBefore,
    tradesAfter,
    openPositions,
    problems: [...problems],
    ms: Date.now() - t0,
    result: write,
  };
}
