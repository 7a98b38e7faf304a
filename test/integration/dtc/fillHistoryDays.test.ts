/**
 * The setting appsierra.dtc.fillHistoryDays reaches the wire: the connection's historical fills
 * request (one per account) asks for that many days. A proxy between the client and the simulator
 * decodes what the client sends.
 */
import * as assert from 'assert';
import * as net from 'net';
import { DtcConnection } from '../../../src/core/connection';
import { DtcSimulator } from '../../../src/core/dtc/simulator';
import { DtcDecoder } from '../../../src/core/dtc/framer';
import type { DtcMessage } from '../../../src/core/dtc/codec';
import { MessageType } from '../../../src/core/dtc/messageTypes';
import { validateSettings } from '../../../src/core/settings';
import { waitFor } from './helpers';

/** A TCP proxy to `port` that decodes the client's (binary) messages. */
function clientSideTap(port: number): Promise<{ port: number; sent: DtcMessage[]; close(): Promise<void> }> {
  const sent: DtcMessage[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port });
    const decoder = new DtcDecoder({ encoding: 'binary' });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
    }
    client.on('data', (b: Buffer) => {
      sent.push(...decoder.push(b));
      upstream.write(b);
    });
    upstream.on('data', (b: Buffer) => client.write(b));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        sent,
        close: () => {
          for (const s of sockets) s.destroy();
          return new Promise((r) => server.close(() => r()));
        },
      }),
    ),
  );
}

describe('appsierra.dtc.fillHistoryDays: the historical fills request', function () {
  this.timeout(20000);
  for (const [what, raw, days] of [
    ['the default', {}, 30],
    ['a setting of 45', { fillHistoryDays: 45 }, 45],
  ] as const) {
    it(`${what}: NumberOfDays ${days} in every account's request`, async () => {
      const sim = new DtcSimulator({ scenario: 'random-day', seed: 3, speed: 1 });
      const { port } = await sim.start();
      const tap = await clientSideTap(port);
      const { settings, problems } = validateSettings({ dtc: { ...raw, host: '127.0.0.1', port: tap.port, encoding: 'binary' } });
      assert.deepStrictEqual(problems, []);
      const quiet = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
      const conn = new DtcConnection({ dtc: settings.dtc, logger: quiet, getPassword: async () => undefined, ready: async () => undefined, onMessage: () => undefined, afterStop: async () => undefined });
      try {
        await conn.connect();
        const requests = await waitFor(() => {
          const r = tap.sent.filter((m) => m.Type === MessageType.HISTORICAL_ORDER_FILLS_REQUEST);
          return r.length >= 3 ? r : undefined;
        }, 'a fills request for each of the 3 accounts');
        assert.deepStrictEqual(requests.map((m) => [m.TradeAccount, m.NumberOfDays]), [['Sim1', days], ['Sim2', days], ['120045', days]]);
      } finally {
        await conn.dispose();
        await tap.close();
        await sim.stop();
      }
    });
  }
});
