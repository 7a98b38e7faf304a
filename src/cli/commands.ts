/** The command table: one entry per `appsierra` command group. */
import type { CommandHandler } from './args';
import { usageText } from './help';
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
import { riskCommand } from './risk';

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
  risk: riskCommand,
  'sim-balance': simBalanceCommand,
  export: exportCommand,
  bench: benchCommand,
};

/** The overview `appsierra help` prints; each command's own help is in help.ts. */
export const USAGE = usageText();
