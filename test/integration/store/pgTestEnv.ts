/** Real PostgreSQL for tests: a unique schema per run, dropped after; skip (or fail under CI) when absent. */
import * as crypto from 'crypto';
import { Client } from 'pg';

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
