/**
 * Fills -> positions -> closed trades (TRADING-MATH.md §2, §3): average cost, flat to flat,
 * partitioned by (mode, account, full symbol). Pure in-memory state; the caller persists each
 * outcome (fill + trades + position) and restores open positions and known fill keys on start.
 *
 * Ordering: the caller feeds fills in time order (then arrival order). A fill older than the
 * partition's last fill is still applied where it arrives (counted in `counters.outOfOrder`):
 * re-sorting would change already committed trades, so a rebuild from the store is the cure.
 */
import { createHash } from 'crypto';
import { modeOf, DEFAULT_SIM_PATTERN } from './mode';
import { roundCents, trimNoise } from './money';
import { ContractSpecs, isSpecError } from './specs';
import type { BuySell, ContractSpec, Fill, Mode, OpenPosition, Trade } from './types';
import { KEY_SEP, contractKey, fillKey } from './keys';
import type { FillKeys } from './keySet';
import { checkFill, sanePrice, type FillProblem } from './fillBounds';
import { assumedRisk, assumedStopTicks, rOf, type AssumedStopSettings } from './assumedR';
import { excursionsAt, initialRisk } from './excursions';
import type { EngineCounters, FillOutcome, MissingFillFlag, ServerPositionObservation, WorkingOrderObservation, WorkingOrderType, WorkingOrdersView } from './engineTerms';

export { excursionsAt, initialRisk };

export type { EngineCounters, FillOutcome, MissingFillFlag, ServerPositionObservation, WorkingOrderObservation, WorkingOrderType, WorkingOrdersView };

/** A working order as the engine keeps it: when it was first seen (arrival sequence), for §3's initial stop. */
interface TrackedOrder extends WorkingOrderObservation {
  firstSeen: number;
}

/** When a contract last went flat: arrival sequence of the closing fill and its time. */
interface FlatMark {
  seq: number;
  timeMs: number;
}

/** Deterministic trade id: same account, symbol and opening fill give the same id on re-ingest. */
export function tradeIdFor(account: string, symbol: string, openingExecutionId: string, flip: boolean): string {
  const h = createHash('sha256').update([account, symbol, openingExecutionId, flip ? 'flip' : 'open'].join(KEY_SEP)).digest('hex');
  return `t-${h.slice(0, 32)}`;
}

const isStop = (t: WorkingOrderType) => t === 'STOP' || t === 'STOP_LIMIT';
const dirOf = (side: BuySell) => (side === 'BUY' ? 1 : -1);
const opposite = (posQty: number, side: BuySell) => Math.sign(posQty) === -dirOf(side);

export class TradeEngine {
  readonly counters: EngineCounters = { fills: 0, duplicates: 0, tradesClosed: 0, specErrors: 0, missingFills: 0, missingFillsResolved: 0, rejected: 0, outOfOrder: 0 };
  private readonly specs: ContractSpecs;
  private readonly simPattern: string;
  private readonly known: FillKeys;
  /** Open partitions by mode + account + symbol. */
  private readonly open = new Map<string, OpenPosition>();
  /** Working orders by account + symbol, then server order id. */
  private readonly working = new Map<string, Map<string, TrackedOrder>>();
  /** Per partition: when the account was last flat there (a stop placed before is not a new position's). */
  private readonly lastFlat = new Map<string, FlatMark>();
  /** Arrival sequence of fills and order observations. */
  private seq = 0;
  private readonly flags = new Map<string, MissingFillFlag>();
  private readonly lastPrice = new Map<string, number>();

  private readonly now: () => number;
  private assumedStop: AssumedStopSettings | null;
  private readonly livePositions: boolean;

  /**
   * `now` bounds fill times (at most now + 1 day); default the system clock. `assumedStop` gives
   * trades closed without a protective stop an assumed R (none by default). `livePositions`: an
   * outcome's position is the engine's own object, not a copy (bulk replays of 100k+ fills that
   * read it before the next apply and never change it). `knownFills`: the set of fill keys to use
   * (shared with a caller that keeps the same keys, instead of a second copy).
   */
  constructor(opts: { specs: ContractSpecs; simPattern?: string; now?: () => number; assumedStop?: AssumedStopSettings | null; livePositions?: boolean; knownFills?: FillKeys }) {
    this.specs = opts.specs;
    this.simPattern = opts.simPattern ?? DEFAULT_SIM_PATTERN;
    this.now = opts.now ?? Date.now;
    this.assumedStop = opts.assumedStop ?? null;
    this.livePositions = opts.livePositions ?? false;
    this.known = opts.knownFills ?? new Set<string>();
  }

  /** New default-stop settings apply to trades closed from now on (stored trades keep theirs). */
  setAssumedStop(settings: AssumedStopSettings | null): void {
    this.assumedStop = settings;
  }

  modeOf(account: string): Mode {
    return modeOf(account, this.simPattern);
  }

  /** Whether this fill's key is known (loaded at restore or applied since). */
  knowsFill(account: string, executionId: string): boolean {
    return this.known.has(fillKey(account, executionId));
  }

  /** A fill the store already has (looked up outside the loaded window): its repeat is a duplicate. */
  rememberFill(account: string, executionId: string): void {
    this.known.add(fillKey(account, executionId));
  }

  /**
   * Resumes persisted open positions and the store's fill keys (`account\u0000executionId`).
   * `replace` forgets what was restored before (a reload after a bulk change: an import or undo may
   * have closed or removed positions and fills); working orders and server observations stay.
   */
  restore(positions: OpenPosition[], knownFillKeys: Iterable<string>, replace = false): void {
    if (replace) {
      this.known.clear();
      this.open.clear();
    }
    for (const k of knownFillKeys) this.known.add(k);
    for (const p of positions) {
      const copy = clonePosition(p);
      copy.mode = this.modeOf(copy.account);
      this.open.set(this.partKey(copy.mode, copy.account, copy.symbol), copy);
    }
  }

  apply(fill: Fill): FillOutcome {
    const account = typeof fill.account === 'string' ? fill.account.trim() : '';
    const symbol = typeof fill.symbol === 'string' ? fill.symbol.trim() : '';
    const mode = this.modeOf(account);
    const positionKey = { account, symbol };
    const key = this.partKey(mode, account, symbol);

    const bad = checkFill(fill, this.now());
    if (bad) {
      this.counters.rejected++;
      return { duplicate: false, trades: [], position: this.currentCopy(key), positionKey, mode, fee: 0, error: bad.message, rejected: bad, missingFill: null };
    }
    const fk = fillKey(account, fill.executionId);
    if (this.known.has(fk)) {
      this.counters.duplicates++;
      return { duplicate: true, trades: [], position: this.currentCopy(key), positionKey, mode, fee: 0, error: null, rejected: null, missingFill: null };
    }
    this.known.add(fk);
    this.counters.fills++;
    const seq = ++this.seq;

    const resolved = this.specs.resolve(symbol);
    const spec: ContractSpec | null = isSpecError(resolved) ? null : resolved;
    const givenFee = fill.fee ?? null;
    const fee = trimNoise(givenFee ?? (spec ? (spec.roundTurnFee / 2) * fill.qty : 0));

    let pos = this.open.get(key) ?? null;
    if (pos && fill.timeMs < pos.lastFillTime) this.counters.outOfOrder++;
    const trades: Trade[] = [];
    let error: string | null = null;
    const dir = dirOf(fill.side);
    const specMessage = isSpecError(resolved) ? resolved.message : null;
    let blocked = specMessage !== null;

    if (!pos) {
      pos = this.openPosition(fill, account, symbol, mode, fill.qty, fee, false, specMessage);
      this.applyExtremes(pos, fill.highDuringPosition, fill.lowDuringPosition);
    } else if (Math.sign(pos.qty) === dir) {
      // Scale in.
      this.applyExtremes(pos, fill.highDuringPosition, fill.lowDuringPosition);
      const abs = Math.abs(pos.qty);
      pos.avgPrice = (pos.avgPrice * abs + fill.price * fill.qty) / (abs + fill.qty);
      pos.qty += dir * fill.qty;
      pos.entryFees = trimNoise(pos.entryFees + fee);
      pos.openedQty += fill.qty;
      pos.entryNotional += fill.price * fill.qty;
      pos.maxPosition = Math.max(pos.maxPosition, Math.abs(pos.qty));
      pos.lastFillTime = fill.timeMs;
      pos.fillIds.push(fill.executionId);
    } else {
      // Reduce, close, maybe flip.
      this.applyExtremes(pos, fill.highDuringPosition, fill.lowDuringPosition);
      // An override removed mid-position also blocks: never price a trade with a made-up multiplier.
      if (specMessage !== null && !pos.specError) pos.specError = specMessage;
      if (pos.specError) blocked = true;
      const abs = Math.abs(pos.qty);
      const posDir = Math.sign(pos.qty);
      const c = Math.min(fill.qty, abs);
      const pv = spec && !pos.specError ? spec.pointValue : 0;
      pos.grossPnl += (fill.price - pos.avgPrice) * posDir * c * pv;
      // Fee shares are cut to the cent so that the two sides of a split add up exactly.
      const closeFee = c === fill.qty ? fee : roundCents((fee * c) / fill.qty);
      const entryShare = c === abs ? pos.entryFees : roundCents((pos.entryFees * c) / abs);
      pos.entryFees = trimNoise(pos.entryFees - entryShare);
      pos.commissions = trimNoise(pos.commissions + closeFee + entryShare);
      pos.exitNotional += fill.price * c;
      pos.exitQty += c;
      pos.qty -= posDir * c;
      // Fractional quantities (crypto) must still reach exactly flat.
      if (Math.abs(pos.qty) < 1e-9) pos.qty = 0;
      pos.lastFillTime = fill.timeMs;
      pos.fillIds.push(fill.executionId);
      if (pos.qty === 0) {
        this.open.delete(key);
        this.markFlat(key, seq, fill.timeMs);
        if (pos.specError) {
          error = `Trade in ${symbol} (${account}) closed but not recorded: ${pos.specError} Fills are kept; rebuild trades after adding the spec.`;
        } else {
          trades.push(this.closeTrade(pos, spec!, fill.timeMs));
        }
        if (fill.qty > c) {
          pos = this.openPosition(fill, account, symbol, mode, fill.qty - c, trimNoise(fee - closeFee), true, specMessage);
        } else {
          pos = null;
        }
      }
    }
    if (pos) this.open.set(key, pos);
    // The server may report the position before the fill's ORDER_UPDATE: this fill explains it.
    const pending = this.flags.get(key);
    if (pending && pending.serverQty === (pos?.qty ?? 0)) {
      this.flags.delete(key);
      this.counters.missingFillsResolved++;
    }

    if (pos?.specError) blocked = true;
    if (blocked) {
      this.counters.specErrors++;
      error = error ?? pos?.specError ?? specMessage;
    }
    const missingFill = this.checkServerQty(mode, account, symbol, fill.positionAfter, fill.timeMs, true);
    // Built whole, in one shape (no spread, no closure): this runs for every fill of an import.
    return { duplicate: false, trades, position: pos ? (this.livePositions ? pos : clonePosition(pos)) : null, positionKey, mode, fee, error, rejected: null, missingFill };
  }

  observeWorkingOrder(o: WorkingOrderObservation): void {
    const wk = contractKey(o.account, o.symbol);
    let orders = this.working.get(wk);
    if (!orders) this.working.set(wk, (orders = new Map()));
    // A re-report or a cancel/replace is the same order: it keeps the time it was first seen.
    const known = orders.get(o.serverOrderId) ?? (o.previousServerOrderId ? orders.get(o.previousServerOrderId) : undefined);
    const tracked: TrackedOrder = { ...o, firstSeen: known?.firstSeen ?? ++this.seq };
    if (o.previousServerOrderId) orders.delete(o.previousServerOrderId);
    if (o.open) orders.set(o.serverOrderId, tracked);
    else orders.delete(o.serverOrderId);
    if (orders.size === 0) this.working.delete(wk);

    const key = this.partKey(this.modeOf(o.account), o.account, o.symbol);
    const pos = this.open.get(key);
    if (pos && pos.initialStop === null && o.open && isStop(o.orderType) && o.price !== null && opposite(pos.qty, o.side) && !this.predatesFlat(key, tracked)) {
      pos.initialStop = o.price;
    }
  }

  /** Compares the server's position with ours; flags (never fixes) a disagreement. */
  observeServerPosition(p: ServerPositionObservation): { agrees: boolean; flag: MissingFillFlag | null } {
    const mode = this.modeOf(p.account);
    const pos = this.open.get(this.partKey(mode, p.account, p.symbol));
    if (pos && Math.sign(p.qty) === Math.sign(pos.qty)) this.applyExtremes(pos, p.high, p.low);
    const flag = this.checkServerQty(mode, p.account, p.symbol, p.qty, p.timeMs, false);
    return { agrees: flag === null, flag };
  }

  /** A price tick (market data) for MAE/MFE per tick and as the mark for open P&L. */
  observePrice(symbol: string, price: number): void {
    if (!Number.isFinite(price)) return;
    this.lastPrice.set(symbol, price);
    for (const pos of this.open.values()) {
      if (pos.symbol !== symbol || pos.specError) continue;
      const spec = this.specs.resolve(symbol);
      if (isSpecError(spec)) continue;
      const pnl = (price - pos.avgPrice) * pos.qty * spec.pointValue;
      pos.minOpenPnl = pos.minOpenPnl === undefined || pos.minOpenPnl === null ? pnl : Math.min(pos.minOpenPnl, pnl);
      pos.maxOpenPnl = pos.maxOpenPnl === undefined || pos.maxOpenPnl === null ? pnl : Math.max(pos.maxOpenPnl, pnl);
    }
  }

  /** Last price seen on the stream for a symbol, or null. */
  mark(symbol: string): number | null {
    return this.lastPrice.get(symbol) ?? null;
  }

  positions(): OpenPosition[] {
    return [...this.open.values()].map(clonePosition);
  }

  position(account: string, symbol: string): OpenPosition | null {
    const p = this.open.get(this.partKey(this.modeOf(account), account, symbol));
    return p ? clonePosition(p) : null;
  }

  workingOrders(account: string, symbol: string): WorkingOrdersView {
    const orders = [...(this.working.get(contractKey(account, symbol))?.values() ?? [])].sort((a, b) => a.timeMs - b.timeMs).map(({ firstSeen: _, ...o }) => o);
    const pos = this.open.get(this.partKey(this.modeOf(account), account, symbol));
    let stop: number | null = null;
    let target: number | null = null;
    if (pos) {
      // The latest observed order of each kind on the closing side wins.
      for (const o of orders) {
        if (o.price === null || !opposite(pos.qty, o.side)) continue;
        if (isStop(o.orderType)) stop = o.price;
        else if (o.orderType === 'LIMIT') target = o.price;
      }
    }
    return { stop, target, orders: orders.map((o) => ({ ...o })) };
  }

  missingFillFlags(): MissingFillFlag[] {
    return [...this.flags.values()].map((f) => ({ ...f }));
  }

  private currentCopy(key: string): OpenPosition | null {
    const pos = this.open.get(key);
    return pos ? clonePosition(pos) : null;
  }

  private partKey(mode: Mode, account: string, symbol: string): string {
    return mode + KEY_SEP + contractKey(account, symbol);
  }

  private openPosition(fill: Fill, account: string, symbol: string, mode: Mode, qty: number, fee: number, flip: boolean, specError: string | null): OpenPosition {
    const dir = dirOf(fill.side);
    const pos: OpenPosition = {
      account,
      mode,
      symbol,
      qty: dir * qty,
      avgPrice: fill.price,
      entryFees: fee,
      tradeId: tradeIdFor(account, symbol, fill.executionId, flip),
      side: dir > 0 ? 'LONG' : 'SHORT',
      openedQty: qty,
      maxPosition: qty,
      entryTime: fill.timeMs,
      lastFillTime: fill.timeMs,
      entryNotional: fill.price * qty,
      exitNotional: 0,
      exitQty: 0,
      grossPnl: 0,
      commissions: 0,
      highPrice: null,
      lowPrice: null,
      initialStop: null,
      fillIds: [fill.executionId],
      minOpenPnl: null,
      maxOpenPnl: null,
      specError,
    };
    // A protective stop may be reported just before the entry fill's own update (a bracket child):
    // take the latest one attached to this entry, never one left over from an earlier position.
    const working = this.working.get(contractKey(account, symbol));
    // An import has no working orders: no copy, no sort (this runs for every trade).
    if (!working || working.size === 0) return pos;
    const key = this.partKey(mode, account, symbol);
    const orders = [...working.values()].sort((a, b) => a.timeMs - b.timeMs);
    for (const o of orders) {
      if (isStop(o.orderType) && o.price !== null && opposite(pos.qty, o.side) && attachedToEntry(o, fill) && !this.predatesFlat(key, o)) pos.initialStop = o.price;
    }
    return pos;
  }

  /** Records that the partition went flat (a close or a flip) at this fill. */
  private markFlat(key: string, seq: number, timeMs: number): void {
    const prev = this.lastFlat.get(key);
    this.lastFlat.set(key, { seq, timeMs: Math.max(timeMs, prev?.timeMs ?? -Infinity) });
  }

  /**
   * §3: a stop placed before the account was last flat in the contract belongs to an earlier
   * position. Known by arrival (first seen before the flat) or by the order's own time (before
   * the closing fill; open orders re-reported after the fill history at logon).
   */
  private predatesFlat(key: string, o: TrackedOrder): boolean {
    const flat = this.lastFlat.get(key);
    return flat !== undefined && (o.firstSeen < flat.seq || o.timeMs < flat.timeMs);
  }

  private applyExtremes(pos: OpenPosition, high: number | null | undefined, low: number | null | undefined): void {
    // Absurd extremes are ignored like missing ones: MAE/MFE are then null, never 1e300.
    const h = sanePrice(high);
    const l = sanePrice(low);
    if (h !== null) pos.highPrice = pos.highPrice === null ? h : Math.max(pos.highPrice, h);
    if (l !== null) pos.lowPrice = pos.lowPrice === null ? l : Math.min(pos.lowPrice, l);
  }

  private closeTrade(pos: OpenPosition, spec: ContractSpec, exitTime: number): Trade {
    const avgEntry = pos.entryNotional / pos.openedQty;
    const avgExit = pos.exitNotional / pos.exitQty;
    const grossPnl = roundCents(pos.grossPnl);
    const commissions = roundCents(pos.commissions);
    const netPnl = roundCents(grossPnl - commissions);
    const { mae, mfe } = excursionsAt(pos, spec.pointValue, avgEntry);
    const risk = initialRisk(pos.side, avgEntry, pos.initialStop, pos.openedQty, spec.pointValue);
    // Only when no stop was seen at all: a stop on the wrong side is a fact, not a gap to fill in.
    const assumed = pos.initialStop === null ? assumedRisk(assumedStopTicks(this.assumedStop, spec.root), spec.tickSize, pos.openedQty, spec.pointValue) : null;
    this.counters.tradesClosed++;
    return {
      id: pos.tradeId,
      account: pos.account,
      mode: pos.mode,
      symbol: pos.symbol,
      root: spec.root,
      side: pos.side,
      qty: pos.openedQty,
      maxPosition: pos.maxPosition,
      entryTime: pos.entryTime,
      exitTime,
      avgEntryPrice: avgEntry,
      avgExitPrice: avgExit,
      grossPnl,
      commissions,
      netPnl,
      mae,
      mfe,
      rMultiple: risk === null ? null : rOf(netPnl, risk),
      ...(assumed === null ? {} : { assumedRMultiple: rOf(netPnl, assumed) }),
      fillIds: [...pos.fillIds],
    };
  }

  private checkServerQty(mode: Mode, account: string, symbol: string, serverQty: number | null | undefined, timeMs: number, fromFill: boolean): MissingFillFlag | null {
    if (serverQty === null || serverQty === undefined || !Number.isFinite(serverQty)) return null;
    const fk = this.partKey(mode, account, symbol);
    const ours = this.open.get(fk)?.qty ?? 0;
    // A fill's PositionQuantity may be unsigned: accept |ours| there; POSITION_UPDATE is signed.
    const agrees = serverQty === ours || (fromFill && serverQty >= 0 && serverQty === Math.abs(ours));
    if (agrees) {
      this.flags.delete(fk);
      return null;
    }
    const prev = this.flags.get(fk);
    const flag: MissingFillFlag = {
      account,
      symbol,
      mode,
      ourQty: ours,
      serverQty,
      timeMs,
      message:
        `Missing fill? The server reports ${symbol} (${account}) at ${serverQty}, the fills seen add up to ${ours}. ` +
        `No trade is invented; if it persists, request historical fills for ${account} or check the fills in Sierra Chart's Trade Activity Log.`,
    };
    if (!prev || prev.ourQty !== ours || prev.serverQty !== serverQty) this.counters.missingFills++;
    this.flags.set(fk, flag);
    return { ...flag };
  }
}

/** A child of another order is not this entry's stop; without a parent id (or an entry order id) it may be. */
function attachedToEntry(o: WorkingOrderObservation, entry: Fill): boolean {
  if (!o.parentServerOrderId || !entry.serverOrderId) return true;
  return o.parentServerOrderId === entry.serverOrderId;
}

function clonePosition(p: OpenPosition): OpenPosition {
  return {
    ...p,
    fillIds: [...p.fillIds],
    minOpenPnl: p.minOpenPnl ?? null,
    maxOpenPnl: p.maxOpenPnl ?? null,
    specError: p.specError ?? null,
  };
}
