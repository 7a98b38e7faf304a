/** The command table: one entry per `appsierra` command group. */
import type { CommandHandler } from './args';
import { dtcCommand, simulateCommand } from './dtc';
import { benchCommand } from './bench';
import { ingestCommand } from './ingest';
import { exportCommand, tradesCommand } from './trades';
import { simBalanceCommand } from './simBalance';
import { monitorCommand } from './monitor';
import { dbCommand } from './db';
import { statsCommand } from './stats';
import { importCommand, rebuildCommand } from './import';
import { journalCommand, statsSubsetCommand, tagCommand } from './journal';

/** `stats` with a breakdown or a journal subset filter goes through the journal's TradeIndex. */
const journalStatsFlag = /^--?(by|symbol|side|tag)(=|$)/;

export const COMMANDS: Record<string, CommandHandler> = {
  dtc: dtcCommand,
  simulate: simulateCommand,
  ingest: ingestCommand,
  import: importCommand,
  rebuild: rebuildCommand,
  trades: tradesCommand,
  stats: (argv, io) => (argv.some((a) => journalStatsFlag.test(a)) ? statsSubsetCommand(argv, io) : statsCommand(argv, io)),
  tag: tagCommand,
  journal: journalCommand,
  db: dbCommand,
  monitor: monitorCommand,
  'sim-balance': simBalanceCommand,
  export: exportCommand,
  bench: benchCommand,
};

export const USAGE = `appsierra — Sierra Chart DTC trade journal (CLI)

Usage: appsierra <command> [options]

  dtc decode|encode     decode a raw DTC stream to JSON lines, or encode JSON lines to frames
  simulate              run a DTC server that behaves like Sierra Chart's (demo/test feed)
  ingest                feed a recorded DTC stream through the trade engine into a store
  import FILE...        trade history from Sierra Chart (Trade Activity Log export / Save Log As /
                        .data) or an APPSIERRA export; 'import undo BATCH', 'import list'
  rebuild               recompute every trade from the stored fills with today's specs and fees
  trades                list closed trades
  stats                 the 15-metric stats grid for a mode/account/timeframe;
                        --by symbol|side|hour|weekday|duration|tag: one grid per group
  tag add|remove        tags on a trade (TRADE_ID TAG...)
  journal day [DATE]    the generated summary block of a session day's note
  db check|init|health  database diagnostics
  monitor report|watch  persistence report across SIM balance file, store, stats and outbox
  sim-balance show|reset
  export                every closed trade as CSV or JSON
  bench                 the performance suite

Stores: --store sqlite:PATH | postgres://user@host:port/db (or env APPSIERRA_STORE);
default: the extension's SQLite file. PostgreSQL password: env PGPASSWORD or APPSIERRA_PG_PASSWORD.
Exit codes: 0 ok, 1 usage, 2 runtime failure, 3 bad input data.
See shared/design/CLI.md for the JSON shapes.
`;
