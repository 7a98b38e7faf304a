/** SIM balance: the event ledger (the truth) and its JSON mirror file. */
export { DEFAULT_STARTING_BALANCE, SimBalanceLedger, monthKey, monthStartMs, naturalCompare } from './ledger';
export type { LedgerCounters, LedgerEntry } from './ledger';
export { SIM_BALANCE_FILE, SimBalanceMirror } from './mirror';
export type { MirrorOptions, MirrorRead, SimAccountMirror, SimBalanceFile } from './mirror';
