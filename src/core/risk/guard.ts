/**
 * RiskGuard: the risk guard of a running session (issue 15). It reads each account's session
 * figures (figures.ts), resolves its limits (server first, then settings with per-account
 * overrides), assesses them, and says each threshold once per session (a notice for the shell to
 * show) and records a day's breach once (an event for the store). It only warns: APPSIERRA never
 * sends an order. No vscode, no timers: the composition root calls `check()` when the state changed.
 */
import type { Mode } from '../trading/types';
import { assessRisk, type LimitKind, type LimitStatus, type RiskLevel, type RiskStatus, type SessionFigures } from './assess';
import { resolveLimits, settingsFor, type RiskLimitSettings, type RiskSettingsByAccount, type ServerLimits } from './limits';
import { RiskNotices, type RiskNotice } from './notices';
import { formatMoney } from '../../shared/format';

/** One account's figures now, as the guard needs them (figures.ts reads them off the session). */
export interface AccountFigures {
  account: string;
  mode: Mode;
  /** The trading session's date (`YYYY-MM-DD`, the 1D boundary). */
  sessionDate: string;
  /** Net of the trades closed this session. */
  realizedNet: number;
  tradesToday: number;
  /** The session's Streak (signed: -3 = three losses in a row at the end). */
  streak: number;
  /** Open P&L of the account's positions; null when a position's P&L is unknown. */
  openPnl: number | null;
  /** Closed-trade balance: the SIM ledger, or the server's cash balance (LIVE); null when unknown. */
  balance: number | null;
  /**
   * How far the closed-trade balance is below its high-water mark (0 at a new high). A function:
   * it walks the account's equity curve, so only a trailing limit from the settings asks for it.
   */
  belowMark(): number;
  /** What the server says about limits (ACCOUNT_BALANCE_UPDATE), or null. */
  server: ServerLimits | null;
  /** The server's own account value (cash + open P&L), for a floor the server sent; null when unknown. */
  serverEquity: number | null;
}

/** A limit's status with its words, for views, the CLI and notices. */
export interface LimitView extends LimitStatus {
  /** e.g. `Daily loss limit`. */
  label: string;
  /** e.g. `$262.50 of $500.00 used · room $237.50`. */
  text: string;
}

export interface AccountRisk extends Omit<RiskStatus, 'limits'> {
  account: string;
  mode: Mode;
  sessionDate: string;
  limits: LimitView[];
  /** The day's numbers: net, trades, losses in a row, equity. */
  figures: SessionFigures;
}

/** A day's breach, as the store keeps it (one per account, session date and limit). */
export interface RiskEvent {
  id: string;
  account: string;
  sessionDate: string;
  kind: LimitKind;
  level: 'breached';
  limit: number;
  used: number;
  timeMs: number;
  message: string;
}

export interface RiskSettings extends RiskLimitSettings {
  accounts: RiskSettingsByAccount;
}

export const LIMIT_LABEL: Record<LimitKind, string> = {
  dailyLoss: 'Daily loss limit',
  trailing: 'Trailing drawdown',
  maxTrades: 'Trades today',
  consecutiveLosses: 'Losses in a row',
};

export function limitText(s: LimitStatus): string {
  switch (s.kind) {
    case 'dailyLoss':
      return `${formatMoney(s.used)} of ${formatMoney(s.limit)} used · room ${formatMoney(s.room)}`;
    case 'trailing':
      return `floor ${formatMoney(s.floor ?? 0)} · room ${formatMoney(s.room)} of ${formatMoney(s.limit)}`;
    default:
      return `${s.used} of ${s.limit}`;
  }
}

export interface RiskGuardOptions {
  settings(): RiskSettings;
  now?: () => number;
  /** A threshold crossed for the first time this session. */
  onNotice?(notice: RiskNotice): void;
  /** A limit breached for the first time this session (the store records it). */
  onBreach?(event: RiskEvent): void;
}

export class RiskGuard {
  private readonly notices = new RiskNotices();
  /** Highest server equity seen per account and session: the top of a server floor's span. */
  private readonly serverPeaks = new Map<string, { sessionDate: string; peak: number }>();
  private readonly breaches = new Set<string>();
  /** Counted for diagnostics: notices said, breaches recorded. */
  readonly counters = { notices: 0, breaches: 0 };

  constructor(private readonly opts: RiskGuardOptions) {}

  /** The account's status now, or null when no limit is set for it (by the settings or the server). */
  assess(f: AccountFigures): AccountRisk | null {
    const s = this.opts.settings();
    const limits = resolveLimits(settingsFor(f.account, s.accounts, s), f.server);
    if (!limits.dailyLoss && !limits.trailing && !limits.maxTrades && !limits.maxConsecutiveLosses && !limits.serverSaysDailyLimitReached) return null;
    const balance = f.balance ?? 0;
    const open = f.openPnl ?? 0;
    let equity = balance + open;
    let highWater = limits.trailing?.source === 'settings' ? balance + f.belowMark() : balance;
    if (limits.trailing?.source === 'server') {
      // The server's floor is in the server's terms: measure against its account value when it sends one.
      equity = f.serverEquity ?? equity;
      highWater = this.serverPeak(f.account, f.sessionDate, equity);
    }
    const figures: SessionFigures = {
      realizedNet: f.realizedNet,
      openPnl: open,
      tradesToday: f.tradesToday,
      consecutiveLosses: Math.max(0, -f.streak),
      equity: round2(equity),
      highWater: round2(highWater),
    };
    const status = assessRisk(limits, figures);
    return {
      account: f.account,
      mode: f.mode,
      sessionDate: f.sessionDate,
      level: status.level,
      moneyRoom: status.moneyRoom,
      limits: status.limits.map((l) => ({ ...l, label: LIMIT_LABEL[l.kind], text: limitText(l) })),
      figures,
    };
  }

  /** Assesses every account, says what is new this session and records new breaches; returns the notices. */
  check(accounts: readonly AccountFigures[]): RiskNotice[] {
    const out: RiskNotice[] = [];
    for (const f of accounts) {
      const risk = this.assess(f);
      if (!risk) continue;
      for (const n of this.notices.next(f.account, f.sessionDate, risk)) {
        const byServer = n.kind === 'dailyLoss' && n.level === 'breached' && (risk.limits.find((l) => l.kind === 'dailyLoss')?.fraction ?? 1) < 1;
        const notice = { ...n, message: `${n.message}${byServer ? '; the server says the limit is reached' : ''}. Today: ${dayNumbers(risk.figures)}.` };
        out.push(notice);
        this.counters.notices++;
        this.opts.onNotice?.(notice);
        if (n.level === 'breached') this.breach(risk, n.kind, notice.message);
      }
    }
    return out;
  }

  private breach(risk: AccountRisk, kind: LimitKind, message: string): void {
    const id = `${risk.account}|${risk.sessionDate}|${kind}`;
    if (this.breaches.has(id)) return;
    this.breaches.add(id);
    const l = risk.limits.find((x) => x.kind === kind);
    this.counters.breaches++;
    this.opts.onBreach?.({ id, account: risk.account, sessionDate: risk.sessionDate, kind, level: 'breached', limit: l?.limit ?? 0, used: l?.used ?? 0, timeMs: (this.opts.now ?? Date.now)(), message });
  }

  private serverPeak(account: string, sessionDate: string, equity: number): number {
    const p = this.serverPeaks.get(account);
    const peak = p && p.sessionDate === sessionDate ? Math.max(p.peak, equity) : equity;
    this.serverPeaks.set(account, { sessionDate, peak });
    return peak;
  }
}

/** `2026-12-02 Sim1: daily loss limit breached ($512.50 of $500.00)`. */
export function riskEventLine(e: RiskEvent): string {
  const what = e.kind === 'dailyLoss' || e.kind === 'trailing' ? `${formatMoney(e.used)} of ${formatMoney(e.limit)}` : `${e.used} of ${e.limit}`;
  return `${e.sessionDate} ${e.account}: ${LIMIT_LABEL[e.kind].toLowerCase()} ${e.kind === 'maxTrades' || e.kind === 'consecutiveLosses' ? 'reached' : 'breached'} (${what})`;
}

/** `net -$262.50, 4 trades, 3 losses in a row`. */
export function dayNumbers(f: SessionFigures): string {
  const losses = f.consecutiveLosses ? `, ${f.consecutiveLosses} loss${f.consecutiveLosses === 1 ? '' : 'es'} in a row` : '';
  return `net ${formatMoney(f.realizedNet + f.openPnl, true)}, ${f.tradesToday} trade${f.tradesToday === 1 ? '' : 's'}${losses}`;
}

/** The worst level of several accounts. */
export function worstLevel(risks: readonly Pick<AccountRisk, 'level'>[]): RiskLevel {
  const order: RiskLevel[] = ['ok', 'warning', 'error', 'breached'];
  return risks.reduce<RiskLevel>((l, r) => (order.indexOf(r.level) > order.indexOf(l) ? r.level : l), 'ok');
}

const round2 = (v: number) => Math.round(v * 100) / 100;
