/** `appsierra sim-balance show|reset [--account A] [--store URL] [--starting-balance N] [--json]`. */
import { allowFlags, CliError, CommandHandler, EXIT, hasFlag, parseArgs } from './args';
import { booleanOptions, optionNames } from './help';
import { simAccountFlag, simPatternFlag, startingBalanceFlag } from './simArgs';
import { openCliStore, readStore, storeDirOf, storeUrlFrom } from './storeArg';
import { SimBalanceLedger, SimBalanceMirror } from '../core/sim';
import { formatMoney } from '../shared/format';

export const simBalanceCommand: CommandHandler = async (argv, io) => {
  const args = parseArgs(argv, booleanOptions('sim-balance'));
  allowFlags(args, optionNames('sim-balance'), 'sim-balance');
  const action = args.positional[0];
  if (action !== 'show' && action !== 'reset') throw new CliError("sim-balance needs 'show' or 'reset'", EXIT.USAGE);
  const starting = startingBalanceFlag(args);
  const account = simAccountFlag(args, simPatternFlag(args));
  const url = storeUrlFrom(args);
  // A reset is a write: it never works from a partial view of the accounts.
  const store = await openCliStore(url, { readOnly: action === 'show', partial: action === 'show' && hasFlag(args, 'partial') });
  try {
    const ledger = new SimBalanceLedger(starting);
    ledger.load(await readStore(store, url, io, 'sim-balance', () => store.simEvents()));
    const accounts = account !== undefined ? [account] : ledger.accounts().sort();
    if (action === 'reset') {
      if (accounts.length === 0) throw new CliError('no SIM account is known yet; pass --account Sim1', EXIT.USAGE);
      for (const account of accounts) {
        const before = ledger.balance(account);
        const event = { ...ledger.resetEvent(account, Date.now(), starting), note: 'manual (cli)' };
        await store.appendSimEvent(event);
        ledger.add(event);
        io.stdout.write(`${account}: ${formatMoney(before)} -> ${formatMoney(ledger.balance(account))}\n`);
      }
      const written = new SimBalanceMirror(storeDirOf(url)).write(ledger, { nowMs: Date.now() });
      if (!written.ok) io.stderr.write(`appsierra sim-balance: ${written.message}\n`);
      return EXIT.OK;
    }
    const view = accounts.map((account) => ({
      account,
      balance: ledger.balance(account),
      lastReset: ledger.lastReset(account) === null ? null : new Date(ledger.lastReset(account)!).toISOString(),
      history: ledger.history(account).filter((e) => e.event.kind !== 'pnl').map(({ event: e }) => ({ kind: e.kind, amount: e.amount, time: new Date(e.timeMs).toISOString(), note: e.note ?? null })),
    }));
    if (hasFlag(args, 'json')) {
      io.stdout.write(JSON.stringify(view) + '\n');
      return EXIT.OK;
    }
    if (view.length === 0) io.stdout.write('No SIM account yet.\n');
    for (const v of view) {
      io.stdout.write(`${v.account}: ${formatMoney(v.balance)} (last reset ${v.lastReset ?? 'never'})\n`);
      for (const h of v.history) io.stdout.write(`  ${h.time}  ${h.kind.padEnd(5)}  ${formatMoney(h.amount)}${h.note ? `  ${h.note}` : ''}\n`);
    }
    return EXIT.OK;
  } finally {
    await store.close();
  }
};
