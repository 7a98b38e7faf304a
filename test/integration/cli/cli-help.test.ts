/** Every command has its own --help/-h; a closed output pipe ends the CLI quietly (issue 9 item 16). */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { COMMAND_HELP } from '../../../src/cli/help';
import { COMMANDS } from '../../../src/cli/commands';
import { runInProcess } from '../../fixtures/inProcessCli';
import { cli, runCli, runCliPiped } from './run';

const runMain = (argv: string[]) => runInProcess(argv);

describe('appsierra help (real CLI)', function () {
  this.timeout(300_000);

  it('every command in the table has a help definition, and nothing else does', () => {
    assert.deepStrictEqual(Object.keys(COMMAND_HELP).sort(), Object.keys(COMMANDS).sort());
  });

  for (const name of Object.keys(COMMAND_HELP)) {
    it(`${name} --help, ${name} -h and help ${name} print the command's usage, options and exit codes`, async () => {
      const forms = [[name, '--help'], [name, '-h'], ['help', name]];
      if (name === 'dtc' || name === 'db' || name === 'monitor' || name === 'sim-balance') forms.push([name, 'show', '--help']);
      const texts: string[] = [];
      for (const args of forms) {
        const r = await runMain(args);
        assert.strictEqual(r.code, 0, `${args.join(' ')}: ${r.err}`);
        assert.strictEqual(r.err, '');
        texts.push(r.out);
      }
      for (const t of texts) assert.strictEqual(t, texts[0]);
      const text = texts[0];
      assert.ok(text.startsWith(`appsierra ${name}: `), text);
      for (const u of COMMAND_HELP[name].usage) assert.ok(text.includes(u), `usage line missing: ${u}`);
      for (const o of COMMAND_HELP[name].options) assert.ok(text.includes(`--${o.name}`), `option --${o.name} missing`);
      assert.match(text, /Exit codes: 0 /);
      assert.match(text, /docs[/\\]CLI\.md/);
      assert.doesNotMatch(text, /shared\/design/);
    });
  }

  it('the built CLI prints the same help, without opening any store', () => {
    const home = path.join(os.tmpdir(), `appsierra-help-${process.pid}`);
    const r = runCli(['trades', '--store', `sqlite:${path.join(home, 'x.db')}`, '--help'], { env: { APPSIERRA_HOME: home } });
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.out, /^appsierra trades: /);
    assert.ok(!fs.existsSync(home), 'help opened a store');
  });

  it('the overview lists every command and points to docs/, never to shared/', async () => {
    const r = await runMain(['help']);
    assert.strictEqual(r.code, 0);
    for (const name of Object.keys(COMMANDS)) assert.match(r.out, new RegExp(`^  ${name} `, 'm'));
    assert.match(r.out, /docs[/\\]CLI\.md/);
    assert.doesNotMatch(r.out, /shared\/design/);
  });

  it('an unknown option points to the command\'s own --help', async () => {
    const r = await runMain(['trades', '--bogus', 'x']);
    assert.strictEqual(r.code, 1);
    assert.match(r.err, /unknown option --bogus for 'trades'; see 'appsierra trades --help'/);
  });

  it('help for an unknown command is a usage error', async () => {
    const r = await runMain(['help', 'frobnicate']);
    assert.strictEqual(r.code, 1);
    assert.match(r.err, /unknown command 'frobnicate'/);
  });
});

describe('output into a pipe that closes early (real CLI)', function () {
  this.timeout(300_000);
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-cli-pipe-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('dtc decode ... | head -1 prints one line and exits quietly (no EPIPE, no stack trace)', async () => {
    // Far more output than a pipe buffer holds, so the CLI is still writing when head exits.
    const lines = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ Type: 3, Result: 1, ResultText: `logon ${i} ${'x'.repeat(60)}` })).join('\n') + '\n';
    const encoded = spawnSync(process.execPath, [cli, 'dtc', 'encode', '--encoding', 'binary'], { input: lines, maxBuffer: 1 << 28 });
    assert.strictEqual(encoded.status, 0, String(encoded.stderr));
    const file = path.join(dir, 'big.bin');
    fs.writeFileSync(file, encoded.stdout);
    const r = await runCliPiped(['dtc', 'decode', file], 'head -1');
    assert.strictEqual(r.out.split('\n').filter(Boolean).length, 1, r.out.slice(0, 200));
    assert.doesNotMatch(r.err, /EPIPE|Error|at .*\.js/, r.err);
    assert.strictEqual(r.code, 0, r.err);
  });

  it('help | head -1 exits quietly too', async () => {
    const r = await runCliPiped(['help'], 'head -1');
    assert.strictEqual(r.out, 'appsierra: Sierra Chart DTC trade journal (command line)\n');
    assert.strictEqual(r.err, '');
    assert.strictEqual(r.code, 0);
  });
});
