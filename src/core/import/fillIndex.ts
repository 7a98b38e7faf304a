/**
 * The import's duplicate check: a fill is a duplicate of a stored (or already imported) one with
 * the same account and execution id, or, when either id was made up from the row, with the same
 * account, symbol, side, quantity and price within the tolerance (see run.ts).
 */
import { contractKey, fillKey } from '../trading';
import type { Fill } from '../trading/types';
import { isSyntheticId } from './types';

interface Candidate {
  timeMs: number;
  id: string;
  used: boolean;
  /** Index of the file of this run that brought it, -1 for stored fills. */
  file: number;
}

/**
 * Stored and imported fills, for the duplicate checks. The candidates of one fuzzy key are kept in
 * time order, so a match looks at the tolerance window only (binary search), never at every fill
 * of that key: 1-lot fills at a popular price would otherwise make an import O(fills²).
 */
export class FillIndex {
  readonly exact = new Set<string>();
  private readonly fuzzy = new Map<string, Candidate[]>();
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
    let list = this.fuzzy.get(k);
    if (!list) this.fuzzy.set(k, (list = []));
    const c: Candidate = { timeMs: f.timeMs, id: f.executionId, used: false, file };
    // Files and stored fills come mostly in time order: append, else insert in place.
    if (list.length === 0 || list[list.length - 1].timeMs <= c.timeMs) list.push(c);
    else list.splice(firstAtOrAfter(list, c.timeMs, true), 0, c);
    const pk = contractKey(f.account, f.symbol);
    if (f.timeMs > (this.lastTime.get(pk) ?? -Infinity)) this.lastTime.set(pk, f.timeMs);
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
    for (let i = firstAtOrAfter(list, f.timeMs - this.toleranceMs); i < list.length && list[i].timeMs <= end; i++) {
      const c = list[i];
      if (c.used || c.file === file) continue;
      if (real && !isSyntheticId(c.id)) continue; // both carry real ids and they differ: two fills
      c.used = true;
      return 'match';
    }
    return null;
  }
}

/** Index of the first candidate at or after `timeMs` (strictly after with `after`; list in time order). */
function firstAtOrAfter(list: Candidate[], timeMs: number, after = false): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].timeMs < timeMs || (after && list[mid].timeMs === timeMs)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function fuzzyKey(f: Fill): string {
  return `${f.account}\u0000${f.symbol}\u0000${f.side}\u0000${f.qty}\u0000${Number(f.price.toPrecision(12))}`;
}
