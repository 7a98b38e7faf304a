/**
 * `appsierra ingest [FILE|-] --store URL [--encoding auto|binary|json|compact-json] [--specs FILE] [--follow]`
 * feeds a recorded DTC stream (raw frames or DTC JSON lines) through the same TradeSession the
 * extension uses (journal, SIM ledger and mirror, monthly resets). With --follow, `{"committed":TRADE_ID}` is printed only after the trade is durable.
 */
import * as fs from 'fs';
import { allowFlags, CliError, CommandHandler, EXIT, flag, hasFlag, oneOf, parseArgs } from './args';
import { booleanOptions, optionNames } from './help';
import { openCliStore, readRefusal, storeDirOf, storeUrlFrom, tellRecovery } from './storeArg';
import { OutageNotice } from './outageNotice';
import { withProblemLog } from '../core/diagnostics/problemLog';
import type { TradeStore } from '../core/store/types';
import { TradeSession } from '../core/session';
import { maskUrl } from '../core/store';
import { ContractSpecs, loadSpecsFile } from '../core/trading';
import type { SpecOverrides } from '../core/trading/specs';
import { DtcDecoder, normalizeTimes, parseDtcJsonLine, type DtcFrameError, type DtcMessage } from '../core/dtc';
import { DEFAULT_SETTINGS } from '../core/settings';
import { simPatternFlag, startingBalanceFlag } from './simArgs';

type InputEncoding = 'auto' | 'binary' | 'json' | 'compact-json';

export const ingestCommand: CommandHandler = async (argv, io) => {
  const args = parseArgs(argv, booleanOptions('ingest'));
  allowFlags(args, optionNames('ingest'), 'ingest');
  const encoding = oneOf<InputEncoding>(flag(args, 'encoding'), ['auto', 'binary', 'json', 'compact-json'], 'encoding', 'auto');
  const file = args.positional[0] ?? '-';
  const follow = hasFlag(args, 'follow');
  const simPattern = simPatternFlag(args);
  const startingBalance = startingBalanceFlag(args);
  const { overrides, problems: specProblems } = specsFrom(flag(args, 'specs'));
  for (const p of specProblems) io.stderr.write(`appsierra ingest: ${p}\n`);
  const input: NodeJS.ReadableStream = file === '-' ? io.stdin : openInput(file);
  const url = storeUrlFrom(args);
  const say = (m: string) => io.stderr.write(`appsierra ingest: ${m}\n`);
  // A storm of one problem (a full disk: every queued commit) is one line plus a running count.
  const log = withProblemLog({ info: () => undefined, warn: say, error: say });
  let opened: TradeStore | null = null;
  const outage = new OutageNotice(say, () => opened);
  // The extension's pipeline: same journal, SIM ledger, mirror and monthly resets.
  const session = new TradeSession({
    openStore: async (hooks) => {
      opened = await openCliStore(url, { onStateChange: (h) => (hooks.onStateChange(), outage.onState(h)) });
      // The same recovery story as db health and monitor report; ingest repairs what it tells.
      tellRecovery(opened, io, 'ingest');
      return opened;
    },
    storeDescription: maskUrl(url),
    sim: {
      ...DEFAULT_SETTINGS.sim,
      accountPattern: simPattern,
      startingBalance,
    },
    specs: new ContractSpecs(overrides),
    mirrorDir: storeDirOf(url),
    // Info lines would only be noise on stderr.
    logger: log,
    healthMs: 0,
    retryMs: 1000,
    // Without --follow nobody waits per trade: one durable write per 5000 fills (the bulk path).
    bulkChunk: follow ? undefined : 5000,
  });
  let frameErrors = 0;
  const problems: string[] = [];
  session.on('problem', (m) => problems.push(m));
  session.on('trade', (t) => {
    if (follow) io.stdout.write(JSON.stringify({ committed: t.id }) + '\n');
  });
  try {
    await session.open();
  } catch (e) {
    await session.close().catch(() => undefined);
    throw readRefusal(e, url, 'ingest needs the whole store to know the open positions and the fills already stored; start PostgreSQL (or fix the login) and run it again');
  }
  outage.arm();
  if (session.readOnly) {
    await session.close();
    throw new CliError(`the store ${maskUrl(url)} is held by another writer (a VS Code window or another appsierra run); close it or ingest there`, EXIT.RUNTIME);
  }
  const c = session.counters!;
  let openPositions = 0;
  try {
    const reader = new StreamReader(encoding, say);
    for await (const chunk of input as AsyncIterable<Buffer | string>) {
      for (const msg of reader.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))) await session.handle(normalizeTimes(msg));
    }
    for (const msg of reader.end()) await session.handle(normalizeTimes(msg));
    frameErrors = reader.errors;
    await session.flush();
    if (session.pendingCommits > 0) throw new CliError(`${session.pendingCommits} commit(s) could not be stored: ${problems.at(-1) ?? 'store error'}`, EXIT.RUNTIME);
    await session.applyMonthlyResets();
    openPositions = session.openPositions().length;
  } finally {
    await session.close();
    log.flush();
    await outage.close();
  }
  const errors = frameErrors + c.malformedMessages + c.rejectedFills + c.specErrors + specProblems.length;
  io.stdout.write(JSON.stringify({ messages: c.messages, fills: c.fills, duplicateFills: c.duplicateFills, tradesClosed: c.tradesClosed, openPositions, errors }) + '\n');
  return errors > 0 ? EXIT.BAD_INPUT : EXIT.OK;
};

/**
 * The --specs file's overrides. A file that yields nothing usable (missing, not JSON, every entry
 * bad) stops before anything is stored: ingesting with built-in fees instead would store wrong P&L.
 * A bad entry next to good ones is reported, skipped and counted in `errors` (exit 3).
 */
function specsFrom(file: string | undefined): { overrides: SpecOverrides; problems: string[] } {
  if (file === undefined) return { overrides: {}, problems: [] };
  const { overrides, problems } = loadSpecsFile(file);
  if (problems.length > 0 && Object.keys(overrides).length === 0) throw new CliError(`--specs: ${problems.join(' ')}`, EXIT.USAGE);
  return { overrides, problems };
}

function openInput(file: string): NodeJS.ReadableStream {
  if (!fs.existsSync(file)) throw new CliError(`input file ${file} does not exist`, EXIT.USAGE);
  return fs.createReadStream(file);
}

/**
 * Accepts either DTC JSON lines (one object per line, as `dtc decode` prints) or a raw socket
 * stream (binary frames or NUL-terminated JSON), detected from the first bytes.
 */
class StreamReader {
  errors = 0;
  private mode: 'lines' | 'frames' | null = null;
  private decoder: DtcDecoder | null = null;
  private carry = '';
  private lineNo = 0;

  constructor(private readonly encoding: InputEncoding, private readonly report: (m: string) => void) {}

  push(chunk: Buffer): DtcMessage[] {
    if (!this.mode) this.choose(chunk);
    if (this.mode === 'lines') {
      const text = this.carry + chunk.toString('latin1');
      const lines = text.split('\n');
      this.carry = lines.pop() ?? '';
      return lines.flatMap((l) => this.line(l));
    }
    return this.frames(chunk);
  }

  end(): DtcMessage[] {
    if (this.mode === 'lines' && this.carry.trim()) return this.line(this.carry);
    this.decoder?.end(); // a truncated last frame reaches frameError once, through onError
    return [];
  }

  private choose(first: Buffer): void {
    const text = first.toString('latin1', 0, Math.min(first.length, 4096));
    const looksLikeLines = /^\s*\{/.test(text) && !text.includes('\u0000') && text.includes('\n');
    if (this.encoding !== 'binary' && looksLikeLines) {
      this.mode = 'lines';
      return;
    }
    this.mode = 'frames';
    this.decoder = new DtcDecoder({ encoding: this.encoding, onError: (e) => this.frameError(e) });
  }

  private frameError(e: DtcFrameError): void {
    this.errors++;
    this.report(`byte ${e.offset}: ${e.message}${e.fatal ? '' : '; skipped'}`);
  }

  private line(l: string): DtcMessage[] {
    this.lineNo++;
    const s = l.trim();
    if (!s) return [];
    try {
      return [parseDtcJsonLine(s)];
    } catch (e) {
      this.errors++;
      this.report(`line ${this.lineNo}: ${(e as Error).message}; the line is skipped`);
      return [];
    }
  }

  private frames(chunk: Buffer): DtcMessage[] {
    const d = this.decoder!;
    const out = d.push(chunk);
    if (d.fatal) throw new CliError(`the DTC stream cannot be decoded past byte ${d.fatal.offset}: ${d.fatal.message}`, EXIT.BAD_INPUT);
    return out;
  }
}
