/**
 * The trade ids of one column set (cache.ts), in row order. Ids restored from the saved columns
 * stay the file's UTF-8 bytes and are decoded only when one is read (a tie on exit time, the
 * latest trade, a possible duplicate); ids added later are strings. A trade id is 34 characters:
 * as strings, a million of them held 40-60 MB of heap for something a window reads a few times.
 * An id of the engine's own form (t- and 32 lowercase hex digits) is kept in 17 bytes: 0xFF, which
 * UTF-8 never uses, then the 16 bytes the digits spell.
 */

/**
 * Ids back to back, id k ending at ends[k]; when every id is packed, ends is null (each is 17
 * bytes). Shared by the column sets split from one mode.
 */
export class IdBytes {
  readonly count: number;

  constructor(
    readonly bytes: Uint8Array,
    readonly ends: Uint32Array | null,
  ) {
    this.count = ends ? ends.length : bytes.length / PACKED_LEN;
  }

  /** Every id packed: the ids and their ends as bytes alone. */
  get fixed(): boolean {
    return this.ends === null;
  }

  start(k: number): number {
    return this.ends === null ? k * PACKED_LEN : k === 0 ? 0 : this.ends[k - 1];
  }

  end(k: number): number {
    return this.ends === null ? (k + 1) * PACKED_LEN : this.ends[k];
  }

  at(k: number): string {
    const start = this.start(k);
    const end = this.end(k);
    if (end - start === PACKED_LEN && this.bytes[start] === PACKED) {
      let s = 't-';
      for (let i = start + 1; i < end; i++) s += HEX[this.bytes[i] >> 4] + HEX[this.bytes[i] & 15];
      return s;
    }
    return utf8Slice(this.bytes, start, end);
  }

  /** idHash of id k, from its bytes. */
  hash(k: number): number {
    const start = this.start(k);
    const end = this.end(k);
    const b = this.bytes;
    if (end - start === PACKED_LEN && b[start] === PACKED) return packedHash(b, start);
    let h = FNV_OFFSET;
    for (let i = start; i < end; i++) h = Math.imul(h ^ b[i], FNV_PRIME);
    return mix(h);
  }

  /** The first n ids (views, no copy). */
  prefix(n: number): IdBytes {
    return n === this.count ? this : new IdBytes(this.bytes.subarray(0, this.start(n)), this.ends?.subarray(0, n) ?? null);
  }

  /** Strings, to encode. */
  static of(ids: readonly string[]): IdBytes {
    const parts = ids.map((id) => packed(id) ?? Buffer.from(id, 'utf8'));
    const ends = new Uint32Array(ids.length);
    let n = 0;
    parts.forEach((p, k) => (ends[k] = n += p.length));
    return IdBytes.compact(Buffer.concat(parts, n), ends);
  }

  /** Ids with their ends, without the ends when every id is packed. */
  static compact(bytes: Uint8Array, ends: Uint32Array): IdBytes {
    if (bytes.length !== ends.length * PACKED_LEN) return new IdBytes(bytes, ends);
    for (let k = 0; k < ends.length; k++) if (ends[k] !== (k + 1) * PACKED_LEN || bytes[k * PACKED_LEN] !== PACKED) return new IdBytes(bytes, ends);
    return new IdBytes(bytes, null);
  }

  /** Bytes that claim to be packed ids only: every 17th byte the mark (else a torn or foreign file). */
  static packedOnly(bytes: Uint8Array): IdBytes | null {
    if (bytes.length % PACKED_LEN !== 0) return null;
    for (let at = 0; at < bytes.length; at += PACKED_LEN) if (bytes[at] !== PACKED) return null;
    return new IdBytes(bytes, null);
  }
}

export class TradeIds {
  /**
   * Row i's id is id number k = refs[i] (k = i while refs is null: rows in the order the ids came):
   * k < src.count is a restored id, beyond it extra[k - src.count].
   */
  private src: IdBytes | null = null;
  private extra: string[] = [];
  private refs: Uint32Array | null = null;
  private n = 0;

  static restored(src: IdBytes): TradeIds {
    const t = new TradeIds();
    t.src = src;
    t.n = src.count;
    return t;
  }

  get length(): number {
    return this.n;
  }

  at(i: number): string {
    const k = this.ref(i);
    const base = this.srcCount();
    return k < base ? this.src!.at(k) : this.extra[k - base];
  }

  /** The id's hash (idHash), a restored one without decoding it. */
  hashAt(i: number): number {
    const k = this.ref(i);
    const base = this.srcCount();
    return k < base ? this.src!.hash(k) : idHash(this.extra[k - base]);
  }

  push(id: string): void {
    this.insert(this.n, id);
  }

  /** An id inserted before row `at` (a trade closed out of exit order or at the same instant as a later id). */
  insert(at: number, id: string): void {
    this.extra.push(id);
    this.place(at, this.srcCount() + this.extra.length - 1);
  }

  /** Row i of `from` appended: a restored id by reference (the column sets split from one mode share its bytes). */
  pushFrom(from: TradeIds, i: number): void {
    const k = from.ref(i);
    if (k < from.srcCount() && (this.src === from.src || (this.src === null && this.n === 0))) {
      this.src = from.src;
      this.place(this.n, k);
    } else {
      this.push(from.at(i));
    }
  }

  /** The first `len` ids as bytes (for the saved columns): restored ones copied as bytes, never decoded. */
  bytes(len: number): IdBytes {
    const base = this.srcCount();
    if (this.refs === null && len <= base) return this.src!.prefix(len);
    if (this.refs === null && this.src !== null) {
      // Rows in arrival order: the restored bytes as they are, then the later ids.
      const tail = IdBytes.of(this.extra.slice(0, len - base));
      const all = Buffer.concat([this.src.bytes, tail.bytes]);
      if (this.src.fixed && tail.fixed) return new IdBytes(all, null);
      const ends = new Uint32Array(len);
      for (let k = 0; k < base; k++) ends[k] = this.src.end(k);
      for (let j = 0; j < tail.count; j++) ends[base + j] = this.src.bytes.length + tail.end(j);
      return new IdBytes(all, ends);
    }
    const extra = IdBytes.of(this.extra);
    const from = (k: number): [IdBytes, number] => (k < base ? [this.src!, k] : [extra, k - base]);
    const ends = new Uint32Array(len);
    let size = 0;
    for (let i = 0; i < len; i++) {
      const [b, k] = from(this.ref(i));
      ends[i] = size += b.end(k) - b.start(k);
    }
    const out = new Uint8Array(size);
    for (let i = 0, at = 0; i < len; i++) {
      const [b, k] = from(this.ref(i));
      for (let j = b.start(k), end = b.end(k); j < end; j++) out[at++] = b.bytes[j];
    }
    return IdBytes.compact(out, ends);
  }

  private srcCount(): number {
    return this.src === null ? 0 : this.src.count;
  }

  private ref(i: number): number {
    return this.refs === null ? i : this.refs[i];
  }

  /** Row `at` becomes id number k, later rows move down one. */
  private place(at: number, k: number): void {
    if (this.refs === null && at === this.n && k === this.n) {
      this.n++;
      return;
    }
    if (this.refs === null) {
      this.refs = new Uint32Array(Math.max(16, this.n * 2));
      for (let i = 0; i < this.n; i++) this.refs[i] = i;
    } else if (this.n === this.refs.length) {
      const bigger = new Uint32Array(this.n * 2);
      bigger.set(this.refs);
      this.refs = bigger;
    }
    this.refs.copyWithin(at + 1, at, this.n);
    this.refs[at] = k;
    this.n++;
  }
}

/**
 * An id's hash, the same from its string and from its bytes: an id of the engine's form is already
 * a hash (its first 32 bits, so a million restored ids hash in a few milliseconds), any other is
 * FNV-1a over its UTF-8 bytes; both mixed so the low bits depend on every bit.
 */
export function idHash(id: string): number {
  const p = packed(id);
  if (p) return packedHash(p, 0);
  let h = FNV_OFFSET;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c >= 0x80) return hashBytes(Buffer.from(id, 'utf8'));
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  return mix(h);
}

/** idHash of a packed id at `at`: its first 32 bits, already a hash (a million restored ids hash in milliseconds). */
function packedHash(b: Uint8Array, at: number): number {
  return mix(((b[at + 1] << 24) | (b[at + 2] << 16) | (b[at + 3] << 8) | b[at + 4]) ^ PACKED_SEED);
}

function hashBytes(b: Uint8Array): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], FNV_PRIME);
  return mix(h);
}

const PACKED = 0xff;
const PACKED_LEN = 17;
const HEX = '0123456789abcdef';

/** The 17 bytes of an id of the engine's form, or null. */
function packed(id: string): Uint8Array | null {
  if (id.length !== 34 || id.charCodeAt(0) !== 0x74 || id.charCodeAt(1) !== 0x2d) return null;
  const out = new Uint8Array(PACKED_LEN);
  out[0] = PACKED;
  for (let i = 0; i < 16; i++) {
    const hi = nibble(id.charCodeAt(2 + 2 * i));
    const lo = nibble(id.charCodeAt(3 + 2 * i));
    if (hi < 0 || lo < 0) return null;
    out[1 + i] = (hi << 4) | lo;
  }
  return out;
}

function nibble(c: number): number {
  return c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
}

const FNV_OFFSET = 0x811c9dc5;
const PACKED_SEED = 0x5bd1e995;
const FNV_PRIME = 0x01000193;

function mix(h: number): number {
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h | 0;
}

function utf8Slice(b: Uint8Array, start: number, end: number): string {
  // Trade ids are ASCII: a char code loop beats a TextDecoder call for 34 bytes.
  let s = '';
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c >= 0x80) return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8');
    s += String.fromCharCode(c);
  }
  return s;
}

/**
 * Hashes of the ids a cache holds, in an open-addressing table (0 marks an empty slot): a miss
 * proves an id new without a string per id; a hit is checked against the ids themselves.
 */
export class IdHashes {
  private table = new Int32Array(1024);
  private n = 0;

  mayHold(h: number): boolean {
    const v = h === 0 ? 1 : h;
    const t = this.table;
    const mask = t.length - 1;
    for (let s = v & mask; t[s] !== 0; s = (s + 1) & mask) if (t[s] === v) return true;
    return false;
  }

  add(h: number): void {
    if ((this.n + 1) * 2 > this.table.length) {
      const old = this.table;
      this.table = new Int32Array(old.length * 2);
      for (const v of old) if (v !== 0) this.place(v);
    }
    this.place(h === 0 ? 1 : h);
    this.n++;
  }

  private place(v: number): void {
    const t = this.table;
    const mask = t.length - 1;
    let s = v & mask;
    while (t[s] !== 0) s = (s + 1) & mask;
    t[s] = v;
  }
}
