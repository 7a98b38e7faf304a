/**
 * The SQLite store's write-ahead log (`<file>.journal`): one JSON line per durable operation, prefixed by a
 * checksum so a torn or garbled line is recognised and skipped instead of replayed as garbage.
 * Sequence numbers let a snapshot say which lines it already contains.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import type { CommitUnit } from './types';
import type { BulkWrite } from './bulk';
import type { SimBalanceEvent } from '../trading/types';
import type { TagEdit } from '../trading/tags';
import type { RiskEvent } from '../risk/guard';

/**
 * What the primary acknowledged, kept by the outbox as its primary cache (outbox.ts): fill keys,
 * and positions (`null` = flat; `replacePositions` = the whole set, read from the primary).
 */
export interface ReplicaOp {
  fills: [account: string, executionId: string, timeMs: number][];
  positions: [account: string, symbol: string, position: string | null][];
  replacePositions?: boolean;
}

/** A unit that reached the primary, as a replica operation. */
export function replicaOf(units: readonly CommitUnit[]): ReplicaOp {
  return {
    fills: units.map((u) => [u.fill.account, u.fill.executionId, u.fill.timeMs]),
    positions: units.map((u) => [u.positionKey.account, u.positionKey.symbol, u.position ? JSON.stringify(u.position) : null]),
  };
}

/**
 * c: a commit unit, e: a SIM event, d: outbox entries drained, g: a tag edit, b: a bulk write
 * (import, rebuild, undo), r: the primary's state (outbox cache).
 */
export type JournalOp = { c: CommitUnit } | { e: SimBalanceEvent } | { d: number[] } | { g: TagEdit } | { k: RiskEvent } | { b: BulkWrite } | { r: ReplicaOp };
export type JournalEntry = JournalOp & { s: number };

export interface JournalRead {
  entries: JournalEntry[];
  /** Complete lines whose checksum or JSON failed (skipped). */
  garbled: number;
  /** Bytes of an unterminated last line (a write torn by a crash; skipped). */
  tornBytes: number;
  /** Offset just after the last complete line (where the next append must start). */
  goodEnd: number;
}

function checksum(json: string): string {
  return crypto.createHash('sha1').update(json).digest('hex').slice(0, 16);
}

export function encodeEntry(entry: JournalEntry): string {
  const json = JSON.stringify(entry);
  return `${checksum(json)} ${json}\n`;
}

/** Parses journal bytes starting at `base` (file offset of `buf[0]`). */
export function parseJournal(buf: Buffer, base = 0): JournalRead {
  const entries: JournalEntry[] = [];
  let garbled = 0;
  let pos = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) break;
    const line = buf.toString('utf8', pos, nl);
    pos = nl + 1;
    const sp = line.indexOf(' ');
    const json = sp > 0 ? line.slice(sp + 1) : '';
    if (sp !== 16 || checksum(json) !== line.slice(0, 16)) {
      if (line.trim() !== '') garbled++;
      continue;
    }
    try {
      const e = JSON.parse(json) as JournalEntry;
      if (typeof e.s === 'number') entries.push(e);
      else garbled++;
    } catch {
      garbled++;
    }
  }
  return { entries, garbled, tornBytes: buf.length - pos, goodEnd: base + pos };
}

export function readJournal(file: string, fromOffset = 0): JournalRead & { size: number; ino: number | null } {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], garbled: 0, tornBytes: 0, goodEnd: 0, size: 0, ino: null };
    throw err;
  }
  try {
    const st = fs.fstatSync(fd);
    const start = Math.min(fromOffset, st.size);
    const buf = Buffer.alloc(st.size - start);
    let got = 0;
    while (got < buf.length) {
      const n = fs.readSync(fd, buf, got, buf.length - got, start + got);
      if (n === 0) break;
      got += n;
    }
    return { ...parseJournal(buf.subarray(0, got), start), size: start + got, ino: st.ino };
  } finally {
    fs.closeSync(fd);
  }
}
