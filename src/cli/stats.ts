/**
 * `appsierra stats --store URL --mode SIM|LIVE [--account A] [--tf 1D|1W|1M|3M|YTD|ALL] [--now ISO]
 * [--session-start HH:MM] [--tz ZONE] [--json]`: the stats grid for one filter (CLI.md), computed
 * by the same core functions the extension uses.
 */
import { allowFlags, CliError, CommandHandler, EXIT, flag, hasFlag, oneOf, parseArgs } from './args';
import { booleanOptions, optionNames } from './help';
import * as path from 'path';
import { defaultSqlitePath, maskUrl, openStore, storeHome } from '../core/store/open';
import { OUTBOX_FILE } from '../core/store/files';
import { assertStoreExists, CONNECT_TIMEOUT_MS, readStore } from './storeArg';
import type { TradeStore } from '../core/store/types';
import type { Mode } from '../core/trading/types';
import { computeGrid } from '../core/stats/compute';
import { gridToJson, gridToTable } from '../core/stats/json';
import { checkSessionConfig, DEFAULT_SESSION, timeframeWindow } from '../core/stats/session';
import { TIMEFRAMES, type StatsQuery, type Timeframe } from '../core/stats/types';

const MODES: readonly Mode[] = ['SIM', 'LIVE'];

/** Reads the options into a query; every mistake is a usage error naming the option. */
export function statsQueryFromArgs(argv: string[], nowMs = Date.now()): { query: StatsQuery; store: string; json: boolean; partial: boolean } {
  const args = parseArgs(argv, booleanOptions('stats'));
  allowFlags(args, optionNames('stats'), 'stats');
  if (args.positional.length > 0) throw new CliError(`'appsierra stats' takes no arguments, got '${args.positional.join(' ')}'; see 'appsierra help'`, EXIT.USAGE);
  const mode = oneOf(flag(args, 'mode'), MODES, 'mode');
  const timeframe = oneOf<Timeframe>(flag(args, 'tf'), TIMEFRAMES, 'tf', 'ALL');
  const nowText = flag(args, 'now');
  let now = nowMs;
  if (nowText !== undefined) {
    now = Date.parse(nowText);
    if (Number.isNaN(now)) throw new CliError(`--now '${nowText}' is not an ISO-8601 time, e.g. 2025-06-01T15:00:00Z`, EXIT.USAGE);
  }
  const session = { sessionStart: flag(args, 'session-start') ?? DEFAULT_SESSION.sessionStart, timeZone: flag(args, 'tz') ?? DEFAULT_SESSION.timeZone };
  const bad = checkSessionConfig(session);
  if (bad) throw new CliError(`${bad} (--session-start / --tz)`, EXIT.USAGE);
  if (args.flags.has('account') && !flag(args, 'account')) throw new CliError('--account needs an account name', EXIT.USAGE);
  return {
    query: { mode, account: flag(args, 'account') ?? null, timeframe, nowMs: now, session },
    store: flag(args, 'store') ?? (process.env.APPSIERRA_STORE || undefined) ?? `sqlite:${defaultSqlitePath()}`,
    json: hasFlag(args, 'json'),
    partial: hasFlag(args, 'partial'),
  };
}

export const statsCommand: CommandHandler = async (argv, io) => {
  const { query, store: url, json, partial } = statsQueryFromArgs(argv);
  let store: TradeStore;
  assertStoreExists(url);
  try {
    store = await openStore(url, { readOnly: true, partialReads: partial, outboxPath: path.join(storeHome(url), OUTBOX_FILE), connectTimeoutMs: CONNECT_TIMEOUT_MS, password: process.env.PGPASSWORD || process.env.APPSIERRA_PG_PASSWORD || undefined });
  } catch (err) {
    throw new CliError(`cannot read the store ${maskUrl(url)}: ${oneLine(err)}`, EXIT.RUNTIME);
  }
  try {
    const w = timeframeWindow(query.timeframe, query.nowMs, query.session);
    let trades;
    try {
      // PostgreSQL down means only the local outbox is readable: refused unless --partial.
      trades = await readStore(store, url, io, 'stats', () => store.trades({
        mode: query.mode,
        ...(query.account != null ? { account: query.account } : {}),
        ...(Number.isFinite(w.fromMs) ? { fromMs: w.fromMs } : {}),
        ...(Number.isFinite(w.toMs) ? { toMs: w.toMs } : {}),
      }));
    } catch (err) {
      if (err instanceof CliError) throw err;
      throw new CliError(`cannot read trades from ${maskUrl(url)}: ${oneLine(err)}`, EXIT.RUNTIME);
    }
    // The core filters again by mode, account and window: the store query only narrows the read.
    const grid = computeGrid(trades, query);
    if (json) {
      io.stdout.write(gridToJson(grid) + '\n');
    } else {
      const who = query.account ?? 'all accounts';
      io.stdout.write(`${query.mode} · ${who} · ${query.timeframe} (as of ${new Date(query.nowMs).toISOString()})\n\n${gridToTable(grid)}`);
    }
    return EXIT.OK;
  } finally {
    await store.close().catch(() => undefined);
  }
};

function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/\s+/g, ' ').trim().replace(/\.$/, '') + '.';
}
