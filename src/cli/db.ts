/**
 * `appsierra db check|init|health [--store URL]`: database diagnostics (exit 0 healthy, 2 not).
 * `db check --deep [--specs FILE]` also rebuilds the trades from the stored fills.
 */
import { allowFlags, CliError, CommandHandler, EXIT, flag, hasFlag, parseArgs } from './args';
import { booleanOptions, optionNames } from './help';
import { ContractSpecs, loadSpecsFile } from '../core/trading';
import { DEFAULT_SETTINGS } from '../core/settings';
import { checkStore, initStore, storeHealth } from '../core/diagnostics/database';
import { defaultSqlitePath } from '../core/store/open';
import { CONNECT_TIMEOUT_MS } from './storeArg';

export const dbCommand: CommandHandler = async (argv, io) => {
  const args = parseArgs(argv, booleanOptions('db'));
  allowFlags(args, optionNames('db'), 'db');
  const action = args.positional[0];
  if (!action || !['check', 'init', 'health'].includes(action) || args.positional.length > 1) {
    throw new CliError(`usage: appsierra db check|init|health [--store URL]${action ? ` (unknown action '${args.positional.join(' ')}')` : ''}`, EXIT.USAGE);
  }
  const url = flag(args, 'store') ?? (process.env.APPSIERRA_STORE || undefined) ?? `sqlite:${defaultSqlitePath()}`;
  const opts = { password: process.env.PGPASSWORD || process.env.APPSIERRA_PG_PASSWORD || undefined, connectTimeoutMs: CONNECT_TIMEOUT_MS };
  if (action === 'check') {
    const items = await checkStore(url, { ...opts, deep: hasFlag(args, 'deep') ? deepOptions(flag(args, 'specs'), flag(args, 'sim-pattern'), flag(args, 'starting-balance')) : undefined });
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

/** The replay of --deep uses the same specs as ingest (--specs FILE, else the built-in ones). */
function deepOptions(specsFile: string | undefined, simPattern: string | undefined, starting: string | undefined) {
  let overrides = {};
  if (specsFile) {
    try {
      overrides = loadSpecsFile(specsFile);
    } catch (e) {
      throw new CliError(`--specs ${specsFile}: ${(e as Error).message}`, EXIT.USAGE);
    }
  }
  return { specs: new ContractSpecs(overrides), simPattern: simPattern ?? DEFAULT_SETTINGS.sim.accountPattern, startingBalance: Number(starting ?? DEFAULT_SETTINGS.sim.startingBalance) };
}
