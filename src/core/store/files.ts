/**
 * The one list of file names a store uses on disk. The SQLite store's sidecars (`.journal`,
 * `.prev`, `.lock`) sit next to its file; `outbox.db` and `sim_balance.json` belong to one store
 * each (see storeHome in open.ts).
 */
export const STORE_FILE = 'appsierra.db';
export const OUTBOX_FILE = 'outbox.db';
export const SIM_BALANCE_FILE = 'sim_balance.json';

/** Suffixes appended to a SQLite store's path. */
export const SIDECAR = {
  journal: '.journal',
  prev: '.prev',
  lock: '.lock',
  tmp: '.tmp',
} as const;
