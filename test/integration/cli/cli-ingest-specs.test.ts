/** `ingest --specs FILE`: the file's fees and point values are used, and its problems are reported (issue 9 item 1). */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { orderFill } from '../../fixtures/streams';
import { runCli } from './run';

describe('appsierra ingest --specs FILE (real CLI, real sql.js file)', function () {
  this.timeout(120_000);
  let dir: string;
  let store: string;
  const t0 = Date.UTC(2026, 10, 3, 15, 0, 0);
  const mnqRoundTrip =
    [
      orderFill({ account: 'Sim1', symbol: 'MNQZ5', side: 'BUY', qty: 1, price: 21000, timeMs: t0, execId: 's1' }),
      orderFill({ account: 'Sim1', symbol: 'MNQZ5', side: 'SELL', qty: 1, price: 21010, timeMs: t0 + 60_000, execId: 's2' }),
    ]
      .map((o) => JSON.stringify(o))
      .join('\n') + '\n';

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-cli-specs-'));
    store = `sqlite:${path.join(dir, 'j.db')}`;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("uses the file's round-turn fee (MNQ 1.00, not the built-in 1.24)", () => {
    const specs = path.join(dir, 'specs.json');
    fs.writeFileSync(specs, JSON.stringify({ MNQ: { tickSize: 0.25, pointValue: 2, roundTurnFee: 1.0 } }));
    const r = runCli(['ingest', '--store', store, '--specs', specs, '-'], { input: mnqRoundTrip, env: { APPSIERRA_HOME: dir } });
    assert.strictEqual(r.code, 0, r.err);
    const [t] = JSON.parse(runCli(['trades', '--store', store, '--json']).out);
    assert.strictEqual(t.grossPnl, 20); // 10 points x $2
    assert.strictEqual(t.commissions, 1);
    assert.strictEqual(t.netPnl, 19);
  });

  it("uses the file's point value for a root it defines", () => {
    const specs = path.join(dir, 'specs.json');
    fs.writeFileSync(specs, JSON.stringify({ MNQ: { tickSize: 0.25, pointValue: 20, roundTurnFee: 0 } }));
    const r = runCli(['ingest', '--store', store, '--specs', specs, '-'], { input: mnqRoundTrip, env: { APPSIERRA_HOME: dir } });
    assert.strictEqual(r.code, 0, r.err);
    const [t] = JSON.parse(runCli(['trades', '--store', store, '--json']).out);
    assert.strictEqual(t.grossPnl, 200);
    assert.strictEqual(t.commissions, 0);
  });

  it('reports a bad entry by file and root on stderr, counts it (exit 3) and still applies the good ones', () => {
    const specs = path.join(dir, 'specs.json');
    fs.writeFileSync(specs, JSON.stringify({ MNQ: { tickSize: 0.25, pointValue: 2, roundTurnFee: 1.0 }, XYZ: { tickSize: -1, pointValue: 5 } }));
    const r = runCli(['ingest', '--store', store, '--specs', specs, '-'], { input: mnqRoundTrip, env: { APPSIERRA_HOME: dir } });
    assert.strictEqual(r.code, 3, r.err);
    assert.ok(r.err.includes(specs) && r.err.includes('XYZ'), r.err);
    assert.strictEqual(JSON.parse(r.out).errors, 1);
    const [t] = JSON.parse(runCli(['trades', '--store', store, '--json']).out);
    assert.strictEqual(t.commissions, 1);
  });

  for (const [name, content] of [
    ['missing', null],
    ['not JSON', '{"MNQ": '],
    ['an array', '[]'],
  ] as const) {
    it(`refuses a specs file that is ${name} before storing anything (exit 1, names the file)`, () => {
      const specs = path.join(dir, 'specs.json');
      if (content !== null) fs.writeFileSync(specs, content);
      const r = runCli(['ingest', '--store', store, '--specs', specs, '-'], { input: mnqRoundTrip, env: { APPSIERRA_HOME: dir } });
      assert.strictEqual(r.code, 1, r.err);
      assert.ok(r.err.includes(specs), r.err);
      assert.ok(!fs.existsSync(path.join(dir, 'j.db')), 'nothing may be stored with the wrong fees');
    });
  }
});
