import * as assert from 'assert';
import { MESSAGE_DEFS } from '../../../src/core/dtc/messages';
import { MessageType } from '../../../src/core/dtc/messageTypes';
import {
  DtcMessage, decodeBinary, defaultMessage, encodeMessage, fromJsonObject, normalizeTimes, parseDtcJsonLine, toDtcJson,
} from '../../../src/core/dtc/codec';

/** Deterministic sample values that survive each field's binary type exactly. */
function sample(type: number, seed: number): DtcMessage {
  const d = MESSAGE_DEFS.find((x) => x.type === type)!;
  const m: DtcMessage = { Type: type };
  d.fields.forEach((f, i) => {
    const k = seed + i;
    switch (f.type) {
      case 'str': m[f.name] = `${f.name.slice(0, f.size - 4)}${k}`.slice(0, f.size - 1); break;
      case 'u8': m[f.name] = k % 256; break;
      case 'i8': m[f.name] = (k % 200) - 100; break;
      case 'u16': m[f.name] = k % 65536; break;
      case 'i16': m[f.name] = -k; break;
      case 'u32': m[f.name] = 4000000000 - k; break;
      case 'i32': m[f.name] = -1000 - k; break;
      case 'i64': m[f.name] = 1700000000123 + k; break;
      case 'u64': m[f.name] = 2 ** 40 + k; break;
      case 'f32': m[f.name] = 0.25 * k; break; // exact in float32
      case 'f64': m[f.name] = 5000.25 + k / 8; break;
    }
  });
  return m;
}

describe('dtc codecs', () => {
  for (const d of MESSAGE_DEFS) {
    it(`${d.name}: binary, JSON and compact JSON round trips keep every field`, () => {
      const m = sample(d.type, 7);
      const bin = encodeMessage(m, 'binary');
      assert.strictEqual(bin.length, d.size);
      assert.strictEqual(bin.readUInt16LE(0), d.size);
      assert.strictEqual(bin.readUInt16LE(2), d.type);
      assert.deepStrictEqual(decodeBinary(bin), m);
      const json = encodeMessage(m, 'json');
      assert.strictEqual(json[json.length - 1], 0);
      assert.ok(json.toString('latin1').startsWith(`{"Type":${d.type},`));
      assert.deepStrictEqual(fromJsonObject(JSON.parse(json.subarray(0, -1).toString('latin1'))), m);
      const compact = encodeMessage(m, 'compact-json');
      assert.deepStrictEqual(fromJsonObject(JSON.parse(compact.subarray(0, -1).toString('latin1'))), m);
      // Defaults: an empty message encodes to the table defaults and decodes back to them.
      assert.deepStrictEqual(decodeBinary(encodeMessage({ Type: d.type }, 'binary')), defaultMessage(d.type));
      assert.deepStrictEqual(parseDtcJsonLine(`{"Type":${d.type}}`), defaultMessage(d.type));
    });
  }

  it('writes the golden bytes of PROTOCOL.md §2.6', () => {
    const hex = (m: DtcMessage) => encodeMessage(m, 'binary').toString('hex');
    assert.strictEqual(hex({ Type: MessageType.ENCODING_REQUEST, Encoding: 2 }), '10000600080000000200000044544300');
    assert.strictEqual(hex({ Type: MessageType.ENCODING_REQUEST, Encoding: 3 }), '10000600080000000300000044544300');
    assert.strictEqual(hex({ Type: MessageType.HEARTBEAT, CurrentDateTime: 1700000000 }), '100003000000000000f1536500000000');
    assert.strictEqual(hex({ Type: MessageType.TRADE_ACCOUNTS_REQUEST, RequestID: 1 }), '0800900101000000');
    const ou = encodeMessage({ Type: MessageType.ORDER_UPDATE }, 'binary');
    assert.strictEqual(ou.subarray(240, 248).toString('hex'), 'ffffffffffffef7f', 'Price1 unset = DBL_MAX');
    const bidAsk = encodeMessage({ Type: MessageType.MARKET_DATA_UPDATE_BID_ASK_COMPACT }, 'binary');
    assert.strictEqual(bidAsk.subarray(4, 8).toString('hex'), 'ffff7f7f', 'BidPrice unset = FLT_MAX');
  });

  it('decodes every type sentinel as null and keeps zero as zero', () => {
    const buf = encodeMessage({ Type: MessageType.MARKET_DATA_SNAPSHOT, SymbolID: 0, BidPrice: 0 }, 'binary');
    const m = decodeBinary(buf)!;
    assert.strictEqual(m.BidPrice, 0);
    assert.strictEqual(m.AskPrice, null);
    assert.strictEqual(m.SessionNumTrades, null, 'UINT_MAX');
    const ou = encodeMessage({ Type: MessageType.ORDER_UPDATE, RequestID: null, GoodTillDateTime: null }, 'binary');
    assert.strictEqual(ou.readInt32LE(4), 0x7fffffff);
    assert.strictEqual(ou.readBigInt64LE(264), 0x7fffffffffffffffn);
    const back = decodeBinary(ou)!;
    assert.strictEqual(back.RequestID, null, 'INT_MAX');
    assert.strictEqual(back.GoodTillDateTime, null, 'INT64_MAX');
    assert.strictEqual(parseDtcJsonLine('{"Type":301,"Price1":1.7976931348623157e308}').Price1, null);
  });

  it('reads a shorter (older) binary message with defaults and ignores extra trailing bytes', () => {
    const full = encodeMessage({ Type: MessageType.ACCOUNT_BALANCE_UPDATE, CashBalance: 1234.5, TradeAccount: 'Sim1', LastOrderActivityDateTime: 99, OpenPositionsProfitLossBasedOnSettlementPrice: 7 }, 'binary');
    const short = Buffer.from(full.subarray(0, 400));
    short.writeUInt16LE(400, 0);
    const m = decodeBinary(short)!;
    assert.strictEqual(m.CashBalance, 1234.5);
    assert.strictEqual(m.TradeAccount, 'Sim1');
    assert.strictEqual(m.OpenPositionsProfitLossBasedOnSettlementPrice, 0);
    assert.strictEqual(m.LastOrderActivityDateTime, 0);
    const tradeAcct = encodeMessage({ Type: MessageType.TRADE_ACCOUNT_RESPONSE, TradeAccount: 'Sim2', TradingIsDisabled: 1 }, 'binary');
    const old = Buffer.from(tradeAcct.subarray(0, 48));
    old.writeUInt16LE(48, 0);
    assert.strictEqual(decodeBinary(old)!.TradingIsDisabled, 0);
    const longer = Buffer.concat([tradeAcct, Buffer.from([1, 2, 3, 4, 5, 6, 7, 8])]);
    longer.writeUInt16LE(longer.length, 0);
    assert.deepStrictEqual(decodeBinary(longer), decodeBinary(tradeAcct));
  });

  it('strips trailing NULs, uses the last char as terminator and truncates long strings', () => {
    const buf = encodeMessage({ Type: MessageType.TRADE_ACCOUNT_RESPONSE, TradeAccount: 'X'.repeat(40) }, 'binary');
    assert.strictEqual(decodeBinary(buf)!.TradeAccount, 'X'.repeat(31));
    buf.fill(0x41, 12, 44); // a peer that fills all 32 bytes: the official getter forces byte 31 to NUL
    assert.strictEqual(decodeBinary(buf)!.TradeAccount, 'A'.repeat(31));
  });

  it('returns null for unknown binary types and an Unknown marker for unknown JSON types', () => {
    const b = Buffer.from([8, 0, 0x10, 0x27, 0, 0, 0, 0]);
    assert.strictEqual(decodeBinary(b), null);
    assert.deepStrictEqual(parseDtcJsonLine('{"Type":10000,"X":1}'), { Type: 10000, Unknown: true });
  });

  it('reports bad input as a clear error, never a crash', () => {
    assert.throws(() => parseDtcJsonLine('{"Type":'), /not valid JSON/);
    assert.throws(() => parseDtcJsonLine('{"Foo":1}'), /integer "Type"/);
    assert.throws(() => encodeMessage({ Type: 99999 }, 'binary'), /not in the supported DTC message table/);
    assert.throws(() => encodeMessage({ Type: MessageType.HEARTBEAT, CurrentDateTime: 'soon' }, 'binary'), /HEARTBEAT.CurrentDateTime must be a number/);
  });

  it('accepts compact F arrays on receive for any type and omits absent members when encoding JSON', () => {
    const m = parseDtcJsonLine('{"Type":107,"F":[5,2,5001.25,3,1700000000.5]}\u0000');
    assert.deepStrictEqual(m, { Type: 107, SymbolID: 5, AtBidOrAsk: 2, Price: 5001.25, Volume: 3, DateTime: 1700000000.5 });
    assert.strictEqual(toDtcJson({ Type: MessageType.HEARTBEAT, CurrentDateTime: 5 }), '{"Type":3,"CurrentDateTime":5}');
    assert.strictEqual(encodeMessage({ Type: MessageType.TRADE_ACCOUNTS_REQUEST, RequestID: 1 }, 'compact-json').toString('latin1'), '{"Type":400,"RequestID":1}\u0000');
  });

  it('normalizeTimes converts each time field by its unit to epoch ms and leaves the input alone', () => {
    const ou = { ...defaultMessage(MessageType.ORDER_UPDATE), LastFillDateTime: 1700000000123, OrderReceivedDateTime: 1700000000, LatestTransactionDateTime: 1700000000.456 };
    const n = normalizeTimes(ou);
    assert.strictEqual(n.LastFillDateTime, 1700000000123);
    assert.strictEqual(n.OrderReceivedDateTime, 1700000000000);
    assert.strictEqual(n.LatestTransactionDateTime, 1700000000456);
    assert.strictEqual(n.GoodTillDateTime, null, 'zero time = no time');
    assert.strictEqual(ou.OrderReceivedDateTime, 1700000000);
    const bal = normalizeTimes({ Type: MessageType.ACCOUNT_BALANCE_UPDATE, TransactionDateTime: 1700000000123456, CashBalance: 5 });
    assert.strictEqual(bal.TransactionDateTime, 1700000000123);
    assert.strictEqual(bal.CashBalance, 5);
    assert.strictEqual(normalizeTimes({ Type: MessageType.HEARTBEAT, CurrentDateTime: 1700000000 }).CurrentDateTime, 1700000000000);
    assert.strictEqual(normalizeTimes({ Type: MessageType.POSITION_UPDATE, EntryDateTime: 1700000001 }).EntryDateTime, 1700000001000);
  });
});
