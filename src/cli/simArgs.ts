/** The SIM options shared by ingest, sim-balance and monitor, checked once: a bad value is a usage error naming it. */
import { CliError, EXIT, flag, type ParsedArgs } from './args';
import { DEFAULT_SETTINGS } from '../core/settings';
import { modeOf } from '../core/trading/mode';

/** The extension's setting allows up to 1e9; anything larger is a typo, and 1e308 would print as infinity. */
export const MAX_STARTING_BALANCE = 1e9;

export function startingBalanceFlag(args: ParsedArgs): number {
  const text = flag(args, 'starting-balance');
  if (text === undefined) {
    if (args.flags.has('starting-balance')) throw new CliError('--starting-balance needs an amount, e.g. --starting-balance 10000', EXIT.USAGE);
    return DEFAULT_SETTINGS.sim.startingBalance;
  }
  const n = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > MAX_STARTING_BALANCE) {
    throw new CliError(`--starting-balance must be an amount greater than 0 and at most ${MAX_STARTING_BALANCE.toExponential()} (like the setting appsierra.sim.startingBalance), not '${text}'`, EXIT.USAGE);
  }
  return n;
}

export function simPatternFlag(args: ParsedArgs): string {
  const p = flag(args, 'sim-pattern');
  if (p === undefined) return DEFAULT_SETTINGS.sim.accountPattern;
  try {
    new RegExp(p, 'i');
  } catch (e) {
    throw new CliError(`--sim-pattern '${p}' is not a valid regular expression (${(e as Error).message}); the default is '${DEFAULT_SETTINGS.sim.accountPattern}'`, EXIT.USAGE);
  }
  return p;
}

/**
 * `--account` for commands about SIM balances: absent means every known SIM account; present, it
 * must name one SIM account (an empty value is a mistake, never "all"; a LIVE account has no SIM balance).
 */
export function simAccountFlag(args: ParsedArgs, pattern: string): string | undefined {
  if (!args.flags.has('account')) return undefined;
  const a = flag(args, 'account');
  if (a === undefined || a.trim() === '') throw new CliError('--account needs a SIM account name, e.g. --account Sim1 (leave --account out for every SIM account)', EXIT.USAGE);
  if (modeOf(a, pattern) !== 'SIM') {
    throw new CliError(`account '${a}' is not a SIM account (SIM accounts match the pattern /${pattern}/i; set --sim-pattern if yours differ), so it has no SIM balance`, EXIT.USAGE);
  }
  return a;
}
