/** `appsierra monitor report|watch [--interval S] --store URL`: the persistence report across the layers. */
import { allowFlags, CliError, CommandHandler, EXIT, flag, parseArgs } from './args';
import { booleanOptions, optionNames } from './help';
import { openCliStore, storeDirOf, storeUrlFrom } from './storeArg';
import { buildPersistenceReport } from '../core/diagnostics/report';
import { SimBalanceLedger, SimBalanceMirror } from '../core/sim';
import { StoreReadError } from '../core/store/fsErrors';
import { startingBalanceFlag } from './simArgs';

export const monitorCommand: CommandHandler = async (argv, io) => {
  const args = parseArgs(argv, booleanOptions('monitor'));
  allowFlags(args, optionNames('monitor'), 'monitor');
  const action = args.positional[0];
  if (action !== 'report' && action !== 'watch') throw new CliError("monitor needs 'report' or 'watch'", EXIT.USAGE);
  const interval = Number(flag(args, 'interval') ?? 2);
  if (!(interval > 0)) throw new CliError('--interval must be a number of seconds > 0', EXIT.USAGE);
  // --count bounds watch (for scripts and tests); without it, watch runs until Ctrl+C.
  const count = flag(args, 'count') ? Number(flag(args, 'count')) : Infinity;
  const starting = startingBalanceFlag(args);
  const url = storeUrlFrom(args);
  const mirror = new SimBalanceMirror(storeDirOf(url));

  const once = async () => {
    const store = await openCliStore(url, { readOnly: true });
    try {
      const ledger = new SimBalanceLedger(starting);
      let unreadable: string | undefined;
      try {
        ledger.load(await store.simEvents());
      } catch (err) {
        if (!(err instanceof StoreReadError)) throw err;
        unreadable = err.message;
      }
      return await buildPersistenceReport({ store, ledger, mirror, pendingCommits: 0, startingBalance: starting, nowMs: Date.now(), unreadable });
    } finally {
      await store.close();
    }
  };

  if (action === 'report') {
    const r = await once();
    io.stdout.write(r.text);
    return r.consistent ? EXIT.OK : EXIT.RUNTIME;
  }
  let last = '';
  let printed = 0;
  let stop = false;
  const onSig = () => (stop = true);
  process.once('SIGINT', onSig);
  try {
    while (!stop && printed < count) {
      const r = await once();
      if (r.fingerprint !== last) {
        last = r.fingerprint;
        printed++;
        io.stdout.write(r.text + '\n');
      }
      if (printed >= count) break;
      await new Promise((res) => setTimeout(res, interval * 1000));
    }
  } finally {
    process.removeListener('SIGINT', onSig);
  }
  return EXIT.OK;
};
