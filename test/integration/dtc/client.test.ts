import * as assert from 'assert';
import * as net from 'net';
import { DtcClient, DtcClientOptions } from '../../../src/core/dtc/client';
import type { DtcMessage } from '../../../src/core/dtc/codec';
import { MessageType } from '../../../src/core/dtc/messageTypes';
import { DtcSimulator } from '../../../src/core/dtc/simulator';
import { waitFor, waitForState } from './helpers';

describe('dtc client vs simulator (loopback TCP)', function () {
  this.timeout(20000);
  let sim: DtcSimulator | null = null;
  let client: DtcClient | null = null;
  let messages: DtcMessage[] = [];
  let errors: string[] = [];

  function connect(port: number, extra: Partial<DtcClientOptions> = {}): DtcClient {
    messages = [];
    errors = [];
    const sent: string[] = [];
    client = new DtcClient({ host: '127.0.0.1', port, encoding: 'binary', heartbeatSeconds: 5, clientName: 'test', backoffBaseMs: 100, backoffMaxMs: 400, password: 'hunter2', logger: { info: (m) => sent.push(m), warn: (m) => sent.push(m), debug: (m) => sent.push(m) }, ...extra });
    client.on('message', (m: DtcMessage) => messages.push(m));
    client.on('error', (e: string) => errors.push(e));
    client.start();
    (client as unknown as { logLines: string[] }).logLines = sent;
    return client;
  }
  const of = (type: number) => messages.filter((m) => m.Type === type);

  afterEach(async () => {
    await client?.stop();
    await sim?.stop();
    client = null;
    sim = null;
  });

  for (const encoding of ['binary', 'json'] as const) {
    it(`${encoding}: negotiates, logs on and makes the start-up requests (accounts, orders, positions, fills per account, balances, security definitions)`, async () => {
      sim = new DtcSimulator({ scenario: 'random-day', seed: 3, speed: 1 });
      const { port } = await sim.start();
      const c = connect(port, { encoding });
      const states: string[] = [];
      c.on('state', (s: string) => states.push(s));
      const accounts = await new Promise<string[]>((resolve) => c.once('accounts', resolve));
      assert.deepStrictEqual(accounts, ['Sim1', 'Sim2', '120045']);
      assert.deepStrictEqual(states.slice(0, 3), ['negotiating', 'logging-on', 'connected']);
      assert.strictEqual(c.serverName, 'APPSIERRA DTC Simulator');
      await waitFor(() => of(MessageType.HISTORICAL_ORDER_FILL_RESPONSE).length >= 7 && of(MessageType.SECURITY_DEFINITION_RESPONSE).length >= 2, 'fills for each account and security definitions');
      const fills = of(MessageType.HISTORICAL_ORDER_FILL_RESPONSE);
      assert.deepStrictEqual([...new Set(fills.map((f) => f.TradeAccount))], ['Sim1', 'Sim2', '120045']);
      assert.ok(fills.filter((f) => !f.NoOrderFills).every((f) => typeof f.DateTime === 'number' && Math.abs(Number(f.DateTime) - Date.now()) < 3 * 86400000), 'fill times normalized to ms');
      assert.strictEqual(of(MessageType.HISTORICAL_ORDER_FILLS_REJECT).length, 0);
      assert.ok(of(MessageType.ORDER_UPDATE).some((o) => o.NoOrders === 1));
      assert.ok(of(MessageType.POSITION_UPDATE).some((p) => p.Quantity === 0));
      assert.strictEqual(of(MessageType.ACCOUNT_BALANCE_UPDATE).filter((b) => b.RequestID !== 0).length, 3);
      const defs = of(MessageType.SECURITY_DEFINITION_RESPONSE).map((d) => d.Symbol).sort();
      assert.deepStrictEqual(defs, ['ESZ25', 'MNQZ25'], 'one definition per symbol seen, asked once');
      assert.strictEqual(c.counters.malformed, 0);
      const log = (c as unknown as { logLines: string[] }).logLines.join('\n');
      assert.ok(!log.includes('hunter2'), 'the password never reaches the log');
    });
  }

  it('receives the smoke session live: two entry fills, stop + target working, exit at the target, times in ms', async () => {
    sim = new DtcSimulator({ scenario: 'smoke', speed: 4 });
    const { port } = await sim.start();
    const c = connect(port, { encoding: 'json' });
    await waitForState(c, 'connected');
    const t0 = Date.now();
    await waitFor(() => of(MessageType.ORDER_UPDATE).filter((o) => o.OrderUpdateReason === 6).length >= 1, 'the stop to be canceled after the exit', 5000);
    const fills = of(MessageType.ORDER_UPDATE).filter((o) => o.OrderUpdateReason === 4 || o.OrderUpdateReason === 5);
    assert.deepStrictEqual(fills.map((f) => [f.BuySell, f.LastFillQuantity, f.LastFillPrice]), [[1, 1, 5000], [1, 1, 5000.25], [2, 2, 5004]]);
    assert.strictEqual(new Set(fills.map((f) => f.LastFillExecutionID)).size, 3);
    for (const f of fills) assert.ok(Math.abs(Number(f.LastFillDateTime) - t0) < 5000, `LastFillDateTime ${f.LastFillDateTime} in ms`);
    const working = of(MessageType.ORDER_UPDATE).filter((o) => o.OrderUpdateReason === 2 && o.OrderType !== 1);
    assert.deepStrictEqual(working.map((o) => [o.OrderType, o.BuySell, o.Price1]), [[3, 2, 4995], [2, 2, 5004]]);
    const positions = of(MessageType.POSITION_UPDATE).filter((p) => p.Unsolicited === 1);
    assert.deepStrictEqual(positions.slice(0, 2).map((p) => p.Quantity), [1, 2]);
    assert.strictEqual(positions[1].AveragePrice, 5000.125);
    assert.strictEqual(positions[positions.length - 1].Quantity, 0);
    assert.ok(positions.some((p) => Number(p.HighPriceDuringPosition) >= 5003.25));
    const lastBal = of(MessageType.ACCOUNT_BALANCE_UPDATE).filter((b) => b.TradeAccount === 'Sim1').pop()!;
    assert.strictEqual(lastBal.DailyProfitLoss, 38.75);
    assert.strictEqual(lastBal.CashBalance, 10038.75);
  });

  it('detects a silent server within 3 heartbeat intervals and reconnects', async () => {
    sim = new DtcSimulator({ scenario: 'smoke', speed: 1 });
    const { port } = await sim.start();
    const c = connect(port, { heartbeatSeconds: 1 });
    await waitForState(c, 'connected');
    await new Promise((r) => setTimeout(r, 1200)); // a server heartbeat has arrived
    sim.setSilent(true);
    const silentAt = Date.now();
    await waitForState(c, 'reconnecting', 4500);
    const took = Date.now() - silentAt;
    assert.ok(took <= 3600, `took ${took} ms`);
    assert.ok(errors.some((e) => /3 heartbeat intervals/.test(e)), errors.join('\n'));
    assert.ok(c.nextRetryAt && c.nextRetryAt > Date.now() - 1000);
    sim.setSilent(false);
    await waitForState(c, 'connected', 3000);
    assert.ok(c.counters.reconnects >= 1);
  });

  it('reconnects with backoff after the server restarts on the same port', async () => {
    sim = new DtcSimulator({ scenario: 'smoke' });
    const { port } = await sim.start();
    const c = connect(port);
    await waitForState(c, 'connected');
    await sim.stop();
    await waitForState(c, 'reconnecting');
    await new Promise((r) => setTimeout(r, 500)); // a few refused attempts
    assert.ok(errors.some((e) => /connection refused/.test(e)), errors.join('\n'));
    sim = new DtcSimulator({ scenario: 'smoke', port });
    await sim.start();
    await waitForState(c, 'connected', 3000);
    assert.ok(c.counters.reconnects >= 2, `reconnects ${c.counters.reconnects}`);
    assert.strictEqual(c.nextRetryAt, null);
  });

  it('stops reconnecting after LOGOFF with DoNotReconnect=1', async () => {
    sim = new DtcSimulator({ scenario: 'smoke' });
    const { port } = await sim.start();
    const c = connect(port);
    await waitForState(c, 'connected');
    sim.logoffAll('Server shutting down for maintenance', true);
    await waitForState(c, 'stopped');
    await new Promise((r) => setTimeout(r, 400));
    assert.strictEqual(c.state, 'stopped');
    assert.strictEqual(c.counters.reconnects, 0);
    assert.ok(errors.some((e) => e.includes('Server shutting down for maintenance')));
  });

  it('gives up on a server that never answers the encoding request, with cause and fix', async () => {
    const peers: net.Socket[] = [];
    const silent = net.createServer((s) => peers.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    const c = connect(port, { handshakeTimeoutMs: 300, reconnect: false });
    await waitForState(c, 'disconnected', 3000);
    assert.ok(errors.some((e) => /no encoding response within 0.3 s/.test(e)), errors.join('\n'));
    await c.stop();
    peers.forEach((s) => s.destroy());
    await new Promise<void>((r) => silent.close(() => r()));
  });

  it('takes a burst of 100k messages without loss and with bounded memory', async () => {
    sim = new DtcSimulator({ scenario: 'smoke', speed: 0.01 }); // scenario effectively paused
    const { port } = await sim.start();
    let count = 0;
    let inOrder = true;
    const c = connect(port);
    await waitForState(c, 'connected');
    c.removeAllListeners('message'); // do not keep 100k messages in the test's own array
    c.on('message', (m: DtcMessage) => {
      if (m.Type !== MessageType.POSITION_UPDATE || m.RequestID !== 77) return;
      if (m.MessageNumber !== count) inOrder = false;
      count++;
    });
    const heapBefore = process.memoryUsage().heapUsed;
    await sim.sendBurst(100000, (i) => ({ Type: MessageType.POSITION_UPDATE, RequestID: 77, MessageNumber: i, TotalNumberMessages: 100000, Symbol: 'MESZ25', Quantity: 1, TradeAccount: 'Sim1' }));
    await waitFor(() => count >= 100000, '100k messages', 15000);
    assert.strictEqual(count, 100000);
    assert.ok(inOrder, 'messages arrived in order');
    const grown = process.memoryUsage().heapUsed - heapBefore;
    assert.ok(grown < 150 * 1024 * 1024, `heap grew ${Math.round(grown / 1e6)} MB`);
    assert.strictEqual(c.counters.malformed, 0);
  });
});
