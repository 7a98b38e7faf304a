/**
 * Many stats accumulators at once for the breakdowns: the running sums of each group packed in
 * one Float64Array (a row of fields per group), so one pass over 100k trades updates a group per
 * breakdown without an object or a call per group. `add` is StatsAccumulator.add (stats/accumulator.ts)
 * without the daily figures, which breakdown rows do not have; `accumulator(g)` hands a group's sums
 * back as a StatsAccumulator, so every figure still comes from the one metric table (gridFrom).
 * A unit test holds the two equal on random trades.
 */
import { StatsAccumulator, TradeClass } from '../stats/accumulator';

const N = 0, NET = 1, FEES = 2, GP = 3, GL = 4, CUM = 5, PEAK = 6, TROUGH = 7, MDD = 8, MRU = 9, BEST = 10, WORST = 11, DUR = 12;
const WINS = 13, LOSSES = 14, SCRATCHES = 15, WIN_NET = 16, LOSS_NET = 17, WIN_DUR = 18, LOSS_DUR = 19, STREAK = 20, LONG_WIN = 21, LONG_LOSS = 22;
const R_SUM = 23, R_N = 24, MAE_SUM = 25, MAE_N = 26, MFE_SUM = 27, MFE_N = 28;
const FIELDS = 29;

export class GroupStats {
  private a = new Float64Array(0);
  private size = 0;

  constructor(groups: number) {
    this.reserve(groups);
  }

  /** Makes room for groups 0..groups-1 (new groups start empty). */
  reserve(groups: number): void {
    if (groups <= this.size) return;
    const size = Math.max(groups, this.size * 2);
    const a = new Float64Array(size * FIELDS);
    a.set(this.a);
    for (let g = this.size; g < size; g++) {
      a[g * FIELDS + BEST] = -Infinity;
      a[g * FIELDS + WORST] = Infinity;
    }
    this.a = a;
    this.size = size;
  }

  /** Trades added to group `g`. */
  count(g: number): number {
    return this.a[g * FIELDS + N];
  }

  /** Adds one trade to group `g` (same arguments as StatsAccumulator.add; NaN = unknown). */
  add(g: number, cls: TradeClass, netC: number, feesC: number, durMs: number, r: number, maeC: number, mfeC: number): void {
    const a = this.a;
    const o = g * FIELDS;
    a[o + N]++;
    a[o + NET] += netC;
    a[o + FEES] += feesC;
    if (netC > 0) a[o + GP] += netC;
    else if (netC < 0) a[o + GL] -= netC;
    const cum = (a[o + CUM] += netC);
    if (cum > a[o + PEAK]) a[o + PEAK] = cum;
    else if (a[o + PEAK] - cum > a[o + MDD]) a[o + MDD] = a[o + PEAK] - cum;
    if (cum < a[o + TROUGH]) a[o + TROUGH] = cum;
    else if (cum - a[o + TROUGH] > a[o + MRU]) a[o + MRU] = cum - a[o + TROUGH];
    if (netC > a[o + BEST]) a[o + BEST] = netC;
    if (netC < a[o + WORST]) a[o + WORST] = netC;
    a[o + DUR] += durMs;
    // Scratches neither extend nor break a streak or a run.
    if (cls === 1) {
      a[o + WINS]++;
      a[o + WIN_NET] += netC;
      a[o + WIN_DUR] += durMs;
      const s = (a[o + STREAK] = a[o + STREAK] > 0 ? a[o + STREAK] + 1 : 1);
      if (s > a[o + LONG_WIN]) a[o + LONG_WIN] = s;
    } else if (cls === -1) {
      a[o + LOSSES]++;
      a[o + LOSS_NET] += netC;
      a[o + LOSS_DUR] += durMs;
      const s = (a[o + STREAK] = a[o + STREAK] < 0 ? a[o + STREAK] - 1 : -1);
      if (-s > a[o + LONG_LOSS]) a[o + LONG_LOSS] = -s;
    } else {
      a[o + SCRATCHES]++;
    }
    if (r === r) {
      a[o + R_SUM] += r;
      a[o + R_N]++;
    }
    if (maeC === maeC) {
      a[o + MAE_SUM] += maeC;
      a[o + MAE_N]++;
    }
    if (mfeC === mfeC) {
      a[o + MFE_SUM] += mfeC;
      a[o + MFE_N]++;
    }
  }

  /** Group `g`'s sums as a StatsAccumulator (for gridFrom / extrasFrom). */
  accumulator(g: number): StatsAccumulator {
    const a = this.a;
    const o = g * FIELDS;
    const acc = new StatsAccumulator();
    acc.n = a[o + N];
    acc.netC = a[o + NET];
    acc.feesC = a[o + FEES];
    acc.grossProfitC = a[o + GP];
    acc.grossLossC = a[o + GL];
    acc.cumC = a[o + CUM];
    acc.peakC = a[o + PEAK];
    acc.troughC = a[o + TROUGH];
    acc.maxDrawdownC = a[o + MDD];
    acc.maxRunUpC = a[o + MRU];
    acc.bestC = a[o + BEST];
    acc.worstC = a[o + WORST];
    acc.durMs = a[o + DUR];
    acc.wins = a[o + WINS];
    acc.losses = a[o + LOSSES];
    acc.scratches = a[o + SCRATCHES];
    acc.winNetC = a[o + WIN_NET];
    acc.lossNetC = a[o + LOSS_NET];
    acc.winDurMs = a[o + WIN_DUR];
    acc.lossDurMs = a[o + LOSS_DUR];
    acc.streak = a[o + STREAK];
    acc.longestWin = a[o + LONG_WIN];
    acc.longestLoss = a[o + LONG_LOSS];
    acc.rSum = a[o + R_SUM];
    acc.rN = a[o + R_N];
    acc.maeSumC = a[o + MAE_SUM];
    acc.maeN = a[o + MAE_N];
    acc.mfeSumC = a[o + MFE_SUM];
    acc.mfeN = a[o + MFE_N];
    return acc;
  }
}
