/**
 * SqliteStore, layer 3 of 4: writing. Every operation is applied in a transaction and journaled
 * (fdatasync) before it is acknowledged; the file engine commits batches to the file off the
 * commit path and cuts the journal; the memory engine snapshots. sqlite.ts has the overview.
 */
import * as fs from 'fs';
import * as path from 'path';
import initSqlJs from 'sql.js';
import type { SqlJsStatic } from 'sql.js';
import { LARGE_BULK_ROWS, SqlEngine, SqlJsEngine, WasmFileEngine } from './engine';
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
import { SqliteFollower } from './sqliteFollow';

export abstract class SqliteWriter extends SqliteFollower {
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

  /**
   * One durable step for the whole write (an import chunk, a rebuild, an undo): the file engine
   * commits it to the database file as its own SQLite transaction; the memory engine journals it
   * (one line + fdatasync).
   */
  async bulkWrite(write: BulkWrite): Promise<void> {
    await this.open();
    this.assertWritable();
    if (this.opts.extension) throw new StoreWriteError('Imports and rebuilds need the database itself; the local outbox does not take them.');
    if (bulkSize(write) === 0 && !write.batch && !write.deleteBatchFills) return;
    if (this.fileDb) this.commitBulk(write);
    else this.durable({ b: write });
  }

  /**
   * File engine: the open batch goes to the file first, then the write is one SQLite transaction
   * (synchronous FULL: durable and all-or-nothing at its COMMIT, a kill before leaves the rollback
   * journal to undo it), recording its journal sequence. Not journaled: the JSON line and its
   * checksum cost more than the rows themselves. The journal is then cut (everything in it is in
   * the file) so that followers reload.
   */
  protected commitBulk(write: BulkWrite): void {
    if (!this.flush()) throw new StoreWriteError(`Bulk write not stored: ${this.lastSnapshotError}`);
    const db = this.db as WasmFileEngine;
    db.useBulkCache(bulkSize(write) >= LARGE_BULK_ROWS);
    this.knownTrades = null;
    const seq = this.lastSeq + 1;
    this.markBatch(true);
    try {
      db.exec('BEGIN');
      try {
        for (const step of bulkSteps(write)) this.run(step.sql, step.params);
        setMeta(db, 'journal_seq', String(seq));
        db.exec('COMMIT');
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        this.lastWriteError = describeFsError('write a bulk change to', this.filePath, err);
        throw new StoreWriteError(`Bulk write not stored: ${this.lastWriteError}`, (err as NodeJS.ErrnoException).code);
      }
    } finally {
      this.markBatch(false);
    }
    this.lastSeq = seq;
    this.diskSeq = seq;
    this.lastWriteError = null;
    try {
      this.cutJournal();
    } catch (err) {
      // The write is in the file; followers see it at the next cut.
      this.lastSnapshotError = describeFsError('cut the journal', this.journalPath, err);
    }
  }

  async storedFills(partition?: { account: string; symbol: string }): Promise<StoredFill[]> {
    await this.open();
    return (partition ? this.all(BULK_SQL.fillsFor, [partition.account, partition.symbol]) : this.all(BULK_SQL.fillsAll)).map(rowToStoredFill);
  }

  async eachStoredFill(fn: (fill: Fill) => void): Promise<void> {
    await this.open();
    this.db!.each(BULK_SQL.fillsAll, [], (r) => fn(rowToFill(r)));
  }

  async simEventAccounts(): Promise<string[]> {
    await this.open();
    return this.all(BULK_SQL.simEventAccounts).map((r) => String(r.account));
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
  protected durable(op: JournalOp): void {
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
        this.knownTrades = null;
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
      this.knownTrades = null;
      throw err;
    }
    db.exec('COMMIT');
    this.lastSeq = entry.s;
    this.lastWriteError = null;
    if (++this.sinceSnapshot >= this.snapshotEvery || this.journalSize > SNAPSHOT_BYTES) this.scheduleSnapshot();
  }

  protected append(line: string): void {
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

  protected assertWritable(): void {
    if (this.closed) throw new StoreWriteError(`The store ${this.describe()} is closed; open it again before committing.`);
    if (!this.writer) {
      const why = this.opts.readOnly ? 'it was opened read-only' : `another process holds the writer lock: ${describeHolder(this.lock.holder())}`;
      throw new StoreWriteError(`Cannot write to ${this.describe()}: ${why}; close the other window or CLI, or wait for its lock (${this.lockPath}) to go stale.`);
    }
  }

  protected apply(e: JournalEntry): void {
    const ext = this.opts.extension;
    if ('c' in e) {
      const u = e.c;
      if (this.knownFill(u.fill.account, u.fill.executionId)) return;
      this.run(SQL.insertFill, fillParams(u.fill));
      for (const t of u.trades) {
        if (this.knownTrades !== null && !this.get(SQL.hasTrade, [t.id])) this.knownTrades++;
        this.run(SQL.upsertTrade, tradeParams(t));
      }
      const k = u.positionKey;
      if (u.position) this.run(SQL.upsertPosition, [k.account, k.symbol, JSON.stringify(u.position)]);
      else if (ext?.keepFlatTombstones) this.run(SQL.upsertPosition, [k.account, k.symbol, 'null']);
      else this.run(SQL.deletePosition, [k.account, k.symbol]);
      for (const s of u.simEvents) this.run(SQL.insertSimEvent, simEventParams(s));
      ext?.committed(e.s, u, this.runner);
    } else if ('b' in e) {
      this.knownTrades = null;
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
      this.knownTrades = null; // the outbox drops what the server took
      ext?.drained(e.d, this.runner);
    }
  }

  // ---------- file engine: batches ----------

  protected scheduleFlush(now: boolean): void {
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
  protected flush(cut = false): boolean {
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
  protected reapplyJournal(): void {
    const db = this.db!;
    const seq = Number(getMeta(db, 'journal_seq') ?? 0);
    db.exec('BEGIN');
    this.batchOpen = true;
    for (const e of readJournal(this.journalPath).entries) if (e.s > seq) this.apply(e);
  }

  /** Replaces the journal by an empty one (a new file: followers see it and reload); only after a batch is in the file. */
  protected cutJournal(): void {
    const tmp = this.journalPath + SIDECAR.tmp;
    writeFileDurably(tmp, new Uint8Array(0));
    this.closeJournal();
    fs.renameSync(tmp, this.journalPath);
    fsyncDir(path.dirname(this.journalPath));
    this.journalSize = 0;
  }

  // ---------- snapshots ----------

  protected scheduleSnapshot(): void {
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

  protected rewriteJournal(): void {
    const j = readJournal(this.journalPath);
    const keep = j.entries.filter((e) => e.s > this.prevSeq);
    const tmp = this.journalPath + SIDECAR.tmp;
    writeFileDurably(tmp, Buffer.from(keep.map(encodeEntry).join(''), 'utf8'));
    this.closeJournal();
    fs.renameSync(tmp, this.journalPath);
    fsyncDir(path.dirname(this.journalPath));
    this.journalSize = fs.statSync(this.journalPath).size;
  }

  protected closeJournal(): void {
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

}
