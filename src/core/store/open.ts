/**
 * Which store a URL names, where the default one lives, and opening it. The fallback chain:
 * explicit URL setting -> PostgreSQL DSN parts (host set) -> the local SQLite file.
 */
import * as crypto from 'crypto';
import * as os from 'os';
import * as path from 'path';
import type { AppSettings } from '../settings';
import type { TradeStore } from './types';
import { SqliteStore } from './sqlite';
import { SqliteOutbox } from './outbox';
import { PgStore } from './postgres';
import { OUTBOX_FILE, STORE_FILE } from './files';
import { ResilientStore, ResilientStoreOptions } from './resilient';
import { maskUrl } from './url';

export { maskUrl };

export const EXTENSION_ID = 'appsierra.appsierra';

/** The extension's globalStorage folder on this OS (env APPSIERRA_HOME overrides). */
export function defaultStoreDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.APPSIERRA_HOME) return path.resolve(env.APPSIERRA_HOME);
  const home = os.homedir();
  const user = platform === 'win32'
    ? path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Code', 'User')
    : platform === 'darwin'
      ? path.join(home, 'Library', 'Application Support', 'Code', 'User')
      : path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Code', 'User');
  return path.join(user, 'globalStorage', EXTENSION_ID);
}

export function defaultSqlitePath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(defaultStoreDir(env), STORE_FILE);
}

/**
 * The folder of a store's own files (outbox.db, sim_balance.json): beside a SQLite file; for
 * PostgreSQL one folder per server, database and schema under `baseDir`, so two stores never
 * share a mirror or an outbox.
 */
export function storeHome(url: string, baseDir: string = defaultStoreDir()): string {
  const parsed = parseStoreUrl(url);
  if (parsed.kind === 'sqlite') return path.dirname(parsed.path);
  const u = new URL(parsed.connectionString);
  const host = u.hostname || 'localhost';
  const port = u.port || '5432';
  const db = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres';
  const schema = parsed.schema ?? 'public';
  const id = `${host}:${port}/${db}/${schema}`;
  const readable = `${host}-${port}-${db}-${schema}`.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  const hash = crypto.createHash('sha1').update(id).digest('hex').slice(0, 8);
  return path.join(baseDir, 'postgres', `${readable}-${hash}`);
}

export function resolveStoreUrl(settings: AppSettings['database'], defaultSqlite: string): string {
  if (settings.url.trim() !== '') return settings.url.trim();
  const pg = settings.postgres;
  if (pg.host.trim() !== '') {
    const u = new URL('postgres://localhost');
    u.hostname = pg.host.trim();
    u.port = String(pg.port);
    u.username = pg.user;
    u.pathname = '/' + encodeURIComponent(pg.database);
    return u.toString();
  }
  return `sqlite:${defaultSqlite}`;
}

export interface OpenStoreOptions {
  password?: string;
  wasmPath?: string;
  readOnly?: boolean;
  /** Local outbox for PostgreSQL (default: outbox.db in the store's home, see storeHome). */
  outboxPath?: string;
  lockStaleMs?: number;
  followMs?: number;
  onChange?: () => void;
  connectTimeoutMs?: number;
  syncIntervalMs?: number;
  onStateChange?: ResilientStoreOptions['onStateChange'];
  /** PostgreSQL down: reads answer from the outbox alone (default) or refuse (see ResilientStore). */
  partialReads?: boolean;
}

export type ParsedStoreUrl =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; connectionString: string; password?: string; schema?: string };

/** Parses a store URL; a password inside a postgres URL is moved out; `?schema=` picks the schema. */
export function parseStoreUrl(url: string): ParsedStoreUrl {
  if (url.startsWith('sqlite:')) {
    let p = url.slice('sqlite:'.length);
    if (p.startsWith('//')) p = p.slice(2); // tolerate sqlite:///abs/path
    if (p === '') throw new Error(`Store URL '${url}' needs a path after sqlite:, e.g. sqlite:/home/me/appsierra.db.`);
    if (p === '~' || p.startsWith('~/')) p = path.join(os.homedir(), p.slice(1));
    return { kind: 'sqlite', path: path.resolve(p) };
  }
  if (/^postgres(ql)?:\/\//i.test(url)) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new Error(`Store URL '${maskUrl(url)}' is not a valid URL; use postgres://user@host:5432/db.`);
    }
    const password = u.password ? decodeURIComponent(u.password) : undefined;
    u.password = '';
    const schema = u.searchParams.get('schema') ?? undefined;
    u.searchParams.delete('schema');
    return { kind: 'postgres', connectionString: u.toString(), password, schema };
  }
  throw new Error(`Store URL '${maskUrl(url)}' must start with 'sqlite:' or 'postgres://'.`);
}

/** Builds the store for a URL without opening it. */
export function createStore(url: string, opts: OpenStoreOptions = {}): TradeStore {
  const parsed = parseStoreUrl(url);
  if (parsed.kind === 'sqlite') {
    return new SqliteStore(parsed.path, { wasmPath: opts.wasmPath, readOnly: opts.readOnly, lockStaleMs: opts.lockStaleMs, followMs: opts.followMs, onChange: opts.onChange });
  }
  const primary = new PgStore({ connectionString: parsed.connectionString, password: opts.password ?? parsed.password, schema: parsed.schema, connectTimeoutMs: opts.connectTimeoutMs });
  const outboxPath = opts.outboxPath ?? path.join(storeHome(url), OUTBOX_FILE);
  const outbox = new SqliteOutbox(outboxPath, { wasmPath: opts.wasmPath, lockStaleMs: opts.lockStaleMs, readOnly: opts.readOnly });
  return new ResilientStore(primary, outbox, { syncIntervalMs: opts.syncIntervalMs, onStateChange: opts.onStateChange, partialReads: opts.partialReads });
}

/** Creates and opens the store a URL names (sqlite: -> SqliteStore; postgres:// -> PostgreSQL + local outbox). */
export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<TradeStore> {
  const store = createStore(url, opts);
  try {
    await store.open();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  return store;
}
