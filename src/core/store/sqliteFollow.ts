/**
 * SqliteStore, layer 2 of 4: the writer lock (become, beat, lose), following another writer,
 * and the SQL helpers every layer uses. sqlite.ts has the overview.
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
import { SqliteLoader } from './sqliteLoad';

export abstract class SqliteFollower extends SqliteLoader {
  // Defined by the writing layer (sqliteWrite.ts).
  protected abstract cutJournal(): void;
  abstract snapshotNow(): boolean;
  protected abstract closeJournal(): void;

  protected becomeWriter(): void {
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

  protected beat(): void {
    try {
      if (!this.lock.heartbeat()) this.loseWriter();
    } catch {
      /* a missed heartbeat is retried; staleness is judged by others over several beats */
    }
  }

  protected loseWriter(): void {
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

  protected startFollowing(): void {
    if (this.opts.followMs && !this.followTimer) {
      this.followTimer = setInterval(() => void this.refresh().catch(() => undefined), this.opts.followMs);
      this.followTimer.unref();
    }
  }

  protected stopFollowing(): void {
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

  protected reload(): void {
    const before = this.recoveryNotes.length;
    this.load();
    this.recoveryNotes.splice(before); // a follower re-reading is not a recovery worth reporting again
  }

  // ---------- sql helpers ----------

  protected readonly runner: SqlRunner = {
    run: (sql, params = []) => this.run(sql, params),
    get: (sql, params = []) => this.get(sql, params),
    all: (sql, params = []) => this.all(sql, params),
  };

  protected knownFill(account: string, executionId: string): boolean {
    return this.get(SQL.hasFill, [account, executionId]) !== null;
  }

  protected run(sql: string, params: unknown[]): void {
    this.db!.run(sql, params);
  }

  protected get(sql: string, params: unknown[] = []): Record<string, unknown> | null {
    return this.db!.get(sql, params);
  }

  protected all(sql: string, params: unknown[] = []): Record<string, unknown>[] {
    return this.db!.all(sql, params);
  }

  /** One transaction (or, inside the file engine's open batch, a savepoint of it). */
  protected inTransaction(fn: () => void): void {
    if (this.batchOpen) {
      this.db!.exec('SAVEPOINT tx');
      try {
        fn();
      } catch (err) {
        this.db!.exec('ROLLBACK TO tx; RELEASE tx');
        this.knownTrades = null;
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
      this.knownTrades = null;
      throw err;
    }
    this.db!.exec('COMMIT');
  }
}
