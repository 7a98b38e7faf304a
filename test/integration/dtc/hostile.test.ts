/**
 * The DTC client against broken or hostile servers over loopback TCP (issue 10 items 10-12, issue 9
 * items 7-8): only valid messages are signs of life, floods of undecodable data drop the
 * connection with the reason, server text is sanitised, framing errors and truncated frames are
 * reported, malformed counters are kept per session and per connection. Also the adversarial
 * cases that already passed: garbage before logon, oversized frames.
 */
import * as assert from 'assert';
import * as net from 'net';
import { DtcClient, DtcClientOptions } from '../../../src/core/dtc/client';
import { DtcMessage, WireEncoding, encodeMessage } from '../../../src/core/dtc/codec';
import { DtcDecoder } from '../../../src/core/dtc/framer';
import { MessageType } from '../../../src/core/dtc/messageTypes';
import { DtcSimulator } from '../../../src/core/dtc/simulator';
import { RawPeer, waitFor, waitForState } from './helpers';

interface Conn {
  sock: net.Socket;
  index: number;
  encoding: WireEncoding;
  send(msg: DtcMessage): void;
}

interface ScriptOptions {
  /** Before logon: what to do with the ENCODING_REQUEST (default: answer it in binary). */
  onEncodingRequest?: (c: Conn, req: DtcMessage) => void;
  /** Answer to LOGON_REQUEST (default: a binary/JSON LOGON_RESPONSE with Result 1). */
  onLogon?: (c: Conn) => void;
  /** After the logon response. */
  afterLogon?: (c: Conn) => void;
}

/** A DTC server played by the test: negotiates and logs on, then does what the test scripts. */
class ScriptedServer {
  private readonly server: net.Server;
  private readonly socks = new Set<net.Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  connections = 0;
  port = 0;

  constructor(private readonly opts: ScriptOptions) {
    this.server = net.createServer((sock) => this.accept(sock));
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  every(ms: number, fn: () => void): void {
    this.timers.add(setInterval(fn, ms));
  }

  async stop(): Promise<void> {
    this.timers.forEach((t) => clearInterval(t));
    this.socks.forEach((s) => s.destroy());
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private accept(sock: net.Socket): void {
    this.socks.add(sock);
    sock.on('error', () => undefined);
    sock.on('close', () => this.socks.delete(sock));
    const conn: Conn = {
      sock, index: this.connections++, encoding: 'binary',
      send: (msg) => !sock.destroyed && sock.write(encodeMessage(msg, conn.encoding)),
    };
    const decoder = new DtcDecoder({ encoding: 'auto' });
    sock.on('data', (chunk: Buffer) => {
      for (const m of decoder.push(chunk)) {
        if (m.Type === MessageType.ENCODING_REQUEST) {
          if (this.opts.onEncodingRequest) this.opts.onEncodingRequest(conn, m);
          else conn.send({ Type: MessageType.ENCODING_RESPONSE, Encoding: m.Encoding });
          if (m.Encoding === 2) {
            conn.encoding = 'json';
            decoder.setEncoding('json');
          }
        } else if (m.Type === MessageType.LOGON_REQUEST) {
          if (this.opts.onLogon) this.opts.onLogon(conn);
          else conn.send({ Type: MessageType.LOGON_RESPONSE, Result: 1, ServerName: 'Scripted', TradingIsSupported: 1 });
          this.opts.afterLogon?.(conn);
        }
      }
    });
  }
}

/** `count` well-formed binary frames of a type no DTC table knows: valid framing, no valid message. */
function unknownFrames(count: number, size = 64): Buffer {
  const b = Buffer.alloc(count * size);
  for (let i = 0; i < count; i++) {
    b.writeUInt16LE(size, i * size);
    b.writeUInt16LE(10999, i * size + 2);
  }
  return b;
}

describe('dtc client under a hostile or broken server (loopback TCP)', function () {
  this.timeout(30000);
  let server: ScriptedServer | null = null;
  let sim: DtcSimulator | null = null;
  let client: DtcClient | null = null;
  let messages: DtcMessage[] = [];
  let errors: string[] = [];
  let logLines: string[] = [];

  function connect(port: number, extra: Partial<DtcClientOptions> = {}): DtcClient {
    messages = [];
    errors = [];
    logLines = [];
    const log = (m: string) => logLines.push(m);
    const c = new DtcClient({
      host: '127.0.0.1', port, encoding: 'binary', heartbeatSeconds: 5, clientName: 'hostile-test', backoffBaseMs: 50, backoffMaxMs: 200,
      logger: { info: log, warn: log, debug: log, error: log }, ...extra,
    });
    c.on('message', (m: DtcMessage) => messages.push(m));
    c.on('error', (e: string) => errors.push(e));
    client = c;
    c.start();
    return c;
  }

  afterEach(async () => {
    await client?.stop();
    await server?.stop();
    await sim?.stop();
    client = null;
    server = null;
    sim = null;
  });

  // ---- issue 9 item 7: the encoding response ------------------------------------------------

  for (const encoding of ['binary', 'json'] as const) {
    it(`a JSON-only simulator answers the binary ENCODING_REQUEST in binary, so a ${encoding} client logs on`, async () => {
      sim = new DtcSimulator({ scenario: 'smoke', encoding: 'json' });
      const { port } = await sim.start();
      const c = connect(port, { encoding, handshakeTimeoutMs: 15000 });
      await waitForState(c, 'connected', 15000);
      assert.deepStrictEqual(errors, []);
    });
  }

  it('the simulator sends ENCODING_RESPONSE bytes in binary to a binary ENCODING_REQUEST (JSON-only server)', async () => {
    sim = new DtcSimulator({ scenario: 'smoke', encoding: 'json' });
    const { port } = await sim.start();
    const peer = await RawPeer.connect(port, 'binary');
    try {
      peer.send({ Type: MessageType.ENCODING_REQUEST, Encoding: 0 });
      const [resp] = await peer.waitType(MessageType.ENCODING_RESPONSE);
      assert.strictEqual(resp.Encoding, 2, 'the JSON-only server says JSON');
      assert.strictEqual(peer.decoder.counters.malformed, 0);
    } finally {
      peer.close();
    }
  });

  it('accepts a server that answers the encoding request in JSON (first byte "{")', async () => {
    server = await new ScriptedServer({
      onEncodingRequest: (c) => c.sock.write('{"Type":7,"ProtocolVersion":8,"Encoding":2,"ProtocolType":"DTC"}\0'),
    }).start();
    const c = connect(server.port, { encoding: 'json', handshakeTimeoutMs: 15000 });
    await waitForState(c, 'connected', 15000);
    assert.strictEqual(c.serverName, 'Scripted');
  });

  // ---- issue 9 item 8: header defaults from a JSON peer -------------------------------------

  it('a JSON server that omits LOGON_RESPONSE.Result (default 1) is logged on to', async () => {
    server = await new ScriptedServer({ onLogon: (c) => c.sock.write('{"Type":2,"ServerName":"TerseJson","TradingIsSupported":1}\0') }).start();
    const c = connect(server.port, { encoding: 'json', handshakeTimeoutMs: 15000 });
    await waitForState(c, 'connected', 15000);
    assert.strictEqual(c.serverName, 'TerseJson');
    assert.deepStrictEqual(errors, []);
  });

  // ---- issue 10 item 10: only valid messages are life ---------------------------------------

  it('garbage after logon is not life: the heartbeat check drops the connection and says why', async () => {
    server = await new ScriptedServer({}).start();
    // Well-formed frames of an unknown type, a little at a time: far below the flood threshold.
    server.every(20, () => server?.['socks'].forEach((s) => s.write(unknownFrames(1))));
    const c = connect(server.port, { heartbeatMs: 300, heartbeatSeconds: 1 });
    await waitForState(c, 'connected', 15000);
    await waitFor(() => c.counters.reconnects >= 1 || errors.some((e) => /3 heartbeat intervals/.test(e)), 'a drop for lack of valid messages', 20000);
    assert.ok(errors.some((e) => /no valid message \(only \d+ bytes of undecodable data\) from the DTC server .* for 3 heartbeat intervals/.test(e)), errors.join('\n'));
  });

  it('a flood of undecodable data past the threshold drops and reconnects with the reason', async () => {
    server = await new ScriptedServer({ afterLogon: (c) => c.index === 0 && c.sock.write(unknownFrames(40, 65535 - 15)) }).start();
    const c = connect(server.port, { maxJunkBytes: 1024 * 1024 });
    await waitFor(() => c.counters.reconnects >= 1 && c.state === 'connected', 'a reconnect after the flood', 20000);
    assert.ok(errors.some((e) => /sent \d+ bytes that are not valid DTC messages since its last valid one; dropping the connection and reconnecting/.test(e)), errors.join('\n'));
    assert.ok(c.counters.undecodableBytes > 1024 * 1024, `${c.counters.undecodableBytes}`);
  });

  // ---- issue 10 item 11: unsolicited failed logon response, sanitised text ------------------

  it('an unsolicited failed LOGON_RESPONSE after logon is reported once, sanitised, and does not drop the session', async () => {
    const evil = '\u001b[2J\u001b]0;pwned\u0007Session expired\nFAKE LOG LINE' + 'x'.repeat(5000);
    server = await new ScriptedServer({
      onLogon: (c) => c.send({ Type: MessageType.LOGON_RESPONSE, Result: 1, ServerName: 'Evil\u001b[31mServer' }),
      afterLogon: (c) => {
        c.send({ Type: MessageType.LOGON_RESPONSE, Result: 2, ResultText: evil.slice(0, 95) });
        c.send({ Type: MessageType.LOGON_RESPONSE, Result: 2, ResultText: 'again' });
        c.send({ Type: MessageType.OPEN_ORDERS_REJECT, RequestID: 2, RejectText: 'no\u001b[5m orders' });
        c.send({ Type: MessageType.HEARTBEAT, CurrentDateTime: 1 });
      },
    }).start();
    const c = connect(server.port);
    await waitFor(() => messages.some((m) => m.Type === MessageType.HEARTBEAT), 'the heartbeat after the bogus responses', 15000);
    assert.strictEqual(c.state, 'connected');
    assert.strictEqual(c.counters.reconnects, 0);
    assert.strictEqual(c.counters.unsolicitedLogonResponses, 2);
    assert.strictEqual(errors.filter((e) => /LOGON_RESPONSE .* while no logon was pending/.test(e)).length, 1, errors.join('\n'));
    assert.strictEqual(c.serverName, 'Evil\\x1b[31mServer');
    const everything = [...errors, ...logLines, c.serverName ?? ''].join('\n');
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f]/.test(everything), `control characters reached the log: ${JSON.stringify(everything)}`);
    assert.ok(errors.every((e) => !e.includes('\n')), 'one message = one line');
    assert.ok(errors.some((e) => e.includes('\\x1b[2J') && e.includes('Session expired FAKE LOG LINE')), errors.join('\n'));
    assert.ok(errors.some((e) => e.includes('no\\x1b[5m orders')), errors.join('\n'));
  });

  it('a failed logon text is sanitised and capped', async () => {
    server = await new ScriptedServer({
      onLogon: (c) => c.sock.write(`{"Type":2,"Result":2,"ResultText":"bad\\u001b[0m${'y'.repeat(20000)}"}\0`),
    }).start();
    connect(server.port, { encoding: 'json', reconnect: false });
    await waitFor(() => errors.some((e) => /logon failed/.test(e)), 'the logon failure', 15000);
    const e = errors.find((x) => /logon failed/.test(x))!;
    assert.ok(e.includes('bad\\x1b[0m') && !e.includes('\u001b'), e.slice(0, 200));
    assert.ok(e.length < 600, `capped: ${e.length} chars`);
  });

  // ---- issue 10 item 12: framing errors, truncated frames, counters -------------------------

  it('a frame with Size 0 is a framing error: no junk messages, the reason, a reconnect', async () => {
    const zeros = Buffer.alloc(1000);
    for (let i = 4; i + 4 <= zeros.length; i += 4) zeros.writeUInt32LE(0x00010004, i); // "Size 4, Type 1" look-alikes
    server = await new ScriptedServer({ afterLogon: (c) => c.index === 0 && c.sock.write(zeros) }).start();
    const c = connect(server.port);
    await waitFor(() => c.counters.reconnects >= 1 && c.state === 'connected', 'a reconnect after the framing error', 20000);
    assert.strictEqual(messages.filter((m) => m.Type === MessageType.LOGON_REQUEST).length, 0, 'no junk LOGON_REQUESTs');
    assert.ok(errors.some((e) => /binary framing error: a frame declares Size 0/.test(e)), errors.join('\n'));
    assert.strictEqual(c.counters.malformed, 1, 'the session keeps the count across the reconnect');
    assert.strictEqual(c.counters.malformedThisConnection, 0, 'the new connection starts clean');
  });

  it('a frame cut off by the server closing the connection is reported and counted', async () => {
    const hb = encodeMessage({ Type: MessageType.HEARTBEAT, CurrentDateTime: 7 }, 'binary');
    server = await new ScriptedServer({ afterLogon: (c) => c.index === 0 && c.sock.end(Buffer.concat([hb, hb.subarray(0, 9)])) }).start();
    const c = connect(server.port);
    await waitFor(() => c.counters.reconnects >= 1 && c.state === 'connected', 'a reconnect after the close', 20000);
    assert.ok(messages.some((m) => m.Type === MessageType.HEARTBEAT && m.CurrentDateTime === 7000), 'the complete frame before the cut was delivered');
    assert.ok(errors.some((e) => /stream ended inside a frame: 9 trailing bytes never completed a message \(the server closed the connection in the middle of a message\)/.test(e)), errors.join('\n'));
    assert.strictEqual(c.counters.truncatedFrames, 1);
    assert.strictEqual(c.counters.malformed, 1);
    assert.strictEqual(c.counters.malformedThisConnection, 0);
  });

  // ---- adversarial cases that already held: now tests -----------------------------------------

  it('garbage before logon (an HTTP server on the port) is reported and retried, never a crash', async () => {
    server = await new ScriptedServer({ onEncodingRequest: (c) => c.sock.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n') }).start();
    const c = connect(server.port);
    await waitFor(() => c.counters.reconnects >= 2, 'two retries', 20000);
    assert.strictEqual(messages.length, 0);
    assert.ok(errors.some((e) => /bad data from the DTC server at byte 0/.test(e)), errors.join('\n'));
    assert.notStrictEqual(c.state, 'connected');
  });

  it('an oversized JSON frame (no NUL within the cap) is fatal for the connection, then it reconnects', async () => {
    server = await new ScriptedServer({
      afterLogon: (c) => c.index === 0 && c.sock.write(Buffer.concat([Buffer.from('{"Type":3,"X":"'), Buffer.alloc(1100 * 1024, 0x61)])),
    }).start();
    const c = connect(server.port, { encoding: 'json' });
    await waitFor(() => c.counters.reconnects >= 1 && c.state === 'connected', 'a reconnect after the oversized frame', 20000);
    assert.ok(errors.some((e) => /JSON frame without NUL terminator within 1048576 bytes/.test(e)), errors.join('\n'));
  });
});
