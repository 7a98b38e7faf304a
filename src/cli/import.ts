/**
 * `appsierra import FILE... [--format F] [--specs FILE] [--time-zone TZ] [--account A] [--dry-run] [--json]`,
 * `appsierra import undo BATCH`, `appsierra import list` and `appsierra rebuild`: trade history from
 * files into the store (src/core/import), and trades recomputed from stored fills.
 */
import { allowFlags, CliError, CommandHandler, EXIT, flag, hasFlag, oneOf, parseArgs, type CliIO, type ParsedArgs } from './args';
import { openCliStore, storeDirOf, storeUrlFrom } from './storeArg';
import { ContractSpecs, loadSpecsFile } from '../core/trading';
import { DEFAULT_SETTINGS } from '../core/settings';
import { ImportFormatError, IMPORT_FORMATS, rebuildPartitions, runImport, undoImport, type ImportFormat, type ImportSummary, type ReplayOptions } from '../core/import';
import { SimBalanceLedger, SimBalanceMirror } from '../core/sim';
import { modeOf } from '../core/trading';
import type { TradeStore } from '../core/store/types';

function replayOptions(args: ParsedArgs, io: CliIO): ReplayOptions {
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

/** The SIM balance file beside the store follows the ledger after a write. */
async function mirrorSim(store: TradeStore, url: string, opts: ReplayOptions, io: CliIO): Promise<void> {
  const events = await store.simEvents();
  const accounts = [...new Set(events.map((e) => e.account))].filter((a) => modeOf(a, opts.simPattern) === 'SIM');
  if (accounts.length === 0) return;
  const ledger = new SimBalanceLedger(opts.startingBalance);
  ledger.load(events);
  const written = new SimBalanceMirror(storeDirOf(url)).write(ledger, { nowMs: Date.now(), accounts });
  if (!written.ok) io.stderr.write(`appsierra: ${written.message}\n`);
}

export const importCommand: CommandHandler = async (argv, io) => {
  if (argv[0] === 'undo') return undoCommand(argv.slice(1), io);
  if (argv[0] === 'list') return listCommand(argv.slice(1), io);
  const args = parseArgs(argv, ['dry-run', 'json']);
  allowFlags(args, ['store', 'format', 'specs', 'time-zone', 'account', 'dry-run', 'json', 'sim-pattern', 'starting-balance'], 'import');
  if (args.positional.length === 0) throw new CliError("import needs at least one FILE (or 'undo BATCH', 'list'); see 'appsierra help'", EXIT.USAGE);
  const format = oneOf<ImportFormat | 'auto'>(flag(args, 'format'), ['auto', ...IMPORT_FORMATS], 'format', 'auto');
  const opts = replayOptions(args, io);
  const url = storeUrlFrom(args);
  const dryRun = hasFlag(args, 'dry-run');
  const store = await openCliStore(url, { readOnly: dryRun, mayBeMissing: dryRun });
  let summary: ImportSummary;
  try {
    try {
      summary = await runImport({
        ...opts, store, files: args.positional, format, dryRun,
        timeZone: flag(args, 'time-zone') ?? process.env.APPSIERRA_IMPORT_TIME_ZONE ?? null,
        account: flag(args, 'account') ?? null,
        onChunk: process.env.APPSIERRA_TEST_IMPORT_CHUNK_LOG ? (n) => io.stderr.write(`chunk ${n}\n`) : undefined,
      });
    } catch (e) {
      if (e instanceof ImportFormatError) throw new CliError(e.message, EXIT.BAD_INPUT);
      throw e;
    }
    if (!dryRun && summary.fills.new > 0) await mirrorSim(store, url, opts, io);
  } finally {
    await store.close();
  }
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
  const opts = replayOptions(args, io);
  const url = storeUrlFrom(args);
  const store = await openCliStore(url);
  try {
    let r;
    try {
      r = await undoImport(store, batchId, opts);
    } catch (e) {
      if (e instanceof ImportFormatError) throw new CliError(e.message, EXIT.BAD_INPUT);
      throw e;
    }
    await mirrorSim(store, url, opts, io);
    if (hasFlag(args, 'json')) io.stdout.write(JSON.stringify(r) + '\n');
    else io.stdout.write(`batch ${r.batchId} undone: ${r.fillsRemoved} fill(s) removed, ${r.partitions} contract(s) rebuilt, trades ${r.tradesBefore} -> ${r.tradesAfter}\n`);
    return EXIT.OK;
  } finally {
    await store.close();
  }
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
  const opts = replayOptions(args, io);
  const url = storeUrlFrom(args);
  const dryRun = hasFlag(args, 'dry-run');
  const store = await openCliStore(url, { readOnly: dryRun, mayBeMissing: dryRun });
  try {
    let last = 0;
    const r = await rebuildPartitions(store, {
      ...opts, dryRun,
      onProgress: (done, total) => {
        if (!hasFlag(args, 'json') && Date.now() - last > 1000) (last = Date.now()), io.stderr.write(`rebuilding: ${done}/${total} contract(s)\n`);
      },
    });
    if (!dryRun) await mirrorSim(store, url, opts, io);
    const { result: _w, ...out } = r;
    if (hasFlag(args, 'json')) io.stdout.write(JSON.stringify({ ...out, dryRun }) + '\n');
    else {
      io.stdout.write(`${dryRun ? 'Dry run (nothing written): ' : ''}rebuilt ${r.partitions} contract(s) from ${r.fills} fill(s): trades ${r.tradesBefore} -> ${r.tradesAfter}, ${r.openPositions} open position(s), ${(r.ms / 1000).toFixed(1)} s\n`);
      for (const p of r.problems) io.stdout.write(`  note: ${p}\n`);
    }
    return EXIT.OK;
  } finally {
    await store.close();
  }
};
