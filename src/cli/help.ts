/**
 * The one definition of every `appsierra` command as the user sees it: usage lines, options
 * (which also decide the flags a command accepts, see `optionNames`), and exit codes.
 * `appsierra help`, `appsierra <command> --help|-h` and `appsierra help <command>` print from here.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface OptionHelp {
  /** Flag name without dashes. */
  name: string;
  /** Placeholder of the value; absent for a flag that takes none. */
  arg?: string;
  text: string;
}

export interface CommandHelp {
  summary: string;
  usage: string[];
  options: OptionHelp[];
  /** Command-specific meaning of the exit codes, in order 0..3 where they apply. */
  exits: string[];
  notes?: string[];
}

const STORE: OptionHelp = { name: 'store', arg: 'URL', text: 'sqlite:PATH or postgres://user@host:port/db (default: env APPSIERRA_STORE, else the extension\'s SQLite file)' };
const JSON_OUT: OptionHelp = { name: 'json', text: 'print JSON instead of a table' };
const MODE: OptionHelp = { name: 'mode', arg: 'SIM|LIVE', text: 'only SIM or only LIVE accounts' };
const STARTING: OptionHelp = { name: 'starting-balance', arg: 'N', text: 'SIM starting balance, > 0 and <= 1e9 (default 10000)' };
const SIM_PATTERN: OptionHelp = { name: 'sim-pattern', arg: 'REGEX', text: "accounts matching this case-insensitive pattern are SIM (default '^sim')" };
const PARTIAL: OptionHelp = { name: 'partial', text: 'answer even when only part of the store is readable (PostgreSQL down: the local outbox), said on stderr; without it such a read exits 2' };
const SUBSET: OptionHelp[] = [
  { name: 'symbol', arg: 'S', text: 'only this contract symbol' },
  { name: 'side', arg: 'LONG|SHORT', text: 'only long or only short trades' },
  { name: 'tag', arg: 'T', text: 'only trades with this tag (untagged: the trades without any)' },
];
const READ_EXITS = ['0 done', '1 usage error', "2 the store cannot be read (a missing SQLite file is an error: run 'appsierra db init' or fix --store)"];

export const COMMAND_HELP: Record<string, CommandHelp> = {
  dtc: {
    summary: 'decode a raw DTC byte stream to JSON lines, or encode JSON lines to DTC frames',
    usage: ['appsierra dtc decode [--encoding auto|binary|json|compact-json] [FILE|-]', 'appsierra dtc encode --encoding binary|json|compact-json [FILE|-]'],
    options: [{ name: 'encoding', arg: 'ENC', text: 'decode: auto (default, detected from the first bytes), binary, json, compact-json; encode: required' }],
    exits: ['0 done', '1 usage error', '2 the input cannot be read', '3 malformed or truncated frames were reported on stderr (decoding went on)'],
    notes: ['One JSON object per line, "Type" first; unset values print as null; unknown types as {"Type":N,"Unknown":true,"Size":S}.'],
  },
  simulate: {
    summary: "run a DTC server that behaves like Sierra Chart's (demo and test feed)",
    usage: ['appsierra simulate [--host 127.0.0.1] [--port 11099] [--encoding auto|binary|json] [--scenario random-day|smoke|FILE] [--speed X] [--seed N] [--disconnects] [--daily-loss-limit N] [--trailing-drawdown N] [--limit-accounts A,B]'],
    options: [
      { name: 'host', arg: 'ADDR', text: 'address to listen on (default 127.0.0.1, loopback only)' },
      { name: 'port', arg: 'N', text: 'port (default 11099; 0 = any free port)' },
      { name: 'encoding', arg: 'ENC', text: 'auto (default: whatever the client asks for), binary or json' },
      { name: 'scenario', arg: 'NAME|FILE', text: 'random-day (default), smoke, or a file of DTC JSON lines with {"Wait":ms} / {"Disconnect":true}' },
      { name: 'speed', arg: 'X', text: 'play the scenario X times faster (default 1)' },
      { name: 'seed', arg: 'N', text: 'random seed of random-day (default 1)' },
      { name: 'disconnects', text: 'random-day drops every client now and then' },
      { name: 'daily-loss-limit', arg: 'N', text: 'send DailyNetLossLimit N with every account balance (and DailyNetLossLimitReached once the day loses N)' },
      { name: 'trailing-drawdown', arg: 'N', text: 'send TrailingAccountValueToLimitPositions = highest cash balance - N (a prop-firm trailing floor)' },
      { name: 'limit-accounts', arg: 'A,B', text: 'only these accounts have the limits (default: every account)' },
    ],
    exits: ['0 stopped with Ctrl+C', '1 usage error', '2 cannot listen (port in use, no such address)'],
  },
  ingest: {
    summary: 'feed a recorded DTC stream (raw frames or DTC JSON lines) through the trade engine into a store',
    usage: ['appsierra ingest [FILE|-] --store URL [--encoding auto|binary|json|compact-json] [--specs FILE] [--follow]'],
    options: [
      STORE,
      { name: 'encoding', arg: 'ENC', text: 'auto (default), binary, json or compact-json' },
      { name: 'specs', arg: 'FILE', text: 'contract specs JSON, e.g. {"MNQ": {"tickSize": 0.25, "pointValue": 2, "roundTurnFee": 1.00}}; wins over the built-in table' },
      { name: 'follow', text: 'keep reading and print {"committed":TRADE_ID} once each closed trade is durable' },
      SIM_PATTERN,
      STARTING,
    ],
    exits: ['0 done', '1 usage error (including a --specs file that cannot be used)', '2 the store cannot be opened or written', '3 bad input data (malformed frames, unknown contracts, bad --specs entries) was reported and skipped'],
    notes: ['Idempotent: fills are keyed by execution id, so ingesting the same file twice adds nothing.', 'Prints {"messages":N,"fills":N,"duplicateFills":N,"tradesClosed":N,"openPositions":N,"errors":N}.'],
  },
  import: {
    summary: "trade history from Sierra Chart (Trade Activity Log export, Save Log As, .data file) or an APPSIERRA export, through the same engine",
    usage: [
      'appsierra import FILE... [--store URL] [--format auto|sierra-export|sierra-log|sierra-data|appsierra-csv|appsierra-json] [--specs FILE] [--time-zone TZ] [--account A] [--dry-run] [--json]',
      'appsierra import undo BATCH [--store URL] [--json]',
      'appsierra import list [--store URL] [--json]',
    ],
    options: [
      STORE,
      { name: 'format', arg: 'FMT', text: 'auto (default, detected), sierra-export, sierra-log, sierra-data, appsierra-csv or appsierra-json' },
      { name: 'specs', arg: 'FILE', text: 'contract specs JSON, as for ingest' },
      { name: 'time-zone', arg: 'TZ', text: "IANA zone of a Save Log As file's times, the zone Sierra Chart displays (default: env APPSIERRA_IMPORT_TIME_ZONE)" },
      { name: 'account', arg: 'A', text: 'the account of rows that name none; rows of another account are skipped' },
      { name: 'dry-run', text: 'report what would be imported, change nothing' },
      JSON_OUT,
      SIM_PATTERN,
      STARTING,
    ],
    exits: ['0 done (rows that could not be used are counted as skipped, with their reasons)', '1 usage error', '2 the store cannot be read or written', '3 a file is not trade history of the expected format, or is a Save Log As file without --time-zone: the message says what was expected and quotes its first line; nothing is imported'],
    notes: ['Fills already stored (live or from an earlier import) are skipped. Each run is a batch: import undo BATCH removes it and rebuilds.'],
  },
  rebuild: {
    summary: "recompute every trade from the stored fills with today's specs and fees",
    usage: ['appsierra rebuild [--store URL] [--specs FILE] [--dry-run] [--json]'],
    options: [STORE, { name: 'specs', arg: 'FILE', text: 'contract specs JSON, as for ingest' }, { name: 'dry-run', text: 'report the differences, change nothing' }, JSON_OUT, SIM_PATTERN, STARTING],
    exits: ['0 done', '1 usage error', '2 the store cannot be read or written'],
  },
  trades: {
    summary: 'list closed trades, oldest exit first',
    usage: ['appsierra trades [--store URL] [--mode SIM|LIVE] [--account A] [--from ISO] [--to ISO] [--symbol S] [--side LONG|SHORT] [--tag T] [--json] [--partial]'],
    options: [STORE, MODE, { name: 'account', arg: 'A', text: 'one account' }, { name: 'from', arg: 'ISO', text: 'exits at or after this time' }, { name: 'to', arg: 'ISO', text: 'exits before this time' }, ...SUBSET, JSON_OUT, PARTIAL],
    notes: ['Each trade carries its tags.'],
    exits: READ_EXITS,
  },
  stats: {
    summary: 'the stats grid (P&L, drawdown, hit rate, expectancy, R, MAE/MFE...) for one filter',
    usage: ['appsierra stats --mode SIM|LIVE [--store URL] [--account A] [--tf 1D|1W|1M|3M|YTD|ALL] [--now ISO] [--session-start HH:MM] [--tz ZONE] [--json] [--partial]',
      'appsierra stats --mode SIM|LIVE --by symbol|side|hour|weekday|duration|tag [--symbol S] [--side LONG|SHORT] [--tag T] [same options]',
    ],
    options: [
      STORE,
      { ...MODE, text: 'SIM or LIVE (required)' },
      { name: 'account', arg: 'A', text: 'one account (default: every account of the mode)' },
      { name: 'tf', arg: 'TF', text: '1D, 1W, 1M, 3M, YTD or ALL (default ALL)' },
      { name: 'now', arg: 'ISO', text: 'the clock for the timeframe (default: now)' },
      { name: 'session-start', arg: 'HH:MM', text: 'trading session start (default 17:00)' },
      { name: 'tz', arg: 'ZONE', text: 'IANA time zone of the session start, or local (default America/Chicago)' },
      { name: 'by', arg: 'KEY', text: 'one grid per symbol, side, hour, weekday, duration or tag: [{"key": K, "stats": {...}}]' },
      ...SUBSET,
      JSON_OUT,
      PARTIAL,
    ],
    exits: READ_EXITS,
  },
  tag: {
    summary: 'add or remove tags on a trade (tags are stored with it)',
    usage: ['appsierra tag add TRADE_ID TAG... [--store URL] [--json]', 'appsierra tag remove TRADE_ID TAG... [--store URL] [--json]'],
    options: [STORE, { name: 'json', text: 'print {"id": TRADE_ID, "tags": [...]} instead of a line' }],
    exits: ['0 done', "1 usage error, a bad tag, or no trade with that id (ids: 'appsierra trades --json')", '2 the tags could not be stored'],
    notes: ['Prints the trade\'s tags after the change.'],
  },
  journal: {
    summary: "the generated summary block of a session day's note",
    usage: ['appsierra journal day [YYYY-MM-DD] [--store URL] [--mode SIM|LIVE] [--account A] [--now ISO] [--session-start HH:MM] [--tz ZONE] [--write DIR] [--partial]'],
    options: [
      STORE,
      MODE,
      { name: 'account', arg: 'A', text: 'one account' },
      { name: 'now', arg: 'ISO', text: 'the clock that picks the default day (the session containing now)' },
      { name: 'session-start', arg: 'HH:MM', text: 'trading session start (default 17:00)' },
      { name: 'tz', arg: 'ZONE', text: 'IANA time zone of the session start, or local (default America/Chicago)' },
      { name: 'write', arg: 'DIR', text: 'also create or refresh DIR/DATE.md (the block is replaced in place between its markers)' },
      PARTIAL,
    ],
    exits: READ_EXITS,
  },
  db: {
    summary: 'database diagnostics: checklist, schema creation/migration, fast health probe',
    usage: ['appsierra db check [--store URL] [--deep [--specs FILE] [--sim-pattern RE] [--starting-balance N]]', 'appsierra db init [--store URL]', 'appsierra db health [--store URL]'],
    options: [
      STORE,
      { name: 'deep', text: 'check: also rebuild every trade from the stored fills and check the SIM ledger against the trades; every difference is named' },
      { name: 'specs', arg: 'FILE', text: 'with --deep: contract specs to rebuild with (as ingest --specs)' },
      SIM_PATTERN,
      STARTING,
    ],
    exits: ['0 healthy / done', '1 usage error', '2 a check failed, or the store is unhealthy or missing'],
    notes: ['init creates the store (or migrates its schema); check and health never create anything.'],
  },
  monitor: {
    summary: 'persistence report across the SIM balance file, the trade store, the stats and the outbox',
    usage: ['appsierra monitor report [--store URL] [--starting-balance N]', 'appsierra monitor watch [--store URL] [--interval S] [--count N]'],
    options: [STORE, { name: 'interval', arg: 'S', text: 'watch: seconds between checks (default 2)' }, { name: 'count', arg: 'N', text: 'watch: stop after N printed reports (default: until Ctrl+C)' }, STARTING],
    exits: ['0 consistent (watch: stopped)', '1 usage error', '2 inconsistent, or the store cannot be read'],
  },
  risk: {
    summary: "the risk guard's status for the current trading session: room to each limit, tilt rules, the day's stored breaches",
    usage: ['appsierra risk status [--account A] [--store URL] [--json] [--limits FILE] [--daily-loss-limit N] [--max-trades N] [--max-losses N] [--trailing-drawdown N] [--now ISO] [--session-start HH:MM] [--tz ZONE] [--partial]'],
    options: [
      STORE,
      { name: 'account', arg: 'A', text: 'one account (default: every account with a limit)' },
      { name: 'limits', arg: 'FILE', text: 'the appsierra.risk settings as JSON, e.g. {"dailyLossLimit": 500, "accounts": {"Apex-1": {"trailingDrawdown": 2500}}}' },
      { name: 'daily-loss-limit', arg: 'N', text: 'the session may lose at most N (over --limits)' },
      { name: 'max-trades', arg: 'N', text: 'tilt rule: N trades in the session' },
      { name: 'max-losses', arg: 'N', text: 'tilt rule: N losses in a row' },
      { name: 'trailing-drawdown', arg: 'N', text: 'floor = highest closed-trade balance - N' },
      { name: 'now', arg: 'ISO', text: 'the clock that picks the session (default: now)' },
      { name: 'session-start', arg: 'HH:MM', text: 'trading session start (default 17:00)' },
      { name: 'tz', arg: 'ZONE', text: 'IANA time zone of the session start, or local (default America/Chicago)' },
      STARTING,
      SIM_PATTERN,
      JSON_OUT,
      PARTIAL,
    ],
    exits: READ_EXITS,
    notes: [
      'Closed trades only: the CLI has no live connection, so open P&L and the limits Sierra Chart sends are not known here; the breaches the extension stored (server limits included) are listed.',
      'The guard only warns: APPSIERRA never sends or cancels an order.',
    ],
  },
  'sim-balance': {
    summary: 'show the SIM balance and its reset history, or record a reset',
    usage: ['appsierra sim-balance show [--account SIM_ACCOUNT] [--store URL] [--json] [--partial]', 'appsierra sim-balance reset [--account SIM_ACCOUNT] [--starting-balance N] [--store URL]'],
    options: [
      STORE,
      { name: 'account', arg: 'A', text: 'one SIM account (without it: every SIM account; an empty value is refused)' },
      STARTING,
      SIM_PATTERN,
      JSON_OUT,
      { ...PARTIAL, text: `show: ${PARTIAL.text}; a reset never works from a partial view` },
    ],
    exits: ['0 done', '1 usage error (including a LIVE account or a bad starting balance)', '2 the store cannot be read or written'],
    notes: ['A reset is an event: no trade is deleted.'],
  },
  export: {
    summary: 'every closed trade as CSV or JSON (round-trippable; CSV text cells are safe to open in a spreadsheet)',
    usage: ['appsierra export --format csv|json [--store URL] [--mode SIM|LIVE] [--out FILE] [--partial]'],
    options: [STORE, { name: 'format', arg: 'csv|json', text: 'required' }, MODE, { name: 'out', arg: 'FILE', text: 'write to FILE instead of stdout' }, PARTIAL],
    exits: READ_EXITS,
  },
  bench: {
    summary: 'the performance suite',
    usage: ['appsierra bench [--json] [--trades N] [--only dtc,store,stats,journal,import,ready,statusbar,host]'],
    options: [JSON_OUT, { name: 'trades', arg: 'N', text: 'size of the synthetic history' }, { name: 'only', arg: 'LIST', text: 'comma-separated suites to run: dtc, store, stats, journal, import, ready, statusbar, host (default: all but host, which takes minutes)' }],
    exits: ['0 done', '1 usage error'],
  },
};

/** The flags a command accepts: exactly the options its help documents. */
export function optionNames(command: string): string[] {
  return COMMAND_HELP[command].options.map((o) => o.name);
}

/** The flags of a command that take no value. */
export function booleanOptions(command: string): string[] {
  return COMMAND_HELP[command].options.filter((o) => o.arg === undefined).map((o) => o.name);
}

export function commandHelpText(command: string): string {
  const h = COMMAND_HELP[command];
  const width = Math.max(...h.options.map((o) => optionLabel(o).length));
  const lines = [`appsierra ${command}: ${h.summary}`, '', 'Usage:', ...h.usage.map((u) => `  ${u}`), ''];
  if (h.options.length) lines.push('Options:', ...h.options.map((o) => `  ${optionLabel(o).padEnd(width)}  ${o.text}`), `  ${'-h, --help'.padEnd(width)}  this help`, '');
  if (h.notes?.length) lines.push(...h.notes, '');
  lines.push(`Exit codes: ${h.exits.join('; ')}.`, `Reference: ${docsPath('CLI.md')}`, '');
  return lines.join('\n');
}

function optionLabel(o: OptionHelp): string {
  return o.arg ? `--${o.name} ${o.arg}` : `--${o.name}`;
}

export function usageText(): string {
  const names = Object.keys(COMMAND_HELP);
  const width = Math.max(...names.map((n) => n.length));
  return [
    'appsierra: Sierra Chart DTC trade journal (command line)',
    '',
    'Usage: appsierra <command> [options]      appsierra <command> --help',
    '',
    ...names.map((n) => `  ${n.padEnd(width)}  ${COMMAND_HELP[n].summary}`),
    '',
    'Stores: --store sqlite:PATH | postgres://user@host:port/db (or env APPSIERRA_STORE); default: the',
    "extension's SQLite file. PostgreSQL password: env PGPASSWORD or APPSIERRA_PG_PASSWORD (never in the URL).",
    'Exit codes: 0 ok, 1 usage error, 2 runtime failure, 3 bad input data (reported, processing went on).',
    `Reference: ${docsPath('CLI.md')}; trading math: ${docsPath('TRADING-MATH.md')}; DTC notes: ${docsPath('DTC.md')}`,
    '',
  ].join('\n');
}

/** docs/NAME inside the installed package when it is there (bundle in dist/, so one level up), else its place in the repository. */
export function docsPath(name: string): string {
  for (const dir of [path.join(__dirname, '..', 'docs'), path.join(__dirname, '..', '..', 'docs')]) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return p;
  }
  return `docs/${name} in the APPSIERRA repository`;
}
