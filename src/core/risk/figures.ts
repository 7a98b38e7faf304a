/**
 * An account's figures for the risk guard, read off the session the way the views read it
 * (projections.ts): the 1D window for the day (same session boundary), the ledger or the server's
 * cash for the balance, positions for the open P&L, the last balance update for server limits.
 */
import { accountClock, openPnlOf, type ProjectionInput } from '../projections';
import { sessionDate } from '../stats/session';
import type { AccountFigures } from './guard';
import { highWaterOf } from './trailing';

/** How far below its high-water mark the closed-trade balance is, cached per (account, trades, reset). */
export class MarkCache {
  private readonly byAccount = new Map<string, { key: string; below: number }>();

  belowMark(input: ProjectionInput, account: string): number {
    const { session } = input;
    const mode = session.modeOf(account);
    const reset = mode === 'SIM' ? session.lastReset(account) : null;
    const key = `${session.tradeStats.size(mode, account)}|${reset ?? ''}`;
    const hit = this.byAccount.get(account);
    if (hit && hit.key === key) return hit.below;
    // The closed-trade curve since watching began (the last SIM reset; else the first stored trade),
    // through the one trailing rule (trailing.ts): the mark is the highest closed-trade value.
    const curve = session.tradeStats.equityCurve({ mode, account, timeframe: 'ALL', nowMs: input.nowMs, session: input.tradingSession });
    const from = reset === null ? 0 : curve.findIndex((p) => p.t > reset);
    let below = 0;
    if (from !== -1) {
      const since = curve.slice(from).map((p) => p.v);
      const base = from > 0 ? curve[from - 1].v : 0;
      const last = since.length ? since[since.length - 1] : base;
      below = Math.round((highWaterOf(base, since) - last) * 100) / 100;
    }
    this.byAccount.set(account, { key, below });
    return below;
  }
}

export function accountFigures(input: ProjectionInput, account: string, marks: MarkCache): AccountFigures {
  const { session } = input;
  const mode = session.modeOf(account);
  const nowMs = accountClock(input, mode);
  const day = session.tradeStats.grid({ mode, account, timeframe: '1D', nowMs, session: input.tradingSession });
  const server = session.accountBalance(account);
  const balance = mode === 'SIM' ? session.simBalance(account) : (server?.cashBalance ?? null);
  const serverEquity = server?.cashBalance != null ? server.cashBalance + (server.openPnl ?? 0) : null;
  return {
    account,
    mode,
    sessionDate: sessionDate(nowMs, input.tradingSession),
    realizedNet: day.totalPnl,
    tradesToday: day.trades,
    streak: day.streak,
    openPnl: openPnlOf(input, [account]),
    balance,
    belowMark: () => marks.belowMark(input, account),
    server: server?.limits ?? null,
    serverEquity,
  };
}
