/**
 * `appsierra dtc decode|encode` and `appsierra simulate` (docs/CLI.md). Thin shells over
 * src/core/dtc: the framer/codecs for decode/encode, DtcSimulator for simulate.
 */
import * as fs from 'fs';
import { CliError, CliIO, CommandHandler, EXIT, allowFlags, flag, hasFlag, oneOf, parseArgs } from './args';
import { DtcSimulator } from '../core/dtc/simulator';
import { DtcDecoder } from '../core/dtc/framer';
import { encodeMessage, parseDtcJsonLine } from '../core/dtc/codec';

const DECODE_ENCODINGS = ['auto', 'binary', 'json', 'compact-json'] as const;
const ENCODE_ENCODINGS = ['binary', 'json', 'compact-json'] as const;

function openInput(path: string | undefined, io: CliIO): NodeJS.ReadableStream {
  if (!path || path === '-') return io.stdin;
  try {
    fs.accessSync(path, fs.constants.R_OK);
  } catch (e) {
    throw new CliError(`cannot read '${path}' (${(e as NodeJS.ErrnoException).code}); check the path, or pass - to read stdin`, EXIT.RUNTIME);
  }
  return fs.createReadStream(path);
}

/** Writes respecting back-pressure, so a huge decode never buffers all output in memory. */
async function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!text) return;
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
}

async function decode(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv);
  allowFlags(args, ['encoding'], 'dtc decode');
  const enc = oneOf(flag(args, 'encoding'), DECODE_ENCODINGS, 'encoding', 'auto');
  const input = openInput(args.positional[0], io);
  let problems = 0;
  const decoder = new DtcDecoder({
    encoding: enc === 'compact-json' ? 'json' : enc,
    // A capture usually starts with the binary ENCODING_RESPONSE; follow it like the client does.
    followEncodingResponse: enc === 'auto',
    onError: (e) => {
      problems++;
      io.stderr.write(`appsierra dtc decode: byte ${e.offset}: ${e.message}\n`);
    },
  });
  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : (chunk as Buffer);
    const msgs = decoder.push(buf);
    let text = '';
    for (const m of msgs) text += JSON.stringify(m) + '\n';
    await write(io.stdout, text);
    if (decoder.fatal) break;
  }
  decoder.end();
  return problems > 0 ? EXIT.BAD_INPUT : EXIT.OK;
}

async function* lines(input: NodeJS.ReadableStream): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of input) {
    rest += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('latin1');
    const parts = rest.split('\n');
    rest = parts.pop() ?? '';
    yield* parts;
  }
  if (rest) yield rest;
}

async function encode(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv);
  allowFlags(args, ['encoding'], 'dtc encode');
  const enc = oneOf(flag(args, 'encoding'), ENCODE_ENCODINGS, 'encoding');
  const input = openInput(args.positional[0], io);
  let problems = 0;
  let n = 0;
  for await (const line of lines(input)) {
    n++;
    if (!line.trim()) continue;
    try {
      const frame = encodeMessage(parseDtcJsonLine(line), enc);
      if (!io.stdout.write(frame)) await new Promise<void>((resolve) => io.stdout.once('drain', () => resolve()));
    } catch (e) {
      problems++;
      io.stderr.write(`appsierra dtc encode: line ${n}: ${(e as Error).message}\n`);
    }
  }
  return problems > 0 ? EXIT.BAD_INPUT : EXIT.OK;
}

export const dtcCommand: CommandHandler = async (argv, io) => {
  const [sub, ...rest] = argv;
  if (sub === 'decode') return decode(rest, io);
  if (sub === 'encode') return encode(rest, io);
  throw new CliError(`'dtc ${sub ?? ''}' is not a command; use 'appsierra dtc decode [--encoding auto|binary|json|compact-json] [FILE|-]' or 'appsierra dtc encode --encoding binary|json|compact-json [FILE|-]'`, EXIT.USAGE);
};

function numberFlag(value: string | undefined, name: string, fallback: number, ok: (n: number) => boolean, rule: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || !ok(n)) throw new CliError(`--${name} must be ${rule}, not '${value}'`, EXIT.USAGE);
  return n;
}

export const simulateCommand: CommandHandler = async (argv, io) => {
  const args = parseArgs(argv, ['disconnects']);
  allowFlags(args, ['host', 'port', 'encoding', 'scenario', 'speed', 'seed', 'disconnects', 'daily-loss-limit', 'trailing-drawdown', 'limit-accounts'], 'simulate');
  const host = flag(args, 'host') ?? '127.0.0.1';
  const port = numberFlag(flag(args, 'port'), 'port', 11099, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'a port number 0-65535 (0 = any free port)');
  const encoding = oneOf(flag(args, 'encoding'), ['auto', 'binary', 'json'] as const, 'encoding', 'auto');
  const speed = numberFlag(flag(args, 'speed'), 'speed', 1, (n) => n > 0 && n <= 1000, 'a number above 0 (10 = ten times faster)');
  const seed = numberFlag(flag(args, 'seed'), 'seed', 1, (n) => Number.isInteger(n), 'an integer');
  const scenario = flag(args, 'scenario') ?? 'random-day';
  // Risk limits the server sends with balances, as a prop-firm account's (the risk guard's end-to-end tests).
  const dailyNetLossLimit = numberFlag(flag(args, 'daily-loss-limit'), 'daily-loss-limit', 0, (n) => n >= 0, 'an amount of money >= 0');
  const trailingDrawdown = numberFlag(flag(args, 'trailing-drawdown'), 'trailing-drawdown', 0, (n) => n >= 0, 'an amount of money >= 0');
  const limitAccounts = flag(args, 'limit-accounts')?.split(',').map((a) => a.trim()).filter(Boolean);
  const limits = dailyNetLossLimit || trailingDrawdown ? { dailyNetLossLimit, trailingDrawdown, ...(limitAccounts?.length ? { accounts: limitAccounts } : {}) } : undefined;
  const sim = new DtcSimulator({
    host, port, encoding, speed, seed, scenario, disconnects: hasFlag(args, 'disconnects'), limits,
    logger: { warn: (m) => io.stderr.write(`${m}\n`), error: (m) => io.stderr.write(`${m}\n`) },
  });
  try {
    await sim.start();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') throw new CliError(`port ${port} on ${host} is already in use (Sierra Chart's DTC server or another simulator?); pass --port with a free port, or --port 0 for any`, EXIT.RUNTIME);
    if (err.code === 'EADDRNOTAVAIL') throw new CliError(`cannot listen on ${host}: no such local address; use --host 127.0.0.1`, EXIT.RUNTIME);
    throw new CliError(err.message, EXIT.RUNTIME);
  }
  io.stdout.write(`DTC simulator listening on ${host}:${sim.port} (scenario ${scenario}, encoding ${encoding}, speed ${speed}, seed ${seed}); Ctrl+C to stop\n`);
  await new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await sim.stop();
  io.stderr.write('DTC simulator stopped\n');
  return EXIT.OK;
};
