/**
 * A set of strings kept in typed arrays: every key's UTF-16 code units in one growing buffer, an
 * open-addressing table of entry numbers and each entry's hash. An import keeps the key of every
 * stored and imported fill (200k and more); as a Set<string> each costs a string, a hash-table
 * entry and the execution id the key string still points to (80-100 bytes of JS heap), here about
 * 2 bytes a character plus 12 bytes, outside the collected heap. Keys are only added (or all
 * cleared), never removed one by one.
 */
export interface FillKeys {
  has(key: string): boolean;
  add(key: string): unknown;
  clear(): void;
}

const EMPTY = 0;

export class KeySet implements FillKeys {
  /** Code units of every entry, back to back. */
  private chars = new Uint16Array(1 << 12);
  private charsUsed = 0;
  /** Entry i spans chars[starts[i]] .. chars[starts[i + 1]]. */
  private starts = new Int32Array(257);
  private hashes = new Int32Array(256);
  private n = 0;
  /** Entry number + 1 per slot (0: empty); at most half full. */
  private table = new Int32Array(512);

  get size(): number {
    return this.n;
  }

  has(key: string): boolean {
    return this.find(key, hashOf(key)) >= 0;
  }

  add(key: string): this {
    const h = hashOf(key);
    if (this.find(key, h) >= 0) return this;
    if ((this.n + 1) * 2 > this.table.length) this.rehash(this.table.length * 2);
    const e = this.n;
    if (e + 1 > this.hashes.length) {
      this.hashes = grow32(this.hashes, this.hashes.length * 2);
      this.starts = grow32(this.starts, this.hashes.length + 1);
    }
    const len = key.length;
    if (this.charsUsed + len > this.chars.length) {
      const bigger = new Uint16Array(Math.max(this.chars.length * 2, this.charsUsed + len));
      bigger.set(this.chars.subarray(0, this.charsUsed));
      this.chars = bigger;
    }
    const c = this.chars;
    const at = this.charsUsed;
    for (let i = 0; i < len; i++) c[at + i] = key.charCodeAt(i);
    this.charsUsed = at + len;
    this.starts[e] = at;
    this.starts[e + 1] = this.charsUsed;
    this.hashes[e] = h;
    this.n = e + 1;
    this.place(e, h);
    return this;
  }

  clear(): void {
    this.chars = new Uint16Array(1 << 12);
    this.charsUsed = 0;
    this.starts = new Int32Array(257);
    this.hashes = new Int32Array(256);
    this.n = 0;
    this.table = new Int32Array(512);
  }

  /** Every key, in the order added. */
  *[Symbol.iterator](): IterableIterator<string> {
    for (let e = 0; e < this.n; e++) yield this.keyAt(e);
  }

  private keyAt(e: number): string {
    let s = '';
    for (let i = this.starts[e], end = this.starts[e + 1]; i < end; i++) s += String.fromCharCode(this.chars[i]);
    return s;
  }

  /** Entry number of `key`, or -1. */
  private find(key: string, h: number): number {
    const t = this.table;
    const mask = t.length - 1;
    const len = key.length;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const v = t[slot];
      if (v === EMPTY) return -1;
      const e = v - 1;
      if (this.hashes[e] !== h) continue;
      const start = this.starts[e];
      if (this.starts[e + 1] - start !== len) continue;
      let i = 0;
      while (i < len && this.chars[start + i] === key.charCodeAt(i)) i++;
      if (i === len) return e;
    }
  }

  private place(e: number, h: number): void {
    const t = this.table;
    const mask = t.length - 1;
    let slot = h & mask;
    while (t[slot] !== EMPTY) slot = (slot + 1) & mask;
    t[slot] = e + 1;
  }

  private rehash(size: number): void {
    this.table = new Int32Array(size);
    for (let e = 0; e < this.n; e++) this.place(e, this.hashes[e]);
  }
}

function grow32(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

/** FNV-1a over the code units, then mixed so that the low bits (the table's slot) depend on every unit. */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h | 0;
}
