/** Real PostgreSQL for tests: a unique schema per run, dropped after; skip (or fail under CI) when absent. */
import * as crypto from 'crypto';
import * as net from 'net';
import { Client } from 'pg';
import * as fs from 'fs';
import * as path from 'path';
import { PgStore } from '../../../src/core/store/postgres';
import { ResilientStore } from '../../../src/core/store/resilient';
import { SqliteOutbox } from '../../../src/core/store/outbox';
import * as os from 'os';

export const PG_URL = process.env.APPSIERRA_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

let reachable: Promise<string | null> | null = null;

/** null when reachable, else why not. */
export function pgUnavailable(): Promise<string | null> {
  reachable ??= (async () => {
    const c = new Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
    try {
      await c.connect();
      await c.query('SELECT 1');
      return null;
    } catch (err) {
      return (err as Error).message;
    } finally {
      await c.end().catch(() => undefined);
    }
  })();
  return reachable;
}

/** Call in a before(): skips the suite when PostgreSQL is absent, fails when CI=true. */
export async function requirePg(ctx: Mocha.Context): Promise<void> {
  const why = await pgUnavailable();
  if (!why) return;
  if (process.env.CI === 'true') throw new Error(`PostgreSQL at ${PG_URL} is required under CI but unreachable: ${why}`);
  console.log(`    (skipped: PostgreSQL at ${PG_URL} unreachable: ${why})`);
  ctx.skip();
}

export function uniqueSchema(tag: string): string {
  return `as_test_${tag}_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const c = new Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await c.end();
  }
}

/** A store factory for the shared behaviour suites: a PgStore in a fresh schema, dropped at cleanup. */
export function pgSchemaStore(tag: string): { open: () => Promise<PgStore>; cleanup: () => Promise<void> } {
  const schema = uniqueSchema(tag);
  return {
    open: async () => {
      const s = new PgStore({ connectionString: PG_URL, schema });
      await s.open();
      return s;
    },
    cleanup: () => dropSchema(schema),
  };
}

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** A TCP forwarder: "the server is back" on the port the store was configured with. */
export async function forwardTo(port: number, target: URL): Promise<net.Server> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((client) => {
    const up = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(up);
    client.pipe(up).pipe(client);
    const end = () => (client.destroy(), up.destroy());
    client.on('error', end).on('close', end);
    up.on('error', end).on('close', end);
  });
  const close = srv.close.bind(srv);
  srv.close = ((cb?: (err?: Error) => void) => {
    for (const s of sockets) s.destroy();
    return close(cb);
  }) as typeof srv.close;
  await new Promise<void>((r) => srv.listen(port, '127.0.0.1', r));
  return srv;
}

/**
 * A PostgreSQL outage for the tests of one describe(): `down()` opens a ResilientStore whose
 * PostgreSQL is a closed port (so it writes to its outbox in a fresh folder); `back()` forwards that
 * port to the real server. Hooks clean the folder and the proxy after each test, the schema after all.
 */
export function pgOutage(tag: string): { schema: string; down(): Promise<{ store: ResilientStore; back(): Promise<void> }> } {
  const schema = uniqueSchema(tag);
  let dir = '';
  let proxy: net.Server | null = null;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), `appsierra-store-${tag}-`))));
  afterEach(() => {
    proxy?.close();
    proxy = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  after(() => dropSchema(schema));
  return {
    schema,
    async down() {
      const port = await freePort();
      const pg = new PgStore({ connectionString: `postgres://postgres@127.0.0.1:${port}/test`, schema, connectTimeoutMs: 1000 });
      const store = new ResilientStore(pg, new SqliteOutbox(path.join(dir, 'outbox.db')), { syncIntervalMs: 0 });
      await store.open();
      return {
        store,
        back: async () => {
          proxy = await forwardTo(port, new URL(PG_URL));
        },
      };
    },
  };
}
