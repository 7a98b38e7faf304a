/**
 * The SQL engines under SqliteStore, behind one small interface:
 * - `file`: node-sqlite3-wasm on the database file itself (the writer). SQLite pages from disk and
 *   commits atomically with its rollback journal, so opening costs nothing per trade and nothing is
 *   ever exported whole. Exclusive locking: the library's lock is a `<file>.lock` directory taken
 *   on every read otherwise (two syscalls and a cache revalidation per statement).
 * - `memory`: sql.js, the whole database in memory (followers, which must not touch the writer's
 *   locks, and the old snapshot engine kept for comparison in the bench).
 */
import type { Database as SqlJsDatabase, SqlValue, Statement as SqlJsStatement } from 'sql.js';
import type { Database as WasmDatabase, Statement as WasmStatement } from 'node-sqlite3-wasm';
import { dialectSql } from './schema';

export type Row = Record<string, unknown>;

export interface SqlEngine {
  /** One or more statements without parameters (DDL, BEGIN/COMMIT, pragmas). */
  exec(sql: string): void;
  run(sql: string, params?: unknown[]): void;
  get(sql: string, params?: unknown[]): Row | null;
  all(sql: string, params?: unknown[]): Row[];
  /** Each row in turn, without an array of them all (large reads: the stats columns). */
  each(sql: string, params: unknown[], fn: (row: Row) => void): void;
  close(): void;
}

export class SqlJsEngine implements SqlEngine {
  private stmts = new Map<string, SqlJsStatement>();

  constructor(readonly db: SqlJsDatabase) {}

  exec(sql: string): void {
    this.db.exec(sql);
  }

  run(sql: string, params: unknown[] = []): void {
    this.stmt(sql).run(params as SqlValue[]);
  }

  get(sql: string, params: unknown[] = []): Row | null {
    const s = this.stmt(sql);
    try {
      s.bind(params as SqlValue[]);
      return s.step() ? (s.getAsObject() as Row) : null;
    } finally {
      s.reset();
    }
  }

  all(sql: string, params: unknown[] = []): Row[] {
    const s = this.stmt(sql);
    const out: Row[] = [];
    try {
      s.bind(params as SqlValue[]);
      while (s.step()) out.push(s.getAsObject() as Row);
    } finally {
      s.reset();
    }
    return out;
  }

  each(sql: string, params: unknown[], fn: (row: Row) => void): void {
    const s = this.stmt(sql);
    try {
      s.bind(params as SqlValue[]);
      while (s.step()) fn(s.getAsObject() as Row);
    } finally {
      s.reset();
    }
  }

  export(): Uint8Array {
    return this.db.export();
  }

  close(): void {
    for (const s of this.stmts.values()) s.free();
    this.stmts.clear();
    this.db.close();
  }

  private stmt(sql: string): SqlJsStatement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(dialectSql(sql, 'sqlite'));
      this.stmts.set(sql, s);
    }
    return s;
  }
}

type WasmModule = typeof import('node-sqlite3-wasm');
let wasmModule: WasmModule | null = null;

/** Loads node-sqlite3-wasm once (its .wasm sits next to the bundle: esbuild.js copies it). */
function loadWasmSqlite(): WasmModule {
  if (!wasmModule) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      wasmModule = require('node-sqlite3-wasm') as WasmModule;
    } catch (err) {
      throw new Error(`Cannot load SQLite (node-sqlite3-wasm.wasm): ${(err as Error).message}; reinstall the extension.`);
    }
  }
  return wasmModule;
}

/** The library binds no `undefined`; SQL NULL is what the schema means by it. */
function bindable(params: unknown[]): unknown[] {
  return params.some((p) => p === undefined) ? params.map((p) => (p === undefined ? null : p)) : params;
}

/**
 * SQLite page cache sizes (negative: KiB): SQLite's default, and while bulk writes run: a large
 * one for writes that rewrite rows all over the tables (a rebuild after a fee change restates
 * every trade and pnl event: 32 MB saved about 3 s of 12 at 100k trades), a smaller one for
 * the rest (an import chunk's 20k fills: no faster with 32 MB than with 2, and the WebAssembly
 * heap stayed at 25 MB instead of 42).
 */
const PAGE_CACHE_KB = { normal: -2000, bulk: -8192, bulkLarge: -32768 } as const;
/** Rows from which a bulk write gets the large cache (an import chunk is ~45k, a fee-change rebuild at 100k trades 200k). */
export const LARGE_BULK_ROWS = 100_000;
const BULK_CACHE_IDLE_MS = 3000;

export class WasmFileEngine implements SqlEngine {
  private stmts = new Map<string, WasmStatement>();

  private constructor(private readonly db: WasmDatabase) {}

  /** Opens (creating) the database file for writing; the caller holds the store's writer lock. */
  static open(file: string): WasmFileEngine {
    const { Database } = loadWasmSqlite();
    const e = new WasmFileEngine(new Database(file));
    // synchronous FULL: each operation is acknowledged by our own journal, but the journal is cut
    // only after a batch's COMMIT is on disk. cache_spill OFF: the file changes only inside a
    // COMMIT, which followers can tell (SIDECAR.batchGen) while they read it.
    e.db.exec(`PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = TRUNCATE; PRAGMA synchronous = FULL; PRAGMA cache_spill = OFF; PRAGMA cache_size = ${PAGE_CACHE_KB.normal}`);
    return e;
  }

  private bulkCacheTimer: NodeJS.Timeout | null = null;
  private bulkCacheKb = 0;

  /**
   * A larger page cache while bulk writes (import chunks, rebuilds) follow each other: their
   * inserts land all over the key indexes (trade ids are hashes), and re-reading evicted pages
   * through the WebAssembly VFS after every commit cost more than the inserts; `large` (a write of
   * LARGE_BULK_ROWS rows or more) for 32 MB instead of 8. Back to the default once they stop:
   * cached pages live in the WebAssembly heap, which never shrinks, so a window that only reads
   * (the journal reading every trade) must not fill it, nor an import that gains nothing from it.
   */
  useBulkCache(large = false): void {
    const kb = large ? PAGE_CACHE_KB.bulkLarge : PAGE_CACHE_KB.bulk;
    // Never smaller while bulk writes follow each other: the pages are in the heap already.
    if (!this.bulkCacheTimer || kb < this.bulkCacheKb) {
      this.db.exec(`PRAGMA cache_size = ${kb}`);
      this.bulkCacheKb = kb;
    }
    if (this.bulkCacheTimer) clearTimeout(this.bulkCacheTimer);
    this.bulkCacheTimer = setTimeout(() => {
      this.bulkCacheTimer = null;
      this.bulkCacheKb = 0;
      if (this.db.isOpen) this.db.exec(`PRAGMA cache_size = ${PAGE_CACHE_KB.normal}`);
    }, BULK_CACHE_IDLE_MS);
    this.bulkCacheTimer.unref?.();
  }

  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  run(sql: string, params: unknown[] = []): void {
    this.stmt(sql).run(bindable(params) as never);
  }

  get(sql: string, params: unknown[] = []): Row | null {
    // all(): a statement stepped to its end releases its read; the queries used here return one row.
    return (this.stmt(sql).all(bindable(params) as never)[0] as Row | undefined) ?? null;
  }

  all(sql: string, params: unknown[] = []): Row[] {
    return this.stmt(sql).all(bindable(params) as never) as Row[];
  }

  each(sql: string, params: unknown[], fn: (row: Row) => void): void {
    // Stepped to its end (a throwing fn leaves it to the next reset, which binding does).
    for (const r of this.stmt(sql).iterate(bindable(params) as never)) fn(r as Row);
  }

  close(): void {
    if (this.bulkCacheTimer) clearTimeout(this.bulkCacheTimer);
    this.bulkCacheTimer = null;
    for (const s of this.stmts.values()) {
      try {
        s.finalize();
      } catch {
        /* already finalized */
      }
    }
    this.stmts.clear();
    if (this.db.isOpen) this.db.close();
  }

  private stmt(sql: string): WasmStatement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(dialectSql(sql, 'sqlite'));
      this.stmts.set(sql, s);
    }
    return s;
  }
}
