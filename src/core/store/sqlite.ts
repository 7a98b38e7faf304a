/**
 * The embedded store: a SQLite file plus our own write-ahead journal, which acknowledges commits.
 *
 * Files next to `<file>` (a plain SQLite database):
 * - `<file>.journal`: one checksummed line per operation, fdatasync'ed before a commit resolves.
 * - `<file>.writer`: the single-writer lock (see lock.ts); other instances open read-only and follow.
 * The database records the last journal sequence it contains (meta `journal_seq`), so replay is
 * exact and idempotent whatever point a crash interrupted.
 *
 * Two engines (engine.ts). The writer's default, `file`: node-sqlite3-wasm on `<file>` itself;
 * each operation goes into an open SQLite transaction (reads see it at once) and is acknowledged
 * by the journal; a batch is committed to the file shortly after (one transaction, off the commit
 * path), and the journal is cut once it grows (and on close). Opening costs what the journal tail
 * costs, not what the history costs. `memory`: sql.js holds the whole database and a snapshot
 * exports it (`<file>.prev` keeps the previous generation); followers always read this way, since
 * the file engine's lock is exclusive, and the bench keeps it for comparison.
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
const SNAPSHOT_BYTES = 64 * 1024 * 1024;
/** File engine: a batch goes to the database file after this many operations, or FLUSH_MS after its first. */
const FLUSH_EVERY = 256;
const FLUSH_MS = 200;
/** File engine: the journal is cut (after a batch reached the file) once it is this long; followers then reload. */
const JOURNAL_KEEP_BYTES = 1024 * 1024;

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

export class SqliteStore implements TradeStore {
  readonly journalPath: string;
  readonly prevPath: string;
  readonly lockPath: string;
  private readonly lock: WriterLock;
  private readonly snapshotEvery: number;
  private db: SqlEngine | null = null;
  /** The loaded engine writes the file in place (file engine) rather than snapshots (memory). */
  private fileDb = false;
  /** File engine: an SQLite transaction holds operations not yet committed to the file. */
  private batchOpen = false;
  private flushTimer: NodeJS.Timeout | null = null;
  private migrationNote: string | null = null;
  /** File engine: the batch counter (SIDECAR.batchGen); odd while the file is being written. */
  private gen = 0;
  /** A previous writer died holding the file (its SQLite lock or a batch mark was left behind). */
  private uncleanFile = false;
  private opening: Promise<void> | null = null;
  private writer = false;
  private closed = false;
  private lastSeq = 0;
  /** Journal sequence contained in `<file>` on disk (null: no valid file). */
  private diskSeq: number | null = null;
  /** Journal sequence contained in `<file>.prev` (the journal keeps every line after it). */
  private prevSeq = 0;
  private journalFd: number | null = null;
  private journalSize = 0;
  private sinceSnapshot = 0;
  private snapshotTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private followTimer: NodeJS.Timeout | null = null;
  private followIno: number | null = null;
  private followOffset = 0;
  private snapshotStamp = '';
  private loadedVersion = 0;
  private lastWriteError: string | null = null;
  private lastSnapshotError: string | null = null;
  /** What recovery did at open (torn lines skipped, corrupt snapshot set aside); shown in health(). */
  readonly recoveryNotes: string[] = [];

  constructor(readonly filePath: string, private readonly opts: SqliteStoreOptions = {}) {
    this.filePath = path.resolve(filePath);
    this.journalPath = this.filePath + SIDECAR.journal;
    this.prevPath = this.filePath + SIDECAR.prev;
    this.lockPath = this.filePath + SIDECAR.writer;
    this.lock = new WriterLock(this.lockPath, opts.lockStaleMs ?? 15_000);
    this.snapshotEvery = Math.max(1, opts.snapshotEvery ?? 1000);
  }

  describe(): string {
    return `sqlite:${this.filePath}`;
  }

  /** True while this instance holds the writer lock. */
  get isWriter(): boolean {
    return this.writer;
  }

  /** `file` when this instance writes the database file in place, `memory` when it holds it in sql.js. */
  get engine(): SqliteEngineKind {
    return this.fileDb ? 'file' : 'memory';
  }

  /** Schema version found on disk before this open migrated it (0 = new store). */
  get versionAtOpen(): number {
    return this.loadedVersion;
  }

  open(): Promise<void> {
    this.opening ??= this.doOpen();
    return this.opening;
  }

  private async doOpen(): Promise<void> {
    const dir = path.dirname(this.filePath);
    if (!this.opts.readOnly) {
      try {
        makeFolder(dir);
      } catch (err) {
        throw new StoreWriteError(describeFsError('create the store folder', dir, err), (err as NodeJS.ErrnoException).code);
      }
    }
    if (!this.opts.readOnly) {
      try {
        this.writer = this.lock.tryAcquire();
        if (this.writer && !this.clearSqliteLock()) {
          this.lock.release();
          this.writer = false;
        }
      } catch (err) {
        throw new StoreWriteError(describeFsError('create the writer lock', this.lockPath, err), (err as NodeJS.ErrnoException).code);
      }
    }
    // sql.js only when this instance holds the database in memory (a follower, the memory engine).
    if (!this.wantsFileEngine) this.sql = await loadSqlJs(this.opts.wasmPath);
    this.load();
    if (this.writer) this.becomeWriter();
    else this.startFollowing();
  }

  // ---------- loading and recovery ----------

  private sql: SqlJsStatic | null = null;

  private get wantsFileEngine(): boolean {
    return this.writer && (this.opts.engine ?? (process.env.APPSIERRA_SQLITE_ENGINE === 'memory' ? 'memory' : 'file')) === 'file';
  }

  /**
   * `<file>.lock` belongs to node-sqlite3-wasm (a directory). The writer lock is ours, so a
   * directory left there is stale (a killed writer). A plain file there is the writer lock of a
   * version before issue 12: false while its holder lives (then this instance only follows).
   */
  private clearSqliteLock(): boolean {
    const p = this.filePath + SIDECAR.sqliteLock;
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      return true;
    }
    if (st.isDirectory()) {
      fs.rmSync(p, { recursive: true, force: true });
      this.uncleanFile = true;
      return true;
    }
    if (new WriterLock(p, this.lock.staleMs).liveHolder()) return false;
    fs.rmSync(p, { force: true });
    return true;
  }

  private load(attempt = 0): void {
    if (this.wantsFileEngine) return this.loadFile();
    const sqlJs = this.sql!;
    this.fileDb = false;
    // The journal this load reads must be the one that was current when the file was read (see below).
    const ino0 = journalIno(this.journalPath);
    const notes: string[] = [];
    const missing = !fs.existsSync(this.filePath);
    let loaded = this.loadSnapshot(sqlJs, this.filePath, notes);
    this.diskSeq = loaded ? loaded.seq : null;
    let fromPrev = false;
    if (!loaded && fs.existsSync(this.prevPath)) {
      loaded = this.loadSnapshot(sqlJs, this.prevPath, notes);
      fromPrev = loaded !== null;
    }
    const db = loaded?.db ?? new SqlJsEngine(new sqlJs.Database());
    const seq = loaded?.seq ?? 0;
    this.prevSeq = this.diskSeq === null ? seq : this.prevSeq;
    this.loadedVersion = currentVersion(db);
    migrate(db);
    for (const ddl of this.opts.extension?.ddl ?? []) db.exec(dialectSql(ddl, 'sqlite'));
    const j = readJournal(this.journalPath);
    if (!this.writer && j.ino !== ino0 && attempt < 5) {
      // The writer replaced the journal after this read the file: lines in between would be missed.
      db.close();
      return this.load(attempt + 1);
    }
    this.swapDb(db);
    this.lastSeq = seq;
    let applied = 0;
    for (const e of j.entries) {
      if (e.s <= this.lastSeq) continue;
      this.inTransaction(() => this.apply(e));
      this.lastSeq = e.s;
      applied++;
    }
    if (missing && (fromPrev || applied > 0)) notes.unshift(`${this.filePath} was missing`);
    if (fromPrev) notes.push(`recovered from the previous snapshot ${this.prevPath} plus ${applied} journaled operation(s)`);
    else if (missing && applied > 0) notes.push(`rebuilt from the journal ${this.journalPath} (${applied} operation(s))`);
    if (j.garbled) notes.push(`${j.garbled} garbled journal line(s) skipped`);
    if (j.tornBytes) notes.push(`a torn last journal line (${j.tornBytes} bytes, never acknowledged) was ignored`);
    this.sinceSnapshot = applied;
    this.followIno = j.ino;
    this.followOffset = j.goodEnd;
    this.journalSize = j.goodEnd;
    this.snapshotStamp = fileStamp(this.filePath);
    this.recoveryNotes.push(...notes);
    // Recorded in the store itself, so a later run can still tell what happened here.
    if (notes.length && this.writer) setMeta(db, 'last_recovery', JSON.stringify({ atMs: Date.now(), notes }));
  }

  /**
   * The writer's file engine: opens `<file>` in place (a store the memory engine wrote is the same
   * SQLite format; the first open keeps a copy of it and drops `.prev`), checks integrity only
   * after an unclean shutdown, migrates, and replays the journal lines the file does not hold yet.
   */
  private loadFile(): void {
    const notes: string[] = [];
    const missing = !fs.existsSync(this.filePath);
    const fromMemory = fs.existsSync(this.prevPath);
    let restoredPrev = false;
    const bad = missing ? null : headerProblem(this.filePath);
    if (bad) this.setAside(this.filePath, bad, notes);
    if (!fs.existsSync(this.filePath) && fromMemory && !headerProblem(this.prevPath)) {
      // The memory engine's crash story: `.prev` plus the journal (which holds every line after it).
      fs.copyFileSync(this.prevPath, this.filePath);
      restoredPrev = true;
    } else if (fromMemory && !missing) {
      const backup = this.filePath + SIDECAR.memoryBackup;
      fs.copyFileSync(this.filePath, backup);
      this.migrationNote = `opened in place for the first time (was the sql.js snapshot engine); the file as it was is kept as ${backup}`;
    }
    this.gen = readGen(this.filePath);
    if (this.gen % 2 === 1) this.uncleanFile = true;
    this.markBatch(true);
    try {
      this.openFile(notes, missing, fromMemory);
      if (missing && (restoredPrev || this.replayed > 0)) notes.unshift(`${this.filePath} was missing`);
      if (restoredPrev) notes.push(`recovered from the previous snapshot ${this.prevPath} plus ${this.replayed} journaled operation(s)`);
      else if (missing && this.replayed > 0) notes.push(`rebuilt from the journal ${this.journalPath} (${this.replayed} operation(s))`);
      // Recorded in the store itself, so a later run can still tell what happened here.
      if (notes.length) this.inTransaction(() => setMeta(this.db!, 'last_recovery', JSON.stringify({ atMs: Date.now(), notes })));
    } finally {
      this.markBatch(false);
    }
    this.recoveryNotes.push(...notes);
  }

  private replayed = 0;

  private openFile(notes: string[], missing: boolean, fromMemory: boolean): void {
    this.swapDb(WasmFileEngine.open(this.filePath));
    const db = this.db!;
    this.fileDb = true;
    if ((this.lock.tookOverStale || this.uncleanFile) && !missing) {
      const ok = integrity(db);
      if (ok !== 'ok') notes.push(`the integrity check after an unclean shutdown says: ${ok} (the file was kept; \`appsierra db check\` tells more)`);
    }
    this.loadedVersion = currentVersion(db);
    migrate(db);
    for (const ddl of this.opts.extension?.ddl ?? []) db.exec(dialectSql(ddl, 'sqlite'));
    const seq = Number(getMeta(db, 'journal_seq') ?? 0);
    this.lastSeq = seq;
    this.diskSeq = seq;
    const j = readJournal(this.journalPath);
    let applied = 0;
    db.exec('BEGIN');
    try {
      for (const e of j.entries) {
        if (e.s <= this.lastSeq) continue;
        this.apply(e);
        this.lastSeq = e.s;
        applied++;
      }
      setMeta(db, 'journal_seq', String(this.lastSeq));
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
    db.exec('COMMIT');
    this.diskSeq = this.lastSeq;
    this.replayed = applied;
    if (fromMemory) fs.rmSync(this.prevPath, { force: true });
    if (j.garbled) notes.push(`${j.garbled} garbled journal line(s) skipped`);
    if (j.tornBytes) notes.push(`a torn last journal line (${j.tornBytes} bytes, never acknowledged) was ignored`);
    this.sinceSnapshot = 0;
    this.followIno = j.ino;
    this.followOffset = j.goodEnd;
    this.journalSize = j.goodEnd;
    this.snapshotStamp = fileStamp(this.filePath);
  }

  /** Marks the file as being written (odd counter) or whole again, for followers reading it meanwhile. */
  private markBatch(active: boolean): void {
    this.gen += (this.gen % 2 === 1) === active ? 2 : 1;
    try {
      fs.writeFileSync(this.filePath + SIDECAR.batchGen, String(this.gen));
    } catch {
      /* followers then take the file as they find it */
    }
  }

  private setAside(file: string, why: string, notes: string[]): void {
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(file, aside);
    fs.rmSync(file + SIDECAR.sqliteJournal, { force: true });
    notes.push(`corrupt snapshot ${file} (${why}) was set aside as ${aside}`);
  }

  /**
   * The one recovery story every command tells: what this open recovered, else the last
   * recovery recorded in the store (null: never recovered).
   */
  recovery(): { current: boolean; text: string } | null {
    if (this.recoveryNotes.length) return { current: true, text: `recovered when opened: ${this.recoveryNotes.join('; ')}${this.writer ? '' : ' (in memory; the next writer repairs the files)'}` };
    try {
      const last = this.db ? getMeta(this.db, 'last_recovery') : null;
      if (!last) return null;
      const r = JSON.parse(last) as { atMs: number; notes: string[] };
      return { current: false, text: `last recovery ${new Date(r.atMs).toISOString()}: ${r.notes.join('; ')}` };
    } catch {
      return null;
    }
  }

  private loadSnapshot(sqlJs: SqlJsStatic, file: string, notes: string[]): { db: SqlJsEngine; seq: number } | null {
    let bytes: Buffer;
    try {
      bytes = readConsistent(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new Error(describeFsError('read the store', file, err));
    }
    let db: SqlJsEngine | null = null;
    try {
      checkSqliteHeader(bytes);
      db = new SqlJsEngine(new sqlJs.Database(bytes));
      // A follower reads what the writer keeps checked (after an unclean shutdown); the memory writer checks each open.
      const ok = this.writer ? integrity(db) : 'ok';
      if (ok !== 'ok') throw new Error(`integrity check says ${ok}`);
      const seq = Number(getMeta(db, 'journal_seq') ?? 0);
      return { db, seq };
    } catch (err) {
      db?.close();
      const why = err instanceof Error ? err.message : String(err);
      if (this.writer) {
        const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        fs.renameSync(file, aside);
        notes.push(`corrupt snapshot ${file} (${why}) was set aside as ${aside}`);
      } else {
        notes.push(`corrupt snapshot ${file} (${why}) skipped`);
      }
      return null;
    }
  }

  private swapDb(db: SqlEngine): void {
    this.closeDb();
    this.db = db;
    // The in-memory engine needs no rollback file: our journal is the durability.
    if (db instanceof SqlJsEngine) db.exec('PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF');
  }

  /** Closes the engine; the file engine's SQLite lock directory goes with it (the library leaves it in exclusive mode). */
  private closeDb(): void {
    if (!this.db) return;
    const wasFile = this.db instanceof WasmFileEngine;
    try {
      this.db.close();
    } finally {
      this.db = null;
      this.batchOpen = false;
      if (wasFile) fs.rmSync(this.filePath + SIDECAR.sqliteLock, { recursive: true, force: true });
    }
  }

  private becomeWriter(): void {
    this.writer = true;
    // A torn tail must go before the next append, or the new line would be glued to it.
    try {
      if (fs.existsSync(this.journalPath) && fs.statSync(this.journalPath).size !== this.journalSize) fs.truncateSync(this.journalPath, this.journalSize);
    } catch (err) {
      this.lastWriteError = describeFsError('repair the journal', this.journalPath, err);
    }
    this.stopFollowing();
    const beat = Math.max(200, Math.floor(this.lock.staleMs / 3));
    this.heartbeatTimer = setInterval(() => this.beat(), beat);
    this.heartbeatTimer.unref();
    if (this.fileDb) {
      if (this.journalSize > JOURNAL_KEEP_BYTES) this.cutJournal();
    } else if (!fs.existsSync(this.filePath) || this.sinceSnapshot >= this.snapshotEvery) this.snapshotNow();
  }

  private beat(): void {
    try {
      if (!this.lock.heartbeat()) this.loseWriter();
    } catch {
      /* a missed heartbeat is retried; staleness is judged by others over several beats */
    }
  }

  private loseWriter(): void {
    this.writer = false;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    this.closeJournal();
    if (this.fileDb) {
      // Another process writes the file now: drop ours (its unflushed batch is in the journal) and
      // follow. Not closeDb(): closing would roll back into the file and remove the new writer's lock.
      if (this.flushTimer) clearTimeout(this.flushTimer);
      this.flushTimer = null;
      this.db = null;
      this.fileDb = false;
      void loadSqlJs(this.opts.wasmPath).then((sql) => {
        if (this.closed) return;
        this.sql = sql;
        this.reload();
        this.opts.onChange?.();
      });
    }
    this.startFollowing();
    this.opts.onChange?.();
  }

  private startFollowing(): void {
    if (this.opts.followMs && !this.followTimer) {
      this.followTimer = setInterval(() => void this.refresh().catch(() => undefined), this.opts.followMs);
      this.followTimer.unref();
    }
  }

  private stopFollowing(): void {
    if (this.followTimer) clearInterval(this.followTimer);
    this.followTimer = null;
  }

  /**
   * Followers: picks up the writer's new journal lines and snapshots, and takes the writer role
   * over if the lock went stale. Returns true if anything changed.
   */
  async refresh(): Promise<boolean> {
    await this.open();
    if (this.closed || !this.sql) return false;
    if (this.writer) return false;
    let changed = false;
    // The journal holds every line since the file was last reloaded until the writer replaces it
    // (a memory snapshot, or the file engine cutting it once a batch reached the file): only then reload.
    if (journalIno(this.journalPath) !== this.followIno || (this.followIno === null && fileStamp(this.filePath) !== this.snapshotStamp)) {
      this.reload();
      changed = true;
    } else {
      const j = readJournal(this.journalPath, j0(this.followIno, this.followOffset, this.journalPath));
      for (const e of j.entries) {
        if (e.s <= this.lastSeq) continue;
        this.inTransaction(() => this.apply(e));
        this.lastSeq = e.s;
        changed = true;
      }
      this.followOffset = j.goodEnd;
    }
    if (!this.opts.readOnly) {
      try {
        if (this.lock.tryAcquire()) {
          if (this.clearSqliteLock()) {
            this.writer = true;
            this.reload();
            this.becomeWriter();
            changed = true;
          } else this.lock.release();
        }
      } catch {
        /* stays a follower */
      }
    }
    if (changed) this.opts.onChange?.();
    return changed;
  }

  private reload(): void {
    const before = this.recoveryNotes.length;
    this.load();
    this.recoveryNotes.splice(before); // a follower re-reading is not a recovery worth reporting again
  }

  // ---------- writing ----------

  async commit(unit: CommitUnit): Promise<boolean> {
    await this.open();
    this.assertWritable();
    if (this.knownFill(unit.fill.account, unit.fill.executionId)) return false;
    this.durable({ c: unit });
    return true;
  }

  async appendSimEvent(event: SimBalanceEvent): Promise<void> {
    await this.open();
    this.assertWritable();
    if (this.get(SQL.hasSimEvent, [event.id])) return;
    this.durable({ e: event });
  }

  async editTags(edit: TagEdit): Promise<void> {
    await this.open();
    this.assertWritable();
    if (edit.add.length || edit.remove.length) this.durable({ g: edit });
  }

  async recordRiskEvent(event: RiskEvent): Promise<void> {
    await this.open();
    this.assertWritable();
    if (!this.opts.extension && this.get(SQL.hasRiskEvent, [event.id])) return;
    this.durable({ k: event });
  }

  async riskEvents(query?: RiskEventQuery): Promise<RiskEvent[]> {
    await this.open();
    return filterRiskEvents(this.all(SQL.riskEventsAll).map(rowToRiskEvent), query);
  }

  /** One journal line + fdatasync for the whole write (an import chunk, a rebuild, an undo). */
  async bulkWrite(write: BulkWrite): Promise<void> {
    await this.open();
    this.assertWritable();
    if (this.opts.extension) throw new StoreWriteError('Imports and rebuilds need the database itself; the local outbox does not take them.');
    if (bulkSize(write) === 0 && !write.batch && !write.deleteBatchFills) return;
    this.durable({ b: write });
  }

  async storedFills(partition?: { account: string; symbol: string }): Promise<StoredFill[]> {
    await this.open();
    return (partition ? this.all(BULK_SQL.fillsFor, [partition.account, partition.symbol]) : this.all(BULK_SQL.fillsAll)).map(rowToStoredFill);
  }

  async fillPartitions(): Promise<{ account: string; symbol: string }[]> {
    await this.open();
    return this.all(BULK_SQL.fillPartitions).map((r) => ({ account: String(r.account), symbol: String(r.symbol) }));
  }

  async batchFills(batchId: string): Promise<StoredFill[]> {
    await this.open();
    return this.all(BULK_SQL.fillsOfBatch, [batchId]).map(rowToStoredFill);
  }

  async importBatches(): Promise<ImportBatch[]> {
    await this.open();
    return this.all(BULK_SQL.batches).map(rowToBatch);
  }

  /** Journals the extension's drain operation (the outbox's entries that reached the primary). */
  async journalDrain(seqs: number[]): Promise<void> {
    await this.open();
    this.assertWritable();
    if (seqs.length) this.durable({ d: seqs });
  }

  /** Journals the extension's replica operation (what the primary acknowledged). */
  async journalReplica(op: ReplicaOp): Promise<void> {
    await this.open();
    this.assertWritable();
    this.durable({ r: op });
  }

  /** Applies inside a transaction, journals + fdatasyncs, and only then commits (memory) or keeps it for the batch (file). */
  private durable(op: JournalOp): void {
    const entry = { ...op, s: this.lastSeq + 1 } as JournalEntry;
    const db = this.db!;
    if (this.fileDb) {
      if (!this.batchOpen) {
        db.exec('BEGIN');
        this.batchOpen = true;
      }
      db.exec('SAVEPOINT op');
      try {
        this.apply(entry);
        this.append(encodeEntry(entry));
      } catch (err) {
        db.exec('ROLLBACK TO op; RELEASE op');
        throw err;
      }
      db.exec('RELEASE op');
      this.lastSeq = entry.s;
      this.lastWriteError = null;
      this.scheduleFlush(++this.sinceSnapshot >= FLUSH_EVERY);
      return;
    }
    db.exec('BEGIN');
    try {
      this.apply(entry);
      this.append(encodeEntry(entry));
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
    db.exec('COMMIT');
    this.lastSeq = entry.s;
    this.lastWriteError = null;
    if (++this.sinceSnapshot >= this.snapshotEvery || this.journalSize > SNAPSHOT_BYTES) this.scheduleSnapshot();
  }

  private append(line: string): void {
    const buf = Buffer.from(line, 'utf8');
    try {
      this.journalFd ??= fs.openSync(this.journalPath, 'a');
      let off = 0;
      while (off < buf.length) off += fs.writeSync(this.journalFd, buf, off, buf.length - off);
      fs.fdatasyncSync(this.journalFd);
      this.journalSize += buf.length;
    } catch (err) {
      // Cut a partial line away so the next append starts clean, and reopen on the next try.
      if (this.journalFd !== null) {
        try {
          fs.ftruncateSync(this.journalFd, this.journalSize);
        } catch {
          /* the replay skips a garbled line anyway */
        }
      }
      this.closeJournal();
      this.lastWriteError = describeFsError('write the journal', this.journalPath, err);
      throw new StoreWriteError(`Commit not stored: ${this.lastWriteError}`, (err as NodeJS.ErrnoException).code);
    }
  }

  private assertWritable(): void {
    if (this.closed) throw new StoreWriteError(`The store ${this.describe()} is closed; open it again before committing.`);
    if (!this.writer) {
      const why = this.opts.readOnly ? 'it was opened read-only' : `another process holds the writer lock: ${describeHolder(this.lock.holder())}`;
      throw new StoreWriteError(`Cannot write to ${this.describe()}: ${why}; close the other window or CLI, or wait for its lock (${this.lockPath}) to go stale.`);
    }
  }

  private apply(e: JournalEntry): void {
    const ext = this.opts.extension;
    if ('c' in e) {
      const u = e.c;
      if (this.knownFill(u.fill.account, u.fill.executionId)) return;
      this.run(SQL.insertFill, fillParams(u.fill));
      for (const t of u.trades) this.run(SQL.upsertTrade, tradeParams(t));
      const k = u.positionKey;
      if (u.position) this.run(SQL.upsertPosition, [k.account, k.symbol, JSON.stringify(u.position)]);
      else if (ext?.keepFlatTombstones) this.run(SQL.upsertPosition, [k.account, k.symbol, 'null']);
      else this.run(SQL.deletePosition, [k.account, k.symbol]);
      for (const s of u.simEvents) this.run(SQL.insertSimEvent, simEventParams(s));
      ext?.committed(e.s, u, this.runner);
    } else if ('b' in e) {
      for (const step of bulkSteps(e.b)) this.run(step.sql, step.params);
    } else if ('e' in e) {
      this.run(SQL.insertSimEvent, simEventParams(e.e));
      ext?.simEventAdded(e.s, e.e, this.runner);
    } else if ('g' in e) {
      if (ext?.tagEdited) ext.tagEdited(e.s, e.g, this.runner);
      else {
        for (const tag of e.g.add) this.run(SQL.insertTag, [e.g.tradeId, tag]);
        for (const tag of e.g.remove) this.run(SQL.deleteTag, [e.g.tradeId, tag]);
      }
    } else if ('k' in e) {
      if (ext?.riskRecorded) ext.riskRecorded(e.s, e.k, this.runner);
      else this.run(SQL.insertRiskEvent, riskEventParams(e.k));
    } else if ('r' in e) {
      ext?.replicated?.(e.r, this.runner);
    } else {
      ext?.drained(e.d, this.runner);
    }
  }

  // ---------- file engine: batches ----------

  private scheduleFlush(now: boolean): void {
    if (now && this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flush();
    }, now ? 0 : FLUSH_MS);
    this.flushTimer.unref();
  }

  /**
   * Commits the open batch to the file (one SQLite transaction, recording the journal sequence it
   * holds), then cuts the journal when it is long (or `cut`). A failure is reported in health()
   * and retried; the journal still holds every acknowledged operation.
   */
  private flush(cut = false): boolean {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (!this.writer || !this.db || !this.fileDb) return false;
    const db = this.db as WasmFileEngine;
    try {
      if (this.batchOpen) {
        setMeta(db, 'journal_seq', String(this.lastSeq));
        this.markBatch(true);
        try {
          db.exec('COMMIT');
        } finally {
          this.markBatch(false);
        }
        this.batchOpen = false;
        this.diskSeq = this.lastSeq;
        this.sinceSnapshot = 0;
      }
      if (cut || this.journalSize > JOURNAL_KEEP_BYTES) this.cutJournal();
      this.lastSnapshotError = null;
      return true;
    } catch (err) {
      this.lastSnapshotError = describeFsError('write a batch to', this.filePath, err);
      if (this.batchOpen && !db.inTransaction) {
        // SQLite rolled the batch back (disk full, I/O error): what it held is in the journal; apply it again.
        this.batchOpen = false;
        try {
          this.reapplyJournal();
        } catch {
          /* retried with the next flush; reads may lag until then */
        }
      }
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        this.flush();
      }, 1000);
      this.flushTimer.unref();
      return false;
    }
  }

  /** Re-opens the batch from the journal lines newer than the file's `journal_seq`. */
  private reapplyJournal(): void {
    const db = this.db!;
    const seq = Number(getMeta(db, 'journal_seq') ?? 0);
    db.exec('BEGIN');
    this.batchOpen = true;
    for (const e of readJournal(this.journalPath).entries) if (e.s > seq) this.apply(e);
  }

  /** Replaces the journal by an empty one (a new file: followers see it and reload); only after a batch is in the file. */
  private cutJournal(): void {
    const tmp = this.journalPath + SIDECAR.tmp;
    writeFileDurably(tmp, new Uint8Array(0));
    this.closeJournal();
    fs.renameSync(tmp, this.journalPath);
    fsyncDir(path.dirname(this.journalPath));
    this.journalSize = 0;
  }

  // ---------- snapshots ----------

  private scheduleSnapshot(): void {
    if (this.snapshotTimer || !this.writer) return;
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = null;
      this.snapshotNow();
    }, 0);
    this.snapshotTimer.unref();
  }

  /**
   * export -> temp -> fsync -> `<file>` becomes `.prev` -> temp becomes `<file>` -> journal keeps
   * only lines newer than `.prev`. Any crash point leaves a loadable generation plus a journal
   * holding everything after it. A failure is reported in health() and retried; the journal
   * still holds the data.
   */
  snapshotNow(): boolean {
    if (!this.writer || !this.db) return false;
    if (this.fileDb) return this.flush(true);
    const tmp = this.filePath + SIDECAR.tmp;
    try {
      setMeta(this.db, 'journal_seq', String(this.lastSeq));
      const data = (this.db as SqlJsEngine).export();
      writeFileDurably(tmp, data);
      if (fs.existsSync(this.filePath)) {
        fs.renameSync(this.filePath, this.prevPath);
        this.prevSeq = this.diskSeq ?? this.prevSeq;
      }
      fs.renameSync(tmp, this.filePath);
      this.diskSeq = this.lastSeq;
      fsyncDir(path.dirname(this.filePath));
      this.rewriteJournal();
      this.sinceSnapshot = 0;
      this.snapshotStamp = fileStamp(this.filePath);
      this.lastSnapshotError = null;
      return true;
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      this.lastSnapshotError = describeFsError('write a snapshot of', this.filePath, err);
      return false;
    }
  }

  private rewriteJournal(): void {
    const j = readJournal(this.journalPath);
    const keep = j.entries.filter((e) => e.s > this.prevSeq);
    const tmp = this.journalPath + SIDECAR.tmp;
    writeFileDurably(tmp, Buffer.from(keep.map(encodeEntry).join(''), 'utf8'));
    this.closeJournal();
    fs.renameSync(tmp, this.journalPath);
    fsyncDir(path.dirname(this.journalPath));
    this.journalSize = fs.statSync(this.journalPath).size;
  }

  private closeJournal(): void {
    if (this.journalFd !== null) {
      try {
        fs.closeSync(this.journalFd);
      } catch {
        /* already closed */
      }
    }
    this.journalFd = null;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.opening) await this.opening.catch(() => undefined);
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = null;
    // A clean close leaves the file whole and the journal empty: the next open replays nothing.
    if (this.writer && this.fileDb) this.flush(true);
    else if (this.writer && this.sinceSnapshot > 0) this.snapshotNow();
    this.closed = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.stopFollowing();
    this.closeJournal();
    try {
      this.closeDb();
    } finally {
      if (this.writer) this.lock.release();
      this.writer = false;
    }
  }

  // ---------- reading ----------

  async hasFill(account: string, executionId: string): Promise<boolean> {
    await this.open();
    return this.knownFill(account, executionId);
  }

  async fillKeys(sinceMs?: number): Promise<Set<string>> {
    await this.open();
    const rows = sinceMs === undefined ? this.all(SQL.fillKeys) : this.all(SQL.fillKeysSince, [sinceMs]);
    return new Set(rows.map((r) => fillKey(String(r.account), String(r.execution_id))));
  }

  async eachTradeStat(fn: (row: TradeStatRow) => void): Promise<void> {
    await this.open();
    this.db!.each(SQL.tradeStatColumns, [], fn as unknown as (row: Record<string, unknown>) => void);
  }

  async fills(account: string, executionIds: readonly string[]): Promise<Fill[]> {
    await this.open();
    return executionIds.flatMap((id) => this.all(SQL.fillByKey, [account, id]).map(rowToFill)).sort(byFillTime);
  }

  async trades(query?: TradeQuery): Promise<Trade[]> {
    await this.open();
    const q = tradesQuery(query);
    return this.all(q.sql.split('{s}').join(''), q.params).map(rowToTrade);
  }

  async openPositions(): Promise<OpenPosition[]> {
    await this.open();
    // A `null` row is an outbox tombstone (see SqliteExtension), never an open position.
    return this.all(SQL.positions).map((r) => parsePosition(String(r.position))).filter((p): p is OpenPosition => p !== null);
  }

  async simEvents(account?: string): Promise<SimBalanceEvent[]> {
    await this.open();
    return (account === undefined ? this.all(SQL.simEventsAll) : this.all(SQL.simEventsFor, [account])).map(rowToSimEvent);
  }

  async tradeTags(): Promise<Map<string, string[]>> {
    await this.open();
    return rowsToTags(this.all(SQL.tagsAll));
  }

  /** Runs read statements against the loaded database (an extension's own tables). */
  async read<T>(fn: (db: SqlRunner) => T): Promise<T> {
    await this.open();
    return fn(this.runner);
  }

  async schemaVersion(): Promise<number> {
    await this.open();
    return currentVersion(this.db!);
  }

  lockHolder(): LockInfo | null {
    return this.lock.holder();
  }

  async health(): Promise<StoreHealth> {
    try {
      await this.open();
    } catch (err) {
      return { ok: false, store: this.describe(), kind: 'sqlite', schemaVersion: null, detail: (err as Error).message, outboxPending: 0, state: 'failed', lockHolder: null };
    }
    const trades = Number(this.get(SQL.tradeCount)?.n ?? 0);
    const holder = this.writer ? this.lock.holder() : this.lock.liveHolder();
    const parts = [`${trades} trades`, this.fileDb ? `${this.sinceSnapshot} journaled, not yet in the file` : `${this.sinceSnapshot} journaled since the last snapshot`];
    if (!this.writer) parts.push(this.opts.readOnly ? 'opened read-only' : `following the writer ${describeHolder(holder)}`);
    if (this.lastWriteError) parts.push(`last commit failed: ${this.lastWriteError}`);
    if (this.lastSnapshotError) parts.push(`last ${this.fileDb ? 'batch' : 'snapshot'} failed (the journal still holds the data): ${this.lastSnapshotError}`);
    if (this.migrationNote) parts.push(this.migrationNote);
    const recovery = this.recovery();
    if (recovery) parts.push(recovery.text);
    return {
      recovery: recovery?.text ?? null,
      ok: !this.lastWriteError && !this.closed,
      store: this.describe(),
      kind: 'sqlite',
      schemaVersion: currentVersion(this.db!),
      detail: parts.join('; '),
      outboxPending: 0,
      state: this.lastWriteError ? 'failed' : this.writer ? 'primary' : 'readonly',
      lockHolder: holder ? describeHolder(holder) : null,
    };
  }

  /**
   * Bulk load for benchmarks and imports: rows go straight into the database and a snapshot is
   * written (one durable step), instead of one journal line each.
   */
  async bulkLoad(units: CommitUnit[]): Promise<void> {
    await this.open();
    this.assertWritable();
    if (this.fileDb) {
      if (!this.flush()) throw new StoreWriteError(`Bulk load not stored: ${this.lastSnapshotError}`);
      this.markBatch(true);
      try {
        this.inTransaction(() => {
          for (const u of units) this.apply({ c: u, s: 0 });
        });
      } finally {
        this.markBatch(false);
      }
      return;
    }
    this.inTransaction(() => {
      for (const u of units) this.apply({ c: u, s: 0 });
    });
    if (!this.snapshotNow()) throw new StoreWriteError(`Bulk load not stored: ${this.lastSnapshotError}`);
  }

  // ---------- sql helpers ----------

  private readonly runner: SqlRunner = {
    run: (sql, params = []) => this.run(sql, params),
    get: (sql, params = []) => this.get(sql, params),
    all: (sql, params = []) => this.all(sql, params),
  };

  private knownFill(account: string, executionId: string): boolean {
    return this.get(SQL.hasFill, [account, executionId]) !== null;
  }

  private run(sql: string, params: unknown[]): void {
    this.db!.run(sql, params);
  }

  private get(sql: string, params: unknown[] = []): Record<string, unknown> | null {
    return this.db!.get(sql, params);
  }

  private all(sql: string, params: unknown[] = []): Record<string, unknown>[] {
    return this.db!.all(sql, params);
  }

  /** One transaction (or, inside the file engine's open batch, a savepoint of it). */
  private inTransaction(fn: () => void): void {
    if (this.batchOpen) {
      this.db!.exec('SAVEPOINT tx');
      try {
        fn();
      } catch (err) {
        this.db!.exec('ROLLBACK TO tx; RELEASE tx');
        throw err;
      }
      this.db!.exec('RELEASE tx');
      return;
    }
    this.db!.exec('BEGIN');
    try {
      fn();
    } catch (err) {
      this.db!.exec('ROLLBACK');
      throw err;
    }
    this.db!.exec('COMMIT');
  }
}

function migrate(db: SqlEngine): void {
  db.exec(dialectSql(META_DDL, 'sqlite'));
  const from = currentVersion(db);
  for (const m of MIGRATIONS) {
    if (m.version <= from) continue;
    db.exec('BEGIN');
    try {
      for (const s of m.statements) db.exec(dialectSql(s, 'sqlite'));
      setMeta(db, 'schema_version', String(m.version));
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  }
  if (currentVersion(db) > SCHEMA_VERSION) throw new Error(`The store's schema version ${currentVersion(db)} is newer than this app's ${SCHEMA_VERSION}; update APPSIERRA.`);
}

function currentVersion(db: SqlEngine): number {
  try {
    return Number(getMeta(db, 'schema_version') ?? 0);
  } catch {
    return 0; // no meta table yet
  }
}

function getMeta(db: SqlEngine, key: string): string | null {
  const r = db.get(SQL.getMeta, [key]);
  if (!r) return null;
  const v = Object.values(r)[0];
  return v === undefined || v === null ? null : String(v);
}

function setMeta(db: SqlEngine, key: string, value: string): void {
  db.run(SQL.setMeta, [key, value]);
}

/** How many integrity checks this process ran (tests: only after an unclean shutdown, issue 12). */
export const sqliteCounters = { integrityChecks: 0 };

/** `ok`, or what PRAGMA quick_check found. */
function integrity(db: SqlEngine): string {
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
function headerProblem(file: string): string | null {
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

function readGen(file: string): number {
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
function readConsistent(file: string): Buffer {
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

function checkSqliteHeader(bytes: Buffer, size = bytes.length): void {
  if (bytes.length < 100 || bytes.toString('latin1', 0, 16) !== 'SQLite format 3\u0000') throw new Error('not a SQLite file');
  const raw = bytes.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  const pages = bytes.readUInt32BE(28);
  if (pages > 0 && size < pages * pageSize) throw new Error(`truncated (${size} of ${pages * pageSize} bytes)`);
}

function journalIno(file: string): number | null {
  try {
    return fs.statSync(file).ino;
  } catch {
    return null;
  }
}

function writeFileDurably(file: string, data: Uint8Array): void {
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
function fsyncDir(dir: string): void {
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

function fileStamp(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/** Where to resume reading the journal: the last offset if it is still the same file, else the start. */
function j0(ino: number | null, offset: number, file: string): number {
  try {
    return fs.statSync(file).ino === ino ? offset : 0;
  } catch {
    return 0;
  }
}
