/**
 * Database diagnostics shared by `appsierra db` and the extension's commands: a checklist
 * (configuration, connectivity, schema version, write/read round trip, outbox backlog, lock
 * holder), schema init/migration, and a fast health probe. Checks open SQLite read-only so they
 * never disturb a running writer; credentials never appear in the output.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { CheckItem } from '../appApi';
import { OpenStoreOptions, parseStoreUrl, ParsedStoreUrl, storeHome } from '../store/open';
import { SqliteStore } from '../store/sqlite';
import { SqliteOutbox } from '../store/outbox';
import { OUTBOX_FILE, SIDECAR } from '../store/files';
import { ResilientStore } from '../store/resilient';
import { deepCheckItems } from './deepCheck';
import type { ReplayOptions } from '../import/rebuild';
import { PgStore } from '../store/postgres';
import { SCHEMA_VERSION } from '../store/schema';
import { describeHolder } from '../store/lock';
import { describeFsError } from '../store/fsErrors';
import { maskUrl } from '../store/url';

export type StoreDiagOptions = Pick<OpenStoreOptions, 'password' | 'wasmPath' | 'outboxPath' | 'connectTimeoutMs'> & {
  /** Also rebuild the trades from the stored fills and check the SIM ledger against them. */
  deep?: ReplayOptions;
};

export async function checkStore(url: string, opts: StoreDiagOptions = {}): Promise<CheckItem[]> {
  const items: CheckItem[] = [];
  let parsed: ParsedStoreUrl;
  try {
    parsed = parseStoreUrl(url);
    items.push({ name: 'configuration', ok: true, detail: maskUrl(url) });
  } catch (err) {
    items.push({ name: 'configuration', ok: false, detail: (err as Error).message });
    return items;
  }
  if (parsed.kind === 'sqlite') await checkSqlite(parsed.path, opts, items);
  else await checkPostgres(parsed, { ...opts, outboxPath: opts.outboxPath ?? path.join(storeHome(url), OUTBOX_FILE) }, items);
  return items;
}

/** A store exists when any generation of it does: the snapshot, `.prev` or the journal (recoverable). */
function sqliteExists(file: string): boolean {
  return [file, file + SIDECAR.prev, file + SIDECAR.journal].some((f) => fs.existsSync(f));
}

async function checkSqlite(file: string, opts: StoreDiagOptions, items: CheckItem[]): Promise<void> {
  if (!sqliteExists(file)) {
    items.push({ name: 'connectivity', ok: false, detail: `${file} does not exist yet; run 'appsierra db init --store sqlite:${file}' or start the extension once.` });
    return;
  }
  const store = new SqliteStore(file, { wasmPath: opts.wasmPath, readOnly: true });
  try {
    const t0 = Date.now();
    await store.open();
    items.push({ name: 'connectivity', ok: true, detail: `loaded ${file} in ${Date.now() - t0} ms` });
    items.push(versionItem(await store.schemaVersion()));
    items.push(await sqliteRoundTrip(file));
    const h = await store.health();
    items.push({ name: 'recovery', ok: true, detail: h.recovery ? `the store was ${h.recovery}` : 'nothing to recover' });
    const holder = store.lockHolder();
    items.push({ name: 'lock holder', ok: true, detail: holder ? `writer is ${describeHolder(holder)}` : 'no writer holds the lock' });
    if (opts.deep) items.push(...(await deepCheckItems(store, opts.deep)));
  } catch (err) {
    items.push({ name: 'connectivity', ok: false, detail: (err as Error).message });
  } finally {
    await store.close();
  }
}

/** Writes, syncs, reads back and removes a scratch file next to the store: the folder and disk accept durable writes. */
async function sqliteRoundTrip(file: string): Promise<CheckItem> {
  const scratch = `${file}.check-${crypto.randomBytes(4).toString('hex')}`;
  const payload = crypto.randomBytes(16).toString('hex');
  try {
    const fd = fs.openSync(scratch, 'w');
    try {
      fs.writeSync(fd, payload);
      fs.fdatasyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    const back = fs.readFileSync(scratch, 'utf8');
    if (back !== payload) return { name: 'write/read round trip', ok: false, detail: `${scratch} read back different bytes; check the disk.` };
    return { name: 'write/read round trip', ok: true, detail: `scratch file written, synced, read back and removed in ${path.dirname(file)}` };
  } catch (err) {
    return { name: 'write/read round trip', ok: false, detail: describeFsError('write a scratch file in', path.dirname(file), err) };
  } finally {
    fs.rmSync(scratch, { force: true });
  }
}

async function checkPostgres(p: Extract<ParsedStoreUrl, { kind: 'postgres' }>, opts: StoreDiagOptions, items: CheckItem[]): Promise<void> {
  const pgStore = () => new PgStore({ connectionString: p.connectionString, password: opts.password ?? p.password, schema: p.schema, connectTimeoutMs: opts.connectTimeoutMs ?? 3000 });
  const store = pgStore();
  let reachable = false;
  try {
    const t0 = Date.now();
    await store.open();
    items.push({ name: 'connectivity', ok: true, detail: `${store.describe()} answered in ${Date.now() - t0} ms` });
    reachable = true;
    items.push(versionItem(await store.schemaVersion()));
    try {
      items.push({ name: 'write/read round trip', ok: true, detail: await store.probeWrite() });
    } catch (err) {
      items.push({ name: 'write/read round trip', ok: false, detail: (err as Error).message });
    }
    if (opts.deep) items.push(...(await deepCheckItems(store, opts.deep)));
  } catch (err) {
    items.push({ name: 'connectivity', ok: false, detail: (err as Error).message });
  } finally {
    await store.close();
  }
  items.push(await outboxItem(opts, reachable ? pgStore : null));
}

/**
 * The local outbox: whether it exists, its size and backlog; with PostgreSQL reachable and no
 * other process owning the outbox, the backlog is replayed now (the same drain as ResilientStore's).
 */
async function outboxItem(opts: StoreDiagOptions, primary: (() => PgStore) | null): Promise<CheckItem> {
  const file = opts.outboxPath!;
  const name = 'outbox backlog';
  if (!fs.existsSync(file)) return { name, ok: true, detail: `no local outbox (${file})` };
  const size = () => `${file}, ${formatBytes([file, file + SIDECAR.journal].reduce((n, f) => n + fileSize(f), 0))}`;
  const outbox = new SqliteOutbox(file, { wasmPath: opts.wasmPath, readOnly: !primary });
  let store: ResilientStore | null = null;
  try {
    const n = await outbox.pendingCount();
    if (n === 0) return { name, ok: true, detail: `exists and is empty (${size()})` };
    const waiting = `${n} commit(s) waiting in the local outbox (${size()})`;
    if (!primary) return { name, ok: false, detail: `${waiting}; they are replayed into PostgreSQL when it is reachable (run 'appsierra db check' again then)` };
    if (!outbox.isWriter) return { name, ok: false, detail: `${waiting}; ${(await outbox.health()).lockHolder ?? 'another process'} owns the outbox and replays them` };
    store = new ResilientStore(primary(), outbox, { syncIntervalMs: 0 });
    await store.open(); // drains the backlog while PostgreSQL answers
    const left = await outbox.pendingCount();
    if (left === 0) return { name, ok: true, detail: `replayed ${n} commit(s) from the local outbox into PostgreSQL; the outbox is empty now (${size()})` };
    return { name, ok: false, detail: `replayed ${n - left} of ${n} commit(s); ${left} still waiting in the local outbox (${size()}): ${(await store.health()).detail}` };
  } catch (err) {
    return { name, ok: false, detail: (err as Error).message };
  } finally {
    if (store) await store.close();
    else await outbox.close();
  }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function formatBytes(n: number): string {
  return n < 1024 ? `${n} bytes` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function versionItem(v: number): CheckItem {
  if (v === SCHEMA_VERSION) return { name: 'schema version', ok: true, detail: `${v} (expected ${SCHEMA_VERSION})` };
  if (v < SCHEMA_VERSION) return { name: 'schema version', ok: false, detail: `${v}, expected ${SCHEMA_VERSION}; run 'appsierra db init' to migrate` };
  return { name: 'schema version', ok: false, detail: `${v} is newer than this app's ${SCHEMA_VERSION}; update APPSIERRA` };
}

/** Creates or migrates the schema; says from which version to which. */
export async function initStore(url: string, opts: StoreDiagOptions = {}): Promise<string> {
  const parsed = parseStoreUrl(url);
  if (parsed.kind === 'sqlite') {
    const store = new SqliteStore(parsed.path, { wasmPath: opts.wasmPath });
    try {
      await store.open();
      if (!store.isWriter) throw new Error(`Cannot initialise ${store.describe()}: ${(await store.health()).detail}; the running writer migrates it itself.`);
      const from = store.versionAtOpen;
      if (from !== SCHEMA_VERSION && !store.snapshotNow()) throw new Error((await store.health()).detail);
      return verdict(store.describe(), from);
    } finally {
      await store.close();
    }
  }
  const store = new PgStore({ connectionString: parsed.connectionString, password: opts.password ?? parsed.password, schema: parsed.schema, connectTimeoutMs: opts.connectTimeoutMs });
  try {
    await store.open();
    return verdict(store.describe(), store.versionAtOpen);
  } finally {
    await store.close();
  }
}

function verdict(where: string, from: number): string {
  if (from === 0) return `Created the schema in ${where} (version 0 -> ${SCHEMA_VERSION}).`;
  if (from === SCHEMA_VERSION) return `${where} is already at schema version ${SCHEMA_VERSION}; nothing to do.`;
  return `Migrated ${where} from schema version ${from} to ${SCHEMA_VERSION}.`;
}

/** The fast probe: reachable, readable, expected schema. */
export async function storeHealth(url: string, opts: StoreDiagOptions = {}): Promise<{ ok: boolean; detail: string }> {
  let parsed: ParsedStoreUrl;
  try {
    parsed = parseStoreUrl(url);
  } catch (err) {
    return { ok: false, detail: (err as Error).message };
  }
  const store = parsed.kind === 'sqlite'
    ? new SqliteStore(parsed.path, { wasmPath: opts.wasmPath, readOnly: true })
    : new PgStore({ connectionString: parsed.connectionString, password: opts.password ?? parsed.password, schema: parsed.schema, connectTimeoutMs: opts.connectTimeoutMs ?? 2000 });
  try {
    if (parsed.kind === 'sqlite' && !sqliteExists(parsed.path)) return { ok: false, detail: `${store.describe()} does not exist yet; run 'appsierra db init'.` };
    const h = await store.health();
    if (!h.ok) return { ok: false, detail: `${h.store}: ${h.detail}` };
    if (h.schemaVersion !== SCHEMA_VERSION) return { ok: false, detail: `${h.store}: schema version ${h.schemaVersion}, expected ${SCHEMA_VERSION}; run 'appsierra db init'.` };
    return { ok: true, detail: `${h.store}: ${h.detail}` };
  } finally {
    await store.close();
  }
}
