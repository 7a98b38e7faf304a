import * as assert from 'assert';
import { MESSAGE_DEFS } from '../../../src/core/dtc/messages';
import { MessageType } from '../../../src/core/dtc/messageTypes';
import { DtcMessage, decodeBinary, defaultMessage, encodeMessage, WireEncoding } from '../../../src/core/dtc/codec';
import { DtcDecoder, detectEncoding } from '../../../src/core/dtc/framer';
import { seededRng as rng } from '../../../src/core/dtc/random';


function stream(encoding: WireEncoding): { bytes: Buffer; messages: DtcMessage[] } {
  const messages: DtcMessage[] = [];
  MESSAGE_DEFS.forEach((d, i) => {
    const m = { ...defaultMessage(d.type) };
    for (const f of d.fields) if (f.type === 'str') m[f.name] = `${f.name[0]}${i}`;
    messages.push(m);
  });
  messages.push({ ...defaultMessage(MessageType.ORDER_UPDATE), Symbol: 'MESZ5', Price1: 5000.25, LastFillDateTime: 1700000000123 });
  return { bytes: Buffer.concat(messages.map((m) => encodeMessage(m, encoding))), messages };
}

function decodeChunked(bytes: Buffer, enc: 'binary' | 'json' | 'auto', cuts: number[], followEncodingResponse = false): DtcMessage[] {
  const dec = new DtcDecoder({ encoding: enc, followEncodingResponse });
  const out: DtcMessage[] = [];
  let prev = 0;
  for (const c of [...cuts, bytes.length]) {
    out.push(...dec.push(bytes.subarray(prev, c)));
    prev = c;
  }
  assert.strictEqual(dec.end(), null);
  assert.strictEqual(dec.counters.malformed + dec.counters.garbageBytes + dec.counters.unknownTypes, 0);
  return out;
}

describe('dtc framer', () => {
  for (const enc of ['binary', 'json', 'compact-json'] as const) {
    it(`${enc}: every chunking (1-byte, every 2-way split, 200 seeded random splits) yields the same messages`, () => {
      const { bytes, messages } = stream(enc);
      const dencoding = enc === 'binary' ? 'binary' : 'json';
      assert.deepStrictEqual(decodeChunked(bytes, dencoding, []), messages);
      assert.deepStrictEqual(decodeChunked(bytes, 'auto', Array.from({ length: bytes.length - 1 }, (_, i) => i + 1)), messages);
      for (let cut = 1; cut < Math.min(bytes.length, 1500); cut += 7) assert.deepStrictEqual(decodeChunked(bytes, dencoding, [cut]), messages);
      const r = rng(42);
      for (let i = 0; i < 200; i++) {
        const cuts = Array.from({ length: 1 + Math.floor(r() * 20) }, () => Math.floor(r() * bytes.length)).sort((a, b) => a - b);
        assert.deepStrictEqual(decodeChunked(bytes, dencoding, cuts), messages, `cuts ${cuts}`);
      }
    });
  }

  it('counts frames and bytes', () => {
    const { bytes, messages } = stream('binary');
    const dec = new DtcDecoder();
    dec.push(bytes);
    assert.strictEqual(dec.counters.frames, messages.length);
    assert.strictEqual(dec.counters.bytes, bytes.length);
  });

  it('binary: a Size below the header is a framing error at its offset, never a stream of junk frames', () => {
    const hb = encodeMessage({ Type: MessageType.HEARTBEAT, CurrentDateTime: 1 }, 'binary');
    // Size 0 followed by bytes that would resync on "Size 4, Type 1" headers (the old decoder
    // turned such a stream into a hundred LOGON_REQUESTs).
    const junk = Buffer.alloc(1000);
    for (let i = 4; i + 4 <= junk.length; i += 4) junk.writeUInt32LE(0x00010004, i);
    const dec = new DtcDecoder();
    const msgs = [...dec.push(Buffer.concat([hb, junk.subarray(0, 500)])), ...dec.push(junk.subarray(500))];
    assert.deepStrictEqual(msgs.map((m) => m.Type), [MessageType.HEARTBEAT]);
    const errs = dec.takeErrors();
    assert.strictEqual(errs.length, 1);
    assert.strictEqual(errs[0].offset, 16);
    assert.ok(errs[0].fatal);
    assert.match(errs[0].message, /framing error: a frame declares Size 0, smaller than its 4-byte header/);
    assert.strictEqual(dec.fatal, errs[0]);
    assert.strictEqual(dec.counters.malformed, 1);
    assert.strictEqual(dec.bufferedBytes, 0);
  });

  it('binary: reports unknown types with their size and keeps going', () => {
    const unknown = Buffer.alloc(12);
    unknown.writeUInt16LE(12, 0);
    unknown.writeUInt16LE(10150, 2);
    const hb = encodeMessage({ Type: MessageType.HEARTBEAT }, 'binary');
    const dec = new DtcDecoder();
    assert.deepStrictEqual(dec.push(Buffer.concat([unknown, hb]))[0], { Type: 10150, Unknown: true, Size: 12 });
    assert.strictEqual(dec.counters.unknownTypes, 1);
  });

  it('binary: a truncated last frame is reported at end of stream with its offset', () => {
    const hb = encodeMessage({ Type: MessageType.HEARTBEAT }, 'binary');
    const dec = new DtcDecoder();
    assert.strictEqual(dec.push(Buffer.concat([hb, hb.subarray(0, 10)])).length, 1);
    const err = dec.end();
    assert.ok(err);
    assert.strictEqual(err.offset, 16);
    assert.match(err.message, /10 trailing bytes/);
  });

  it('JSON: a malformed frame is reported with its offset and the next frame still decodes', () => {
    const good = encodeMessage({ Type: MessageType.HEARTBEAT, CurrentDateTime: 2 }, 'json');
    const dec = new DtcDecoder({ encoding: 'json' });
    const msgs = dec.push(Buffer.concat([good, Buffer.from('{"Type":3,\0{"NoType":1}\0'), good]));
    assert.strictEqual(msgs.length, 2);
    const errs = dec.takeErrors();
    assert.deepStrictEqual(errs.map((e) => e.offset), [good.length, good.length + 11]);
    assert.strictEqual(dec.counters.malformed, 2);
    assert.strictEqual(dec.fatal, null);
  });

  it('JSON: a frame with no terminator within the cap is fatal with a clear message, and memory stays bounded', () => {
    const dec = new DtcDecoder({ encoding: 'json', maxFrameBytes: 4096 });
    const chunk = Buffer.alloc(1000, 0x61);
    chunk[0] = 0x7b;
    for (let i = 0; i < 10; i++) dec.push(chunk);
    assert.ok(dec.fatal);
    assert.match(dec.fatal.message, /without NUL terminator within 4096 bytes/);
    assert.strictEqual(dec.bufferedBytes, 0);
    assert.deepStrictEqual(dec.push(encodeMessage({ Type: MessageType.HEARTBEAT }, 'json')), []);
  });

  it('follows an ENCODING_RESPONSE to JSON within one chunk', () => {
    const resp = encodeMessage({ Type: MessageType.ENCODING_RESPONSE, Encoding: 2 }, 'binary');
    const logon = encodeMessage({ Type: MessageType.LOGON_RESPONSE, Result: 1, ServerName: 'X' }, 'json');
    const dec = new DtcDecoder({ followEncodingResponse: true });
    const msgs = dec.push(Buffer.concat([resp, logon]));
    assert.deepStrictEqual(msgs.map((m) => m.Type), [MessageType.ENCODING_RESPONSE, MessageType.LOGON_RESPONSE]);
    assert.strictEqual(msgs[1].ServerName, 'X');
  });

  it('detectEncoding tells JSON from binary by the first bytes', () => {
    assert.strictEqual(detectEncoding(Buffer.from(' {"Type":1}')), 'json');
    assert.strictEqual(detectEncoding(encodeMessage({ Type: MessageType.ENCODING_REQUEST }, 'binary')), 'binary');
    assert.strictEqual(detectEncoding(Buffer.alloc(0)), null);
    assert.strictEqual(detectEncoding(Buffer.from('\0\n{"Type":3}')), 'json', 'separators before the first JSON frame');
    assert.strictEqual(detectEncoding(encodeMessage({ Type: MessageType.LOGON_RESPONSE }, 'binary')), 'binary', 'Size 256 starts with a 0 byte');
    assert.strictEqual(detectEncoding(Buffer.from([0, 1])), null, 'two bytes of a binary header: wait for more');
    assert.strictEqual(decodeBinary(encodeMessage({ Type: MessageType.LOGOFF, DoNotReconnect: 1 }, 'binary'))!.DoNotReconnect, 1);
  });
});

describe('dtc framer on recorded simulator sessions', () => {
  const fs = require('fs') as typeof import('fs');
  const path = require('path') as typeof import('path');
  const dir = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'dtc');
  for (const name of ['smoke-session-binary.bin', 'smoke-session-json.bin']) {
    it(`${name}: 300 seeded random chunkings decode to the same messages (negotiation switch included)`, () => {
      const bytes: Buffer = fs.readFileSync(path.join(dir, name));
      const decodeWith = (cuts: number[]) => decodeChunked(bytes, 'auto', cuts, true);
      const whole = decodeWith([]);
      assert.ok(whole.length > 25, `only ${whole.length} messages`);
      assert.strictEqual(whole[0].Type, MessageType.ENCODING_RESPONSE);
      assert.strictEqual(whole.filter((m) => m.Type === MessageType.ORDER_UPDATE && m.OrderUpdateReason === 4).length, 2);
      const r = rng(7);
      for (let i = 0; i < 300; i++) {
        const cuts = Array.from({ length: 1 + Math.floor(r() * 40) }, () => Math.floor(r() * bytes.length)).sort((a, b) => a - b);
        assert.deepStrictEqual(decodeWith(cuts), whole, `cuts ${cuts}`);
      }
    });
  }
});
