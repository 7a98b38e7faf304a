/** How every CLI command finds its store: --store URL, else env APPSIERRA_STORE, else the extension's SQLite file. */
import * as fs from 'fs';
import * as path from 'path';
import { CliError, CliIO, EXIT, flag, ParsedArgs } from './args';
import { defaultSqlitePath, maskUrl, openStore, OUTBOX_FILE, parseStoreUrl, storeHome } from '../core/store';
import type { Recoverable, TradeStore } from '../core/store/types';
import type { OpenStoreOptions } from '../core/store/open';
import { StoreReadError } from '../core/store/fsErrors';

export function storeUrlFrom(args: ParsedArgs): string {
  const url = flag(args, 'store') ?? (process.env.APPSIERRA_STORE || undefined) ?? `sqlite:${defaultSqlitePath()}`;
  if (!/^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(url)) throw new CliError(`--store must be sqlite:PATH or postgres://user@host:port/db, not '${maskUrl(url)}'`, EXIT.USAGE);
  return url;
}

/** The store's own folder, where its sim_balance.json and outbox live (see storeHome). */
export function storeDirOf(url: string): string {
  return storeHome(url);
}

/** A one-shot command on a busy machine waits longer for PostgreSQL than the editor's 3 s. */
export const CONNECT_TIMEOUT_MS = 10_000;

export interface CliStoreOptions {
  readOnly?: boolean;
  /** --partial: reads may answer from part of the store (PostgreSQL down: the outbox alone). */
  partial?: boolean;
  onStateChange?: OpenStoreOptions['onStateChange'];
  /** A preview (import --dry-run) of what a write would do: a store that does not exist yet reads as empty. */
  mayBeMissing?: boolean;
}

/**
 * PostgreSQL password: from the URL (stripped by openStore), PGPASSWORD or APPSIERRA_PG_PASSWORD;
 * never printed. Reads refuse (StoreReadError) when they cannot see the whole store, unless partial.
 */
export async function openCliStore(url: string, opts: CliStoreOptions = {}): Promise<TradeStore> {
  const password = process.env.APPSIERRA_PG_PASSWORD ?? process.env.PGPASSWORD;
  if (opts.readOnly && !opts.mayBeMissing) assertStoreExists(url);
  try {
    return await openStore(url, { password, readOnly: opts.readOnly, wasmPath: wasmPath(), outboxPath: path.join(storeDirOf(url), OUTBOX_FILE), partialReads: opts.partial === true, onStateChange: opts.onStateChange, connectTimeoutMs: CONNECT_TIMEOUT_MS });
  } catch (e) {
    throw new CliError(`could not open the store ${maskUrl(url)}: ${e instanceof Error ? e.message : String(e)}; check the path or server and run 'appsierra db check'`, EXIT.RUNTIME);
  }
}

/**
 * Runs a command's reads. A read that cannot see the whole store is exit 2 with the cause and the
 * fix; with --partial the answer is given and stderr says where it came from and that it is partial.
 */
export async function readStore<T>(store: TradeStore, url: string, io: CliIO, command: string, read: () => Promise<T>): Promise<T> {
  tellRecovery(store, io, command);
  let result: T;
  try {
    result = await read();
  } catch (e) {
    throw readRefusal(e, url);
  }
  const c = store.coverage?.();
  if (c && !c.whole) io.stderr.write(`appsierra ${command}: PARTIAL answer (--partial): it shows ${c.source}\n`);
  return result;
}

/**
 * A read never creates a store, and a missing SQLite file is not an empty journal: reading one
 * would print "0 trade(s)" for a mistyped path. (A snapshot set aside with its .prev or journal
 * intact is still a store: opening it recovers.) PostgreSQL answers for itself when opened.
 */
export function assertStoreExists(url: string): void {
  let parsed: ReturnType<typeof parseStoreUrl>;
  try {
    parsed = parseStoreUrl(url);
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message : String(e), EXIT.USAGE);
  }
  if (parsed.kind !== 'sqlite') return;
  if ([parsed.path, `${parsed.path}.journal`, `${parsed.path}.prev`].some((p) => fs.existsSync(p))) return;
  throw new CliError(
    `the store ${parsed.path} does not exist; check --store (or env APPSIERRA_STORE), or run 'appsierra db init --store sqlite:${parsed.path}' to create an empty one`,
    EXIT.RUNTIME,
  );
}

/** A read that cannot see the whole store: exit 2 with the cause and the fix (other errors pass). */
export function readRefusal(e: unknown, url: string, fix?: string): unknown {
  if (!(e instanceof StoreReadError)) return e;
  const cause = `cannot read the whole store ${maskUrl(url)}: ${e.message.replace(/\.$/, '')}`;
  if (fix) return new CliError(`${cause}; ${fix}.`, EXIT.RUNTIME);
  const part = e.pending > 0 ? ` Only the ${e.pending} commit(s) waiting in the local outbox are readable: pass --partial to see them, marked as partial.` : '';
  return new CliError(`${cause}; nothing is printed rather than a partial answer.${part}`, EXIT.RUNTIME);
}

/** The same recovery story as db health and monitor report, on stderr, when this open recovered. */
export function tellRecovery(store: TradeStore, io: CliIO, command: string): void {
  const recovered = (store as Partial<Recoverable>).recovery?.();
  if (recovered?.current) io.stderr.write(`appsierra ${command}: the store ${store.describe()} was ${recovered.text}\n`);
}

/** sql-wasm.wasm sits next to dist/cli.js in the bundle; tests running from out/ fall back to node_modules. */
function wasmPath(): string | undefined {
  const beside = path.join(__dirname, 'sql-wasm.wasm');
  return fs.existsSync(beside) ? beside : undefined;
}

export function parseIsoFlag(args: ParsedArgs, name: string): number | undefined {
  const v = flag(args, name);
  if (v === undefined) return undefined;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw new CliError(`--${name} must be an ISO-8601 date or time (e.g. 2026-11-23T14:30:00Z), not '${v}'`, EXIT.USAGE);
  return ms;
}
