/** How every CLI command finds its store: --store URL, else env APPSIERRA_STORE, else the extension's SQLite file. */
import * as fs from 'fs';
import * as path from 'path';
import { CliError, EXIT, flag, ParsedArgs } from './args';
import { defaultSqlitePath, maskUrl, openStore, OUTBOX_FILE } from '../core/store';
import type { TradeStore } from '../core/store/types';

export function storeUrlFrom(args: ParsedArgs): string {
  const url = flag(args, 'store') ?? process.env.APPSIERRA_STORE ?? `sqlite:${defaultSqlitePath()}`;
  if (!/^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(url)) throw new CliError(`--store must be sqlite:PATH or postgres://user@host:port/db, not '${url}'`, EXIT.USAGE);
  return url;
}

/** The folder beside the store where sim_balance.json and the outbox live. */
export function storeDirOf(url: string): string {
  return url.startsWith('sqlite:') ? path.dirname(path.resolve(url.slice('sqlite:'.length))) : path.dirname(defaultSqlitePath());
}

/** PostgreSQL password: from the URL (stripped by openStore), PGPASSWORD or APPSIERRA_PG_PASSWORD; never printed. */
export async function openCliStore(url: string, opts: { readOnly?: boolean } = {}): Promise<TradeStore> {
  const password = process.env.APPSIERRA_PG_PASSWORD ?? process.env.PGPASSWORD;
  try {
    return await openStore(url, { password, readOnly: opts.readOnly, wasmPath: wasmPath(), outboxPath: path.join(storeDirOf(url), OUTBOX_FILE) });
  } catch (e) {
    throw new CliError(`could not open the store ${maskUrl(url)}: ${e instanceof Error ? e.message : String(e)}; check the path or server and run 'appsierra db check'`, EXIT.RUNTIME);
  }
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
