/**
 * DTC codecs derived from the message table (messages.ts): binary (LE, pack(8) layout, size-driven
 * reads), JSON (named members + NUL) and compact JSON (`{"Type":n,"F":[...]}`, accepted on receive
 * for every type, produced only for the high-frequency types like Sierra does).
 *
 * Decoded shape: `{ Type, ...every field of the type in table order }`, protocol names, raw
 * protocol units, strings without trailing NULs, unset sentinels as null. 64-bit identifiers
 * (TransactionIdentifier, SecurityIdentifier) beyond 2^53 come back as exact decimal strings, so
 * no digit is lost and the message stays JSON-safe; the encoders take them back as they are.
 */
import { FieldDef, MESSAGE_DEFS, MessageDef, SENTINELS, getMessageDef } from './messages';

export type DtcMessage = { Type: number; [field: string]: unknown };
export type WireEncoding = 'binary' | 'json' | 'compact-json';

/** Bad input to an encoder or to the JSON parser; the message says what and how to fix it. */
export class DtcCodecError extends Error {}

const DBL_MAX = Number.MAX_VALUE;
const FLT_MAX = SENTINELS.f32 as number;
const TWO32 = 4294967296;

// ---------------------------------------------------------------------------------------------
// Binary decode: one generated reader per message type, with the offsets baked in, so the hot path
// is straight-line Buffer reads building an object of fixed shape (fast in V8). Messages shorter
// than the table size (older peers) take the generic, bounds-checked path.

function readStr(b: Buffer, start: number, len: number): string {
  if (b[start] === 0) return '';
  // The last byte of char[N] is always treated as NUL (official getter), so read at most N-1.
  const max = start + len - 1;
  let end = start + 1;
  while (end < max && b[end] !== 0) end++;
  return b.toString('latin1', start, end);
}
function readU32(b: Buffer, i: number): number | null {
  const v = b[i] + b[i + 1] * 256 + b[i + 2] * 65536 + b[i + 3] * 16777216;
  return v === 0xffffffff ? null : v;
}
function readI32(b: Buffer, i: number): number | null {
  const v = b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
  return v === 0x7fffffff ? null : v;
}
function readI64(b: Buffer, i: number): number | null {
  const lo = b[i] + b[i + 1] * 256 + b[i + 2] * 65536 + b[i + 3] * 16777216;
  const hi = b[i + 4] | (b[i + 5] << 8) | (b[i + 6] << 16) | (b[i + 7] << 24);
  if (hi === 0x7fffffff && lo === 0xffffffff) return null;
  return hi * TWO32 + lo;
}
function readU64(b: Buffer, i: number): number | string {
  const lo = b[i] + b[i + 1] * 256 + b[i + 2] * 65536 + b[i + 3] * 16777216;
  const hi = b[i + 4] + b[i + 5] * 256 + b[i + 6] * 65536 + b[i + 7] * 16777216;
  return hi < 0x200000 ? hi * TWO32 + lo : b.readBigUInt64LE(i).toString();
}
/** int64 identifiers: a number while exact (|v| < 2^53), else the exact decimal string. */
function readI64Exact(b: Buffer, i: number): number | string | null {
  const lo = b[i] + b[i + 1] * 256 + b[i + 2] * 65536 + b[i + 3] * 16777216;
  const hi = b[i + 4] | (b[i + 5] << 8) | (b[i + 6] << 16) | (b[i + 7] << 24);
  if (hi === 0x7fffffff && lo === 0xffffffff) return null;
  return hi > -0x200000 && hi < 0x200000 ? hi * TWO32 + lo : b.readBigInt64LE(i).toString();
}
function readF64(b: Buffer, i: number): number | null {
  const v = b.readDoubleLE(i);
  return v === DBL_MAX ? null : v;
}
function readF32(b: Buffer, i: number): number | null {
  const v = b.readFloatLE(i);
  return v === FLT_MAX ? null : v;
}

function readField(b: Buffer, i: number, f: FieldDef): unknown {
  switch (f.type) {
    case 'u8': return b[i];
    case 'i8': return (b[i] << 24) >> 24;
    case 'u16': return b[i] | (b[i + 1] << 8);
    case 'i16': return ((b[i] | (b[i + 1] << 8)) << 16) >> 16;
    case 'u32': return readU32(b, i);
    case 'i32': return readI32(b, i);
    case 'i64': return f.time ? readI64(b, i) : readI64Exact(b, i);
    case 'u64': return readU64(b, i);
    case 'f32': return readF32(b, i);
    case 'f64': return readF64(b, i);
    case 'str': return readStr(b, i, f.size);
  }
}

function fieldExpr(f: FieldDef): string {
  const at = `o + ${f.offset}`;
  switch (f.type) {
    case 'u8': return `b[${at}]`;
    case 'i8': return `((b[${at}] << 24) >> 24)`;
    case 'u16': return `(b[${at}] | (b[${at} + 1] << 8))`;
    case 'i16': return `(((b[${at}] | (b[${at} + 1] << 8)) << 16) >> 16)`;
    case 'u32': return `readU32(b, ${at})`;
    case 'i32': return `readI32(b, ${at})`;
    case 'i64': return f.time ? `readI64(b, ${at})` : `readI64Exact(b, ${at})`;
    case 'u64': return `readU64(b, ${at})`;
    case 'f32': return `readF32(b, ${at})`;
    case 'f64': return `readF64(b, ${at})`;
    case 'str': return `readStr(b, ${at}, ${f.size})`;
  }
}

type BinaryReader = (b: Buffer, o: number, size: number) => DtcMessage;

function slowBinaryReader(d: MessageDef): BinaryReader {
  return (b, o, size) => {
    const m: DtcMessage = { Type: d.type };
    for (const f of d.fields) m[f.name] = f.offset + f.size <= size ? readField(b, o + f.offset, f) : f.default;
    return m;
  };
}

function compileBinaryReader(d: MessageDef): BinaryReader {
  const slow = slowBinaryReader(d);
  const props = d.fields.map((f) => `${JSON.stringify(f.name)}: ${fieldExpr(f)}`).join(',\n');
  // Generated once per message type at load; the table is our own constant data, never input.
  const make = new Function('readStr', 'readU32', 'readI32', 'readI64', 'readI64Exact', 'readU64', 'readF32', 'readF64', 'slow',
    `return function read_${d.name}(b, o, size) {\n if (size < ${d.size}) return slow(b, o, size);\n return { Type: ${d.type},\n${props} };\n};`);
  return make(readStr, readU32, readI32, readI64, readI64Exact, readU64, readF32, readF64, slow) as BinaryReader;
}

const BINARY_READERS = new Map<number, BinaryReader>(MESSAGE_DEFS.map((d) => [d.type, compileBinaryReader(d)]));

/**
 * Decodes one binary message whose header starts at `offset` (Size and Type already validated by
 * the framer). Returns null for a type outside the table.
 */
export function decodeBinaryAt(buf: Buffer, offset: number, size: number, type: number): DtcMessage | null {
  const r = BINARY_READERS.get(type);
  return r ? r(buf, offset, size) : null;
}

/** Decodes one complete binary frame (header included). */
export function decodeBinary(frame: Buffer): DtcMessage | null {
  if (frame.length < 4) throw new DtcCodecError(`binary frame of ${frame.length} bytes is shorter than the 4-byte header`);
  const size = Math.min(frame.readUInt16LE(0), frame.length);
  return decodeBinaryAt(frame, 0, size, frame.readUInt16LE(2));
}

// ---------------------------------------------------------------------------------------------
// Binary encode: fresh zero-filled buffer of the table size (padding stays 0), missing fields get
// the table default, null gets the type's unset sentinel.

function sentinelFor(f: FieldDef): number {
  return SENTINELS[f.type] ?? 0;
}

function numberValue(v: unknown, f: FieldDef, d: MessageDef): number {
  if (typeof v === 'number' && !Number.isNaN(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  throw new DtcCodecError(`${d.name}.${f.name} must be a number, got ${JSON.stringify(v)}; fix the input value`);
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;
const INTEGER_TEXT = /^\s*-?\d+\s*$/;

/** A 64-bit field's value as an exact BigInt (decimal strings and bigints keep every digit). */
function bigValue(v: unknown, f: FieldDef, d: MessageDef): bigint {
  let n: bigint;
  if (typeof v === 'bigint') n = v;
  else if (typeof v === 'string' && INTEGER_TEXT.test(v)) n = BigInt(v.trim());
  else {
    const x = numberValue(v, f, d);
    n = Number.isFinite(x) ? BigInt(Math.trunc(x)) : x > 0 ? U64_MAX : I64_MIN; // clamped below
  }
  const [min, max] = f.type === 'u64' ? [0n, U64_MAX] : [I64_MIN, I64_MAX];
  return n < min ? min : n > max ? max : n;
}

function writeField(buf: Buffer, f: FieldDef, raw: unknown, d: MessageDef): void {
  const at = f.offset;
  if (f.type === 'str') {
    const s = raw === null || raw === undefined ? '' : String(raw);
    buf.write(s.slice(0, f.size - 1), at, f.size - 1, 'latin1');
    return;
  }
  if (f.type === 'i64' || f.type === 'u64') {
    if (raw === null) buf.writeBigInt64LE(I64_MAX, at);
    else if (f.type === 'u64') buf.writeBigUInt64LE(bigValue(raw, f, d), at);
    else buf.writeBigInt64LE(bigValue(raw, f, d), at);
    return;
  }
  const v = raw === null ? sentinelFor(f) : numberValue(raw, f, d);
  switch (f.type) {
    case 'u8': buf.writeUInt8(v & 0xff, at); break;
    case 'i8': buf.writeInt8(Math.max(-128, Math.min(127, Math.trunc(v))), at); break;
    case 'u16': buf.writeUInt16LE(v & 0xffff, at); break;
    case 'i16': buf.writeInt16LE(Math.max(-32768, Math.min(32767, Math.trunc(v))), at); break;
    case 'u32': buf.writeUInt32LE(Math.max(0, Math.min(0xffffffff, Math.trunc(v))), at); break;
    case 'i32': buf.writeInt32LE(Math.max(-0x80000000, Math.min(0x7fffffff, Math.trunc(v))), at); break;
    case 'f32': buf.writeFloatLE(v, at); break;
    case 'f64': buf.writeDoubleLE(v, at); break;
  }
}

function defFor(msg: DtcMessage): MessageDef {
  if (!msg || typeof msg.Type !== 'number') throw new DtcCodecError(`a DTC message needs a numeric "Type"; got ${JSON.stringify(msg)?.slice(0, 80)}`);
  const d = getMessageDef(msg.Type);
  if (!d) throw new DtcCodecError(`message Type ${msg.Type} is not in the supported DTC message table; use a type from PROTOCOL.md §8`);
  return d;
}

export function encodeBinary(msg: DtcMessage): Buffer {
  const d = defFor(msg);
  const buf = Buffer.alloc(d.size);
  buf.writeUInt16LE(d.size, 0);
  buf.writeUInt16LE(d.type, 2);
  for (const f of d.fields) {
    const v = msg[f.name];
    writeField(buf, f, v === undefined ? f.default : v, d);
  }
  return buf;
}

// ---------------------------------------------------------------------------------------------
// JSON

const MAX_EXACT = Number.MAX_SAFE_INTEGER;

/** Exact 64-bit value from text or bigint: a number while it is exact, else the decimal string. */
function exact64(v: string | bigint, f: FieldDef): number | string | null {
  const b = typeof v === 'bigint' ? v : BigInt(v.trim());
  if (f.type === 'i64' && b === I64_MAX) return null;
  return b >= -MAX_EXACT && b <= MAX_EXACT ? Number(b) : b.toString();
}

function jsonValue(v: unknown, f: FieldDef): unknown {
  if (v === undefined) return f.default;
  // JSON null = "unset" (PROTOCOL.md §2.3): it stays null where the type has an unset sentinel,
  // so decode -> encode gives back the sentinel bytes, not the field's default.
  if (v === null) return SENTINELS[f.type] !== undefined ? null : f.default;
  if (f.type === 'str') return typeof v === 'string' ? v : String(v);
  if ((f.type === 'i64' || f.type === 'u64') && !f.time && (typeof v === 'bigint' || (typeof v === 'string' && INTEGER_TEXT.test(v)))) return exact64(v, f);
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'boolean') n = v ? 1 : 0;
  else {
    n = Number(v);
    if (Number.isNaN(n)) return f.default;
  }
  return n === SENTINELS[f.type] ? null : n;
}

type JsonReader = (o: Record<string, unknown>) => DtcMessage;

// Fast paths for the common case (value already of the right JSON type); anything else goes
// through jsonValue's coercions.
function jsonNum(v: unknown, f: FieldDef, sentinel: number): unknown {
  if (typeof v === 'number') return v === sentinel ? null : v;
  return jsonValue(v, f);
}
function jsonStr(v: unknown, f: FieldDef): unknown {
  return typeof v === 'string' ? v : jsonValue(v, f);
}

function compileJsonReader(d: MessageDef): JsonReader {
  const fields = d.fields;
  const props = fields
    .map((f, i) => {
      const get = `o[${JSON.stringify(f.name)}]`;
      const call = f.type === 'str' ? `s(${get}, F[${i}])` : `n(${get}, F[${i}], ${SENTINELS[f.type] ?? 'NaN'})`;
      return `${JSON.stringify(f.name)}: ${call}`;
    })
    .join(',\n');
  const make = new Function('n', 's', 'F', `return function json_${d.name}(o) {\n return { Type: ${d.type},\n${props} };\n};`);
  return make(jsonNum, jsonStr, fields) as JsonReader;
}

const JSON_READERS = new Map<number, JsonReader>(MESSAGE_DEFS.map((d) => [d.type, compileJsonReader(d)]));

/**
 * Turns a parsed DTC JSON object (named or compact `F` form) into the decoded shape. Unknown types
 * come back as `{ Type, Unknown: true }`.
 */
export function fromJsonObject(o: unknown): DtcMessage {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new DtcCodecError('a DTC JSON message must be an object like {"Type":3,...}');
  const obj = o as Record<string, unknown>;
  const type = obj.Type;
  if (typeof type !== 'number' || !Number.isInteger(type)) throw new DtcCodecError(`a DTC JSON message needs an integer "Type" member; got ${JSON.stringify(type)}`);
  const d = getMessageDef(type);
  if (!d) return { Type: type, Unknown: true };
  if (Array.isArray(obj.F)) {
    const m: DtcMessage = { Type: type };
    d.fields.forEach((f, i) => (m[f.name] = jsonValue(obj.F && (obj.F as unknown[])[i], f)));
    return m;
  }
  return (JSON_READERS.get(type) as JsonReader)(obj);
}

// An integer literal of 16+ digits (not part of a fraction or exponent) outside a string.
const LONG_INTEGER = /("(?:[^"\\]|\\.)*")|(?<![\d.eE+-])(-?\d{16,})(?![\d.eE])/g;

/** Per type, the 64-bit identifier fields (name and compact index) that must stay exact. */
const EXACT64 = new Map<number, { name: string; index: number }[]>(
  MESSAGE_DEFS.map((d) => [d.type, d.fields.flatMap((f, index) => ((f.type === 'i64' && !f.time) || f.type === 'u64' ? [{ name: f.name, index }] : []))] as const)
    .filter(([, fields]) => fields.length > 0),
);

function lostDigits(v: unknown): boolean {
  return typeof v === 'number' && !Number.isSafeInteger(v) && Number.isInteger(v);
}

/**
 * JSON.parse that keeps 64-bit identifiers beyond 2^53 exact: when a message of a type that has
 * such a field parsed to an inexact integer, the text is parsed again with long integer literals
 * as decimal strings (which the 64-bit fields read back exactly). Other messages cost nothing.
 */
export function parseDtcJsonText(text: string): unknown {
  const o = JSON.parse(text) as Record<string, unknown> | null;
  const fields = o && typeof o === 'object' ? EXACT64.get(o.Type as number) : undefined;
  if (!fields) return o;
  const F = Array.isArray(o!.F) ? (o!.F as unknown[]) : null;
  if (!fields.some((f) => lostDigits(F ? F[f.index] : o![f.name]))) return o;
  return JSON.parse(text.replace(LONG_INTEGER, (m, str: string | undefined, int: string | undefined) =>
    str !== undefined || int === undefined || Number.isSafeInteger(Number(int)) ? m : `"${int}"`));
}

/** Parses one DTC JSON object (one line of a recorded stream; a trailing NUL is tolerated). */
export function parseDtcJsonLine(line: string): DtcMessage {
  const text = line.replace(/\0+\s*$/, '').trim();
  let parsed: unknown;
  try {
    parsed = parseDtcJsonText(text);
  } catch (e) {
    throw new DtcCodecError(`not valid JSON (${(e as Error).message}); each line must hold one DTC JSON object`);
  }
  return fromJsonObject(parsed);
}

// A 64-bit integer beyond 2^53 travels through JSON.stringify as this marked string and is then
// unquoted, so the JSON text carries the exact digits as a number (NUL cannot occur in DTC text).
const BIG_MARK = '\u0000BIG';
const BIG_MARKED = /"\\u0000BIG(-?\d+)"/g;

function jsonOut(v: unknown, f: FieldDef, d: MessageDef): unknown {
  if (f.type === 'str') return v === null ? v : String(v);
  if (v === null || typeof v === 'number') return v;
  if (f.type === 'i64' || f.type === 'u64') {
    const b = bigValue(v, f, d);
    if (f.type === 'i64' && b === I64_MAX) return null;
    return b >= -MAX_EXACT && b <= MAX_EXACT ? Number(b) : BIG_MARK + b.toString();
  }
  return numberValue(v, f, d);
}

function toJsonText(msg: DtcMessage, d: MessageDef, compact: boolean): string {
  let text: string;
  if (compact && d.compactArray) {
    const values = d.fields.map((f) => {
      const v = msg[f.name];
      return v === undefined ? f.default : jsonOut(v, f, d);
    });
    text = JSON.stringify({ Type: d.type, F: values });
  } else {
    const out: Record<string, unknown> = { Type: d.type };
    for (const f of d.fields) {
      const v = msg[f.name];
      if (v === undefined) continue; // absent = default, per the JSON encoding rules
      out[f.name] = jsonOut(v, f, d);
    }
    text = JSON.stringify(out);
  }
  return text.includes('\\u0000BIG') ? text.replace(BIG_MARKED, '$1') : text;
}

/** JSON text of a message without the NUL terminator (for JSON-lines output). */
export function toDtcJson(msg: DtcMessage, compact = false): string {
  return toJsonText(msg, defFor(msg), compact);
}

/** Encodes one message as a complete frame in the given encoding. */
export function encodeMessage(msg: DtcMessage, encoding: WireEncoding): Buffer {
  if (encoding === 'binary') return encodeBinary(msg);
  const text = toJsonText(msg, defFor(msg), encoding === 'compact-json');
  const buf = Buffer.allocUnsafe(Buffer.byteLength(text, 'latin1') + 1);
  buf.write(text, 0, 'latin1');
  buf[buf.length - 1] = 0;
  return buf;
}

/** Every field of the type filled with its default (null for unset fields). */
export function defaultMessage(type: number): DtcMessage {
  const d = getMessageDef(type);
  if (!d) throw new DtcCodecError(`message Type ${type} is not in the supported DTC message table`);
  const m: DtcMessage = { Type: type };
  for (const f of d.fields) m[f.name] = f.default;
  return m;
}

// Times: times.ts (units by magnitude where header versions differ).
export { timeFieldToMs, normalizeTimes } from './times';
