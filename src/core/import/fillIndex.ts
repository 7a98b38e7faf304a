/**
 * The import's duplicate check: a fill is a duplicate of a stored (or already imported) one with
 * the same account and execution id, or, when either id was made up from the row, with the same
 * account, symbol, side, quantity and price within the tolerance (see run.ts).
 */
import { contractKey, fillKey } from '../trading';
import { KeySet } from '../trading/keySet';
import type { Fill } from '../trading/types';
import { isSyntheticId } from './types';

/**
 * Candidates of one fuzzy key, two numbers each in one array of doubles (unboxed: 8 bytes a
 * number, no object per fill): [timeMs, flags, timeMs, flags, ...] in time order. flags: USED |
 * SYNTHETIC (the id was made up from the row) | (file + 1) << 2, file being the index of the file
 * of this run that brought it, -1 for stored fills.
 */
type Candidates = number[];

/**
 * How far apart in time two fills may be and still be one (when either id was made up): a DTC fill
 * time is whole seconds, a Trade Activity Log time has milliseconds.
 */
export const DEFAULT_TOLERANCE_MS = 2000;
const USED = 1;
const SYNTHETIC = 2;
const fileOf = (flags: number) => (flags >>> 2) - 1;

/**
 * Stored and imported fills, for the duplicate checks. The candidates of one fuzzy key are kept in
 * time order, so a match looks at the tolerance window only (binary search), never at every fill
 * of that key: 1-lot fills at a popular price would otherwise make an import O(fills²).
 * Per fill it keeps its exact key in a KeySet and two numbers: about 40 bytes at 200k fills,
 * where objects and strings took about 160.
 */
export class FillIndex {
  readonly exact = new KeySet();
  private readonly fuzzy = new Map<string, Candidates>();
  readonly lastTime = new Map<string, number>();

  /** The keys of the fill `match` last saw: the import adds that same fill next (one key string each per fill, not two). */
  private keyed: Fill | null = null;
  private keyedExact = '';
  private keyedFuzzy = '';

  constructor(private readonly toleranceMs: number) {}

  add(f: Fill, file: number): void {
    const known = f === this.keyed;
    this.keyed = null;
    this.exact.add(known ? this.keyedExact : fillKey(f.account, f.executionId));
    const k = known ? this.keyedFuzzy : fuzzyKey(f);
    const flags = ((file + 1) << 2) | (isSyntheticId(f.executionId) ? SYNTHETIC : 0);
    const list = this.fuzzy.get(k);
    const t = f.timeMs;
    if (!list) this.fuzzy.set(k, [t, flags]);
    // Files and stored fills come mostly in time order: append, else insert in place.
    else if (list[list.length - 2] <= t) list.push(t, flags);
    else list.splice(2 * firstAtOrAfter(list, t, true), 0, t, flags);
    const pk = contractKey(f.account, f.symbol);
    if (t > (this.lastTime.get(pk) ?? -Infinity)) this.lastTime.set(pk, t);
  }

  match(f: Fill, file: number): 'executionId' | 'match' | null {
    const exact = fillKey(f.account, f.executionId);
    if (this.exact.has(exact)) return 'executionId';
    const fuzzy = fuzzyKey(f);
    this.keyed = f;
    this.keyedExact = exact;
    this.keyedFuzzy = fuzzy;
    const list = this.fuzzy.get(fuzzy);
    if (!list) return null;
    const real = !isSyntheticId(f.executionId);
    const end = f.timeMs + this.toleranceMs;
    for (let i = 2 * firstAtOrAfter(list, f.timeMs - this.toleranceMs); i < list.length && list[i] <= end; i += 2) {
      const flags = list[i + 1];
      if (flags & USED || fileOf(flags) === file) continue;
      if (real && !(flags & SYNTHETIC)) continue; // both carry real ids and they differ: two fills
      list[i + 1] = flags | USED;
      return 'match';
    }
    return null;
  }
}

/** Index (in candidates, not array slots) of the first at or after `timeMs` (strictly after with `after`). */
function firstAtOrAfter(list: Candidates, timeMs: number, after = false): number {
  let lo = 0;
  let hi = list.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const t = list[2 * mid];
    if (t < timeMs || (after && t === timeMs)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function fuzzyKey(f: Fill): string {
  return `${f.account}\u0000${f.symbol}\u0000${f.side}\u0000${f.qty}\u0000${Number(f.price.toPrecision(12))}`;
}
