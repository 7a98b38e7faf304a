/**
 * The product's settings, independent of VS Code (the extension maps its configuration here; the
 * CLI maps flags and env). `validateSettings` turns bad values into messages naming the key and
 * the fix, and falls back to the default for that key only.
 */
import type { ContractSpec } from './trading/types';
import { checkSpecOverride } from './trading/specs';
import { checkRiskSettings, RISK_LIMIT_KEYS, type RiskLimitSettings, type RiskSettingsByAccount } from './risk/limits';

export interface AppSettings {
  dtc: {
    host: string;
    port: number;
    encoding: 'binary' | 'json';
    heartbeatSeconds: number;
    username: string;
    clientName: string;
    autoConnect: boolean;
    /** Days of fills asked for in the historical fills request after logon. */
    fillHistoryDays: number;
  };
  database: {
    /** `sqlite:PATH` or `postgres://user@host:port/db` (never with a password); '' = DSN parts or default SQLite. */
    url: string;
    postgres: { host: string; port: number; user: string; database: string };
  };
  sim: {
    startingBalance: number;
    monthlyReset: boolean;
    /** Regular expression (case-insensitive) that marks SIM accounts. */
    accountPattern: string;
  };
  session: {
    /** 'HH:MM' in `timeZone`. */
    start: string;
    /** IANA zone, or 'local'. */
    timeZone: string;
  };
  /** Per-root overrides, TRADING-MATH.md §1 shape. */
  contractSpecs: Record<string, Pick<ContractSpec, 'tickSize' | 'pointValue' | 'roundTurnFee'>>;
  statusBar: { enabled: boolean; format: 'pnl' | 'pnl-and-balance' };
  /** The risk guard (issue 15): limits it watches (0 = off), per-account overrides, the assumed-R stop. It only warns. */
  risk: {
    dailyLossLimit: number;
    maxTradesPerDay: number;
    maxConsecutiveLosses: number;
    trailingDrawdown: number;
    /** Per account, field by field over the four limits above (`{"Apex-1": {"trailingDrawdown": 2500}}`). */
    accounts: RiskSettingsByAccount;
    /** Assumed R's stop distance in ticks when no protective stop was working (0 = no assumed R). */
    defaultStopTicks: number;
    /** Per-root stop distance in ticks (`{"MES": 8}`); 0 turns assumed R off for that root. */
    stopTicksByRoot: Record<string, number>;
  };
}

/** The risk settings as the four limits the guard reads for every account (0 = off). */
export function riskDefaults(r: AppSettings['risk']): RiskLimitSettings {
  return { dailyLossLimit: r.dailyLossLimit, maxTradesPerDay: r.maxTradesPerDay, maxConsecutiveLosses: r.maxConsecutiveLosses, trailingDrawdown: r.trailingDrawdown };
}

export const DEFAULT_SETTINGS: AppSettings = {
  dtc: { host: '127.0.0.1', port: 11099, encoding: 'binary', heartbeatSeconds: 10, username: '', clientName: 'APPSIERRA', autoConnect: true, fillHistoryDays: 30 },
  database: { url: '', postgres: { host: '', port: 5432, user: 'postgres', database: 'appsierra' } },
  sim: { startingBalance: 10000, monthlyReset: true, accountPattern: '^sim' },
  session: { start: '17:00', timeZone: 'America/Chicago' },
  contractSpecs: {},
  statusBar: { enabled: true, format: 'pnl' },
  risk: { dailyLossLimit: 0, maxTradesPerDay: 0, maxConsecutiveLosses: 0, trailingDrawdown: 0, accounts: {}, defaultStopTicks: 0, stopTicksByRoot: {} },
};

/** Dotted paths of a settings object's leaves (`dtc.port`, `database.postgres.host`). */
type Leaves<T> = { [K in Extract<keyof T, string>]: T[K] extends Record<string, unknown> ? `${K}.${Leaves<T[K]>}` : K }[Extract<keyof T, string>];

/** Every setting as a dotted key under `appsierra.`; `contractSpecs` is one setting (a map by root), as is each `risk.*` key. */
export type SettingKey = Leaves<Omit<AppSettings, 'contractSpecs' | 'risk'>> | 'contractSpecs' | `risk.${Extract<keyof AppSettings['risk'], string>}`;

/** Every SettingKey once (the compiler checks both ways; a unit test checks package.json agrees). */
export const SETTING_KEYS = [
  'dtc.host',
  'dtc.port',
  'dtc.encoding',
  'dtc.heartbeatSeconds',
  'dtc.username',
  'dtc.clientName',
  'dtc.autoConnect',
  'dtc.fillHistoryDays',
  'database.url',
  'database.postgres.host',
  'database.postgres.port',
  'database.postgres.user',
  'database.postgres.database',
  'sim.startingBalance',
  'sim.monthlyReset',
  'sim.accountPattern',
  'session.start',
  'session.timeZone',
  'contractSpecs',
  'statusBar.enabled',
  'statusBar.format',
  'risk.dailyLossLimit',
  'risk.maxTradesPerDay',
  'risk.maxConsecutiveLosses',
  'risk.trailingDrawdown',
  'risk.accounts',
  'risk.defaultStopTicks',
  'risk.stopTicksByRoot',
] as const satisfies readonly SettingKey[];
type Unlisted = Exclude<SettingKey, (typeof SETTING_KEYS)[number]>;
const allListed: [Unlisted] extends [never] ? true : Unlisted = true;
void allListed;

/** Settings only the VS Code shell reads (not part of AppSettings). */
export const SHELL_SETTING_KEYS = ['demoFeed.startOnLaunch', 'journal.folder'] as const;

/** Secrets that change like settings: the connection or the store that uses one re-reads it. */
export type SecretKey = 'dtcPassword' | 'postgresPassword';
/** What changed in one settings edit: setting keys and `secrets.*` pseudo-keys. */
export type ChangedKey = SettingKey | `secrets.${SecretKey}`;

export interface SettingsProblem {
  key: string;
  message: string;
}

type Json = Record<string, unknown>;

/** Merges raw values over the defaults, key by key; a bad value is reported and replaced by its default. */
export function validateSettings(raw: unknown): { settings: AppSettings; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  const src = (isObj(raw) ? raw : {}) as Json;
  const d = DEFAULT_SETTINGS;
  const get = (path: string): unknown => path.split('.').reduce<unknown>((o, k) => (isObj(o) ? (o as Json)[k] : undefined), src);

  const str = (path: string, def: string, check?: (v: string) => string | null): string => {
    const v = get(path);
    if (v === undefined || v === null) return def;
    if (typeof v !== 'string') return bad(path, `must be text`, def);
    const why = check?.(v);
    return why ? bad(path, why, def) : v;
  };
  const num = (path: string, def: number, min: number, max: number, integer = false): number => {
    const v = get(path);
    if (v === undefined || v === null) return def;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
      return bad(path, `must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`, def);
    }
    return v;
  };
  const bool = (path: string, def: boolean): boolean => {
    const v = get(path);
    if (v === undefined || v === null) return def;
    return typeof v === 'boolean' ? v : bad(path, 'must be true or false', def);
  };
  const pick = <T extends string>(path: string, allowed: readonly T[], def: T): T => {
    const v = get(path);
    if (v === undefined || v === null) return def;
    return typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : bad(path, `must be one of ${allowed.join(', ')}`, def);
  };
  function bad<T>(key: string, why: string, def: T): T {
    problems.push({ key, message: `Setting appsierra.${key} ${why}; using the default (${JSON.stringify(def)}). Fix it in Settings.` });
    return def;
  }

  const settings: AppSettings = {
    dtc: {
      host: str('dtc.host', d.dtc.host, (v) => (v.trim() === '' ? 'must not be empty' : null)),
      port: num('dtc.port', d.dtc.port, 1, 65535, true),
      encoding: pick('dtc.encoding', ['binary', 'json'] as const, d.dtc.encoding),
      heartbeatSeconds: num('dtc.heartbeatSeconds', d.dtc.heartbeatSeconds, 1, 300, true),
      username: str('dtc.username', d.dtc.username, (v) => (v.length > 31 ? 'must be at most 31 characters (DTC limit)' : null)),
      clientName: str('dtc.clientName', d.dtc.clientName, (v) => (v.length > 31 ? 'must be at most 31 characters (DTC limit)' : null)),
      autoConnect: bool('dtc.autoConnect', d.dtc.autoConnect),
      fillHistoryDays: num('dtc.fillHistoryDays', d.dtc.fillHistoryDays, 1, 3650, true),
    },
    database: {
      url: str('database.url', d.database.url, checkStoreUrl),
      postgres: {
        host: str('database.postgres.host', d.database.postgres.host),
        port: num('database.postgres.port', d.database.postgres.port, 1, 65535, true),
        user: str('database.postgres.user', d.database.postgres.user),
        database: str('database.postgres.database', d.database.postgres.database),
      },
    },
    sim: {
      startingBalance: num('sim.startingBalance', d.sim.startingBalance, 0, 1e9),
      monthlyReset: bool('sim.monthlyReset', d.sim.monthlyReset),
      accountPattern: str('sim.accountPattern', d.sim.accountPattern, (v) => {
        try {
          new RegExp(v, 'i');
          return null;
        } catch {
          return 'is not a valid regular expression';
        }
      }),
    },
    session: {
      start: str('session.start', d.session.start, (v) => (/^([01]\d|2[0-3]):[0-5]\d$/.test(v) ? null : "must be a time 'HH:MM' (24-hour)")),
      timeZone: str('session.timeZone', d.session.timeZone, (v) => (v === 'local' || isTimeZone(v) ? null : "must be an IANA time zone like 'America/Chicago', or 'local'")),
    },
    contractSpecs: specs(get('contractSpecs')),
    statusBar: {
      enabled: bool('statusBar.enabled', d.statusBar.enabled),
      format: pick('statusBar.format', ['pnl', 'pnl-and-balance'] as const, d.statusBar.format),
    },
    risk: {
      dailyLossLimit: num('risk.dailyLossLimit', 0, 0, 1e9),
      maxTradesPerDay: num('risk.maxTradesPerDay', 0, 0, 100000, true),
      maxConsecutiveLosses: num('risk.maxConsecutiveLosses', 0, 0, 100000, true),
      trailingDrawdown: num('risk.trailingDrawdown', 0, 0, 1e9),
      accounts: riskAccounts(get('risk.accounts')),
      defaultStopTicks: num('risk.defaultStopTicks', 0, 0, 100000),
      stopTicksByRoot: stopTicks(get('risk.stopTicksByRoot')),
    },
  };
  return { settings, problems };

  /** Per-account limits: a bad field is named and dropped, the account's good fields stay. */
  function riskAccounts(v: unknown): RiskSettingsByAccount {
    if (v === undefined || v === null) return {};
    if (!isObj(v)) return bad('risk.accounts', 'must be an object of accounts, e.g. {"Apex-123": {"dailyLossLimit": 500}}', {});
    const out: RiskSettingsByAccount = {};
    for (const [account, limits] of Object.entries(v as Json)) {
      const where = `appsierra.risk.accounts.${account}`;
      const own = checkRiskSettings(where, limits);
      for (const message of own) problems.push({ key: `risk.accounts.${account}`, message: `Setting ${message}; that value is ignored. Fix it in Settings.` });
      if (!isObj(limits)) continue;
      const kept: RiskLimitSettings = {};
      for (const [k, x] of Object.entries(limits as Json)) {
        if (!RISK_LIMIT_KEYS.includes(k as keyof RiskLimitSettings) || checkRiskSettings(where, { [k]: x }).length) continue;
        kept[k as keyof RiskLimitSettings] = typeof x === 'number' ? x : null;
      }
      out[account] = kept;
    }
    return out;
  }

  function stopTicks(v: unknown): Record<string, number> {
    if (v === undefined || v === null) return {};
    if (!isObj(v)) return bad('risk.stopTicksByRoot', 'must be an object of roots, e.g. {"MES": 8, "CL": 20}', {});
    const out: Record<string, number> = {};
    for (const [root, ticks] of Object.entries(v as Json)) {
      if (typeof ticks !== 'number' || !Number.isFinite(ticks) || ticks < 0 || ticks > 100000) {
        problems.push({ key: `risk.stopTicksByRoot.${root}`, message: `Setting appsierra.risk.stopTicksByRoot.${root} must be a number of ticks from 0 to 100000 (got ${JSON.stringify(ticks)}); 0 turns assumed R off for ${root}. That override is ignored. Fix it in Settings.` });
        continue;
      }
      out[root.toUpperCase()] = ticks;
    }
    return out;
  }

  function specs(v: unknown): AppSettings['contractSpecs'] {
    if (v === undefined || v === null) return {};
    if (!isObj(v)) return bad('contractSpecs', 'must be an object like {"MES": {"tickSize": 0.25, "pointValue": 5, "roundTurnFee": 1.24}}', {});
    const out: AppSettings['contractSpecs'] = {};
    for (const [root, spec] of Object.entries(v as Json)) {
      const why = checkSpecOverride(root, spec);
      if (why) {
        problems.push({ key: `contractSpecs.${root}`, message: `Setting appsierra.contractSpecs: ${why} That override is ignored. Fix it in Settings.` });
        continue;
      }
      const s = spec as Record<string, number>;
      out[root.toUpperCase()] = { tickSize: s.tickSize, pointValue: s.pointValue, roundTurnFee: s.roundTurnFee ?? 0 };
    }
    return out;
  }
}

/** A store URL must be sqlite:PATH or postgres://… without a password (passwords live in SecretStorage). */
export function checkStoreUrl(v: string): string | null {
  if (v === '') return null;
  if (v.startsWith('sqlite:')) return v.length > 'sqlite:'.length ? null : 'needs a path after sqlite:';
  if (/^postgres(ql)?:\/\//.test(v)) {
    try {
      const u = new URL(v);
      if (u.password) return 'must not contain a password (use the command "APPSIERRA: Set PostgreSQL Password")';
      return null;
    } catch {
      return 'is not a valid URL';
    }
  }
  return "must start with 'sqlite:' or 'postgres://'";
}

function isObj(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
