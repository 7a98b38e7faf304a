/**
 * `appsierra`: the command line over the same core as the extension (docs/CLI.md).
 * Each command group lives in src/cli/<group>.ts and its help in src/cli/help.ts; this file only
 * dispatches, prints help, redacts secrets from what it prints and reports errors.
 */
import { CliError, CommandHandler, EXIT, CliIO } from './cli/args';
import { COMMANDS, USAGE } from './cli/commands';
import { COMMAND_HELP, commandHelpText } from './cli/help';
import { redactSecrets } from './core/redact';

/** Commands whose stdout is a human report that may name a store: redacted like stderr. Data commands print data untouched (dtc writes binary). */
const REPORT_COMMANDS = new Set(['db', 'monitor']);

export async function main(argv: string[], rawIo: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  const io: CliIO = { stdin: rawIo.stdin, stdout: REPORT_COMMANDS.has(name) ? redacting(rawIo.stdout) : rawIo.stdout, stderr: redacting(rawIo.stderr) };
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic !== undefined) {
      if (!COMMAND_HELP[topic]) {
        io.stderr.write(`appsierra help: unknown command '${topic}'; run 'appsierra help' for the list\n`);
        return EXIT.USAGE;
      }
      io.stdout.write(commandHelpText(topic));
      return EXIT.OK;
    }
    io.stdout.write(USAGE);
    return name ? EXIT.OK : EXIT.USAGE;
  }
  const handler: CommandHandler | undefined = COMMANDS[name];
  if (!handler) {
    io.stderr.write(`appsierra: unknown command '${name}'; run 'appsierra help' for the list\n`);
    return EXIT.USAGE;
  }
  if (asksForHelp(rest)) {
    io.stdout.write(commandHelpText(name));
    return EXIT.OK;
  }
  try {
    return await handler(rest, io);
  } catch (err) {
    const exit = err instanceof CliError ? err.exitCode : EXIT.RUNTIME;
    io.stderr.write(`appsierra ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return exit;
  }
}

/** `-h`/`--help` anywhere before a `--` terminator. */
function asksForHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** The same stream, with every write passed through the one core redaction (passwords in URLs). */
function redacting(stream: NodeJS.WritableStream): NodeJS.WritableStream {
  const write = (chunk: unknown, ...rest: unknown[]) =>
    (stream.write as (...a: unknown[]) => boolean)(typeof chunk === 'string' ? redactSecrets(chunk) : Buffer.isBuffer(chunk) ? redactSecrets(chunk.toString('utf8')) : chunk, ...rest);
  return new Proxy(stream, {
    get(target, prop) {
      if (prop === 'write') return write;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/**
 * A reader that stops early (`appsierra trades | head -1`) closes the pipe: that is the reader's
 * choice, not an error, so the CLI ends quietly instead of dying with an EPIPE stack trace.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.OK);
    process.stderr.write(`appsierra: cannot write output: ${redactSecrets(err.message)}\n`);
    process.exit(EXIT.RUNTIME);
  });
}

if (require.main === module) {
  quietOnClosedPipe(process.stdout);
  process.stderr.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.OK);
  });
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`appsierra: ${redactSecrets(String(err))}\n`);
      process.exitCode = EXIT.RUNTIME;
    },
  );
}
