/**
 * `sim_balance.json`: a mirror of the SIM ledger for fast start and for humans (and the original
 * tools, which read the top-level `balance`, `last_reset_month`, `last_updated`). Rewritten
 * atomically (temp file, fsync, rename). The ledger is the truth: `compare` lists mismatches in
 * words and the caller rewrites the file. A missing or corrupt file is reported, never thrown.
 */
import * as fs from 'fs';
import * as path from 'path';
import { naturalCompare, monthKey, type SimBalanceLedger } from './ledger';
import { makeFolder } from '../store/folder';

import { SIM_BALANCE_FILE } from '../store/files';

export { SIM_BALANCE_FILE };

export interface SimAccountMirror {
  balance: number;
  last_reset_month: string;
  last_updated: string;
}

export interface SimBalanceFile extends SimAccountMirror {
  /** The primary SIM account the top-level figures describe, or null when there is none yet. */
  account: string | null;
  accounts: Record<string, SimAccountMirror>;
}

export type MirrorRead =
  | { ok: true; file: SimBalanceFile }
  | { ok: false; problem: 'missing' | 'corrupt' | 'unreadable'; message: string };

export interface MirrorOptions {
  nowMs?: number;
  /** Account for the top-level fields; default the first SIM account in natural order. */
  primaryAccount?: string | null;
  /** SIM accounts known from the server even without events (they show the starting balance). */
  accounts?: string[];
  /** Zone for `last_reset_month` ('local' = this machine's, the monthly-reset default). */
  timeZone?: string;
}

export class SimBalanceMirror {
  readonly path: string;

  constructor(readonly dir: string, fileName: string = SIM_BALANCE_FILE) {
    this.path = path.join(dir, fileName);
  }

  /** The file as the ledger says it should be. */
  snapshot(ledger: SimBalanceLedger, opts: MirrorOptions = {}): SimBalanceFile {
    const now = opts.nowMs ?? Date.now();
    const tz = opts.timeZone ?? 'local';
    const names = [...new Set([...ledger.accounts(), ...(opts.accounts ?? [])])].sort(naturalCompare);
    const accounts: Record<string, SimAccountMirror> = {};
    for (const a of names) {
      accounts[a] = {
        balance: ledger.balance(a),
        last_reset_month: ledger.lastResetMonth(a, tz) ?? monthKey(now, tz),
        last_updated: new Date(ledger.lastEventTime(a) ?? now).toISOString(),
      };
    }
    const primary = opts.primaryAccount && accounts[opts.primaryAccount] ? opts.primaryAccount : (names[0] ?? null);
    const top = primary ? accounts[primary] : { balance: ledger.startingBalance, last_reset_month: monthKey(now, tz), last_updated: new Date(now).toISOString() };
    return { balance: top.balance, last_reset_month: top.last_reset_month, last_updated: new Date(now).toISOString(), account: primary, accounts };
  }

  /** Writes the mirror atomically; errors come back as a message (cause + fix). */
  write(ledger: SimBalanceLedger, opts: MirrorOptions = {}): { ok: true } | { ok: false; message: string } {
    const text = JSON.stringify(this.snapshot(ledger, opts), null, 2) + '\n';
    const tmp = `${this.path}.${process.pid}.${Date.now()}.tmp`;
    try {
      makeFolder(this.dir);
      const fd = fs.openSync(tmp, 'w', 0o644);
      try {
        fs.writeSync(fd, text);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, this.path);
      syncDir(this.dir);
      return { ok: true };
    } catch (e) {
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        // The temp file may not exist; nothing else to clean.
      }
      return { ok: false, message: `Could not write ${this.path}: ${fsReason(e)}. The SIM balance itself is safe in the store; the mirror is retried on the next change.` };
    }
  }

  read(): MirrorRead {
    let text: string;
    try {
      text = fs.readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, problem: 'missing', message: `${this.path} does not exist yet; it is written from the SIM ledger.` };
      return { ok: false, problem: 'unreadable', message: `Cannot read ${this.path}: ${fsReason(e)}; the SIM ledger wins and the file will be rewritten.` };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      return { ok: false, problem: 'corrupt', message: `${this.path} is not valid JSON (${(e as Error).message}); the SIM ledger wins and the file will be rewritten.` };
    }
    const file = parseFile(json);
    if (typeof file === 'string') return { ok: false, problem: 'corrupt', message: `${this.path} ${file}; the SIM ledger wins and the file will be rewritten.` };
    return { ok: true, file };
  }

  /**
   * The file says exactly what a write now would, but for the top level's `last_updated` (the
   * time of that write): rewriting it would change nothing a reader uses.
   */
  inStep(file: SimBalanceFile, ledger: SimBalanceLedger, opts: MirrorOptions = {}): boolean {
    return JSON.stringify({ ...this.snapshot(ledger, opts), last_updated: file.last_updated }) === JSON.stringify(file);
  }

  /** Differences between the file and the ledger, in words (empty = in step). The ledger wins. */
  compare(ledger: SimBalanceLedger, opts: MirrorOptions = {}): string[] {
    const r = this.read();
    const want = this.snapshot(ledger, opts);
    // No file and no SIM account: nothing yet, which is not a mismatch.
    if (!r.ok && r.problem === 'missing' && Object.keys(want.accounts).length === 0) return [];
    if (!r.ok) return [r.message];
    const got = r.file;
    const out: string[] = [];
    const name = path.basename(this.path);
    const money = (n: number) => n.toFixed(2);
    const tail = 'the ledger wins; the file will be rewritten';
    // The original tools' file has only the top level: it stands for the primary account.
    const legacy = got.account === null && Object.keys(got.accounts).length === 0;
    for (const [acc, w] of Object.entries(want.accounts)) {
      const g = got.accounts[acc] ?? (got.account === acc || (legacy && want.account === acc) ? got : undefined);
      if (!g) {
        out.push(`${acc}: missing from ${name} (ledger balance ${money(w.balance)}); ${tail}.`);
        continue;
      }
      if (Math.abs(g.balance - w.balance) >= 0.005) out.push(`${acc}: ${name} says balance ${money(g.balance)}, the ledger says ${money(w.balance)}; ${tail}.`);
      if (g.last_reset_month !== w.last_reset_month) out.push(`${acc}: ${name} says last reset month ${g.last_reset_month}, the ledger says ${w.last_reset_month}; ${tail}.`);
    }
    for (const acc of Object.keys(got.accounts)) {
      if (!want.accounts[acc]) out.push(`${acc}: in ${name} but not in the ledger (no SIM balance events); ${tail}.`);
    }
    // The top level mirrors one account; it must match that account's entry.
    if (got.account && got.accounts[got.account] && Math.abs(got.accounts[got.account].balance - got.balance) >= 0.005) {
      out.push(`${name}: top-level balance ${money(got.balance)} differs from its own ${got.account} entry ${money(got.accounts[got.account].balance)}; ${tail}.`);
    }
    return out;
  }
}

function isMonth(v: unknown): v is string {
  return typeof v === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(v);
}

function parseAccount(v: unknown, where: string): SimAccountMirror | string {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${where} must be an object`;
  const o = v as Record<string, unknown>;
  if (typeof o.balance !== 'number' || !Number.isFinite(o.balance)) return `${where}.balance must be a number (got ${JSON.stringify(o.balance)})`;
  if (!isMonth(o.last_reset_month)) return `${where}.last_reset_month must be "YYYY-MM" (got ${JSON.stringify(o.last_reset_month)})`;
  return { balance: o.balance, last_reset_month: o.last_reset_month, last_updated: typeof o.last_updated === 'string' ? o.last_updated : '' };
}

/** Accepts this app's shape and the original tools' (top level only, no accounts map). */
function parseFile(json: unknown): SimBalanceFile | string {
  const top = parseAccount(json, 'top level');
  if (typeof top === 'string') return top;
  const o = json as Record<string, unknown>;
  const accounts: Record<string, SimAccountMirror> = {};
  if (o.accounts !== undefined) {
    if (typeof o.accounts !== 'object' || o.accounts === null || Array.isArray(o.accounts)) return 'has "accounts" that is not an object';
    for (const [acc, v] of Object.entries(o.accounts as Record<string, unknown>)) {
      const a = parseAccount(v, `accounts.${acc}`);
      if (typeof a === 'string') return a;
      accounts[acc] = a;
    }
  }
  const account = typeof o.account === 'string' && o.account !== '' ? o.account : null;
  return { ...top, account, accounts };
}

function syncDir(dir: string): void {
  // Makes the rename durable on POSIX; directories cannot be opened for fsync on Windows.
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Best effort only.
  }
}

function fsReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const fixes: Record<string, string> = {
    ENOSPC: 'the disk is full; free some space',
    EDQUOT: 'the disk quota is exhausted; free some space',
    EROFS: 'the file system is read-only',
    EACCES: 'permission denied; make the folder writable',
    EPERM: 'not permitted; make the folder writable',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EISDIR: 'the path is a folder, not a file',
    EIO: 'the disk reported an I/O error; check the disk',
  };
  const code = e?.code ?? '';
  return `${code ? code + ', ' : ''}${fixes[code] ?? e?.message ?? String(err)}`;
}
