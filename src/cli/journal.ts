/**
 * The journal's commands (issue 14), over the same core the journal panel uses:
 * `stats --by K` and subset filters, `tag add|remove`, `journal day`. `trades --symbol/--side/--tag`
 * lives with `trades` (trades.ts) and filters through the same TradeIndex.
 */
import { allowFlags, CliError, CliIO, CommandHandler, EXIT, flag, hasFlag, oneOf, parseArgs } from './args';
import { openCliStore, readStore, storeUrlFrom } from './storeArg';
import { statsQueryFromArgs } from './stats';
import { maskUrl } from '../core/store/open';
import type { TradeQuery, TradeStore } from '../core/store/types';
import type { Trade, TradeSide } from '../core/trading/types';
import { normalizeTag, normalizeTags, UNTAGGED } from '../core/trading/tags';
import { breakdown, BREAKDOWN_KEYS, BreakdownKey, TradeFilter, TradeIndex } from '../core/reports';
import { gridToJson, gridToJsonObject, formatMetric } from '../core/stats/json';
import { metricDef } from '../core/stats/metrics';
import { checkSessionConfig, DEFAULT_SESSION, sessionDate, sessionDayBounds, timeframeWindow } from '../core/stats/session';
import type { SessionConfig } from '../core/stats/types';
import { daySummaryBlock, writeDayNote } from '../core/notes';
import { table } from './trades';

/** Subset filters `stats` and `trades` share: --symbol S --side LONG|SHORT --tag T. */
export const SUBSET_FLAGS = ['symbol', 'side', 'tag'] as const;

export function subsetFilter(get: (name: string) => string | undefined): Pick<TradeFilter, 'symbol' | 'side' | 'tag'> {
  const out: Pick<TradeFilter, 'symbol' | 'side' | 'tag'> = {};
  const symbol = get('symbol');
  if (symbol !== undefined) out.symbol = symbol;
  const side = get('side');
  if (side !== undefined) out.side = oneOf<TradeSide>(side, ['LONG', 'SHORT'], 'side');
  const tag = get('tag');
  if (tag !== undefined) {
    try {
      out.tag = tag === UNTAGGED ? UNTAGGED : normalizeTag(tag);
    } catch (e) {
      throw new CliError(`--tag: ${(e as Error).message}`, EXIT.USAGE);
    }
  }
  return out;
}

/** Trades (narrowed by the store query) and all tags; a partial view only with --partial (readStore says so). */
async function readJournal(store: TradeStore, url: string, io: CliIO, command: string, q: TradeQuery): Promise<{ trades: Trade[]; tags: Map<string, string[]> }> {
  return readStore(store, url, io, command, async () => ({ trades: await store.trades(q), tags: await store.tradeTags() }));
}

/**
 * `appsierra stats ... [--by symbol|side|hour|weekday|duration|tag] [--symbol S] [--side X] [--tag T]`:
 * with --by, `[{"key": K, "stats": {...}}]` where each stats object has exactly the `stats --json`
 * shape for that subset; without --by, that one object for the subset.
 */
export const statsSubsetCommand: CommandHandler = async (argv, io) => {
  const args = parseArgs(argv, ['json', 'partial']);
  const by = args.flags.has('by') ? oneOf<BreakdownKey>(flag(args, 'by'), BREAKDOWN_KEYS, 'by') : null;
  const subset = subsetFilter((n) => {
    if (args.flags.has(n) && flag(args, n) === undefined) throw new CliError(`--${n} needs a value`, EXIT.USAGE);
    return flag(args, n);
  });
  // Everything else is `stats`'s own options, parsed by stats itself: the same filters, same errors.
  const rest = stripFlags(argv, ['by', ...SUBSET_FLAGS, 'partial']);
  const { query, store: url, json } = statsQueryFromArgs(rest);
  const w = timeframeWindow(query.timeframe, query.nowMs, query.session);
  const window = { ...(Number.isFinite(w.fromMs) ? { fromMs: w.fromMs } : {}), ...(Number.isFinite(w.toMs) ? { toMs: w.toMs } : {}) };
  const store = await openCliStore(url, { readOnly: true, partial: hasFlag(args, 'partial') });
  try {
    const { trades, tags } = await readJournal(store, url, io, 'stats', { mode: query.mode, ...(query.account != null ? { account: query.account } : {}), ...window });
    const index = new TradeIndex({ session: query.session });
    index.load(trades, tags);
    const filter: TradeFilter = { mode: query.mode, account: query.account, ...window, ...subset };
    if (!by) {
      io.stdout.write(json ? gridToJson(index.totals(filter)) + '\n' : subsetTable([{ key: 'all', grid: index.totals(filter) }], 'subset'));
      return EXIT.OK;
    }
    const rows = breakdown(index, filter, by);
    io.stdout.write(json ? JSON.stringify(rows.map((r) => ({ key: r.key, stats: gridToJsonObject(r.grid) }))) + '\n' : subsetTable(rows, by));
    return EXIT.OK;
  } finally {
    await store.close();
  }
};

function subsetTable(rows: { key: string; grid: ReturnType<TradeIndex['totals']> }[], by: string): string {
  const cols = ['trades', 'totalPnl', 'hitRate', 'expectancy', 'avgR', 'profitFactor'] as const;
  return table([by, ...cols.map((c) => metricDef(c).label)], rows.map((r) => [r.key, ...cols.map((c) => formatMetric(metricDef(c).kind, r.grid[c] as number | null))]), 1) + `${rows.length} row(s)\n`;
}

/** argv without the named `--flag value` / `--flag=value` pairs. */
function stripFlags(argv: string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--?([^=]+)(=.*)?$/.exec(argv[i]);
    if (m && names.includes(m[1])) {
      if (m[2] === undefined) i++;
      continue;
    }
    out.push(argv[i]);
  }
  return out;
}

/** `appsierra tag add|remove TRADE_ID TAG... [--store URL] [--json]`: prints the trade's tags after the change. */
export const tagCommand: CommandHandler = async (argv, io) => {
  const args = parseArgs(argv, ['json']);
  allowFlags(args, ['store', 'json'], 'tag');
  const [action, tradeId, ...raw] = args.positional;
  if (action !== 'add' && action !== 'remove') throw new CliError(`usage: appsierra tag add|remove TRADE_ID TAG... (got '${action ?? ''}')`, EXIT.USAGE);
  if (!tradeId || raw.length === 0) throw new CliError(`usage: appsierra tag ${action} TRADE_ID TAG... (a trade id and at least one tag)`, EXIT.USAGE);
  let tags: string[];
  try {
    tags = normalizeTags(raw);
  } catch (e) {
    throw new CliError(`${(e as Error).message}`, EXIT.USAGE);
  }
  const url = storeUrlFrom(args);
  // Partial reads: while PostgreSQL is down the edit still goes to the outbox (checked below).
  const store = await openCliStore(url, { partial: true });
  try {
    const health = await store.health();
    const known = (await store.trades()).some((t) => t.id === tradeId);
    if (!known) {
      // While PostgreSQL is down only the outbox can be read: the trade may well exist on the server.
      if (health.state !== 'outbox') throw new CliError(`no trade with id '${tradeId}' in ${maskUrl(url)}; list ids with 'appsierra trades --json'`, EXIT.USAGE);
      io.stderr.write(`appsierra tag: cannot check that '${tradeId}' exists while PostgreSQL is unreachable; the change waits in the outbox\n`);
    }
    try {
      await store.editTags(action === 'add' ? { tradeId, add: tags, remove: [] } : { tradeId, add: [], remove: tags });
    } catch (err) {
      throw new CliError(`tags not stored: ${(err as Error).message}`, EXIT.RUNTIME);
    }
    const now = (await store.tradeTags()).get(tradeId) ?? [];
    io.stdout.write(hasFlag(args, 'json') ? JSON.stringify({ id: tradeId, tags: now }) + '\n' : `${tradeId}: ${now.length ? now.join(', ') : '(no tags)'}\n`);
    return EXIT.OK;
  } finally {
    await store.close();
  }
};

/**
 * `appsierra journal day [DATE] [--store URL] [--mode M] [--account A] [--now ISO] [--session-start HH:MM]
 * [--tz ZONE] [--write DIR]`: the generated summary block of a session day's note (default: the
 * session containing now); --write also creates or refreshes DIR/DATE.md.
 */
export const journalCommand: CommandHandler = async (argv, io) => {
  const args = parseArgs(argv, ['partial']);
  allowFlags(args, ['store', 'mode', 'account', 'now', 'session-start', 'tz', 'write', 'partial'], 'journal');
  const [sub, date, ...extra] = args.positional;
  if (sub !== 'day' || extra.length) throw new CliError(`usage: appsierra journal day [YYYY-MM-DD] (got '${args.positional.join(' ')}')`, EXIT.USAGE);
  const session: SessionConfig = { sessionStart: flag(args, 'session-start') ?? DEFAULT_SESSION.sessionStart, timeZone: flag(args, 'tz') ?? DEFAULT_SESSION.timeZone };
  const bad = checkSessionConfig(session);
  if (bad) throw new CliError(`${bad} (--session-start / --tz)`, EXIT.USAGE);
  let now = Date.now();
  if (flag(args, 'now') !== undefined) {
    now = Date.parse(flag(args, 'now')!);
    if (Number.isNaN(now)) throw new CliError(`--now '${flag(args, 'now')}' is not an ISO-8601 time, e.g. 2025-06-01T15:00:00Z`, EXIT.USAGE);
  }
  const day = date ?? sessionDate(now, session);
  let bounds;
  try {
    bounds = sessionDayBounds(day, session);
  } catch (e) {
    throw new CliError((e as Error).message, EXIT.USAGE);
  }
  const mode = flag(args, 'mode') ? oneOf(flag(args, 'mode'), ['SIM', 'LIVE'] as const, 'mode') : undefined;
  const url = storeUrlFrom(args);
  const store = await openCliStore(url, { readOnly: true, partial: hasFlag(args, 'partial') });
  let block: string;
  try {
    const { trades, tags } = await readJournal(store, url, io, 'journal', { mode, account: flag(args, 'account'), fromMs: bounds.fromMs, toMs: bounds.toMs });
    const index = new TradeIndex({ session });
    index.load(trades, tags);
    const account = flag(args, 'account');
    const riskEvents = (await store.riskEvents?.({ fromDate: day, toDate: day, ...(account ? { account } : {}) }).catch(() => [])) ?? [];
    block = daySummaryBlock(day, index.select({ fromDay: day, toDay: day }), { session, riskEvents });
  } finally {
    await store.close();
  }
  io.stdout.write(block + '\n');
  const dir = flag(args, 'write');
  if (dir) {
    try {
      const w = writeDayNote(dir, day, block);
      io.stderr.write(`${w.path}: ${w.action}\n`);
    } catch (e) {
      throw new CliError((e as Error).message, EXIT.RUNTIME);
    }
  }
  return EXIT.OK;
};
