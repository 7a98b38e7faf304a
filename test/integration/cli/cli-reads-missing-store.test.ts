/** A read on a store that does not exist is an error naming the path and the fix, and creates nothing (issue 9 item 5). */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from './run';

const READS: string[][] = [
  ['trades'],
  ['trades', '--json'],
  ['stats', '--mode', 'SIM', '--json'],
  ['export', '--format', 'csv'],
  ['export', '--format', 'json'],
  ['sim-balance', 'show'],
  ['sim-balance', 'show', '--json'],
  ['monitor', 'report'],
  ['db', 'health'],
  ['db', 'check'],
];

/** Every path below dir, so "created nothing" is checked for files and folders alike. */
function listing(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true }).map(String).sort();
}

describe('read commands on a store that does not exist (real CLI)', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-cli-missing-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const args of READS) {
    it(`${args.join(' ')}: exit 2, names the path and 'db init', creates nothing`, () => {
      const file = path.join(dir, 'no', 'such', 'dir', 'x.db');
      const before = listing(dir);
      const r = runCli([...args, '--store', `sqlite:${file}`], { env: { APPSIERRA_HOME: path.join(dir, 'home') } });
      assert.strictEqual(r.code, 2, `exit ${r.code}\nstdout: ${r.out}\nstderr: ${r.err}`);
      // db check/health print their checklist verdict on stdout; every other read says it on stderr.
      const said = args[0] === 'db' ? r.out + r.err : r.err;
      assert.ok(said.includes(file), said);
      assert.match(said, /db init/);
      assert.doesNotMatch(r.out, /0 trade\(s\)|No SIM account/);
      assert.deepStrictEqual(listing(dir), before, 'a read must not create the store or its folders');
    });
  }

  it('a missing file in an existing folder is refused too (trades)', () => {
    const file = path.join(dir, 'typo.db');
    const r = runCli(['trades', '--store', `sqlite:${file}`]);
    assert.strictEqual(r.code, 2, r.err);
    assert.ok(r.err.includes(file), r.err);
    assert.ok(!fs.existsSync(file));
  });

  it("the default store (no --store) is checked the same way and its folder is not created", () => {
    const home = path.join(dir, 'fresh-home');
    const r = runCli(['trades'], { env: { APPSIERRA_HOME: home, APPSIERRA_STORE: '' } });
    assert.strictEqual(r.code, 2, r.err);
    assert.ok(r.err.includes(path.join(home, 'appsierra.db')), r.err);
    assert.ok(!fs.existsSync(home));
  });

  it('after db init the same reads succeed on the empty store', () => {
    const file = path.join(dir, 'made', 'x.db');
    const init = runCli(['db', 'init', '--store', `sqlite:${file}`]);
    assert.strictEqual(init.code, 0, init.err);
    const r = runCli(['trades', '--json', '--store', `sqlite:${file}`]);
    assert.strictEqual(r.code, 0, r.err);
    assert.deepStrictEqual(JSON.parse(r.out), []);
  });
});
