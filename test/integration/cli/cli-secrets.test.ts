/** End to end: a password in a store URL never appears in anything the CLI prints (issue 10 item 5). */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runInProcess } from '../../fixtures/inProcessCli';
import { runCli } from './run';

/** Store URLs whose password is hard to parse; port 1 refuses at once, so nothing waits for a server. */
const URLS: [string, string[]][] = [
  ['postgres://u:Pw/Sl4sh@127.0.0.1:1/db', ['Pw/Sl4sh', 'Sl4sh']],
  ['postgres://u:Pw@At9@127.0.0.1:1/db', ['Pw@At9', 'At9']],
  ['postgres://u:Pw:Col0n@127.0.0.1:1/db', ['Pw:Col0n', 'Col0n']],
  ['postgresql://u:Pw%2FEnc0d3d@[::1]:1/db', ['Pw%2FEnc0d3d', 'Enc0d3d']],
  ['mysql://u:TopSecret1@h/db', ['TopSecret1']],
  ['u:NoSch3me@127.0.0.1:1/db', ['NoSch3me']],
];

const COMMANDS: string[][] = [
  ['trades', '--json'],
  ['trades'],
  ['export', '--format', 'json'],
  ['stats', '--mode', 'SIM'],
  ['sim-balance', 'show'],
  ['monitor', 'report'],
  ['db', 'check'],
  ['db', 'health'],
  ['db', 'init'],
  ['ingest', '-'],
];

async function runMain(argv: string[]): Promise<{ code: number; said: string }> {
  const r = await runInProcess(argv);
  return { code: r.code, said: r.out + r.err };
}

describe('store passwords never reach stdout or stderr', function () {
  this.timeout(900_000);
  let dir: string;
  let home: string | undefined;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-cli-secrets-'));
    home = process.env.APPSIERRA_HOME;
    process.env.APPSIERRA_HOME = dir;
  });
  after(() => {
    if (home === undefined) delete process.env.APPSIERRA_HOME;
    else process.env.APPSIERRA_HOME = home;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const [url, secrets] of URLS) {
    it(`every command, --store URL and --store=URL: ${url.replace(/:[^:]*@/, ':…@')}`, async () => {
      for (const args of COMMANDS) {
        for (const form of [['--store', url], [`--store=${url}`]]) {
          const r = await runMain([...args, ...form]);
          for (const s of secrets) assert.ok(!r.said.includes(s), `${args.join(' ')} ${form[0]} printed '${s}':\n${r.said}`);
          // Whether a read of an unreachable PostgreSQL may answer from the outbox is another issue; here only secrecy counts.
          if (r.code !== 0) assert.ok(r.said.trim().length > 0, `${args.join(' ')} failed without a word`);
        }
      }
    });
  }

  for (const [url, secrets] of [URLS[0], URLS[4]]) {
    it(`the built CLI in a child process: ${url.replace(/:[^:]*@/, ':…@')}`, () => {
      for (const args of COMMANDS) {
        const r = runCli([...args, '--store', url], { input: '', env: { APPSIERRA_HOME: dir } });
        for (const s of secrets) assert.ok(!(r.out + r.err).includes(s), `${args.join(' ')} printed '${s}':\n${r.out}${r.err}`);
      }
    });
  }

  it('a password given in APPSIERRA_STORE is hidden too', () => {
    const r = runCli(['trades'], { env: { APPSIERRA_HOME: dir, APPSIERRA_STORE: 'mysql://u:EnvS3cret@h/db' } });
    assert.strictEqual(r.code, 1);
    assert.match(r.err, /mysql:\/\/u:\*\*\*@h\/db/);
    assert.ok(!(r.out + r.err).includes('EnvS3cret'));
  });
});
