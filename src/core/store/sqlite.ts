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
 *
 * Layers, each its own file: sqliteLoad.ts (state, open, load, recovery) < sqliteFollow.ts (writer
 * lock, following, SQL helpers) < sqliteWrite.ts (journal, batches, snapshots, close) < this file
 * (reads, health, bulk load); sqliteSupport.ts holds the options, constants and file helpers.
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
  simEventParams, tradeParams, tradesQuery, balanceEvents, simEventFromJson, riskEventParams, rowToRiskEvent, filterRiskEvents,
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
import { SqliteWriter } from './sqliteWrite';
export { defaultWasmPath, loadSqlJs, sqliteCounters } from './sqliteSupport';
export type { SqliteEngineKind, SqliteExtension, SqliteStoreOptions, SqlRunner } from './sqliteSupport';

export class SqliteStore extends SqliteWriter implements TradeStore {
  // ---------- reading ----------

  async hasFill(account: string, executionId: string): Promise<boolean> {
    await this.open();
    return this.knownFill(account, executionId);
  }

  async fillKeys(sinceMs?: number): Promise<Set<string>> {
    await this.open();
    if (sinceMs === undefined) return new Set(this.all(SQL.fillKeys).map((r) => fillKey(String(r.account), String(r.execution_id))));
    // A window's keys are read at every start: one JSON row costs a third of a row per key.
    const pairs = JSON.parse(String(this.get(SQL.fillKeysSinceJson, [sinceMs])?.k ?? '[]')) as [unknown, unknown][];
    const keys = new Set<string>();
    for (const [account, executionId] of pairs) keys.add(fillKey(String(account), String(executionId)));
    return keys;
  }

  async eachTradeStat(fn: (row: TradeStatRow) => void, afterRowid?: number): Promise<void> {
    await this.open();
    const each = fn as unknown as (row: Record<string, unknown>) => void;
    if (afterRowid === undefined) this.db!.each(SQL.tradeStatColumns, [], each);
    else this.db!.each(SQL.tradeStatColumnsAfter, [afterRowid], each);
  }

  async savedStatsColumns(): Promise<{ data: Uint8Array; afterRowid: number; added: number } | null> {
    await this.open();
    if (currentVersion(this.db!) < 7) return null;
    const row = this.get(SQL.statsColumnsRow);
    if (!row) return null;
    let data: Buffer;
    try {
      data = fs.readFileSync(this.filePath + SIDECAR.statsColumns);
    } catch {
      return null;
    }
    // The file starts with its token; the row names the one file written with the trades it holds.
    const token = String(row.token);
    if (data.length < token.length || data.toString('latin1', 0, token.length) !== token) return null;
    // No COUNT(*) of all trades (it reads the whole index): a removed or changed trade already
    // dropped the row (the triggers of migration 7), and saving checked the count.
    const afterRowid = Number(row.max_rowid);
    const added = Number(this.get(SQL.tradesAfterRowid, [afterRowid])?.n ?? 0);
    this.knownTrades ??= Number(row.trade_count) + added;
    return { data: data.subarray(token.length), afterRowid, added };
  }

  async saveStatsColumns(encode: () => Uint8Array, tradeCount: number): Promise<string | null> {
    await this.open();
    if (!this.writer || !this.fileDb || currentVersion(this.db!) < 7) return 'only the writer of a file store keeps stats columns';
    const stored = (this.knownTrades ??= Number(this.get(SQL.tradeCount)?.n ?? 0));
    if (stored !== tradeCount) return `the cache holds ${tradeCount} trades, the store ${stored}`;
    // 32 bytes: the columns after it stay 8-byte aligned in the file as read, so they need no copy.
    const token = `ASC-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`.padEnd(32, '.');
    const file = this.filePath + SIDECAR.statsColumns;
    try {
      writeFileDurably(file + SIDECAR.tmp, Buffer.concat([Buffer.from(token, 'latin1'), encode()]));
      fs.renameSync(file + SIDECAR.tmp, file);
    } catch (err) {
      return describeFsError('save the stats columns to', file, err);
    }
    this.run(SQL.setStatsColumnsRow, [token, Number(this.get(SQL.maxTradeRowid)?.max_rowid ?? 0), tradeCount]);
    return null;
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

  async balanceEvents(): Promise<SimBalanceEvent[]> {
    await this.open();
    return balanceEvents(async (sql, params) => this.all(sql, params), async (account, sinceMs) =>
      sinceMs === null
        ? this.all(SQL.simEventsFor, [account]).map(rowToSimEvent)
        : (JSON.parse(String(this.get(SQL.simEventsForSinceJson, [account, sinceMs])?.e ?? '[]')) as unknown[][]).map(simEventFromJson));
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
    const trades = (this.knownTrades ??= Number(this.get(SQL.tradeCount)?.n ?? 0));
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

}
