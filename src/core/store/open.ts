/**
 * Which store a URL names, where the default one lives, and opening it. The fallback chain:
 * explicit URL setting -> PostgreSQL DSN parts (host set) -> the local SQLite file.
 */
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
  /** Local outbox for PostgreSQL (default: outbox.db next to the default SQLite store). */
  outboxPath?: string;
  lockStaleMs?: number;
  followMs?: number;
  onChange?: () => void;
  connectTimeoutMs?: number;
  syncIntervalMs?: number;
  onStateChange?: ResilientStoreOptions['onStateChange'];
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
  const outboxPath = opts.outboxPath ?? path.join(path.dirname(defaultSqlitePath()), OUTBOX_FILE);
  const outbox = new SqliteOutbox(outboxPath, { wasmPath: opts.wasmPath, lockStaleMs: opts.lockStaleMs, readOnly: opts.readOnly });
  return new ResilientStore(primary, outbox, { syncIntervalMs: opts.syncIntervalMs, onStateChange: opts.onStateChange });
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
