/**
 * DTC fidelity found by independent checks (issue 9 items 8-12): header defaults for fields a JSON
 * peer omits, exact 64-bit identifiers, times whose unit changed between header versions, unset
 * floats that survive decode -> encode, and NUL-terminated JSON on stdin in several chunks.
 */
import * as assert from 'assert';
import * as child from 'child_process';
import * as path from 'path';
import { runInProcess } from '../../fixtures/inProcessCli';
import { dtcCommand } from '../../../src/cli/dtc';
import { EXIT } from '../../../src/cli/args';
import { MESSAGE_DEFS, SENTINELS } from '../../../src/core/dtc/messages';
import { MessageType } from '../../../src/core/dtc/messageTypes';
import { DtcMessage, decodeBinary, encodeMessage, fromJsonObject, normalizeTimes, parseDtcJsonLine, toDtcJson } from '../../../src/core/dtc/codec';
import { DtcDecoder } from '../../../src/core/dtc/framer';

const run = (argv: string[], input: Buffer | string) => runInProcess(argv, input, dtcCommand);

describe('dtc fidelity (issue 9)', () => {
  it('a JSON peer may omit fields at their header defaults: LOGON_RESPONSE Result=1, MARKET_DATA_REQUEST RequestAction=1', () => {
    assert.strictEqual(parseDtcJsonLine('{"Type":2,"ServerName":"X"}').Result, 1);
    assert.strictEqual(fromJsonObject({ Type: MessageType.MARKET_DATA_REQUEST, Symbol: 'ESZ5' }).RequestAction, 1);
    assert.strictEqual(encodeMessage({ Type: MessageType.LOGON_RESPONSE }, 'binary').readInt32LE(8), 1);
    assert.strictEqual(encodeMessage({ Type: MessageType.MARKET_DATA_REQUEST }, 'binary').readInt32LE(4), 1);
  });

  it('keeps 64-bit identifiers above 2^53 exact through binary, JSON and compact JSON', () => {
    const cases: [string, string][] = [
      ['TransactionIdentifier', '18446744073709551615'],
      ['TransactionIdentifier', '9007199254740993'],
    ];
    for (const [field, digits] of cases) {
      const bin = encodeMessage({ Type: MessageType.ACCOUNT_BALANCE_UPDATE, [field]: digits }, 'binary');
      assert.strictEqual(bin.readBigUInt64LE(208).toString(), digits);
      const m = decodeBinary(bin)!;
      assert.strictEqual(m[field], digits);
      const text = toDtcJson(m);
      assert.ok(text.includes(`"${field}":${digits}`), `JSON carries the exact digits as a number: ${text.slice(0, 400)}`);
      assert.strictEqual(parseDtcJsonLine(text)[field], digits);
      assert.deepStrictEqual(encodeMessage(parseDtcJsonLine(text), 'binary'), bin);
      // A frame read off a JSON socket keeps the digits too.
      const dec = new DtcDecoder({ encoding: 'json' });
      assert.strictEqual(dec.push(encodeMessage(m, 'json'))[0][field], digits);
    }
    const sec = encodeMessage({ Type: MessageType.SECURITY_DEFINITION_RESPONSE, SecurityIdentifier: '-9007199254740995' }, 'binary');
    assert.strictEqual(decodeBinary(sec)!.SecurityIdentifier, '-9007199254740995');
    assert.strictEqual(parseDtcJsonLine('{"Type":507,"SecurityIdentifier":1234567890123456789}').SecurityIdentifier, '1234567890123456789');
    assert.strictEqual(decodeBinary(encodeMessage({ Type: MessageType.SECURITY_DEFINITION_RESPONSE, SecurityIdentifier: 42 }, 'binary'))!.SecurityIdentifier, 42, 'small values stay numbers');
    // A 16-digit run inside a string or a fraction is left alone.
    const odd = parseDtcJsonLine('{"Type":301,"InfoText":"id 12345678901234567890","Price1":1.2345678901234567}');
    assert.strictEqual(odd.InfoText, 'id 12345678901234567890');
    assert.strictEqual(odd.Price1, 1.2345678901234567);
  });

  it('reads a time whose unit changed between header versions by its magnitude, never as year 57,900', () => {
    const ms = 1700000000123;
    const ou = normalizeTimes({ Type: MessageType.ORDER_UPDATE, OrderReceivedDateTime: ms, LastFillDateTime: 1700000000 });
    assert.strictEqual(ou.OrderReceivedDateTime, ms, 'older headers: OrderReceivedDateTime in ms');
    assert.strictEqual(ou.LastFillDateTime, 1700000000000, 'a seconds value in an ms field');
    assert.strictEqual(normalizeTimes({ Type: MessageType.ORDER_UPDATE, OrderReceivedDateTime: 1700000000 }).OrderReceivedDateTime, 1700000000000);
    assert.strictEqual(normalizeTimes({ Type: MessageType.ACCOUNT_BALANCE_UPDATE, TransactionDateTime: ms }).TransactionDateTime, ms, 'ms in a us field');
    assert.strictEqual(normalizeTimes({ Type: MessageType.HISTORICAL_ORDER_FILL_RESPONSE, DateTime: 1700000000123456 }).DateTime, ms, 'us in an s field');
    for (const t of [ou.OrderReceivedDateTime, ou.LastFillDateTime]) assert.ok(new Date(t as number).getUTCFullYear() === 2023);
  });

  it('unset values round-trip: dtc decode -> dtc encode gives back the same bytes for every type', async () => {
    const msgs: DtcMessage[] = MESSAGE_DEFS.map((d) => {
      const m: DtcMessage = { Type: d.type };
      for (const f of d.fields) if (SENTINELS[f.type] !== undefined) m[f.name] = null;
      return m;
    });
    const bin = Buffer.concat(msgs.map((m) => encodeMessage(m, 'binary')));
    const sd = encodeMessage(msgs.find((m) => m.Type === MessageType.SECURITY_DEFINITION_RESPONSE)!, 'binary');
    assert.strictEqual(sd.subarray(324, 328).toString('hex'), 'ffff7f7f', 'InitialMarginRequirement unset = FLT_MAX');
    for (const enc of ['binary', 'json', 'compact-json'] as const) {
      const frames = enc === 'binary' ? bin : Buffer.concat(msgs.map((m) => encodeMessage(m, enc)));
      const d = await run(['decode', '--encoding', enc === 'binary' ? 'binary' : 'json', '-'], frames);
      assert.strictEqual(d.code, EXIT.OK, d.err);
      const e = await run(['encode', '--encoding', 'binary', '-'], d.bytes);
      assert.strictEqual(e.code, EXIT.OK, e.err);
      assert.ok(e.bytes.equals(bin), `${enc}: re-encoded bytes differ`);
    }
  });

  it('dtc decode --encoding auto - reads NUL-terminated JSON arriving on stdin in several chunks', async function () {
    this.timeout(20000);
    const cli = path.resolve(__dirname, '..', '..', '..', 'src', 'cli.js');
    const proc = child.spawn(process.execPath, [cli, 'dtc', 'decode', '--encoding', 'auto', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const frames = [1, 2, 3].map((i) => `{"Type":3,"CurrentDateTime":${i}}\0`);
    // Separators before the first frame, then each frame split across writes; the next write
    // waits for the previous frame's output, so the chunks really arrive separately.
    const parts = ['\0', '\n{"Type":3,', '"CurrentDateTime":1}\0', frames[1].slice(0, 5), frames[1].slice(5) + frames[2]];
    const lineCount = () => out.split('\n').filter(Boolean).length;
    // Bounded so a decoder that never prints fails the test instead of hanging it.
    const started = Date.now();
    const waitLines = (n: number) => new Promise<void>((resolve) => {
      const check = () => (lineCount() >= n || proc.exitCode !== null || Date.now() - started > 10000 ? resolve() : setTimeout(check, 10));
      check();
    });
    try {
      proc.stdin.write(parts[0]);
      proc.stdin.write(parts[1]);
      proc.stdin.write(parts[2]);
      await waitLines(1);
      assert.strictEqual(lineCount(), 1, `the first frame was not decoded before the rest arrived: ${err}`);
      proc.stdin.write(parts[3]);
      proc.stdin.end(parts[4]);
      const code = proc.exitCode ?? (await new Promise<number | null>((resolve) => proc.once('exit', resolve)));
      assert.strictEqual(err, '');
      assert.strictEqual(code, EXIT.OK);
      assert.deepStrictEqual(out.trim().split('\n').map((l) => JSON.parse(l).CurrentDateTime), [1, 2, 3]);
    } finally {
      if (proc.exitCode === null) proc.kill();
    }
  });
});
