import * as assert from 'assert';
import * as child from 'child_process';
import * as path from 'path';
import { runInProcess } from '../../fixtures/inProcessCli';
import { dtcCommand } from '../../../src/cli/dtc';
import { CliError, EXIT } from '../../../src/cli/args';
import { MESSAGE_DEFS } from '../../../src/core/dtc/messages';
import { MessageType } from '../../../src/core/dtc/messageTypes';
import { defaultMessage, encodeMessage } from '../../../src/core/dtc/codec';
import { DtcClient } from '../../../src/core/dtc/client';

const run = (argv: string[], input: Buffer | string) => runInProcess(argv, input, dtcCommand);

describe('appsierra dtc decode/encode', () => {
  const all = MESSAGE_DEFS.map((d, i) => ({ ...defaultMessage(d.type), ...(d.fields[0].type === 'str' ? { [d.fields[0].name]: `v${i}` } : { [d.fields[0].name]: i }) }));
  const jsonLines = all.map((m) => JSON.stringify(m)).join('\n') + '\n';

  for (const enc of ['binary', 'json', 'compact-json'] as const) {
    it(`decode(encode(x)) == x for every supported message (${enc})`, async () => {
      const e = await run(['encode', '--encoding', enc], jsonLines);
      assert.strictEqual(e.code, EXIT.OK, e.err);
      const d = await run(['decode', '--encoding', enc === 'binary' ? 'auto' : enc], e.bytes);
      assert.strictEqual(d.code, EXIT.OK, d.err);
      assert.strictEqual(d.out, jsonLines);
    });
  }

  it('prints "Type" first, nulls for sentinels and an Unknown line for unknown types', async () => {
    const unknown = Buffer.alloc(10);
    unknown.writeUInt16LE(10, 0);
    unknown.writeUInt16LE(10123, 2);
    const bytes = Buffer.concat([encodeMessage({ Type: MessageType.ORDER_UPDATE, Symbol: 'MESZ25\0' }, 'binary'), unknown]);
    const d = await run(['decode', '--encoding', 'binary', '-'], bytes);
    const [first, second] = d.out.trim().split('\n');
    assert.ok(first.startsWith('{"Type":301,"RequestID":0,'));
    assert.strictEqual(JSON.parse(first).Price1, null);
    assert.strictEqual(JSON.parse(first).Symbol, 'MESZ25');
    assert.strictEqual(second, '{"Type":10123,"Unknown":true,"Size":10}');
    assert.strictEqual(d.code, EXIT.OK);
  });

  it('reports a framing error and a truncated frame with byte offsets, and exits 3', async () => {
    const hb = encodeMessage({ Type: MessageType.HEARTBEAT, CurrentDateTime: 5 }, 'binary');
    const d = await run(['decode', '--encoding', 'binary'], Buffer.concat([hb, Buffer.from([1, 0, 0, 0]), hb]));
    assert.strictEqual(d.code, EXIT.BAD_INPUT);
    assert.strictEqual(d.out.trim().split('\n').length, 1);
    assert.match(d.err, /byte 16: binary framing error: a frame declares Size 1/);
    assert.strictEqual(d.err.trim().split('\n').length, 1, d.err);
    const t = await run(['decode', '--encoding', 'binary'], Buffer.concat([hb, hb, hb.subarray(0, 6)]));
    assert.strictEqual(t.code, EXIT.BAD_INPUT);
    assert.strictEqual(t.out.trim().split('\n').length, 2);
    assert.match(t.err, /byte 32: stream ended inside a frame/);
  });

  it('encode reports a bad line with its number and still writes the good ones', async () => {
    const e = await run(['encode', '--encoding', 'json'], '{"Type":3}\nnot json\n{"Type":424242}\n');
    assert.strictEqual(e.code, EXIT.BAD_INPUT);
    assert.match(e.err, /line 2: not valid JSON/);
    assert.match(e.err, /line 3: message Type 424242 is not in the supported DTC message table/);
    assert.strictEqual(e.bytes.toString('latin1'), '{"Type":3,"NumDroppedMessages":0,"CurrentDateTime":0}\0', 'missing fields get the protocol defaults');
  });

  it('usage errors exit 1 with the fix', async () => {
    await assert.rejects(run(['encode'], ''), (e: unknown) => e instanceof CliError && e.exitCode === EXIT.USAGE && /--encoding is required/.test(e.message));
    await assert.rejects(run(['frobnicate'], ''), (e: unknown) => e instanceof CliError && e.exitCode === EXIT.USAGE);
    await assert.rejects(run(['decode', '/nonexistent/file.bin'], ''), (e: unknown) => e instanceof CliError && e.exitCode === EXIT.RUNTIME && /cannot read/.test(e.message));
  });
});

describe('appsierra simulate', function () {
  this.timeout(15000);
  it('prints where it listens, serves a client, and stops cleanly on SIGTERM', async () => {
    const cli = path.resolve(__dirname, '..', '..', '..', 'src', 'cli.js');
    const proc = child.spawn(process.execPath, [cli, 'simulate', '--port', '0', '--scenario', 'smoke', '--speed', '5'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no listen line: ${out}`)), 10000);
      proc.stdout.on('data', () => {
        const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(Number(m[1]));
        }
      });
    });
    const client = new DtcClient({ host: '127.0.0.1', port, encoding: 'binary', heartbeatSeconds: 5, clientName: 'cli-test', reconnect: false });
    const accounts = await new Promise<string[]>((resolve) => {
      client.once('accounts', resolve);
      client.start();
    });
    assert.deepStrictEqual(accounts, ['Sim1', 'Sim2', '120045']);
    await client.stop();
    const code = await new Promise<number | null>((resolve) => {
      proc.once('exit', (c) => resolve(c));
      proc.kill('SIGTERM');
    });
    assert.strictEqual(code, 0);
  });
});
