/**
 * Sierra Chart's binary trade activity files (`TradeActivityLog*.data` in the Data folder):
 * little-endian; a header record (u32 field 1, u32 length 8, i64 2); then records made of fields
 * (u32 field id, u32 length, bytes), each record ending with field 199 of length 0.
 *
 * Fields used: 101 activity type (i32, 2 = fill), 102 date-time (i64 microseconds since
 * 1899-12-30 UTC), 103 symbol, 105 internal order id (i64), 108 quantity (f64), 109 buy/sell
 * (byte 1/2), 113 fill price (f64, x100 scale as in the text Export), 114 filled quantity (f64),
 * 118 trade account, 124 fill execution service id, 125 position quantity (f64), 160 transaction
 * date-time. Unknown fields are skipped, never an error. Read record by record: memory stays flat.
 */
import type { Fill } from '../trading/types';
import type { ByteSource } from './lines';
import { onGrid, syntheticId } from './sierraText';
import { describeFound, ImportFormatError, type ImportItem, type ParseOptions } from './types';

export const SIERRA_DATA_EXPECTED = 'a Sierra Chart TradeActivityLog .data file (binary header 01 00 00 00 08 00 00 00 02 00 00 00 00 00 00 00)';

/** 1899-12-30 00:00 UTC, Sierra Chart's (and OLE's) day zero. */
const SC_EPOCH_MS = Date.UTC(1899, 11, 30);
const END = 199;
/** No field of a trade record is anywhere near this; a bigger length means the file is damaged. */
const MAX_FIELD = 1 << 20;

export function isSierraDataHeader(head: Uint8Array): boolean {
  if (head.length < 16) return false;
  const b = Buffer.from(head.buffer, head.byteOffset, 16);
  return b.readUInt32LE(0) === 1 && b.readUInt32LE(4) === 8 && b.readBigInt64LE(8) === 2n;
}

type Fields = Map<number, Buffer>;

/** Streams fills out of a .data file; each record is one activity (order event or fill). */
export async function* parseSierraData(source: ByteSource, opts: ParseOptions = {}): AsyncGenerator<ImportItem> {
  for await (const block of parseSierraDataBlocks(source, opts)) yield* block;
}

/** The items of each read block as one array: the import loops over them without a promise per record. */
export async function* parseSierraDataBlocks(source: ByteSource, opts: ParseOptions = {}): AsyncGenerator<ImportItem[]> {
  let buf: Buffer = Buffer.alloc(0);
  let pos = 0;
  let offset = 0; // file offset of buf[0]
  let headerDone = false;
  let record: Fields = new Map();
  let recordNo = 0;
  const seen = new Map<string, number>();
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    // Keep only the unread tail: the buffer never grows beyond one chunk plus one field.
    buf = pos < buf.length ? Buffer.concat([buf.subarray(pos), bytes]) : bytes;
    offset += pos;
    pos = 0;
    if (!headerDone) {
      if (buf.length < 16) continue;
      if (!isSierraDataHeader(buf)) {
        throw new ImportFormatError(`Not ${SIERRA_DATA_EXPECTED}; the file starts with ${describeFound(buf.toString('latin1', 0, 16))}.`, SIERRA_DATA_EXPECTED, buf.toString('latin1', 0, 16));
      }
      pos = 16;
      headerDone = true;
    }
    const out: ImportItem[] = [];
    while (buf.length - pos >= 8) {
      const id = buf.readUInt32LE(pos);
      const len = buf.readUInt32LE(pos + 4);
      if (len > MAX_FIELD) {
        out.push({ kind: 'skip', reason: `damaged file: a field claims ${len} bytes; the rest of the file is not read`, where: `byte ${offset + pos}` });
        yield out;
        return;
      }
      if (buf.length - pos - 8 < len) break;
      const value = buf.subarray(pos + 8, pos + 8 + len);
      pos += 8 + len;
      if (id === END && len === 0) {
        recordNo++;
        if (record.size > 0) out.push(recordToItem(record, `record ${recordNo}`, opts, seen));
        record = new Map();
      } else {
        record.set(id, Buffer.from(value)); // a copy: `buf` is recycled
      }
    }
    if (out.length) yield out;
  }
  if (!headerDone) throw new ImportFormatError(`Not ${SIERRA_DATA_EXPECTED}; the file is shorter than its 16-byte header.`, SIERRA_DATA_EXPECTED, buf.toString('latin1'));
  if (record.size > 0 || pos < buf.length) {
    yield [{ kind: 'skip', reason: 'truncated last record (the file was still being written, or copied partly)', where: `byte ${offset + pos}` }];
  }
}

function i32(f: Fields, id: number): number | null {
  const b = f.get(id);
  return b && b.length >= 4 ? b.readInt32LE(0) : null;
}
function i64(f: Fields, id: number): bigint | null {
  const b = f.get(id);
  return b && b.length >= 8 ? b.readBigInt64LE(0) : null;
}
function f64(f: Fields, id: number): number | null {
  const b = f.get(id);
  return b && b.length >= 8 ? b.readDoubleLE(0) : null;
}
function byte(f: Fields, id: number): number | null {
  const b = f.get(id);
  return b && b.length >= 1 ? b[0] : null;
}
function str(f: Fields, id: number): string {
  const b = f.get(id);
  if (!b) return '';
  const nul = b.indexOf(0);
  return b.toString('utf8', 0, nul >= 0 ? nul : b.length).trim();
}

/** i64 microseconds since 1899-12-30 UTC -> epoch ms, or null. */
export function scDateTimeMs(micros: bigint | null): number | null {
  if (micros === null || micros <= 0n) return null;
  return SC_EPOCH_MS + Number(micros / 1000n);
}

function recordToItem(f: Fields, where: string, opts: ParseOptions, seen: Map<string, number>): ImportItem {
  if (i32(f, 101) !== 2) return { kind: 'other', where };
  const skip = (reason: string): ImportItem => ({ kind: 'skip', reason, where });
  const symbol = str(f, 103);
  const account = str(f, 118) || opts.account || '';
  const bs = byte(f, 109);
  const side = bs === 1 ? 'BUY' : bs === 2 ? 'SELL' : null;
  const qty = f64(f, 108) || f64(f, 114) || 0;
  const raw = f64(f, 113);
  const timeMs = scDateTimeMs(i64(f, 102)) ?? scDateTimeMs(i64(f, 160));
  if (!symbol) return skip('no symbol (field 103)');
  if (!account) return skip('no trade account (field 118; pass --account)');
  if (!side) return skip(`buy/sell (field 109) is ${bs}, not 1 or 2`);
  if (!(qty > 0)) return skip('quantity (field 108/114) is not a positive number');
  if (raw === null || !Number.isFinite(raw)) return skip('no fill price (field 113)');
  if (timeMs === null) return skip('no date-time (field 102)');
  const price = Number((raw / 100).toPrecision(12));
  const tick = opts.tickSize?.(symbol) ?? null;
  if (tick !== null && !onGrid(price, tick) && onGrid(raw, tick)) return skip(`fill price ${raw} is not in the x100 scale (off the ${tick} tick grid once divided)`);
  const orderId = i64(f, 105);
  const orderText = orderId === null ? '' : orderId.toString();
  const executionId = str(f, 124) || syntheticId(['sc', account, symbol, orderText, String(timeMs), side, String(qty), String(price)], seen);
  const fill: Fill = {
    account,
    executionId,
    symbol,
    side,
    qty,
    price,
    timeMs,
    serverOrderId: orderText || null,
    positionAfter: f64(f, 125),
    source: 'import',
  };
  return { kind: 'fill', fill, where };
}
