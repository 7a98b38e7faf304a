/**
 * `appsierra`: the command line over the same core as the extension (shared/design/CLI.md).
 * Each command group lives in src/cli/<group>.ts; this file only dispatches and reports errors.
 */
import { CliError, CommandHandler, EXIT, CliIO } from './cli/args';
import { COMMANDS, USAGE } from './cli/commands';

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(USAGE);
    return name ? EXIT.OK : EXIT.USAGE;
  }
  const handler: CommandHandler | undefined = COMMANDS[name];
  if (!handler) {
    io.stderr.write(`appsierra: unknown command '${name}'; run 'appsierra help' for the list\n`);
    return EXIT.USAGE;
  }
  try {
    return await handler(rest, io);
  } catch (err) {
    if (err instanceof CliError) {
      io.stderr.write(`appsierra ${name}: ${err.message}\n`);
      return err.exitCode;
    }
    const msg = err instanceof Error ? err.message : String(err);
    io.stderr.write(`appsierra ${name}: ${msg}\n`);
    return EXIT.RUNTIME;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`appsierra: ${String(err)}\n`);
      process.exitCode = EXIT.RUNTIME;
    },
  );
}
