import { allowFlags, CommandHandler, flag, hasFlag, parseArgs, EXIT } from './args';
import { booleanOptions, optionNames } from './help';
import { formatTables } from '../bench/suite';
import { BENCH_SUITES } from '../bench/index';

/** `appsierra bench [--json] [--trades N] [--only dtc,store,stats,journal,import,ready,statusbar,host]`: the performance suite. */
export const benchCommand: CommandHandler = async (argv, io) => {
  const args = parseArgs(argv, booleanOptions('bench'));
  allowFlags(args, optionNames('bench'), 'bench');
  const only = flag(args, 'only')?.split(',');
  const trades = flag(args, 'trades') ? Number(flag(args, 'trades')) : undefined;
  const tables = [];
  for (const suite of BENCH_SUITES) {
    if (only && !only.includes(suite.name)) continue;
    tables.push(...(await suite.run({ trades, named: !!only })));
  }
  io.stdout.write(hasFlag(args, 'json') ? JSON.stringify(tables, null, 2) + '\n' : formatTables(tables));
  return EXIT.OK;
};
