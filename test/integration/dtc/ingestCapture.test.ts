import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const capture = path.join(root, 'test', 'fixtures', 'dtc', 'smoke-session-binary.bin');

describe('ingest / dtc decode of a DTC capture cut mid-frame (real CLI)', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-dtc-cut-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports the truncation once, with its offset, in ingest as in dtc decode', () => {
    const full = fs.readFileSync(capture);
    const cut = full.subarray(0, full.length - 7);
    const file = path.join(dir, 'cut.bin');
    fs.writeFileSync(file, cut);
    const ingest = spawnSync(process.execPath, [cli, 'ingest', '--store', `sqlite:${path.join(dir, 'j.db')}`, '--encoding', 'binary', file], { encoding: 'utf8' });
    const decode = spawnSync(process.execPath, [cli, 'dtc', 'decode', '--encoding', 'binary', file], { encoding: 'utf8' });
    for (const [name, r] of [['ingest', ingest], ['dtc decode', decode]] as const) {
      assert.strictEqual(r.status, 3, `${name}: ${r.stderr}`);
      const lines = r.stderr.split('\n').filter((l) => /stream ended inside a frame/.test(l));
      assert.strictEqual(lines.length, 1, `${name} stderr: ${r.stderr}`);
    }
    assert.strictEqual(JSON.parse(ingest.stdout.trim().split('\n').at(-1)!).errors, 1, ingest.stdout);
  });
});
