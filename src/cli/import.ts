/**
 * `appsierra import FILE... [--format F] [--specs FILE] [--time-zone TZ] [--account A] [--dry-run] [--json]`,
 * `appsierra import undo BATCH`, `appsierra import list` and `appsierra rebuild`: trade history from
 * files into the store (src/core/import), and trades recomputed from stored fills.
 */
import { allowFlags, CliError, CommandHandler, EXIT, flag, hasFlag, oneOf, parseArgs, type CliIO, type ParsedArgs } from './args';
import { openCliStore, readRefusal, storeDirOf, storeUrlFrom } from './storeArg';
import { ContractSpecs, loadSpecsFile } from '../core/trading';
import { DEFAULT_SETTINGS } from '../core/settings';
import { ImportFormatError, IMPORT_FORMATS, planImport, type ImportFormat, type ImportSummary } from '../core/import';
import { TradeSession } from '../core/session';
import { maskUrl } from '../core/store';

interface SessionChoices {
  specs: ContractSpecs;
  simPattern: string;
  startingBalance: number;
}

function sessionChoices(args: ParsedArgs, io: CliIO): SessionChoices {
  let overrides = {};
  const specsFile = flag(args, 'specs');
  if (specsFile) {
    const r = loadSpecsFile(specsFile);
    if (Object.keys(r.overrides).length === 0 && r.problems.length) throw new CliError(r.problems.join(' '), EXIT.USAGE);
    for (const p of r.problems) io.stderr.write(`appsierra: ${p}\n`);
    overrides = r.overrides;
  }
  const startingBalance = Number(flag(args, 'starting-balance') ?? DEFAULT_SETTINGS.sim.startingBalance);
  if (!Number.isFinite(startingBalance) || startingBalance < 0) throw new CliError('--starting-balance must be a number >= 0', EXIT.USAGE);
  return { specs: new ContractSpecs(overrides), simPattern: flag(args, 'sim-pattern') ?? DEFAULT_SETTINGS.sim.accountPattern, startingBalance };
}

/**
 * Runs `work` on the extension's pipeline (TradeSession: journal, SIM ledger and its mirror beside
 * the store, monthly resets), so an import or a rebuild from the CLI ends exactly as in VS Code.
 */
async function withSession<T>(url: string, args: ParsedArgs, io: CliIO, command: string, readsOnly: boolean, work: (s: TradeSession) => Promise<T>): Promise<T> {
  const c = sessionChoices(args, io);
  const say = (m: string) => io.stderr.write(`appsierra ${command}: ${m}\n`);
  const session = new TradeSession({
    openStore: () => openCliStore(url, readsOnly ? { readOnly: true, mayBeMissing: true } : {}),
    storeDescription: maskUrl(url),
    sim: { ...DEFAULT_SETTINGS.sim, accountPattern: c.simPattern, startingBalance: c.startingBalance },
    specs: c.specs,
    mirrorDir: storeDirOf(url),
    logger: { info: () => undefined, warn: say, error: say },
    healthMs: 0,
  });
  try {
    await session.open();
  } catch (e) {
    await session.close().catch(() => undefined);
    throw readRefusal(e, url, `${command} needs the whole store; start PostgreSQL (or fix the login) and run it again`);
  }
  try {
    if (!readsOnly && session.readOnly) throw new CliError(`the store ${maskUrl(url)} is held by another writer (a VS Code window or another appsierra run); close it or ${command} there`, EXIT.RUNTIME);
    try {
      return await work(session);
    } catch (e) {
      if (e instanceof ImportFormatError) throw new CliError(e.message, EXIT.BAD_INPUT);
      throw e;
    }
  } finally {
    await session.close();
  }
}

export const importCommand: CommandHandler = async (argv, io) => {
  if (argv[0] === 'undo') return undoCommand(argv.slice(1), io);
  if (argv[0] === 'list') return listCommand(argv.slice(1), io);
  const args = parseArgs(argv, ['dry-run', 'json']);
  allowFlags(args, ['store', 'format', 'specs', 'time-zone', 'account', 'dry-run', 'json', 'sim-pattern', 'starting-balance'], 'import');
  if (args.positional.length === 0) throw new CliError("import needs at least one FILE (or 'undo BATCH', 'list'); see 'appsierra help'", EXIT.USAGE);
  const format = oneOf<ImportFormat | 'auto'>(flag(args, 'format'), ['auto', ...IMPORT_FORMATS], 'format', 'auto');
  const url = storeUrlFrom(args);
  const dryRun = hasFlag(args, 'dry-run');
  const timeZone = flag(args, 'time-zone') ?? process.env.APPSIERRA_IMPORT_TIME_ZONE ?? null;
  // A file that is not trade history is refused before the store is opened (or made).
  try {
    planImport({ files: args.positional, format, timeZone });
  } catch (e) {
    if (e instanceof ImportFormatError) throw new CliError(e.message, EXIT.BAD_INPUT);
    throw e;
  }
  const summary: ImportSummary = await withSession(url, args, io, 'import', dryRun, (session) =>
    session.history.importFiles({
      files: args.positional, format, dryRun,
      timeZone,
      account: flag(args, 'account') ?? null,
      onChunk: process.env.APPSIERRA_TEST_IMPORT_CHUNK_LOG ? (n) => io.stderr.write(`chunk ${n}\n`) : undefined,
    }),
  );
  if (hasFlag(args, 'json')) io.stdout.write(JSON.stringify(summary) + '\n');
  else io.stdout.write(describeSummary(summary));
  return EXIT.OK;
};

export function describeSummary(s: ImportSummary): string {
  const lines: string[] = [];
  lines.push(`${s.dryRun ? 'Dry run (nothing written): ' : ''}${s.files.length} file(s), ${s.rows} row(s) in ${(s.ms / 1000).toFixed(1)} s`);
  for (const f of s.files) lines.push(`  ${f.name}: ${f.format}, ${f.alreadyImportedIn ? `already imported in batch ${f.alreadyImportedIn}, not read again` : `${f.rows} row(s), ${f.fills} new fill(s)`}`);
  lines.push(`fills: ${s.fills.new} new, ${s.fills.duplicate} duplicate (${s.duplicatesBy.executionId} by execution id, ${s.duplicatesBy.match} by account+symbol+side+qty+price within ${s.toleranceMs / 1000} s), ${s.fills.skipped} skipped`);
  for (const k of s.skipped) lines.push(`  skipped ${k.count}: ${k.reason} (first: ${k.first})`);
  lines.push(`trades closed: ${s.tradesClosed}; open positions left: ${s.openPositions}${s.rebuilt ? `; ${s.rebuilt} partition(s) rebuilt because older fills arrived` : ''}`);
  for (const p of s.problems) lines.push(`  note: ${p}`);
  if (s.cancelled) lines.push('cancelled: the store is as before');
  else if (s.batchId) lines.push(`batch ${s.batchId} (undo: appsierra import undo ${s.batchId})`);
  return lines.join('\n') + '\n';
}

const undoCommand: CommandHandler = async (argv, io) => {
  const args = parseArgs(argv, ['json']);
  allowFlags(args, ['store', 'specs', 'json', 'sim-pattern', 'starting-balance'], 'import undo');
  const batchId = args.positional[0];
  if (!batchId) throw new CliError("import undo needs the BATCH id ('appsierra import list' shows them)", EXIT.USAGE);
  const r = await withSession(storeUrlFrom(args), args, io, 'import undo', false, (session) => session.history.undoImport(batchId));
  if (hasFlag(args, 'json')) io.stdout.write(JSON.stringify(r) + '\n');
  else io.stdout.write(`batch ${r.batchId} undone: ${r.fillsRemoved} fill(s) removed, ${r.partitions} contract(s) rebuilt, trades ${r.tradesBefore} -> ${r.tradesAfter}\n`);
  return EXIT.OK;
};

const listCommand: CommandHandler = async (argv, io) => {
  const args = parseArgs(argv, ['json']);
  allowFlags(args, ['store', 'json'], 'import list');
  const store = await openCliStore(storeUrlFrom(args), { readOnly: true });
  try {
    const batches = await store.importBatches();
    if (hasFlag(args, 'json')) io.stdout.write(JSON.stringify(batches) + '\n');
    else for (const b of batches) io.stdout.write(`${b.id}  ${new Date(b.createdMs).toISOString()}  ${b.status}  ${b.counts.new ?? 0} fill(s)  ${b.files.map((f) => f.name).join(', ')}\n`);
    return EXIT.OK;
  } finally {
    await store.close();
  }
};

export const rebuildCommand: CommandHandler = async (argv, io) => {
  const args = parseArgs(argv, ['json', 'dry-run']);
  allowFlags(args, ['store', 'specs', 'json', 'dry-run', 'sim-pattern', 'starting-balance'], 'rebuild');
  const dryRun = hasFlag(args, 'dry-run');
  let last = 0;
  const r = await withSession(storeUrlFrom(args), args, io, 'rebuild', dryRun, (session) =>
    session.history.rebuild({
      dryRun,
      onProgress: (done, total) => {
        if (!hasFlag(args, 'json') && Date.now() - last > 1000) (last = Date.now()), io.stderr.write(`rebuilding: ${done}/${total} contract(s)\n`);
      },
    }),
  );
  if (hasFlag(args, 'json')) io.stdout.write(JSON.stringify({ ...r, dryRun }) + '\n');
  else {
    io.stdout.write(`${dryRun ? 'Dry run (nothing written): ' : ''}rebuilt ${r.partitions} contract(s) from ${r.fills} fill(s): trades ${r.tradesBefore} -> ${r.tradesAfter}, ${r.openPositions} open position(s), ${(r.ms / 1000).toFixed(1)} s\n`);
    for (const p of r.problems) io.stdout.write(`  note: ${p}\n`);
  }
  return EXIT.OK;
};
