import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MessageType } from '../../../src/core/dtc/messageTypes';
import { DtcSimulator } from '../../../src/core/dtc/simulator';
import { RawPeer, waitFor } from './helpers';

describe('dtc simulator (raw peer over loopback)', function () {
  this.timeout(15000);
  let sim: DtcSimulator;
  let peer: RawPeer;

  afterEach(async () => {
    peer?.close();
    await sim?.stop();
  });

  async function logon(encoding: 'binary' | 'json', opts: ConstructorParameters<typeof DtcSimulator>[0] = {}, created?: (s: DtcSimulator) => void): Promise<void> {
    sim = new DtcSimulator({ scenario: 'random-day', seed: 7, speed: 1, ...opts });
    created?.(sim);
    const { port } = await sim.start();
    peer = await RawPeer.connect(port, 'binary');
    peer.send({ Type: MessageType.ENCODING_REQUEST, Encoding: encoding === 'json' ? 2 : 0 });
    const [resp] = await peer.waitType(MessageType.ENCODING_RESPONSE);
    peer.encoding = resp.Encoding === 2 ? 'json' : 'binary';
    peer.send({ Type: MessageType.LOGON_REQUEST, HeartbeatIntervalInSeconds: 5, ClientName: 'raw' });
    const [lr] = await peer.waitType(MessageType.LOGON_RESPONSE);
    assert.strictEqual(lr.Result, 1, String(lr.ResultText));
  }

  it('negotiates JSON with a binary ENCODING_REQUEST and answers the logon like Sierra', async () => {
    await logon('json');
    assert.strictEqual(peer.encoding, 'json');
    const lr = peer.of(MessageType.LOGON_RESPONSE)[0];
    assert.strictEqual(lr.TradingIsSupported, 1);
    assert.strictEqual(lr.SecurityDefinitionsSupported, 1);
    assert.ok(String(lr.ServerName).length > 0);
  });

  it('a fixed-binary server refuses JSON and stays binary', async () => {
    await logon('json', { encoding: 'binary' });
    assert.strictEqual(peer.of(MessageType.ENCODING_RESPONSE)[0].Encoding, 0);
  });

  it("'auto' also accepts raw JSON without negotiation", async () => {
    sim = new DtcSimulator({ scenario: 'smoke', speed: 1 });
    const { port } = await sim.start();
    peer = await RawPeer.connect(port, 'json');
    peer.send({ Type: MessageType.LOGON_REQUEST, HeartbeatIntervalInSeconds: 5 });
    const [lr] = await peer.waitType(MessageType.LOGON_RESPONSE);
    assert.strictEqual(lr.Result, 1);
  });

  it('rejects a logon with wrong credentials (Require Authentication)', async () => {
    sim = new DtcSimulator({ scenario: 'smoke', username: 'trader', password: 'secret' });
    const { port } = await sim.start();
    peer = await RawPeer.connect(port);
    peer.send({ Type: MessageType.LOGON_REQUEST, HeartbeatIntervalInSeconds: 5, Username: 'trader', Password: 'wrong' });
    const [lr] = await peer.waitType(MessageType.LOGON_RESPONSE);
    assert.strictEqual(lr.Result, 2);
    assert.match(String(lr.ResultText), /username or password/);
  });

  it('answers accounts, orders, positions (with flat rows), fills per account, balances; rejects like Sierra', async () => {
    await logon('binary');
    peer.send({ Type: MessageType.TRADE_ACCOUNTS_REQUEST, RequestID: 1 });
    const accts = await peer.waitType(MessageType.TRADE_ACCOUNT_RESPONSE, 3);
    assert.deepStrictEqual(accts.map((a) => a.TradeAccount), ['Sim1', 'Sim2', '120045']);
    assert.ok(accts.every((a) => a.RequestID === 1 && a.TotalNumberMessages === 3));

    peer.send({ Type: MessageType.OPEN_ORDERS_REQUEST, RequestID: 2 });
    const [oo] = await peer.waitType(MessageType.ORDER_UPDATE);
    assert.strictEqual(oo.NoOrders, 1);
    assert.strictEqual(oo.RequestID, 2);

    peer.send({ Type: MessageType.CURRENT_POSITIONS_REQUEST, RequestID: 3 });
    const pos = await peer.waitType(MessageType.POSITION_UPDATE, 3);
    assert.ok(pos.some((p) => p.Quantity === 0 && p.TradeAccount === 'Sim1'), 'a flat row for a previously traded symbol');

    peer.send({ Type: MessageType.HISTORICAL_ORDER_FILLS_REQUEST, RequestID: 4, NumberOfDays: 30 });
    const [rej] = await peer.waitType(MessageType.HISTORICAL_ORDER_FILLS_REJECT);
    assert.strictEqual(rej.RejectText, 'TradeAccount is not set');
    assert.strictEqual(rej.RequestID, 4);
    peer.send({ Type: MessageType.HISTORICAL_ORDER_FILLS_REQUEST, RequestID: 5, NumberOfDays: 30, TradeAccount: 'Sim1' });
    const fills = await peer.waitType(MessageType.HISTORICAL_ORDER_FILL_RESPONSE, 4);
    assert.ok(fills.every((f) => f.TradeAccount === 'Sim1' && typeof f.UniqueExecutionID === 'string' && f.UniqueExecutionID));
    assert.strictEqual(new Set(fills.map((f) => f.UniqueExecutionID)).size, fills.length);
    peer.send({ Type: MessageType.HISTORICAL_ORDER_FILLS_REQUEST, RequestID: 6, NumberOfDays: 30, TradeAccount: 'Sim2' });
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(peer.of(MessageType.HISTORICAL_ORDER_FILL_RESPONSE).some((f) => f.RequestID === 6 && f.NoOrderFills === 1));

    peer.send({ Type: MessageType.ACCOUNT_BALANCE_REQUEST, RequestID: 7 });
    const bals = await peer.waitType(MessageType.ACCOUNT_BALANCE_UPDATE, 3);
    assert.deepStrictEqual(bals.filter((b) => b.RequestID === 7).map((b) => b.TradeAccount), ['Sim1', 'Sim2', '120045']);
    peer.send({ Type: MessageType.ACCOUNT_BALANCE_REQUEST, RequestID: 8, TradeAccount: 'NOPE' });
    const [brej] = await peer.waitType(MessageType.ACCOUNT_BALANCE_REJECT);
    assert.match(String(brej.RejectText), /NOPE/);
  });

  it('serves security definitions with the right tick sizes and values, and rejects unknown symbols', async () => {
    await logon('json');
    const expected: Record<string, [number, number]> = { ESZ25: [0.25, 12.5], MESZ25: [0.25, 1.25], NQZ25: [0.25, 5], MNQZ25: [0.25, 0.5], CLF26: [0.01, 10], GCG26: [0.1, 10] };
    Object.keys(expected).forEach((s, i) => peer.send({ Type: MessageType.SECURITY_DEFINITION_FOR_SYMBOL_REQUEST, RequestID: 10 + i, Symbol: s }));
    peer.send({ Type: MessageType.SECURITY_DEFINITION_FOR_SYMBOL_REQUEST, RequestID: 99, Symbol: 'ZZZZ9' });
    const defs = await peer.waitType(MessageType.SECURITY_DEFINITION_RESPONSE, 6);
    for (const d of defs) {
      const [tick, value] = expected[String(d.Symbol)];
      assert.ok(Math.abs(Number(d.MinPriceIncrement) - tick) < 1e-6, `${d.Symbol} tick ${d.MinPriceIncrement}`);
      assert.strictEqual(d.CurrencyValuePerIncrement, value);
    }
    const [rej] = await peer.waitType(MessageType.SECURITY_DEFINITION_REJECT);
    assert.strictEqual(rej.RequestID, 99);
  });

  it('plays a scenario file with waits and a disconnect to each client', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dtc-scn-')), 'scn.jsonl');
    fs.writeFileSync(file, [
      '{"Type":700,"UserMessage":"hello"}', '{"Wait":200}', '{"Type":306,"Symbol":"MESZ25","Quantity":1,"TradeAccount":"Sim1","Unsolicited":1}',
      '{"Disconnect":true}', '{"Type":700,"UserMessage":"never"}',
    ].join('\n'));
    const steps: { kind: string; at: number }[] = [];
    await logon('binary', { scenario: file, speed: 2 }, (s) => s.on('scriptStep', (step: { kind: string }, at: number) => steps.push({ kind: step.kind, at })));
    await peer.waitType(MessageType.POSITION_UPDATE);
    await waitFor(() => peer.closed, 'the scripted disconnect');
    // Measured where the script runs: socket arrival times say nothing on a busy machine.
    const waitAt = steps.find((x) => x.kind === 'wait')!.at;
    const after = steps[steps.findIndex((x) => x.kind === 'wait') + 1];
    assert.ok(after.at - waitAt >= 99, `the Wait line was honoured (${after.at - waitAt} ms of 100)`);
    assert.deepStrictEqual(peer.of(MessageType.USER_MESSAGE).map((m) => m.UserMessage), ['hello']);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it('refuses a missing scenario file with a clear message', async () => {
    sim = new DtcSimulator({ scenario: '/nonexistent/scn.jsonl' });
    await assert.rejects(sim.start(), /neither a built-in \(random-day, smoke\) nor a readable file/);
  });
});
