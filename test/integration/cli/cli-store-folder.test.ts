/** A store folder that cannot be created is an immediate, clear error, never a 100 % CPU spin (issue 10 item 9). */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { makeFolder } from '../../../src/core/store/folder';
import { roundTrips } from '../../fixtures/streams';
import { runCli } from './run';

describe('store folder creation (makeFolder and the CLI)', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-cli-folder-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates every missing level, and accepts a folder that already exists', () => {
    const deep = path.join(dir, 'a', 'b', 'c');
    makeFolder(deep);
    assert.ok(fs.statSync(deep).isDirectory());
    makeFolder(deep);
  });

  it('fails at once with ENOTDIR when a part of the path is a file', () => {
    fs.writeFileSync(path.join(dir, 'file'), 'x');
    assert.throws(() => makeFolder(path.join(dir, 'file', 'sub', 'x')), (e: NodeJS.ErrnoException) => e.code === 'ENOTDIR');
  });

  const procOk = process.platform === 'linux' && fs.existsSync('/proc/self');
  (procOk ? it : it.skip)('fails at once (no retry loop) under /proc, where mkdir answers ENOENT', () => {
    assert.throws(() => makeFolder('/proc/nope/a'), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
  });

  (procOk ? it : it.skip)('ingest --store sqlite:/proc/nope/a.db exits 2 naming the folder, instead of spinning', () => {
    // The old code never returned: the timeout turns that into a failure (status null).
    const r = runCli(['ingest', '--store', 'sqlite:/proc/nope/a.db', '-'], { input: roundTrips(1).join('\n') + '\n', env: { APPSIERRA_HOME: dir }, timeoutMs: 60_000 });
    assert.strictEqual(r.code, 2, `exit ${r.code}: ${r.err}`);
    assert.match(r.err, /\/proc\/nope/);
    assert.match(r.err, /choose another store path/);
  });

  it('ingest into a folder below a file exits 2 naming the cause', () => {
    fs.writeFileSync(path.join(dir, 'file'), 'x');
    const r = runCli(['ingest', '--store', `sqlite:${path.join(dir, 'file', 'a.db')}`, '-'], { input: roundTrips(1).join('\n') + '\n', env: { APPSIERRA_HOME: dir } });
    assert.strictEqual(r.code, 2, r.err);
    assert.match(r.err, /ENOTDIR/);
  });
});
