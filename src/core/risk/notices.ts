/**
 * One notice per threshold per session: a limit crossing 50 %, 80 % and its breach each say so once, tilt rules
 * warn once; a new session starts over. Deterministic and small: the set of (session, account, limit, level) said.
 */
import type { LimitKind, LimitStatus, RiskLevel, RiskStatus } from './assess';

export interface RiskNotice {
  account: string;
  sessionDate: string;
  kind: LimitKind;
  level: Exclude<RiskLevel, 'ok'>;
  /** One line with the day's numbers, for a notification and the log. */
  message: string;
}

const LABEL: Record<LimitKind, string> = {
  dailyLoss: 'daily loss limit',
  trailing: 'trailing drawdown',
  maxTrades: 'trades per day',
  consecutiveLosses: 'losses in a row',
};

const money = (v: number) => `$${v.toFixed(2)}`;

function describe(account: string, s: LimitStatus): string {
  const pct = Math.round(s.fraction * 100);
  switch (s.kind) {
    case 'dailyLoss':
      return `${account}: ${pct}% of the ${LABEL.dailyLoss} used (${money(s.used)} of ${money(s.limit)}, room ${money(s.room)})`;
    case 'trailing':
      return `${account}: ${pct}% of the ${LABEL.trailing} used (floor ${money(s.floor ?? 0)}, room ${money(s.room)})`;
    case 'maxTrades':
      return `${account}: ${s.used} ${LABEL.maxTrades} of ${s.limit} (tilt rule)`;
    case 'consecutiveLosses':
      return `${account}: ${s.used} ${LABEL.consecutiveLosses} (limit ${s.limit}, tilt rule)`;
  }
}

export class RiskNotices {
  private said = new Set<string>();
  private session = '';

  /** The notices `status` calls for that were not said yet this session. */
  next(account: string, sessionDate: string, status: RiskStatus): RiskNotice[] {
    if (sessionDate !== this.session) {
      this.said.clear();
      this.session = sessionDate;
    }
    const out: RiskNotice[] = [];
    for (const s of status.limits) {
      // Tilt rules warn once on reaching the count; money limits at each of warning, error, breach.
      const levels: Exclude<RiskLevel, 'ok'>[] =
        s.kind === 'maxTrades' || s.kind === 'consecutiveLosses'
          ? s.level === 'breached' ? ['breached'] : []
          : (['warning', 'error', 'breached'] as const).filter((l) => rank(s.level) >= rank(l));
      // Only the highest level reached is said when several are crossed at once (one trade from 40 % to 90 %).
      const top = levels[levels.length - 1];
      if (!top) continue;
      const key = `${account}\u0000${s.kind}\u0000${top}`;
      if (this.said.has(key)) continue;
      for (const l of levels) this.said.add(`${account}\u0000${s.kind}\u0000${l}`);
      out.push({ account, sessionDate, kind: s.kind, level: top, message: describe(account, s) });
    }
    return out;
  }
}

const rank = (l: RiskLevel) => ['ok', 'warning', 'error', 'breached'].indexOf(l);
