/**
 * The PostgreSQL store: same schema and idempotency keys as SQLite, migrations in one transaction
 * (serialised by an advisory lock), and every commit in one transaction. The password comes from
 * the caller (SecretStorage, env) and never appears in describe(), logs or errors.
 */
import * as crypto from 'crypto';
import { Pool, PoolClient } from 'pg';
import type { CommitUnit, RiskEventQuery, StoreHealth, TradeQuery, TradeStore } from './types';
import type { Fill, OpenPosition, SimBalanceEvent, Trade } from '../trading/types';
import {
  META_DDL, MIGRATIONS, SCHEMA_VERSION, SQL, contractKey, dialectSql, fillKey, parsePosition, quoteIdent, rowsToTags, rowToFill, rowToSimEvent, rowToTrade, byFillTime, balanceEvents,
  simEventParams, tradesQuery, riskEventParams, rowToRiskEvent, filterRiskEvents,
} from './schema';
import type { RiskEvent } from '../risk/guard';
import type { TagEdit } from '../trading/tags';
import { maskUrl } from './url';
import { BULK_SQL, bulkSteps, rowToBatch, rowToStoredFill, type BulkWrite, type ImportBatch, type StoredFill } from './bulk';
import { bulkColumns, bulkStatements, commitParams, commitStatement } from './pgCommit';

/** Units per bulk chunk: a few statements of column arrays each. */
const BULK_CHUNK = 1000;

export interface PgStoreOptions {
  connectionString: string;
  password?: string;
  /** Schema (namespace) for the tables; created if missing. Default 'public'. */
  schema?: string;
  connectTimeoutMs?: number;
}

export class PgStore implements TradeStore {
  readonly schema: string;
  private readonly pool: Pool;
  private readonly described: string;
  private opening: Promise<void> | null = null;
  private fromVersion = 0;
  private readonly tag: string;
  private readonly commitSql: string;

  constructor(private readonly opts: PgStoreOptions) {
    this.schema = opts.schema ?? 'public';
    // A password inside the URL would win over `password` in pg; move it out.
    const u = safeUrl(opts.connectionString);
    let conn = opts.connectionString;
    let password = opts.password;
    if (u && u.password) {
      password ??= decodeURIComponent(u.password);
      u.password = '';
      conn = u.toString();
    }
    this.described = maskUrl(conn) + (this.schema !== 'public' ? ` (schema ${this.schema})` : '');
    this.pool = new Pool({ connectionString: conn, password, connectionTimeoutMillis: opts.connectTimeoutMs ?? 3000, query_timeout: 15_000, max: 4, idleTimeoutMillis: 10_000 });
    // An idle client dropped by the server must not crash the host; the next query reconnects.
    this.pool.on('error', () => undefined);
    this.tag = crypto.createHash('sha1').update(this.schema).digest('hex').slice(0, 8);
    this.commitSql = commitStatement(this.schema);
  }

  describe(): string {
    return this.described;
  }

  /** Schema version found before this open migrated (0 = new). */
  get versionAtOpen(): number {
    return this.fromVersion;
  }

  open(): Promise<void> {
    this.opening ??= this.migrate().catch((err) => {
      this.opening = null; // the next call retries (the server may come back)
      throw err;
    });
    return this.opening;
  }

  private q(sql: string): string {
    return dialectSql(sql, 'postgres', this.schema);
  }

  private async migrate(): Promise<void> {
    await this.withClient(async (c) => {
      await c.query('BEGIN');
      try {
        await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`appsierra-migrate:${this.schema}`]);
        await c.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.schema)}`);
        await c.query(this.q(META_DDL));
        const from = Number((await c.query(this.q(SQL.getMeta), ['schema_version'])).rows[0]?.value ?? 0);
        this.fromVersion = from;
        if (from > SCHEMA_VERSION) throw new Error(`The database schema version ${from} is newer than this app's ${SCHEMA_VERSION}; update APPSIERRA.`);
        for (const m of MIGRATIONS) {
          if (m.version <= from) continue;
          for (const s of m.statements) await c.query(this.q(s));
          await c.query(this.q(SQL.setMeta), ['schema_version', String(m.version)]);
        }
        await c.query('COMMIT');
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  /** One round trip: a single statement (pgCommit.ts) whose parts all depend on the fill being new. */
  async commit(unit: CommitUnit): Promise<boolean> {
    await this.open();
    const r = await this.withClient((c) => c.query({ name: `as_commit_${this.tag}`, text: this.commitSql, values: commitParams(unit) }));
    return Number(r.rows[0]?.added ?? 0) > 0;
  }

  /**
   * Many commits at once, as if committed one by one in order (a unit whose fill is known adds
   * nothing), atomically: all or none. Chunks of BULK_CHUNK units, a few statements each.
   * Returns how many units were new.
   */
  async commitBatch(units: readonly CommitUnit[]): Promise<number> {
    await this.open();
    if (!units.length) return 0;
    const sql = bulkStatements(this.schema);
    return this.withClient(async (c) => {
      await c.query('BEGIN');
      try {
        let added = 0;
        // The last new unit of each partition decides its position, as sequential commits would.
        const lastPosition = new Map<string, CommitUnit>();
        for (let i = 0; i < units.length; i += BULK_CHUNK) {
          const chunk = units.slice(i, i + BULK_CHUNK);
          const ins = await c.query(sql.fills, bulkColumns.fills(chunk));
          const fresh = new Set(ins.rows.map((r: Record<string, unknown>) => fillKey(String(r.account), String(r.execution_id))));
          const news = chunk.filter((u) => fresh.delete(fillKey(u.fill.account, u.fill.executionId)));
          if (!news.length) continue;
          added += news.length;
          const trades = news.flatMap((u) => u.trades);
          if (trades.length) await c.query(sql.trades, bulkColumns.trades(trades));
          const sims = news.flatMap((u) => u.simEvents);
          if (sims.length) await c.query(sql.sims, bulkColumns.sims(sims));
          for (const u of news) {
            const k = contractKey(u.positionKey.account, u.positionKey.symbol);
            lastPosition.delete(k); // keep insertion order = last-write order
            lastPosition.set(k, u);
          }
        }
        const open = [...lastPosition.values()].filter((u) => u.position);
        const flat = [...lastPosition.values()].filter((u) => !u.position);
        if (open.length) await c.query(sql.positions, [open.map((u) => u.positionKey.account), open.map((u) => u.positionKey.symbol), open.map((u) => JSON.stringify(u.position))]);
        if (flat.length) await c.query(sql.deletes, [flat.map((u) => u.positionKey.account), flat.map((u) => u.positionKey.symbol)]);
        await c.query('COMMIT');
        return added;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  /** One transaction for the whole write (multi-row INSERTs). */
  async bulkWrite(write: BulkWrite): Promise<void> {
    await this.open();
    await this.withClient(async (c) => {
      await c.query('BEGIN');
      try {
        for (const step of bulkSteps(write)) await c.query(this.q(step.sql), step.params);
        await c.query('COMMIT');
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  async storedFills(partition?: { account: string; symbol: string }): Promise<StoredFill[]> {
    await this.open();
    return (partition ? await this.query(BULK_SQL.fillsFor, [partition.account, partition.symbol]) : await this.query(BULK_SQL.fillsAll)).map(rowToStoredFill);
  }

  async fillPartitions(): Promise<{ account: string; symbol: string }[]> {
    await this.open();
    return (await this.query(BULK_SQL.fillPartitions)).map((r) => ({ account: String(r.account), symbol: String(r.symbol) }));
  }

  async batchFills(batchId: string): Promise<StoredFill[]> {
    await this.open();
    return (await this.query(BULK_SQL.fillsOfBatch, [batchId])).map(rowToStoredFill);
  }

  async importBatches(): Promise<ImportBatch[]> {
    await this.open();
    return (await this.query(BULK_SQL.batches)).map(rowToBatch);
  }

  async appendSimEvent(event: SimBalanceEvent): Promise<void> {
    await this.open();
    await this.query(SQL.insertSimEvent, simEventParams(event));
  }

  /** One transaction: adds, then removes. */
  async editTags(edit: TagEdit): Promise<void> {
    await this.open();
    if (!edit.add.length && !edit.remove.length) return;
    await this.withClient(async (c) => {
      await c.query('BEGIN');
      try {
        for (const tag of edit.add) await c.query(this.q(SQL.insertTag), [edit.tradeId, tag]);
        for (const tag of edit.remove) await c.query(this.q(SQL.deleteTag), [edit.tradeId, tag]);
        await c.query('COMMIT');
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  async recordRiskEvent(event: RiskEvent): Promise<void> {
    await this.open();
    await this.query(SQL.insertRiskEvent, riskEventParams(event));
  }

  async riskEvents(query?: RiskEventQuery): Promise<RiskEvent[]> {
    await this.open();
    return filterRiskEvents((await this.query(SQL.riskEventsAll)).map(rowToRiskEvent), query);
  }

  async tradeTags(): Promise<Map<string, string[]>> {
    await this.open();
    return rowsToTags(await this.query(SQL.tagsAll));
  }

  async hasFill(account: string, executionId: string): Promise<boolean> {
    await this.open();
    return (await this.query(SQL.hasFill, [account, executionId])).length > 0;
  }

  async fillKeys(sinceMs?: number): Promise<Set<string>> {
    await this.open();
    const rows = sinceMs === undefined ? await this.query(SQL.fillKeys) : await this.query(SQL.fillKeysSince, [sinceMs]);
    return new Set(rows.map((r) => fillKey(String(r.account), String(r.execution_id))));
  }

  async fills(account: string, executionIds: readonly string[]): Promise<Fill[]> {
    await this.open();
    // One round trip, not one per id: the journal asks for every made-up id of its window at open.
    if (executionIds.length === 0) return [];
    return (await this.query(SQL.fillsByKeysPg, [account, [...executionIds]])).map(rowToFill).sort(byFillTime);
  }

  async trades(query?: TradeQuery): Promise<Trade[]> {
    await this.open();
    const q = tradesQuery(query);
    return (await this.query(q.sql, q.params)).map(rowToTrade);
  }

  async openPositions(): Promise<OpenPosition[]> {
    await this.open();
    return (await this.query(SQL.positions)).map((r) => parsePosition(String(r.position))).filter((p): p is OpenPosition => p !== null);
  }

  async simEvents(account?: string): Promise<SimBalanceEvent[]> {
    await this.open();
    const rows = account === undefined ? await this.query(SQL.simEventsAll) : await this.query(SQL.simEventsFor, [account]);
    return rows.map(rowToSimEvent);
  }

  async balanceEvents(): Promise<SimBalanceEvent[]> {
    await this.open();
    return balanceEvents((sql, params) => this.query(sql, params), async (account, sinceMs) =>
      (sinceMs === null ? await this.query(SQL.simEventsFor, [account]) : await this.query(SQL.simEventsForSince, [account, sinceMs])).map(rowToSimEvent));
  }

  async schemaVersion(): Promise<number> {
    await this.open();
    return Number((await this.query(SQL.getMeta, ['schema_version']))[0]?.value ?? 0);
  }

  /** Write, read back and delete a scratch row: proves the connection can really write. */
  async probeWrite(): Promise<string> {
    await this.open();
    const key = `check:${crypto.randomBytes(6).toString('hex')}`;
    const t0 = Date.now();
    await this.query(SQL.setMeta, [key, String(t0)]);
    const back = (await this.query(SQL.getMeta, [key]))[0]?.value;
    await this.query(SQL.deleteMeta, [key]);
    if (back !== String(t0)) throw new Error(`wrote ${t0} but read back ${String(back)}`);
    return `scratch row written, read back and removed in ${Date.now() - t0} ms`;
  }

  async health(): Promise<StoreHealth> {
    const base = { store: this.describe(), kind: 'postgres' as const, outboxPending: 0 };
    try {
      const t0 = Date.now();
      await this.open();
      const v = await this.schemaVersion();
      return { ...base, ok: true, schemaVersion: v, detail: `reachable, answered in ${Date.now() - t0} ms`, state: 'primary' };
    } catch (err) {
      return { ...base, ok: false, schemaVersion: null, detail: describePgError(err, this.described), state: 'failed' };
    }
  }

  /** Drops the whole schema (tests and benchmarks only; never 'public'). */
  async dropSchema(): Promise<void> {
    if (this.schema === 'public') throw new Error('refusing to drop the public schema');
    await this.pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(this.schema)} CASCADE`);
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }

  private async query(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    return this.withClient(async (c) => (await c.query(this.q(sql), params)).rows as Record<string, unknown>[]);
  }

  private async withClient<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    let c: PoolClient;
    try {
      c = await this.pool.connect();
    } catch (err) {
      throw new Error(describePgError(err, this.described));
    }
    let broken: Error | undefined;
    try {
      return await fn(c);
    } catch (err) {
      if (isConnectionError(err)) {
        broken = err as Error;
        throw new Error(describePgError(err, this.described));
      }
      throw err;
    } finally {
      c.release(broken);
    }
  }
}

function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: string })?.code ?? '';
  const msg = (err as Error)?.message ?? '';
  return /^(ECONN|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|57P)/.test(code) || /Connection terminated|timeout/i.test(msg);
}

/** One sentence: cause + fix, with credentials masked. */
export function describePgError(err: unknown, where: string): string {
  const e = err as { code?: string; message?: string };
  const code = e?.code ?? '';
  const msg = (e?.message ?? String(err)).replace(/\/\/([^:@/]+):[^@/]*@/g, '//$1:***@');
  if (/^(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT)$/.test(code) || /timeout/i.test(msg)) {
    return `PostgreSQL at ${where} is unreachable (${code || msg}); start the server or fix the host/port (appsierra.database settings).`;
  }
  if (code === '28P01' || code === '28000') return `PostgreSQL at ${where} refused the login (${msg}); set the password with "APPSIERRA: Set PostgreSQL Password" (CLI: PGPASSWORD).`;
  if (code === '3D000') return `PostgreSQL at ${where}: ${msg}; create the database or fix its name in the URL.`;
  return `PostgreSQL at ${where} failed: ${msg}${code ? ` (${code})` : ''}.`;
}

function safeUrl(s: string): URL | null {
  try {
    return new URL(s);
  } catch {
    return null;
  }
}
