/** `npm run package` (scripts/package.js --production) never ships stale source maps (issue 9 item 17). */
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..', '..', '..');

describe('production package (scripts/package.js --production on a copy of the checkout)', function () {
  this.timeout(600_000);
  let copy: string;

  before(() => {
    // A copy, so the production build never replaces the dist/ the other tests run from.
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-package-'));
    const tracked = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const f of tracked) {
      const from = path.join(root, f);
      if (!fs.existsSync(from) || !fs.statSync(from).isFile()) continue;
      fs.mkdirSync(path.dirname(path.join(copy, f)), { recursive: true });
      fs.copyFileSync(from, path.join(copy, f));
    }
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));
    // What a development build leaves behind.
    fs.mkdirSync(path.join(copy, 'dist', 'webview'), { recursive: true });
    for (const f of ['cli.js.map', 'extension.js.map', 'webview/balance.js.map', 'old-bundle.js']) fs.writeFileSync(path.join(copy, 'dist', f), '{"stale":true}');
  });
  after(() => fs.rmSync(copy, { recursive: true, force: true }));

  it('cleans dist/ first: the .vsix holds the fresh bundles, the docs, and no .map or leftover file', () => {
    const r = spawnSync(process.execPath, ['scripts/package.js', '--production'], { cwd: copy, encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stdout + r.stderr);
    const vsix = fs.readdirSync(copy).find((f) => f.endsWith('.vsix'));
    assert.ok(vsix, 'no .vsix was written');
    const listing = execFileSync('unzip', ['-Z1', path.join(copy, vsix!)], { encoding: 'utf8' }).split('\n').filter(Boolean);
    assert.deepStrictEqual(listing.filter((f) => f.endsWith('.map') || f.includes('old-bundle')), []);
    for (const f of ['extension/dist/cli.js', 'extension/dist/extension.js', 'extension/docs/CLI.md', 'extension/docs/TRADING-MATH.md', 'extension/docs/DTC.md']) assert.ok(listing.includes(f), `${f} missing`);
  });
});
