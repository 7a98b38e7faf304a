import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { PassThrough } from 'stream';
import { checkStore, initStore, storeHealth } from '../../../src/core/diagnostics/database';
import { dbCommand } from '../../../src/cli/db';
import { SqliteStore } from '../../../src/core/store/sqlite';
import { SCHEMA_VERSION } from '../../../src/core/store/schema';
import { tmpDir, unit } from './fixtures';
import { dropSchema, PG_URL, pgUnavailable, uniqueSchema } from './pgTestEnv';

async function runDb(argv: string[]): Promise<{ code: number; out: string }> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (d) => (out += d));
  const code = await dbCommand(argv, { stdout, stderr: new PassThrough(), stdin: new PassThrough() });
  return { code, out };
}

describe('database diagnostics and `appsierra db`', () => {
  let dir: string;
  let home: string | undefined;
  beforeEach(() => {
    dir = tmpDir('diag');
    home = process.env.APPSIERRA_HOME;
    process.env.APPSIERRA_HOME = dir; // the default outbox location stays inside the test folder
  });
  afterEach(() => {
    if (home === undefined) delete process.env.APPSIERRA_HOME;
    else process.env.APPSIERRA_HOME = home;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sqlite: check fails before init, init creates (0 -> latest), then check and health pass; the scratch file is removed', async () => {
    const url = `sqlite:${path.join(dir, 'db', 'appsierra.db')}`;
    let r = await runDb(['check', '--store', url]);
    assert.strictEqual(r.code, 2);
    assert.match(r.out, /✗ connectivity: .*does not exist yet; run 'appsierra db init/);
    assert.strictEqual((await storeHealth(url)).ok, false);
    r = await runDb(['init', '--store', url]);
    assert.strictEqual(r.code, 0);
    assert.match(r.out, new RegExp(`Created the schema in sqlite:.*version 0 -> ${SCHEMA_VERSION}`));
    assert.match(await initStore(url), new RegExp(`already at schema version ${SCHEMA_VERSION}`));
    r = await runDb(['check', '--store', url]);
    assert.strictEqual(r.code, 0, r.out);
    for (const name of ['configuration', 'connectivity', 'schema version', 'write/read round trip', 'lock holder']) assert.match(r.out, new RegExp(`✓ ${name}:`));
    assert.deepStrictEqual(fs.readdirSync(path.join(dir, 'db')).filter((f) => f.includes('.check-')), []);
    r = await runDb(['health', '--store', url]);
    assert.strictEqual(r.code, 0);
    assert.match(r.out, /✓ healthy/);
  });

  it('sqlite: check does not disturb a running writer and names it', async () => {
    const file = path.join(dir, 'w', 'appsierra.db');
    const writer = new SqliteStore(file);
    await writer.commit(unit(1));
    const items = await checkStore(`sqlite:${file}`);
    assert.ok(items.every((i) => i.ok), JSON.stringify(items));
    assert.match(items.find((i) => i.name === 'lock holder')!.detail, new RegExp(`pid ${process.pid}`));
    assert.strictEqual(writer.isWriter, true);
    assert.strictEqual(await writer.commit(unit(3)), true);
    await writer.close();
  });

  it('rejects bad usage and bad URLs', async () => {
    await assert.rejects(runDb(['frobnicate']), (e: { exitCode: number }) => e.exitCode === 1);
    const r = await runDb(['check', '--store', 'mysql://x']);
    assert.strictEqual(r.code, 2);
    assert.match(r.out, /✗ configuration: .*must start with 'sqlite:' or 'postgres:\/\/'/);
  });

  it('postgres: unreachable is a failed check with the cause, password masked', async () => {
    const r = await runDb(['check', '--store', 'postgres://postgres:topsecret@127.0.0.1:1/test']);
    assert.strictEqual(r.code, 2);
    assert.match(r.out, /✗ connectivity: PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/test is unreachable/);
    assert.ok(!r.out.includes('topsecret'));
  });

  it('postgres: init migrates, check passes every item', async function () {
    const why = await pgUnavailable();
    if (why) {
      if (process.env.CI === 'true') throw new Error(`PostgreSQL required under CI: ${why}`);
      return this.skip();
    }
    const schema = uniqueSchema('diag');
    const url = `${PG_URL}?schema=${schema}`;
    try {
      assert.match(await initStore(url), new RegExp(`version 0 -> ${SCHEMA_VERSION}`));
      const r = await runDb(['check', '--store', url]);
      assert.strictEqual(r.code, 0, r.out);
      assert.match(r.out, /✓ write\/read round trip: scratch row written, read back and removed/);
      assert.match(r.out, /✓ outbox backlog/);
      assert.strictEqual((await storeHealth(url)).ok, true);
    } finally {
      await dropSchema(schema);
    }
  });
});
