/**
 * The stats cache's columns as bytes, kept between sessions so a window's start does not read every
 * trade again (the store keeps them at close beside the database, see store/statsColumns.ts).
 *
 * Layout (little endian): "ASC1", u32 header length, the header (JSON: format, per mode its length,
 * account names and the byte length of its ids), the trade ids of each mode as UTF-8 back to back,
 * zero padding to 8 bytes, then per mode the f64 columns exit, net, fees, dur, r, mae, mfe, the u32
 * account numbers, the u32 end of each id in the mode's id bytes (none when every id is of the
 * engine's form, 17 bytes each) and the i8 classes. Each column but the id ends holds `cap` rows, the
 * ones past `len` zero: restored columns are views of the file and take new trades in that room. The ids stay bytes once restored (tradeIds.ts). Anything that does not add up is refused with the reason (the
 * caller then reads the trades instead, as it does for format 2, which joined the ids by newlines).
 */
import type { Mode } from '../trading/types';
import { IdBytes, TradeIds } from './tradeIds';

/** One mode's closed trades in (exit, id) order; `account[i]` indexes `accounts`. */
export interface ModeColumns {
  mode: Mode;
  len: number;
  exit: Float64Array;
  cls: Int8Array;
  net: Float64Array;
  fees: Float64Array;
  dur: Float64Array;
  r: Float64Array;
  mae: Float64Array;
  mfe: Float64Array;
  account: Uint32Array;
  accounts: string[];
  ids: TradeIds;
  /** Read from an older format: save again in this one. */
  outdated?: boolean;
}

const MAGIC = 0x31435341; // "ASC1"
const FORMAT = 3;
const F64_COLUMNS = ['exit', 'net', 'fees', 'dur', 'r', 'mae', 'mfe'] as const;

interface Header {
  format: number;
  modes: { mode: Mode; len: number; cap?: number; accounts: string[]; idBytes: number; packed: boolean }[];
  /** Format 2: the byte length of every mode's ids, and whether they are a JSON array. */
  idBytes?: number;
  idsJson?: boolean;
}

export function encodeStatsColumns(modes: readonly ModeColumns[]): Uint8Array {
  const ids = modes.map((m) => m.ids.bytes(m.len));
  const header: Header = { format: FORMAT, modes: modes.map((m, k) => ({ mode: m.mode, len: m.len, cap: savedRoom(m.len), accounts: m.accounts, idBytes: ids[k].bytes.length, packed: ids[k].fixed })) };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const idsLen = ids.reduce((n, b) => n + b.bytes.length, 0);
  const start = align8(8 + json.length + idsLen);
  const size = modes.reduce((n, m, k) => align8(n + savedRoom(m.len) * (F64_COLUMNS.length * 8 + 4 + 1) + (ids[k].fixed ? 0 : m.len * 4)), start);
  const out = Buffer.alloc(size);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  let idAt = 8 + json.length;
  for (const b of ids) {
    out.set(b.bytes, idAt);
    idAt += b.bytes.length;
  }
  let at = start;
  // `cap` rows per column, the rows past `len` zero: room a restore appends into without a copy.
  const put = (a: Float64Array | Uint32Array | Int8Array, len: number, cap: number) => {
    out.set(new Uint8Array(a.buffer, a.byteOffset, len * a.BYTES_PER_ELEMENT), at);
    at += cap * a.BYTES_PER_ELEMENT;
  };
  modes.forEach((m, k) => {
    const cap = savedRoom(m.len);
    for (const c of F64_COLUMNS) put(m[c], m.len, cap);
    put(m.account, m.len, cap);
    const ends = ids[k].ends;
    if (ends) put(ends, m.len, m.len);
    put(m.cls, m.len, cap);
    at = align8(at);
  });
  return out;
}

/** Rows a mode's columns are saved with: its trades and room for a few weeks of a scalper's more. */
function savedRoom(len: number): number {
  return len + Math.max(1024, len >> 5);
}

/** The columns, or why the bytes are not columns of this format. */
export function decodeStatsColumns(data: Uint8Array): ModeColumns[] | string {
  if (data.length < 8) return 'too short';
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (view.getUint32(0, true) !== MAGIC) return 'not a stats columns file';
  const jsonLen = view.getUint32(4, true);
  if (8 + jsonLen > data.length) return 'header runs past the end';
  let header: Header;
  try {
    header = JSON.parse(Buffer.from(data.buffer, data.byteOffset + 8, jsonLen).toString('utf8')) as Header;
  } catch {
    return 'header is not JSON';
  }
  if ((header?.format !== FORMAT && header?.format !== 2) || !Array.isArray(header.modes)) return `format ${String(header?.format)}, expected ${FORMAT}`;
  const v2 = header.format === 2;
  const idBytes = v2 ? header.idBytes! : header.modes.reduce((n, m) => n + (Number.isInteger(m?.idBytes) && m.idBytes >= 0 ? m.idBytes : NaN), 0);
  if (!Number.isInteger(idBytes) || idBytes < 0 || 8 + jsonLen + idBytes > data.length) return 'ids run past the end';
  let idAt = 8 + jsonLen;
  const v2Ids = v2 ? format2Ids(Buffer.from(data.buffer, data.byteOffset + idAt, idBytes).toString('utf8'), header) : null;
  if (typeof v2Ids === 'string') return v2Ids;
  let v2At = 0;
  let at = align8(8 + jsonLen + idBytes);
  // Aligned columns are views of `data` (no second copy of a large file; the cache grows them into
  // arrays of its own on the first append); short or unaligned ones are copied with room to grow.
  // All or none: one view keeps the whole buffer alive.
  const aligned = data.byteOffset % 8 === 0;
  // A column is `cap` rows in the file (its saved room), `len` of them trades.
  const take = <T extends Float64Array | Uint32Array | Int8Array>(Ctor: { new (n: number): T; new (b: ArrayBufferLike, off: number, n: number): T; BYTES_PER_ELEMENT: number }, len: number, cap = len): T | null => {
    const bytes = cap * Ctor.BYTES_PER_ELEMENT;
    if (at + bytes > data.length) return null;
    const from = data.byteOffset + at;
    at += bytes;
    if (cap >= 16 && aligned) return new Ctor(data.buffer, from, cap);
    const a = new Ctor(Math.max(16, cap));
    new Uint8Array(a.buffer, 0, len * Ctor.BYTES_PER_ELEMENT).set(data.subarray(at - bytes, at - bytes + len * Ctor.BYTES_PER_ELEMENT));
    return a;
  };
  const out: ModeColumns[] = [];
  for (const h of header.modes) {
    const cap = v2 || h.cap === undefined ? h.len : h.cap;
    if ((h.mode !== 'SIM' && h.mode !== 'LIVE') || !Number.isInteger(h.len) || h.len < 0 || !Number.isInteger(cap) || cap < h.len || !Array.isArray(h.accounts)) return `mode entry ${JSON.stringify(h.mode)} is malformed`;
    const f: Partial<Record<(typeof F64_COLUMNS)[number], Float64Array>> = {};
    for (const c of F64_COLUMNS) {
      const a = take(Float64Array, h.len, cap);
      if (!a) return `${h.mode} ${c} column runs past the end`;
      f[c] = a;
    }
    const account = take(Uint32Array, h.len, cap);
    const idEnds = h.packed || v2 ? null : take(Uint32Array, h.len)?.subarray(0, h.len);
    const cls = take(Int8Array, h.len, cap);
    if (!account || idEnds === undefined || !cls) return `${h.mode} columns run past the end`;
    let idBytes: IdBytes | null;
    if (v2Ids) {
      idBytes = IdBytes.of(v2Ids.slice(v2At, (v2At += h.len)));
    } else if (idEnds === null) {
      idBytes = IdBytes.packedOnly(data.subarray(idAt, (idAt += h.idBytes)));
      if (!idBytes || idBytes.count !== h.len) return `${h.mode} ids are not ${h.len} packed ids`;
    } else {
      for (let i = 0, prev = 0; i < h.len; prev = idEnds[i++]) if (idEnds[i] < prev || idEnds[i] > h.idBytes) return `${h.mode} id ${i} ends outside its ids`;
      const idsEnd = h.len > 0 ? idEnds[h.len - 1] : 0;
      if (idsEnd !== h.idBytes) return `${h.mode} ids end at ${idsEnd} of ${h.idBytes} bytes`;
      idBytes = new IdBytes(data.subarray(idAt, (idAt += h.idBytes)), idEnds);
    }
    const ids = TradeIds.restored(idBytes);
    for (let i = 0; i < h.len; i++) if (account[i] >= h.accounts.length) return `${h.mode} row ${i} names account ${account[i]} of ${h.accounts.length}`;
    for (let i = 1; i < h.len; i++) if (f.exit![i] < f.exit![i - 1]) return `${h.mode} rows are not in exit order at ${i}`;
    at = align8(at);
    out.push({ mode: h.mode, len: h.len, exit: f.exit!, cls, net: f.net!, fees: f.fees!, dur: f.dur!, r: f.r!, mae: f.mae!, mfe: f.mfe!, account, accounts: h.accounts.map(String), ids, ...(v2 ? { outdated: true } : {}) });
  }
  if (at !== data.length) return `${data.length - at} bytes after the columns`;
  return out;
}

/** Format 2's ids, one list for every mode in order, or why not. */
function format2Ids(text: string, header: Header): string[] | string {
  let ids: string[];
  try {
    ids = header.idsJson ? (JSON.parse(text) as unknown[]).map(String) : text === '' ? [] : text.split('\n');
  } catch {
    return 'ids are not JSON';
  }
  const expected = header.modes.reduce((n, m) => n + (Number.isInteger(m?.len) ? m.len : 0), 0);
  return ids.length === expected ? ids : `${ids.length} ids for ${expected} trades`;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
