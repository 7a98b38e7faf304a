/**
 * The SQLite store's constants, options, sql.js loader and file/database helpers (sqlite.ts
 * has the overview).
 */
import * as fs from 'fs';
import * as path from 'path';
import initSqlJs from 'sql.js';
import type { SqlJsStatic } from 'sql.js';
import { SqlEngine, SqlJsEngine, WasmFileEngine } from './engine';
import type { CommitUnit, RiskEventQuery, StoreHealth, TradeQuery, TradeStatRow, TradeStore } from './types';
import type { Fill, OpenPosition, SimBalanceEvent, Trade } from '../trading/types';
import {
  META_DDL, MIGRATIONS, SCHEMA_VERSION, SQL, dialectSql, fillKey, fillParams, parsePosition, rowsToTags, rowToFill, rowToSimEvent, rowToTrade, byFillTime,
  simEventParams, tradeParams, tradesQuery, riskEventParams, rowToRiskEvent, filterRiskEvents,
} from './schema';
import type { RiskEvent } from '../risk/guard';
import type { TagEdit } from '../trading/tags';
import { encodeEntry, JournalEntry, JournalOp, ReplicaOp, readJournal } from './wal';
import { SIDECAR } from './files';
import { describeHolder, LockInfo, WriterLock } from './lock';
import { describeFsError, StoreWriteError } from './fsErrors';
import { makeFolder } from './folder';
import { BULK_SQL, bulkSize, bulkSteps, rowToBatch, rowToStoredFill, type BulkWrite, type ImportBatch, type StoredFill } from './bulk';

/** After this many journal bytes a snapshot is due, however few (bulk) operations they hold. */
export const SNAPSHOT_BYTES = 64 * 1024 * 1024;
/** File engine: a batch goes to the database file after this many operations, or FLUSH_MS after its first. */
export const FLUSH_EVERY = 256;
export const FLUSH_MS = 200;
/** File engine: the journal is cut (after a batch reached the file) once it is this long; followers then reload. */
export const JOURNAL_KEEP_BYTES = 1024 * 1024;

export type SqliteEngineKind = 'file' | 'memory';

export interface SqliteStoreOptions {
  /** Path of sql-wasm.wasm; default: next to this bundle, else the sql.js package. */
  wasmPath?: string;
  /** Never take the writer lock (a viewer such as `appsierra trades`). */
  readOnly?: boolean;
  /** A lock whose heartbeat is older than this is taken over (default 15 000 ms). */
  lockStaleMs?: number;
  /**
   * The writer's engine (default `file`, or env APPSIERRA_SQLITE_ENGINE=memory: the escape hatch
   * back to sql.js snapshots, and how the bench and tests compare the two; see the header).
   */
  engine?: SqliteEngineKind;
  /** Memory engine: snapshot after this many journaled operations (default 1000). */
  snapshotEvery?: number;
  /** Followers: poll for the writer's changes every N ms (0/undefined = only on refresh()). */
  followMs?: number;
  /** Called after refresh() picked up new data, or this instance became the writer. */
  onChange?: () => void;
  /** Extra rows written in the same transaction as each operation (the outbox, outbox.ts). */
  extension?: SqliteExtension;
}

/** Statement runner handed to an extension (inside the operation's transaction) and to read(). */
export interface SqlRunner {
  run(sql: string, params?: unknown[]): void;
  get(sql: string, params?: unknown[]): Record<string, unknown> | null;
  all(sql: string, params?: unknown[]): Record<string, unknown>[];
}

/**
 * A store built on this one adds its rows here, inside the transaction of the journaled
 * operation, so replay after a crash rebuilds them exactly.
 */
export interface SqliteExtension {
  /** Keep a flat position as a `null` row (it must hide the primary's row) instead of deleting it. */
  keepFlatTombstones: boolean;
  committed(seq: number, unit: CommitUnit, db: SqlRunner): void;
  simEventAdded(seq: number, event: SimBalanceEvent, db: SqlRunner): void;
  /** The journal's `d` operation: entries that reached the primary. */
  drained(seqs: number[], db: SqlRunner): void;
  /** When present, a tag edit is handed here instead of applied (the outbox queues it for the primary). */
  tagEdited?(seq: number, edit: TagEdit, db: SqlRunner): void;
  /** When present, a risk event is handed here instead of stored (the outbox queues it for the primary). */
  riskRecorded?(seq: number, event: RiskEvent, db: SqlRunner): void;
  /** The extension's own tables, created (idempotently) after the migrations on every load. */
  ddl?: string[];
  /** The journal's `r` operation: state the primary acknowledged (the outbox's primary cache). */
  replicated?(op: ReplicaOp, db: SqlRunner): void;
}

const sqlJsCache = new Map<string, Promise<SqlJsStatic>>();

export function defaultWasmPath(): string {
  const bundled = path.join(__dirname, 'sql-wasm.wasm');
  return fs.existsSync(bundled) ? bundled : require.resolve('sql.js/dist/sql-wasm.wasm');
}

/** Loads sql.js once per wasm path, with an explicit locateFile (bundles must not guess). */
export function loadSqlJs(wasmPath = defaultWasmPath()): Promise<SqlJsStatic> {
  let p = sqlJsCache.get(wasmPath);
  if (!p) {
    if (!fs.existsSync(wasmPath)) return Promise.reject(new Error(`Cannot load SQLite: ${wasmPath} is missing; reinstall the extension or pass the path of sql-wasm.wasm.`));
    p = initSqlJs({ locateFile: () => wasmPath });
    p.catch(() => sqlJsCache.delete(wasmPath));
    sqlJsCache.set(wasmPath, p);
  }
  return p;
}

export function migrate(db: SqlEngine): void {
  db.exec(dialectSql(META_DDL, 'sqlite'));
  const from = currentVersion(db);
  for (const m of MIGRATIONS) {
    if (m.version <= from) continue;
    db.exec('BEGIN');
    try {
      for (const s of [...m.statements, ...(m.sqlite ?? [])]) db.exec(dialectSql(s, 'sqlite'));
      setMeta(db, 'schema_version', String(m.version));
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  }
  if (currentVersion(db) > SCHEMA_VERSION) throw new Error(`The store's schema version ${currentVersion(db)} is newer than this app's ${SCHEMA_VERSION}; update APPSIERRA.`);
}

export function currentVersion(db: SqlEngine): number {
  try {
    return Number(getMeta(db, 'schema_version') ?? 0);
  } catch {
    return 0; // no meta table yet
  }
}

export function getMeta(db: SqlEngine, key: string): string | null {
  const r = db.get(SQL.getMeta, [key]);
  if (!r) return null;
  const v = Object.values(r)[0];
  return v === undefined || v === null ? null : String(v);
}

export function setMeta(db: SqlEngine, key: string, value: string): void {
  db.run(SQL.setMeta, [key, value]);
}

/** How many integrity checks this process ran (tests: only after an unclean shutdown, issue 12). */
export const sqliteCounters = { integrityChecks: 0 };

/** `ok`, or what PRAGMA quick_check found. */
export function integrity(db: SqlEngine): string {
  sqliteCounters.integrityChecks++;
  try {
    const rows = db.all('PRAGMA quick_check');
    const text = rows.map((r) => String(Object.values(r)[0])).join('; ');
    return text || 'no answer';
  } catch (err) {
    return (err as Error).message;
  }
}

/** Why a file cannot be a SQLite database (null: it can, or it is empty, a new database to SQLite). */
export function headerProblem(file: string): string | null {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(100);
      const n = fs.readSync(fd, head, 0, 100, 0);
      const size = fs.fstatSync(fd).size;
      if (size === 0) return null;
      checkSqliteHeader(head.subarray(0, n), size);
      return null;
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    return (err as Error).message;
  }
}

export function readGen(file: string): number {
  try {
    const n = Number(fs.readFileSync(file + SIDECAR.batchGen, 'utf8'));
    return Number.isSafeInteger(n) && n >= 0 ? n : 0;
  } catch {
    return 0;
  }
}

/**
 * A follower's read of a file the writer may be committing to in place (file engine): accepted
 * when the batch counter was even (no commit running) and unchanged across the read, else
 * retried for up to ~2 s, then taken as it is (the memory engine replaces its file by rename).
 */
export function readConsistent(file: string): Buffer {
  const genFile = file + SIDECAR.batchGen;
  const gen = () => {
    try {
      return fs.readFileSync(genFile, 'utf8');
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ENOENT' ? '0' : '';
    }
  };
  let bytes: Buffer | null = null;
  for (let attempt = 0; attempt < 100; attempt++) {
    const g0 = gen();
    if (/^\d*[02468]$/.test(g0)) {
      bytes = fs.readFileSync(file);
      if (gen() === g0) return bytes;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
  return bytes ?? fs.readFileSync(file);
}

export function checkSqliteHeader(bytes: Buffer, size = bytes.length): void {
  if (bytes.length < 100 || bytes.toString('latin1', 0, 16) !== 'SQLite format 3\u0000') throw new Error('not a SQLite file');
  const raw = bytes.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  const pages = bytes.readUInt32BE(28);
  if (pages > 0 && size < pages * pageSize) throw new Error(`truncated (${size} of ${pages * pageSize} bytes)`);
}

export function journalIno(file: string): number | null {
  try {
    return fs.statSync(file).ino;
  } catch {
    return null;
  }
}

export function writeFileDurably(file: string, data: Uint8Array): void {
  const fd = fs.openSync(file, 'w');
  try {
    let off = 0;
    while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes renames durable; not supported on Windows (where rename durability comes from the OS). */
export function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    /* EISDIR/EPERM on some platforms */
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

export function fileStamp(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/** Where to resume reading the journal: the last offset if it is still the same file, else the start. */
export function j0(ino: number | null, offset: number, file: string): number {
  try {
    return fs.statSync(file).ino === ino ? offset : 0;
  } catch {
    return 0;
  }
}
