/**
 * Live distance to each limit of one account's session, and its level. Pure: the session's numbers in, the status out.
 * Levels: `warning` from 50 % of a limit used, `error` from 80 %, `breached` at 100 % (TRADING-MATH.md, "Risk guard").
 */
import type { ResolvedLimits } from './limits';

export const WARNING_AT = 0.5;
export const ERROR_AT = 0.8;

export type RiskLevel = 'ok' | 'warning' | 'error' | 'breached';
export type LimitKind = 'dailyLoss' | 'trailing' | 'maxTrades' | 'consecutiveLosses';

export interface SessionFigures {
  /** Net of the trades closed this session (session boundary as the 1D timeframe). */
  realizedNet: number;
  /** Open P&L of the account's positions now (0 when flat or unknown). */
  openPnl: number;
  tradesToday: number;
  /** Losses in a row at the end of the session's trades (scratches neither extend nor break it, as Streak). */
  consecutiveLosses: number;
  /** Balance + open P&L. */
  equity: number;
  /** Balance high-water mark for a trailing drawdown we compute ourselves. */
  highWater: number;
}

export interface LimitStatus {
  kind: LimitKind;
  /** The limit in its unit (money for dailyLoss/trailing, a count otherwise). */
  limit: number;
  /** How much of it is used, same unit. */
  used: number;
  /** limit - used, never below 0. */
  room: number;
  /** used / limit, 0..1+ */
  fraction: number;
  level: RiskLevel;
  source: 'server' | 'settings';
  /** For trailing: the floor the equity must stay above. */
  floor?: number;
}

export interface RiskStatus {
  limits: LimitStatus[];
  /** The worst level over all limits. */
  level: RiskLevel;
  /** The smallest money room (daily loss or trailing), for the status bar; null when no money limit is set. */
  moneyRoom: number | null;
}

const ORDER: RiskLevel[] = ['ok', 'warning', 'error', 'breached'];
export const worse = (a: RiskLevel, b: RiskLevel): RiskLevel => (ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b);

export function levelOf(fraction: number): RiskLevel {
  if (fraction >= 1) return 'breached';
  if (fraction >= ERROR_AT) return 'error';
  if (fraction >= WARNING_AT) return 'warning';
  return 'ok';
}

const round2 = (v: number) => Math.round(v * 100) / 100;

function status(kind: LimitKind, limit: number, used: number, source: 'server' | 'settings', floor?: number): LimitStatus {
  const u = Math.max(0, used);
  const fraction = limit > 0 ? u / limit : 0;
  return { kind, limit, used: round2(u), room: round2(Math.max(0, limit - u)), fraction, level: levelOf(fraction), source, ...(floor !== undefined ? { floor: round2(floor) } : {}) };
}

export function assessRisk(limits: ResolvedLimits, f: SessionFigures): RiskStatus {
  const out: LimitStatus[] = [];
  if (limits.dailyLoss) {
    // Only a loss uses the limit: a winning session has all of its room (and no more).
    const s = status('dailyLoss', limits.dailyLoss.amount, -(f.realizedNet + f.openPnl), limits.dailyLoss.source);
    if (limits.serverSaysDailyLimitReached) s.level = 'breached';
    out.push(s);
  }
  if (limits.trailing) {
    if (limits.trailing.source === 'server') {
      // The server sends the floor only: the span is measured from the highest equity we know of down to it.
      const floor = limits.trailing.floor;
      const span = Math.max(f.highWater - floor, f.equity - floor, 0.01);
      out.push(status('trailing', span, span - (f.equity - floor), 'server', floor));
    } else {
      const floor = f.highWater - limits.trailing.amount;
      out.push(status('trailing', limits.trailing.amount, f.highWater - f.equity, 'settings', floor));
    }
  }
  if (limits.maxTrades) out.push(status('maxTrades', limits.maxTrades, f.tradesToday, 'settings'));
  if (limits.maxConsecutiveLosses) out.push(status('consecutiveLosses', limits.maxConsecutiveLosses, f.consecutiveLosses, 'settings'));
  const money = out.filter((s) => s.kind === 'dailyLoss' || s.kind === 'trailing');
  return {
    limits: out,
    level: out.reduce<RiskLevel>((l, s) => worse(l, s.level), 'ok'),
    moneyRoom: money.length ? Math.min(...money.map((s) => s.room)) : null,
  };
}
