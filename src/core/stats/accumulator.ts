/**
 * One pass over closed trades in exit order, gathering the running sums every metric of §5 is
 * derived from (metrics.ts). Both the from-scratch path and the columnar cache feed this class, so
 * each metric has exactly one definition. Money is carried in integer cents: sums are exact.
 */

/** 1 win, -1 loss, 0 scratch (§5). */
export type TradeClass = 1 | -1 | 0;

/** Money -> integer cents (trades are cent-rounded already; this guards float noise). */
export function toCents(money: number): number {
  return Math.round(money * 100);
}

/**
 * Scratch when gross is 0 within the tolerance (cents) or net is exactly 0; else the sign of net.
 */
export function classify(grossC: number, netC: number, toleranceC: number): TradeClass {
  if (netC === 0 || Math.abs(grossC) <= toleranceC) return 0;
  return netC > 0 ? 1 : -1;
}

export class StatsAccumulator {
  n = 0;
  netC = 0;
  feesC = 0;
  grossProfitC = 0;
  grossLossC = 0;
  /** Closed-trade equity curve from 0 (§5: a losing first trade counts in the drawdown). */
  cumC = 0;
  peakC = 0;
  troughC = 0;
  maxDrawdownC = 0;
  maxRunUpC = 0;
  bestC = -Infinity;
  worstC = Infinity;
  durMs = 0;
  wins = 0;
  losses = 0;
  scratches = 0;
  winNetC = 0;
  lossNetC = 0;
  winDurMs = 0;
  lossDurMs = 0;
  streak = 0;
  longestWin = 0;
  longestLoss = 0;
  rSum = 0;
  rN = 0;
  maeSumC = 0;
  maeN = 0;
  mfeSumC = 0;
  mfeN = 0;
  // Daily (trading-session) aggregation; exit order makes days arrive in order.
  days = 0;
  winDays = 0;
  daySumC = 0;
  daySqC = 0;
  downSqC = 0;
  private curDay = NaN;
  private curDayC = 0;
  private curDayN = 0;

  /** When set, each finished day is pushed here (day index, net cents, trades). */
  constructor(private readonly dailyOut: [number, number, number][] | null = null) {}

  /**
   * Adds one trade. `r`, `maeC`, `mfeC` are NaN when unknown; `day` is the session day index, or
   * NaN when the caller does not need daily figures.
   */
  add(cls: TradeClass, netC: number, feesC: number, durMs: number, r: number, maeC: number, mfeC: number, day: number): void {
    this.n++;
    this.netC += netC;
    this.feesC += feesC;
    if (netC > 0) this.grossProfitC += netC;
    else if (netC < 0) this.grossLossC -= netC;

    const cum = (this.cumC += netC);
    if (cum > this.peakC) this.peakC = cum;
    else if (this.peakC - cum > this.maxDrawdownC) this.maxDrawdownC = this.peakC - cum;
    if (cum < this.troughC) this.troughC = cum;
    else if (cum - this.troughC > this.maxRunUpC) this.maxRunUpC = cum - this.troughC;

    if (netC > this.bestC) this.bestC = netC;
    if (netC < this.worstC) this.worstC = netC;
    this.durMs += durMs;

    // Scratches neither extend nor break a streak or a run.
    if (cls === 1) {
      this.wins++;
      this.winNetC += netC;
      this.winDurMs += durMs;
      this.streak = this.streak > 0 ? this.streak + 1 : 1;
      if (this.streak > this.longestWin) this.longestWin = this.streak;
    } else if (cls === -1) {
      this.losses++;
      this.lossNetC += netC;
      this.lossDurMs += durMs;
      this.streak = this.streak < 0 ? this.streak - 1 : -1;
      if (-this.streak > this.longestLoss) this.longestLoss = -this.streak;
    } else {
      this.scratches++;
    }

    if (r === r) {
      this.rSum += r;
      this.rN++;
    }
    if (maeC === maeC) {
      this.maeSumC += maeC;
      this.maeN++;
    }
    if (mfeC === mfeC) {
      this.mfeSumC += mfeC;
      this.mfeN++;
    }

    if (day === day) {
      if (day !== this.curDay) {
        this.closeDay();
        this.curDay = day;
      }
      this.curDayC += netC;
      this.curDayN++;
    }
  }

  /** Call once after the last `add` when daily figures are wanted. */
  finish(): this {
    this.closeDay();
    this.curDay = NaN;
    return this;
  }

  private closeDay(): void {
    if (this.curDayN === 0) return;
    const d = this.curDayC;
    this.days++;
    if (d > 0) this.winDays++;
    this.daySumC += d;
    this.daySqC += d * d;
    if (d < 0) this.downSqC += d * d;
    this.dailyOut?.push([this.curDay, d, this.curDayN]);
    this.curDayC = 0;
    this.curDayN = 0;
  }
}
