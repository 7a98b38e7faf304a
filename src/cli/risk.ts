/**
 * `appsierra risk status [--account A] [--store URL] [--json]`: the risk guard's status for the
 * current trading session from the store (docs/CLI.md), computed by the same core the extension
 * uses (figures.ts, guard.ts), plus the day's stored breaches. The CLI has no live connection: open
 * P&L and limits the server sends are not known here (the stored breaches include the server's).
 */
import * as fs from 'fs';
import { allowFlags, CliError, CommandHandler, EXIT, flag, hasFlag, parseArgs } from './args';
import { booleanOptions, optionNames } from './help';
import { openCliStore, readStore, storeUrlFrom } from './storeArg';
import { simPatternFlag, startingBalanceFlag } from './simArgs';
import { DEFAULT_SETTINGS, validateSettings, type AppSettings } from '../core/settings';
import { StatsCache } from '../core/stats';
import { SimBalanceLedger } from '../core/sim';
import { checkSessionConfig, DEFAULT_SESSION, sessionDate } from '../core/stats/session';
import { ContractSpecs, modeOf } from '../core/trading';
import { accountFigures, MarkCache, RiskGuard, riskEventLine, type AccountRisk, type RiskEvent } from '../core/risk';
import { DEFAULT_SELECTION } from '../core/viewModels';
import type { ProjectionInput, SessionState } from '../core/projections';
import { formatMoney } from '../shared/format';

/** Limit flags and their settings keys. */
const LIMIT_FLAGS = [
  ['daily-loss-limit', 'dailyLossLimit'],
  ['max-trades', 'maxTradesPerDay'],
  ['max-losses', 'maxConsecutiveLosses'],
  ['trailing-drawdown', 'trailingDrawdown'],
] as const;

/** The limits: --limits FILE (the `appsierra.risk` object of settings.json), then the flags over it; problems are usage errors. */
function riskSettings(args: ReturnType<typeof parseArgs>): AppSettings['risk'] {
  let raw: Record<string, unknown> = {};
  const file = flag(args, 'limits');
  if (file !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new CliError(`--limits ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, EXIT.USAGE);
    }
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new CliError(`--limits ${file} is not JSON (${(e as Error).message}); it holds the appsierra.risk settings, e.g. {"dailyLossLimit": 500, "accounts": {"Apex-1": {"trailingDrawdown": 2500}}}`, EXIT.USAGE);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new CliError(`--limits ${file} must hold a JSON object like {"dailyLossLimit": 500}`, EXIT.USAGE);
  }
  for (const [name, key] of LIMIT_FLAGS) {
    const v = flag(args, name);
    if (v === undefined) continue;
    const n = v.trim() === '' ? NaN : Number(v);
    raw[key] = Number.isNaN(n) ? v : n;
  }
  const { settings, problems } = validateSettings({ risk: raw });
  if (problems.length) throw new CliError(problems.map((p) => p.message.replace(/; using the default.*$/, '').replace(/ Fix it in Settings\.$/, '').replace(/^Setting /, '')).join('; '), EXIT.USAGE);
  return settings.risk;
}

export const riskCommand: CommandHandler = async (argv, io) => {
  const args = parseArgs(argv, booleanOptions('risk'));
  allowFlags(args, optionNames('risk'), 'risk');
  const action = args.positional[0];
  if (action !== 'status' || args.positional.length > 1) throw new CliError("risk needs 'status' (appsierra risk status [--account A] [--store URL] [--json])", EXIT.USAGE);
  if (args.flags.has('account') && !flag(args, 'account')) throw new CliError('--account needs an account name', EXIT.USAGE);
  const only = flag(args, 'account');
  const risk = riskSettings(args);
  const pattern = simPatternFlag(args);
  const starting = startingBalanceFlag(args);
  let now = Date.now();
  if (flag(args, 'now') !== undefined) {
    now = Date.parse(flag(args, 'now')!);
    if (Number.isNaN(now)) throw new CliError(`--now '${flag(args, 'now')}' is not an ISO-8601 time, e.g. 2025-06-01T15:00:00Z`, EXIT.USAGE);
  }
  const session = { sessionStart: flag(args, 'session-start') ?? DEFAULT_SESSION.sessionStart, timeZone: flag(args, 'tz') ?? DEFAULT_SESSION.timeZone };
  const badSession = checkSessionConfig(session);
  if (badSession) throw new CliError(`${badSession} (--session-start / --tz)`, EXIT.USAGE);
  const day = sessionDate(now, session);

  const url = storeUrlFrom(args);
  const store = await openCliStore(url, { readOnly: true, partial: hasFlag(args, 'partial') });
  let risks: AccountRisk[];
  let events: RiskEvent[];
  try {
    const [trades, simEvents, stored] = await readStore(store, url, io, 'risk', async () => [await store.trades(), await store.simEvents(), (await store.riskEvents?.({ fromDate: day, toDate: day })) ?? []] as const);
    const stats = new StatsCache();
    stats.load(trades);
    const ledger = new SimBalanceLedger(starting);
    ledger.load(simEvents);
    const accounts = [...new Set([...trades.map((t) => t.account), ...ledger.accounts()])].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    if (only && !accounts.includes(only)) accounts.push(only);
    const state = {
      loading: false,
      storeInfo: { description: url, state: 'primary', outboxPending: 0, pendingCommits: 0, detail: '' },
      alerts: { list: () => [] },
      tradeStats: stats,
      tradeCount: trades.length,
      modeOf: (a: string) => modeOf(a, pattern),
      accounts: () => accounts,
      openPositions: () => [],
      workingOrders: () => ({ stop: null, target: null, orders: [] }),
      serverPosition: () => undefined,
      accountBalance: () => undefined,
      simBalance: (a: string) => (ledger.accounts().includes(a) ? ledger.balance(a) : null),
      lastReset: (a: string) => ledger.lastReset(a),
      lastTrade: () => undefined,
    } as unknown as SessionState;
    const input: ProjectionInput = {
      session: state, specs: new ContractSpecs(), connection: { state: 'disconnected', host: '', port: 0, serverName: null, lastError: null, nextRetryAt: null, demo: false },
      startingBalance: starting, tradingSession: session, dtc: DEFAULT_SETTINGS.dtc, nowMs: now, selection: DEFAULT_SELECTION,
    };
    const guard = new RiskGuard({ settings: () => risk, now: () => now });
    const marks = new MarkCache();
    risks = (only ? [only] : accounts).map((a) => guard.assess(accountFigures(input, a, marks))).filter((r): r is AccountRisk => r !== null);
    events = stored.filter((e) => !only || e.account === only);
  } finally {
    await store.close().catch(() => undefined);
  }

  if (hasFlag(args, 'json')) {
    io.stdout.write(JSON.stringify({ sessionDate: day, openPnl: 'not included: the CLI has no live connection', accounts: risks, breaches: events }, null, 2) + '\n');
    return EXIT.OK;
  }
  const lines = [`Risk guard · session ${day} (${session.sessionStart} ${session.timeZone}) · closed trades only (no live connection: open P&L and the server's limits are not known here)`, ''];
  if (!risks.length) lines.push(`No risk limit set${only ? ` for ${only}` : ''}: pass --daily-loss-limit, --max-trades, --max-losses, --trailing-drawdown or --limits FILE (the appsierra.risk settings).`);
  for (const r of risks) {
    const f = r.figures;
    lines.push(`${r.account} (${r.mode}) · ${r.level.toUpperCase()}${r.moneyRoom !== null ? ` · room ${formatMoney(r.moneyRoom)}` : ''} · net ${formatMoney(f.realizedNet, true)}, ${f.tradesToday} trade${f.tradesToday === 1 ? '' : 's'}, ${f.consecutiveLosses} loss${f.consecutiveLosses === 1 ? '' : 'es'} in a row`);
    for (const l of r.limits) lines.push(`  ${l.label.padEnd(18)} ${String(Math.round(l.fraction * 100)).padStart(3)}%  ${l.level.padEnd(8)} ${l.text}`);
  }
  lines.push('', events.length ? 'Breaches stored today:' : 'No breach stored today.');
  for (const e of events) lines.push(`  ${riskEventLine(e)}`);
  io.stdout.write(lines.join('\n') + '\n');
  return EXIT.OK;
};
