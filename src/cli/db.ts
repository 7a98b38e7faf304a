/** `appsierra db check|init|health [--store URL]`: database diagnostics (exit 0 healthy, 2 not). */
import { allowFlags, CliError, CommandHandler, EXIT, flag, parseArgs } from './args';
import { booleanOptions, optionNames } from './help';
import { checkStore, initStore, storeHealth } from '../core/diagnostics/database';
import { defaultSqlitePath } from '../core/store/open';

export const dbCommand: CommandHandler = async (argv, io) => {
  const args = parseArgs(argv, booleanOptions('db'));
  allowFlags(args, optionNames('db'), 'db');
  const action = args.positional[0];
  if (!action || !['check', 'init', 'health'].includes(action) || args.positional.length > 1) {
    throw new CliError(`usage: appsierra db check|init|health [--store URL]${action ? ` (unknown action '${args.positional.join(' ')}')` : ''}`, EXIT.USAGE);
  }
  const url = flag(args, 'store') ?? (process.env.APPSIERRA_STORE || undefined) ?? `sqlite:${defaultSqlitePath()}`;
  const opts = { password: process.env.PGPASSWORD || process.env.APPSIERRA_PG_PASSWORD || undefined };
  if (action === 'check') {
    const items = await checkStore(url, opts);
    for (const i of items) io.stdout.write(`${i.ok ? '✓' : '✗'} ${i.name}: ${i.detail}\n`);
    return items.every((i) => i.ok) ? EXIT.OK : EXIT.RUNTIME;
  }
  if (action === 'health') {
    const h = await storeHealth(url, opts);
    io.stdout.write(`${h.ok ? '✓ healthy' : '✗ unhealthy'}: ${h.detail}\n`);
    return h.ok ? EXIT.OK : EXIT.RUNTIME;
  }
  try {
    io.stdout.write(`${await initStore(url, opts)}\n`);
    return EXIT.OK;
  } catch (err) {
    throw new CliError(`db init failed: ${(err as Error).message}`, EXIT.RUNTIME);
  }
};
