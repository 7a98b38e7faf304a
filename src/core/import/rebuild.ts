/**
 * Trades from stored fills: replay partitions (account + symbol) through a fresh engine with
 * today's specs and fees, in a fixed order (time, then execution id), so the same fills always give
 * the same trades and ids. Used by `appsierra rebuild`, by undo, and by an import whose fills land
 * before fills already stored. The SIM ledger follows: a rebuilt partition's pnl events become
 * its new trades' ones.
 */
import type { TradeStore } from '../store/types';
import type { BulkWrite, PositionWrite, StoredFill } from '../store/bulk';
import { ContractSpecs, TradeEngine, contractKey, modeOf } from '../trading';
import type { Fill, SimBalanceEvent, Trade } from '../trading/types';
import { SimBalanceLedger } from '../sim';
import { simEventParams, tradeParams } from '../store/schema';

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
 * Same stored row, compared through the functions that write the rows (tradeParams,
 * simEventParams): a column added there is compared here too.
 */
function sameRow(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const sameTrade = (a: Trade, b: Trade): boolean => sameRow(tradeParams(a), tradeParams(b));
const sameEvent = (a: SimBalanceEvent, b: SimBalanceEvent): boolean => sameRow(simEventParams(a), simEventParams(b));

/** What a replay changes in its partition's stored rows, by id; all empty when it gives exactly what is stored. */
export interface Restatement {
  /** New trades, and different ones whose mode, account or exit time moved (upserted: a trade keeps its row, its rowid and its tags). */
  trades: Trade[];
  /** Different trades with the same mode, account and exit time (a fee change): written over without moving an index entry. */
  restateTrades: Trade[];
  /** Stored trade ids the replay no longer produces. */
  deleteTrades: string[];
  /** New pnl events, and different ones whose account, time or trade moved (upserted). */
  simEvents: SimBalanceEvent[];
  /** pnl events that differ only in amount or note: those two written over. */
  restateSimEvents: SimBalanceEvent[];
  /** pnl events of stored trades the replay no longer produces. */
  deleteSimEvents: string[];
  /** The open position differs from the stored one. */
  position: boolean;
}

/**
 * The difference between a replay and its partition's stored trades, open position and SIM pnl
 * events. A rebuild writes only that: rows of the same id are updated in place and only ids that
 * disappear are deleted, instead of clearing the partition (which scanned every pnl event per
 * contract) and inserting every row again. Anything that differs, even in representation, is written.
 */
export function restatement(r: ReplayResult, stored: { trades: Trade[]; position: string } | undefined, pnlByTrade: Map<string, SimBalanceEvent[]>): Restatement {
  const before = stored?.trades ?? [];
  const byId = new Map(before.map((t) => [t.id, t]));
  const out: Restatement = { trades: [], restateTrades: [], deleteTrades: [], simEvents: [], restateSimEvents: [], deleteSimEvents: [], position: (stored?.position ?? 'null') !== JSON.stringify(r.positions[0]?.position ?? null) };
  const newIds = new Set<string>();
  for (const t of r.trades) {
    newIds.add(t.id);
    const b = byId.get(t.id);
    if (!b) out.trades.push(t);
    else if (!sameTrade(t, b)) (b.mode === t.mode && b.account === t.account && b.exitTime === t.exitTime ? out.restateTrades : out.trades).push(t);
  }
  const eventsBefore = new Map<string, SimBalanceEvent>();
  for (const t of before) {
    if (!newIds.has(t.id)) out.deleteTrades.push(t.id);
    for (const e of pnlByTrade.get(t.id) ?? []) eventsBefore.set(e.id, e);
  }
  const newEvents = new Set<string>();
  for (const e of r.simEvents) {
    newEvents.add(e.id);
    const b = eventsBefore.get(e.id) ?? pnlByTrade.get(e.tradeId ?? '')?.find((x) => x.id === e.id);
    if (!b) out.simEvents.push(e);
    else if (!sameEvent(e, b)) (b.account === e.account && b.kind === e.kind && b.timeMs === e.timeMs && (b.tradeId ?? null) === (e.tradeId ?? null) ? out.restateSimEvents : out.simEvents).push(e);
  }
  for (const id of eventsBefore.keys()) if (!newEvents.has(id)) out.deleteSimEvents.push(id);
  return out;
}

const unchanged = (x: Restatement): boolean =>
  !x.position && x.trades.length === 0 && x.restateTrades.length === 0 && x.deleteTrades.length === 0 && x.simEvents.length === 0 && x.restateSimEvents.length === 0 && x.deleteSimEvents.length === 0;

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
 * in one durable write. Only what differs is written, by id (see `restatement`): a rebuild with
 * unchanged specs and fees writes nothing, a fee change updates every trade in place. `exclude` drops fills (an undone batch) and `extra` adds some (dry runs).
 */
export async function rebuildPartitions(
  store: TradeStore,
  opts: ReplayOptions & { partitions?: Partition[]; excludeBatch?: string; write?: Omit<BulkWrite, 'replace' | 'trades' | 'positions' | 'simEvents' | 'upsertSimEvents' | 'deleteTrades' | 'deleteSimEvents' | 'restateTrades' | 'restateSimEvents'>; dryRun?: boolean; onProgress?: (done: number, total: number) => void; isCancelled?: () => boolean; now?: () => number; beforeWrite?: (w: BulkWrite) => Promise<void> },
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
  // pnl events by the trade they belong to (what clearing a partition removed: every pnl event of its trades).
  const pnlByTrade = new Map<string, SimBalanceEvent[]>();
  for (const e of simEvents) {
    if (e.kind !== 'pnl' || e.tradeId === null || e.tradeId === undefined) continue;
    const list = pnlByTrade.get(e.tradeId);
    if (list) list.push(e);
    else pnlByTrade.set(e.tradeId, [e]);
  }
  const firstFill = new Map<string, number>();
  const write: BulkWrite = { ...(opts.write ?? {}), deleteTrades: [], deleteSimEvents: [], trades: [], restateTrades: [], positions: [], upsertSimEvents: [], restateSimEvents: [] };
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
    const x = restatement(r, stored.get(key), pnlByTrade);
    stored.delete(key);
    e.fills = [];
    if (!unchanged(x)) {
      for (const t of x.trades) write.trades!.push(t);
      for (const t of x.restateTrades) write.restateTrades!.push(t);
      for (const ev of x.restateSimEvents) write.restateSimEvents!.push(ev);
      for (const id of x.deleteTrades) write.deleteTrades!.push(id);
      for (const ev of x.simEvents) write.upsertSimEvents!.push(ev);
      for (const id of x.deleteSimEvents) write.deleteSimEvents!.push(id);
      for (const p of r.positions) write.positions!.push(p);
    }
    opts.onProgress?.(i + 1, parts.length);
    // Let a Cancel click (and other work) through between partitions.
    if (opts.isCancelled) await new Promise<void>((r) => setImmediate(r));
  }
  write.simEvents = startEvents(firstFill, known, opts, (opts.now ?? Date.now)());
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
