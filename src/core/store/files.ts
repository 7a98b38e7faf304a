/**
 * The one list of file names a store uses on disk. The SQLite store's sidecars (`.journal`,
 * `.writer`, and `.prev` of the memory engine) sit next to its file; `outbox.db` and
 * `sim_balance.json` belong to one store each (see storeHome in open.ts).
 */
export const STORE_FILE = 'appsierra.db';
export const OUTBOX_FILE = 'outbox.db';
export const SIM_BALANCE_FILE = 'sim_balance.json';

/** Suffixes appended to a SQLite store's path. */
export const SIDECAR = {
  journal: '.journal',
  prev: '.prev',
  /** Our single-writer lock (lock.ts). Until issue 12 it was `.lock`, now node-sqlite3-wasm's. */
  writer: '.writer',
  /** node-sqlite3-wasm's own lock: a directory, held by the file engine while the database is open. */
  sqliteLock: '.lock',
  /** SQLite's rollback journal (empty between transactions: journal_mode TRUNCATE). */
  sqliteJournal: '-journal',
  /**
   * File engine: a counter, odd while a batch is being committed to the file (a seqlock for
   * followers, which read the file while the writer holds it; see SqliteStore.readConsistent).
   */
  batchGen: '.batch',
  /** The file as the sql.js engine left it, kept when the file engine first opens it. */
  memoryBackup: '.sqljs-backup',
  /** The stats cache's columns as of the last clean close (stats/columnsFile.ts); valid while the database's stats_columns row names its token. */
  statsColumns: '.stats',
  tmp: '.tmp',
} as const;
