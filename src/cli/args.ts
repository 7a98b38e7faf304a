/**
 * Small, strict argument parsing for the `appsierra` CLI, and the exit codes of the CLI contract
 * (docs/CLI.md): 0 ok, 1 usage, 2 runtime failure, 3 bad input data.
 */
export const EXIT = { OK: 0, USAGE: 1, RUNTIME: 2, BAD_INPUT: 3 } as const;

/** An error that carries its exit code; its message is one sentence: what failed, why, what to do. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT.RUNTIME) {
    super(message);
  }
}

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/**
 * Parses `--name value`, `--name=value` and bare `--flag`. `booleans` lists flags that never take
 * a value; every other flag requires one.
 */
export function parseArgs(argv: string[], booleans: readonly string[] = []): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-' || !a.startsWith('-')) {
      positional.push(a);
      continue;
    }
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    const eq = a.indexOf('=');
    const name = (eq >= 0 ? a.slice(0, eq) : a).replace(/^--?/, '');
    if (eq >= 0) {
      flags.set(name, a.slice(eq + 1));
    } else if (booleans.includes(name)) {
      flags.set(name, true);
    } else {
      const v = argv[i + 1];
      if (v === undefined || (v.startsWith('--') && v.length > 2)) throw new CliError(`--${name} needs a value; see the command's --help`, EXIT.USAGE);
      flags.set(name, v);
      i++;
    }
  }
  return { positional, flags };
}

export function flag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return v === true ? undefined : v;
}

export function hasFlag(args: ParsedArgs, name: string): boolean {
  return args.flags.has(name);
}

/** Rejects flags the command does not know, so a typo is never silently ignored. */
export function allowFlags(args: ParsedArgs, known: readonly string[], command: string): void {
  for (const name of args.flags.keys()) {
    if (!known.includes(name)) throw new CliError(`unknown option --${name} for '${command}'; see 'appsierra ${command.split(' ')[0]} --help'`, EXIT.USAGE);
  }
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string, fallback?: T): T {
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    throw new CliError(`--${name} is required (one of ${allowed.join(', ')})`, EXIT.USAGE);
  }
  const hit = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (!hit) throw new CliError(`--${name} must be one of ${allowed.join(', ')}, not '${value}'`, EXIT.USAGE);
  return hit;
}

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

export type CommandHandler = (argv: string[], io: CliIO) => Promise<number>;
