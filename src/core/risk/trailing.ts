/**
 * Trailing drawdown, the prop-firm rule (TRADING-MATH.md, "Risk guard"):
 * the high-water mark is the highest closed-trade balance reached, trade by trade (the same running peak as
 * Max Drawdown), starting at the balance when watching began; floor = high-water mark - amount. Open P&L does not
 * raise the mark (an unrealized peak that is given back is not a new high) but does count against the floor:
 * room = equity - floor, with equity = balance + open P&L. Breached when room <= 0.
 */
export interface TrailingState {
  highWater: number;
}

/** Start watching at `balance`. */
export function startTrailing(balance: number): TrailingState {
  return { highWater: balance };
}

/** After a closed trade moved the balance: a new high raises the mark (and so the floor), a loss never lowers it. */
export function afterTrade(state: TrailingState, balance: number): TrailingState {
  return balance > state.highWater ? { highWater: balance } : state;
}

/** The mark replayed over closed-trade balances in exit order (deterministic: same trades, same mark). */
export function highWaterOf(startBalance: number, balancesAfterEachTrade: Iterable<number>): number {
  let hw = startBalance;
  for (const b of balancesAfterEachTrade) if (b > hw) hw = b;
  return hw;
}

export function trailingFloor(state: TrailingState, amount: number): number {
  return state.highWater - amount;
}
