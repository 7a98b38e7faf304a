/**
 * Streaming DTC framer + decoder. Bytes arrive in arbitrary chunks; every chunking of a stream
 * yields the same messages. Binary frames are cut by their Size header, JSON frames by the NUL
 * byte. Bad data is counted and reported with its stream byte offset, never thrown. A frame that
 * cannot be bounded is fatal: JSON without terminator beyond the cap (no resync without unbounded
 * memory) and a binary Size below the 4-byte header (the framing is lost; guessing a new frame
 * start would decode junk as real messages).
 */
import { MessageType } from './messageTypes';
import { DtcMessage, decodeBinaryAt, fromJsonObject, parseDtcJsonText } from './codec';
import { getMessageDef } from './messages';
import { sanitizeServerText } from './serverText';

export type DecoderEncoding = 'binary' | 'json' | 'compact-json';
export const MAX_FRAME_BYTES = 1024 * 1024;

export interface DtcFrameError {
  /** Absolute byte offset in the stream where the bad data starts. */
  offset: number;
  message: string;
  fatal: boolean;
}

export interface DecoderCounters {
  frames: number;
  bytes: number;
  malformed: number;
  unknownTypes: number;
  garbageBytes: number;
  /** Bytes that did not become a known message: garbage, malformed and unknown-type frames. */
  junkBytes: number;
}

export interface DtcDecoderOptions {
  encoding?: DecoderEncoding | 'auto';
  maxFrameBytes?: number;
  /** Switch to the encoding an ENCODING_RESPONSE announces, right after it (client side). */
  followEncodingResponse?: boolean;
  onError?: (err: DtcFrameError) => void;
}

/**
 * Guesses the encoding from the first bytes of a stream: binary when they form a header of a
 * known type, JSON when the first byte after separators (NUL, whitespace) is `{`, else binary.
 * Returns null when more bytes are needed.
 */
export function detectEncoding(firstBytes: Buffer): 'binary' | 'json' | null {
  const n = firstBytes.length;
  if (n >= 4 && (firstBytes[0] | (firstBytes[1] << 8)) >= 4 && getMessageDef(firstBytes[2] | (firstBytes[3] << 8))) return 'binary';
  for (let i = 0; i < n; i++) {
    const c = firstBytes[i];
    if (c === 0 || isWhitespace(c)) continue;
    if (c === 0x7b /* { */) return 'json';
    return n >= 4 ? 'binary' : null;
  }
  return null;
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

export class DtcDecoder {
  readonly counters: DecoderCounters = { frames: 0, bytes: 0, malformed: 0, unknownTypes: 0, garbageBytes: 0, junkBytes: 0 };
  /** Set once a fatal error happened; the decoder then ignores further input. */
  fatal: DtcFrameError | null = null;
  private encoding: DecoderEncoding | 'auto';
  private readonly maxFrame: number;
  private readonly follow: boolean;
  private readonly onError?: (err: DtcFrameError) => void;
  private pending: Buffer = Buffer.alloc(0);
  /** Stream offset of pending[0]. */
  private base = 0;
  /** JSON: bytes of `pending` already scanned for a NUL. */
  private scanned = 0;
  private errors: DtcFrameError[] = [];

  constructor(opts: DtcDecoderOptions = {}) {
    this.encoding = opts.encoding ?? 'binary';
    this.maxFrame = opts.maxFrameBytes ?? MAX_FRAME_BYTES;
    this.follow = opts.followEncodingResponse ?? false;
    this.onError = opts.onError;
  }

  get currentEncoding(): DecoderEncoding | 'auto' {
    return this.encoding;
  }

  /** Applies to bytes not yet decoded (e.g. after ENCODING_RESPONSE). */
  setEncoding(enc: DecoderEncoding | 'auto'): void {
    this.encoding = enc;
    this.scanned = 0;
  }

  /** Errors since the last call. */
  takeErrors(): DtcFrameError[] {
    const e = this.errors;
    this.errors = [];
    return e;
  }

  /** Bytes held waiting for the rest of a frame. */
  get bufferedBytes(): number {
    return this.pending.length;
  }

  push(chunk: Buffer): DtcMessage[] {
    const out: DtcMessage[] = [];
    if (this.fatal || chunk.length === 0) return out;
    this.counters.bytes += chunk.length;
    const buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let pos = 0;
    while (pos < buf.length && !this.fatal) {
      if (this.encoding === 'auto') {
        const enc = detectEncoding(buf.subarray(pos));
        if (!enc) break;
        this.encoding = enc;
      }
      const next = this.encoding === 'binary' ? this.binaryFrame(buf, pos, out) : this.jsonFrame(buf, pos, out);
      if (next < 0) break;
      pos = next;
    }
    if (this.fatal) {
      this.pending = Buffer.alloc(0);
      return out;
    }
    // Keep the unfinished tail; copy when it is a view of the caller's chunk.
    this.base += pos;
    this.pending = pos >= buf.length ? Buffer.alloc(0) : buf === chunk ? Buffer.from(buf.subarray(pos)) : buf.subarray(pos);
    return out;
  }

  /**
   * Call at end of stream: reports a truncated last frame. Returns the error, if any.
   */
  end(cause = 'truncated capture or a wrong --encoding'): DtcFrameError | null {
    if (this.fatal || this.pending.length === 0) return null;
    const trailingJsonWhitespace = this.encoding !== 'binary' && this.pending.every((c) => c === 0 || isWhitespace(c));
    if (trailingJsonWhitespace) return null;
    const err = this.report(this.base, `stream ended inside a frame: ${this.pending.length} trailing bytes never completed a message (${cause})`, false);
    this.counters.malformed++;
    this.counters.junkBytes += this.pending.length;
    this.pending = Buffer.alloc(0);
    return err;
  }

  private report(offset: number, message: string, fatal: boolean): DtcFrameError {
    const err = { offset, message, fatal };
    if (fatal) this.fatal = err;
    this.errors.push(err);
    if (this.errors.length > 1000) this.errors.shift(); // bounded: a flood of garbage must not grow memory
    this.onError?.(err);
    return err;
  }

  /** Returns the position after the frame, or -1 when more bytes are needed. */
  private binaryFrame(buf: Buffer, pos: number, out: DtcMessage[]): number {
    if (buf.length - pos < 4) return -1;
    const size = buf[pos] | (buf[pos + 1] << 8);
    const type = buf[pos + 2] | (buf[pos + 3] << 8);
    if (size < 4) {
      // Not a frame, and nothing tells where the next one starts: stop rather than decode junk.
      this.counters.malformed++;
      this.counters.garbageBytes += buf.length - pos;
      this.counters.junkBytes += buf.length - pos;
      this.report(this.base + pos, `binary framing error: a frame declares Size ${size}, smaller than its 4-byte header (Type ${type}); the stream cannot be framed past this point (corrupt data, or not DTC binary: check the encoding setting)`, true);
      return -1;
    }
    if (buf.length - pos < size) return -1;
    const msg = decodeBinaryAt(buf, pos, size, type);
    this.counters.frames++;
    if (msg) {
      out.push(msg);
      if (this.follow && type === MessageType.ENCODING_RESPONSE) this.followEncoding(msg);
    } else {
      this.counters.unknownTypes++;
      this.counters.junkBytes += size;
      out.push({ Type: type, Unknown: true, Size: size });
    }
    return pos + size;
  }

  private jsonFrame(buf: Buffer, pos: number, out: DtcMessage[]): number {
    // Separators between frames (NULs, newlines) are not content.
    while (pos < buf.length && (buf[pos] === 0 || isWhitespace(buf[pos]))) pos++;
    if (pos >= buf.length) return pos;
    const from = Math.max(pos, pos + this.scanned);
    const nul = buf.indexOf(0, from);
    if (nul < 0) {
      if (buf.length - pos > this.maxFrame) {
        this.report(this.base + pos, `JSON frame without NUL terminator within ${this.maxFrame} bytes; the peer is not speaking DTC JSON (check the encoding setting)`, true);
        return -1;
      }
      this.scanned = buf.length - pos;
      return -1;
    }
    this.scanned = 0;
    if (nul - pos > this.maxFrame) {
      this.report(this.base + pos, `JSON frame of ${nul - pos} bytes exceeds the ${this.maxFrame}-byte cap`, true);
      return -1;
    }
    const text = buf.toString('latin1', pos, nul);
    this.counters.frames++;
    let parsed: unknown;
    try {
      parsed = parseDtcJsonText(text);
    } catch (e) {
      this.counters.malformed++;
      this.counters.junkBytes += nul + 1 - pos;
      this.report(this.base + pos, `malformed JSON frame (${(e as Error).message}): ${sanitizeServerText(text, 60)}`, false);
      return nul + 1;
    }
    try {
      const msg = fromJsonObject(parsed);
      if (msg.Unknown) {
        this.counters.unknownTypes++;
        this.counters.junkBytes += nul + 1 - pos;
        msg.Size = nul - pos;
      }
      out.push(msg);
      if (this.follow && msg.Type === MessageType.ENCODING_RESPONSE) this.followEncoding(msg);
    } catch (e) {
      this.counters.malformed++;
      this.counters.junkBytes += nul + 1 - pos;
      this.report(this.base + pos, `malformed JSON frame: ${sanitizeServerText((e as Error).message)}`, false);
    }
    return nul + 1;
  }

  private followEncoding(msg: DtcMessage): void {
    const enc = msg.Encoding;
    if (enc === 0) this.setEncoding('binary');
    else if (enc === 2 || enc === 3) this.setEncoding('json');
  }
}
