import type { BenchSuite, BenchTable } from './suite';
import { DtcMessage, encodeMessage } from '../core/dtc/codec';
import { DtcDecoder } from '../core/dtc/framer';
import { MessageType } from '../core/dtc/messageTypes';

/** A realistic fill ORDER_UPDATE (what the trade engine consumes most). */
function orderUpdate(i: number): DtcMessage {
  return {
    Type: MessageType.ORDER_UPDATE, TotalNumMessages: 1, MessageNumber: 1, Symbol: 'MESZ25', ServerOrderID: String(100000 + i),
    ClientOrderID: `S-${100000 + i}`, OrderStatus: 7, OrderUpdateReason: 4, OrderType: 1, BuySell: 1 + (i % 2), TimeInForce: 1,
    OrderQuantity: 2, FilledQuantity: 2, RemainingQuantity: 0, AverageFillPrice: 5000.25 + (i % 40) * 0.25, LastFillPrice: 5000.25 + (i % 40) * 0.25,
    LastFillDateTime: 1700000000000 + i, LastFillQuantity: 2, LastFillExecutionID: `E${i}`, TradeAccount: 'Sim1',
    OrderReceivedDateTime: 1700000000, LatestTransactionDateTime: 1700000000.5,
  };
}

function timeDecode(bytes: Buffer, enc: 'binary' | 'json', expected: number): number {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const dec = new DtcDecoder({ encoding: enc });
    const t0 = process.hrtime.bigint();
    let n = 0;
    for (let off = 0; off < bytes.length; off += 65536) n += dec.push(bytes.subarray(off, off + 65536)).length;
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (n !== expected) throw new Error(`bench decoded ${n} of ${expected} messages`);
    best = Math.min(best, ms);
  }
  return (expected / best) * 1000;
}

/** The dtc rows of `npm run bench` (owned by the dtc area). */
export const dtcBench: BenchSuite = {
  name: 'dtc',
  async run() {
    const n = 200000;
    const msgs = Array.from({ length: n }, (_, i) => orderUpdate(i));
    const binary = Buffer.concat(msgs.map((m) => encodeMessage(m, 'binary')));
    const json = Buffer.concat(msgs.map((m) => encodeMessage(m, 'json')));
    const texts = msgs.map((m) => encodeMessage(m, 'json').subarray(0, -1).toString('latin1'));
    const bin = timeDecode(binary, 'binary', n);
    const js = timeDecode(json, 'json', n);
    let best = Infinity;
    for (let round = 0; round < 5; round++) {
      const t0 = process.hrtime.bigint();
      let sink = 0;
      for (const t of texts) sink += (JSON.parse(t) as { Type: number }).Type;
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
      if (sink !== n * MessageType.ORDER_UPDATE) throw new Error('JSON.parse ceiling miscounted');
    }
    const ceiling = (n / best) * 1000;
    const table: BenchTable = {
      title: `DTC decode throughput (ORDER_UPDATE fills, ${n.toLocaleString('en-US')} messages, 64 KiB chunks, best of 5)`,
      columns: ['stream', 'bytes/msg', 'msg/s', 'target msg/s', 'verdict'],
      rows: [
        ['binary (DtcDecoder)', binary.length / n, bin, 1_000_000, bin >= 1_000_000 ? 'ok' : 'BELOW TARGET'],
        ['JSON (DtcDecoder)', Math.round(json.length / n), js, 400_000, js >= 400_000 ? 'ok' : 'BELOW TARGET'],
        ['bare JSON.parse (ceiling)', Math.round(json.length / n), ceiling, '-', '-'],
      ],
      note: 'Targets are on one core. The JSON decoder also frames by NUL, fills every field of the table and maps sentinels; JSON.parse alone is its ceiling.',
    };
    return [table];
  },
};
