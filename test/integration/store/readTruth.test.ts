/** Every read says where its answer comes from, and refuses rather than print a partial one (issues 9.6, 10.1). */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { SqliteOutbox } from '../../../src/core/store/outbox';
import { storeHome } from '../../../src/core/store/open';
import { roundTrips } from '../../fixtures/streams';
import { freePort, runCli, tmpDir, unit } from './fixtures';
import { dropSchema, PG_URL, pgUnavailable, uniqueSchema } from './pgTestEnv';




describe('reads tell the truth: where the answer comes from, and never a partial one unasked', function () {
  this.timeout(120_000);
  let home: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    home = tmpDir('truth');
    env = { APPSIERRA_HOME: home, PGPASSWORD: '' };
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('monitor report on a fresh, empty SQLite store is consistent: nothing yet is not a mismatch', () => {
    const store = `sqlite:${path.join(home, 'fresh', 'a.db')}`;
    assert.strictEqual(runCli(['db', 'init', '--store', store], env).code, 0);
    const r = runCli(['monitor', 'report', '--store', store], env);
    assert.strictEqual(r.code, 0, r.out + r.err);
    assert.match(r.out, /sim_balance\.json: not written yet \(no SIM account yet\)/);
    assert.match(r.out, /\*\*CONSISTENT\*\*/);
  });

  for (const label of ['a closed port', 'port 1']) {
    it(`PostgreSQL unreachable (${label}): trades --json, export --format json and sim-balance show exit 2 with cause and fix, stdout empty`, async () => {
      const port = label === 'port 1' ? 1 : await freePort();
      const url = `postgres://postgres@127.0.0.1:${port}/test`;
      for (const argv of [['trades', '--json'], ['export', '--format', 'json'], ['sim-balance', 'show', '--json'], ['sim-balance', 'show']]) {
        const r = runCli([...argv, '--store', url], env);
        assert.strictEqual(r.code, 2, `${argv.join(' ')}: ${r.out}${r.err}`);
        assert.strictEqual(r.out, '', argv.join(' '));
        assert.match(r.err, /cannot read the whole store postgres:\/\/postgres@127\.0\.0\.1:\d+\/test: .*unreachable.*start the server or fix the host\/port/, argv.join(' '));
      }
      assert.deepStrictEqual(fs.readdirSync(home), [], 'a read creates nothing');
    });
  }

  it('PostgreSQL down with an outbox backlog: reads refuse, --partial answers from the outbox and says so; monitor report is not ok', async () => {
    const port = await freePort();
    const url = `postgres://postgres@127.0.0.1:${port}/test?schema=truth`;
    const outbox = new SqliteOutbox(path.join(storeHome(url, home), 'outbox.db'));
    for (const n of [1, 3, 5]) await outbox.commit(unit(n));
    await outbox.close();

    const refused = runCli(['trades', '--json', '--store', url], env);
    assert.strictEqual(refused.code, 2, refused.err);
    assert.strictEqual(refused.out, '');
    assert.match(refused.err, /unreachable.*Only the 3 commit\(s\) waiting in the local outbox are readable: pass --partial/);

    const partial = runCli(['trades', '--json', '--partial', '--store', url], env);
    assert.strictEqual(partial.code, 0, partial.err);
    assert.deepStrictEqual(JSON.parse(partial.out).map((t: { id: string }) => t.id), ['T1', 'T3', 'T5']);
    assert.match(partial.err, /^appsierra trades: PARTIAL answer \(--partial\): it shows only the 3 commit\(s\) waiting in the local outbox sqlite:.*outbox\.db; PostgreSQL .* is unreachable/);

    const report = runCli(['monitor', 'report', '--store', url], env);
    assert.strictEqual(report.code, 2, report.out);
    assert.match(report.out, /Health: NOT OK/);
    assert.doesNotMatch(report.out, /Health: ok/);
    assert.doesNotMatch(report.out, /another process owns the outbox/);
    assert.match(report.out, /Outbox backlog: 3/);
    assert.match(report.out, /\*\*UNVERIFIED\*\*/);
  });

  describe('with PostgreSQL', () => {
    let schemas: string[] = [];
    before(async function () {
      if (await pgUnavailable()) this.skip();
    });
    after(async () => {
      for (const s of schemas) await dropSchema(s);
      schemas = [];
    });

    it('each PostgreSQL store keeps its own SIM mirror and outbox, never in the default SQLite folder', async () => {
      const [a, b] = [uniqueSchema('homeA'), uniqueSchema('homeB')];
      schemas.push(a, b);
      const urlOf = (schema: string) => `${PG_URL}?schema=${schema}`;
      const input = roundTrips(2).join('\n') + '\n';
      for (const s of [a, b]) {
        const r = runCli(['ingest', '--store', urlOf(s), '-'], env, input);
        assert.strictEqual(r.code, 0, r.err);
      }
      assert.deepStrictEqual(fs.readdirSync(home).filter((f) => /outbox|sim_balance/.test(f)), [], 'nothing in the shared default folder');
      const [homeA, homeB] = [storeHome(urlOf(a), home), storeHome(urlOf(b), home)];
      assert.notStrictEqual(homeA, homeB);
      for (const h of [homeA, homeB]) assert.ok(fs.existsSync(path.join(h, 'sim_balance.json')), `${h} has its own mirror`);
      const fresh = uniqueSchema('fresh');
      schemas.push(fresh);
      assert.strictEqual(runCli(['db', 'init', '--store', urlOf(fresh)], env).code, 0);
      const r = runCli(['monitor', 'report', '--store', urlOf(fresh)], env);
      assert.strictEqual(r.code, 0, r.out + r.err);
      assert.match(r.out, /Health: ok/);
      assert.match(r.out, /\*\*CONSISTENT\*\*/);
      assert.doesNotMatch(r.out, /another process owns the outbox/);
    });
  });
});
