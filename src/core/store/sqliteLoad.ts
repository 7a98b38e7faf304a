/**
 * SqliteStore, layer 1 of 4: its state, opening, loading and recovery (the journal replayed onto
 * the file or the last snapshot). sqlite.ts has the overview.
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
import { FLUSH_EVERY, FLUSH_MS, JOURNAL_KEEP_BYTES, SNAPSHOT_BYTES, checkSqliteHeader, currentVersion, fileStamp, fsyncDir, getMeta, headerProblem, integrity, j0, journalIno, loadSqlJs, migrate, readConsistent, readGen, setMeta, writeFileDurably, type SqliteEngineKind, type SqliteStoreOptions, type SqlRunner } from './sqliteSupport';

export abstract class SqliteLoader {
  // Defined by the later layers (sqliteFollow.ts, sqliteWrite.ts).
  protected abstract becomeWriter(): void;
  protected abstract startFollowing(): void;
  protected abstract inTransaction(fn: () => void): void;
  protected abstract apply(e: JournalEntry): void;

  readonly journalPath: string;
  readonly prevPath: string;
  readonly lockPath: string;
  protected readonly lock: WriterLock;
  protected readonly snapshotEvery: number;
  protected db: SqlEngine | null = null;
  /** The loaded engine writes the file in place (file engine) rather than snapshots (memory). */
  protected fileDb = false;
  /** File engine: an SQLite transaction holds operations not yet committed to the file. */
  protected batchOpen = false;
  protected flushTimer: NodeJS.Timeout | null = null;
  protected migrationNote: string | null = null;
  /** File engine: the batch counter (SIDECAR.batchGen); odd while the file is being written. */
  protected gen = 0;
  /** A previous writer died holding the file (its SQLite lock or a batch mark was left behind). */
  protected uncleanFile = false;
  protected opening: Promise<void> | null = null;
  protected writer = false;
  protected closed = false;
  protected lastSeq = 0;
  /** Journal sequence contained in `<file>` on disk (null: no valid file). */
  protected diskSeq: number | null = null;
  /** Journal sequence contained in `<file>.prev` (the journal keeps every line after it). */
  protected prevSeq = 0;
  protected journalFd: number | null = null;
  protected journalSize = 0;
  protected sinceSnapshot = 0;
  protected snapshotTimer: NodeJS.Timeout | null = null;
  protected heartbeatTimer: NodeJS.Timeout | null = null;
  protected followTimer: NodeJS.Timeout | null = null;
  protected followIno: number | null = null;
  protected followOffset = 0;
  protected snapshotStamp = '';
  protected loadedVersion = 0;
  protected lastWriteError: string | null = null;
  protected lastSnapshotError: string | null = null;
  /** What recovery did at open (torn lines skipped, corrupt snapshot set aside); shown in health(). */
  readonly recoveryNotes: string[] = [];

  constructor(readonly filePath: string, protected readonly opts: SqliteStoreOptions = {}) {
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

  protected async doOpen(): Promise<void> {
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

  protected sql: SqlJsStatic | null = null;

  protected get wantsFileEngine(): boolean {
    return this.writer && (this.opts.engine ?? (process.env.APPSIERRA_SQLITE_ENGINE === 'memory' ? 'memory' : 'file')) === 'file';
  }

  /**
   * `<file>.lock` belongs to node-sqlite3-wasm (a directory). The writer lock is ours, so a
   * directory left there is stale (a killed writer). A plain file there is the writer lock of a
   * version before issue 12: false while its holder lives (then this instance only follows).
   */
  protected clearSqliteLock(): boolean {
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

  protected load(attempt = 0): void {
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
  protected loadFile(): void {
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

  protected replayed = 0;

  protected openFile(notes: string[], missing: boolean, fromMemory: boolean): void {
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
    // A clean close left nothing to replay: no write transaction (its fsyncs were most of an open).
    if (j.entries.some((e) => e.s > seq)) {
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
    }
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
  protected markBatch(active: boolean): void {
    this.gen += (this.gen % 2 === 1) === active ? 2 : 1;
    try {
      fs.writeFileSync(this.filePath + SIDECAR.batchGen, String(this.gen));
    } catch {
      /* followers then take the file as they find it */
    }
  }

  protected setAside(file: string, why: string, notes: string[]): void {
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

  protected loadSnapshot(sqlJs: SqlJsStatic, file: string, notes: string[]): { db: SqlJsEngine; seq: number } | null {
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

  /**
   * Trades in the database as far as this process has seen them change (health's "N trades"),
   * null when unknown: COUNT(*) reads a whole index (~0.1 s at 1M trades), so it runs once, not at
   * every health refresh (every 5 s). Commits add what they insert; anything else forgets it.
   */
  protected knownTrades: number | null = null;

  protected swapDb(db: SqlEngine): void {
    this.knownTrades = null;
    this.closeDb();
    this.db = db;
    // The in-memory engine needs no rollback file: our journal is the durability.
    if (db instanceof SqlJsEngine) db.exec('PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF');
  }

  /** Closes the engine; the file engine's SQLite lock directory goes with it (the library leaves it in exclusive mode). */
  protected closeDb(): void {
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

}
