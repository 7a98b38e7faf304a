/**
 * Risk limits of one account: where each comes from and how it is checked (TRADING-MATH.md, "Risk guard").
 * APPSIERRA only reads: the guard warns, it never sends an order.
 */

/** The limits a trader (or the server) can set. Absent = not watched. */
export interface RiskLimitSettings {
  /** Maximum loss of the session (realized + open), a positive amount of money. */
  dailyLossLimit?: number | null;
  maxTradesPerDay?: number | null;
  maxConsecutiveLosses?: number | null;
  /** Trailing drawdown amount: the floor trails the balance's high-water mark by this much. */
  trailingDrawdown?: number | null;
}

export const RISK_LIMIT_KEYS: readonly (keyof RiskLimitSettings)[] = ['dailyLossLimit', 'maxTradesPerDay', 'maxConsecutiveLosses', 'trailingDrawdown'];

/** What Sierra Chart's ACCOUNT_BALANCE_UPDATE says about limits (null = not sent / unset). */
export interface ServerLimits {
  dailyNetLossLimit: number | null;
  /** The account value below which Sierra limits positions: a trailing floor computed by the server. */
  trailingAccountValueToLimitPositions: number | null;
  dailyNetLossLimitReached: boolean;
}

export type LimitSource = 'server' | 'settings';

export interface ResolvedLimits {
  dailyLoss: { amount: number; source: LimitSource } | null;
  maxTrades: number | null;
  maxConsecutiveLosses: number | null;
  /** Either an amount we trail ourselves, or the server's floor as it is. */
  trailing: { amount: number; source: 'settings' } | { floor: number; source: 'server' } | null;
  serverSaysDailyLimitReached: boolean;
}

/** The per-account settings object: `{ "*": {...}, "Apex-123": {...} }`; an account's own entry wins per field. */
export type RiskSettingsByAccount = Record<string, RiskLimitSettings>;

const positive = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null);
const count = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null);

/** Settings for one account: the defaults, overridden field by field by the account's own entry. */
export function settingsFor(account: string, byAccount: RiskSettingsByAccount, defaults: RiskLimitSettings): RiskLimitSettings {
  const own = byAccount[account] ?? {};
  return { ...defaults, ...Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined)) };
}

/** The server's limits win where it sends them (they are the ones the broker enforces); settings fill the rest. */
export function resolveLimits(settings: RiskLimitSettings, server: ServerLimits | null): ResolvedLimits {
  const serverLoss = positive(server?.dailyNetLossLimit ?? null);
  const settingsLoss = positive(settings.dailyLossLimit);
  const serverFloor = server?.trailingAccountValueToLimitPositions;
  const settingsTrail = positive(settings.trailingDrawdown);
  return {
    dailyLoss: serverLoss !== null ? { amount: serverLoss, source: 'server' } : settingsLoss !== null ? { amount: settingsLoss, source: 'settings' } : null,
    maxTrades: count(settings.maxTradesPerDay),
    maxConsecutiveLosses: count(settings.maxConsecutiveLosses),
    trailing:
      typeof serverFloor === 'number' && Number.isFinite(serverFloor) && serverFloor > 0
        ? { floor: serverFloor, source: 'server' }
        : settingsTrail !== null
          ? { amount: settingsTrail, source: 'settings' }
          : null,
    serverSaysDailyLimitReached: server?.dailyNetLossLimitReached === true,
  };
}

/** Problems of a settings object, each naming the key and the fix (never a silently ignored option). */
export function checkRiskSettings(where: string, s: unknown): string[] {
  if (s === undefined || s === null) return [];
  if (typeof s !== 'object' || Array.isArray(s)) return [`${where} must be an object of limits, e.g. {"dailyLossLimit": 500}`];
  const problems: string[] = [];
  for (const [k, v] of Object.entries(s as Record<string, unknown>)) {
    if (v === null || v === undefined || v === 0) continue;
    if (k === 'dailyLossLimit' || k === 'trailingDrawdown') {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1e9) problems.push(`${where}.${k} must be a positive amount of money (got ${JSON.stringify(v)}); 0 or empty turns it off`);
    } else if (k === 'maxTradesPerDay' || k === 'maxConsecutiveLosses') {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 100000) problems.push(`${where}.${k} must be a whole number (got ${JSON.stringify(v)}); 0 or empty turns it off`);
    } else {
      problems.push(`${where}.${k} is not a risk limit (known: dailyLossLimit, maxTradesPerDay, maxConsecutiveLosses, trailingDrawdown)`);
    }
  }
  return problems;
}
