/** `sim-balance reset`: only SIM accounts, never "all" by accident, sane starting balances (issue 10 item 7). */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { roundTrips } from '../../fixtures/streams';
import { runCli } from './run';

describe('appsierra sim-balance reset: refuses what is not a SIM reset (real CLI)', function () {
  this.timeout(120_000);
  let dir: string;
  let store: string;
  let env: NodeJS.ProcessEnv;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-cli-simbal-'));
    store = `sqlite:${path.join(dir, 'j.db')}`;
    env = { APPSIERRA_HOME: dir };
    const input = [...roundTrips(2, { account: 'Sim1' }), ...roundTrips(2, { account: 'Sim2', idPrefix: 'Y' })].join('\n') + '\n';
    const r = runCli(['ingest', '--store', store, '-'], { input, env });
    assert.strictEqual(r.code, 0, r.err);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function resets(): number {
    const shown = runCli(['sim-balance', 'show', '--store', store, '--json'], { env });
    assert.strictEqual(shown.code, 0, shown.err);
    return (JSON.parse(shown.out) as { history: { kind: string; note: string | null }[] }[]).flatMap((a) => a.history).filter((h) => h.kind === 'reset' && h.note === 'manual (cli)').length;
  }

  const refused: [string, string[], RegExp][] = [
    ['a LIVE account', ['--account', 'LIVE-12345'], /LIVE-12345.*not a SIM account/],
    ['an empty account (not "all")', ['--account', ''], /--account needs a SIM account name/],
    ['an empty --account= value', ['--account='], /--account needs a SIM account name/],
    ['a starting balance of 1e308', ['--account', 'Sim1', '--starting-balance', '1e308'], /--starting-balance must be .* at most/],
    ['an infinite starting balance', ['--account', 'Sim1', '--starting-balance', 'Infinity'], /--starting-balance/],
    ['a negative starting balance', ['--account', 'Sim1', '--starting-balance', '-5'], /--starting-balance/],
    ['a zero starting balance', ['--account', 'Sim1', '--starting-balance', '0'], /--starting-balance/],
    ['a starting balance that is not a number', ['--account', 'Sim1', '--starting-balance', 'lots'], /--starting-balance/],
  ];
  for (const [what, args, why] of refused) {
    it(`refuses ${what} with the reason and records nothing`, () => {
      const r = runCli(['sim-balance', 'reset', '--store', store, ...args], { env });
      assert.strictEqual(r.code, 1, `exit ${r.code}: ${r.out}${r.err}`);
      assert.match(r.err, why);
      assert.strictEqual(r.out, '');
      assert.strictEqual(resets(), 0);
    });
  }

  it('refuses a LIVE account for show too (it has no SIM balance)', () => {
    const r = runCli(['sim-balance', 'show', '--store', store, '--account', 'LIVE-12345'], { env });
    assert.strictEqual(r.code, 1);
    assert.match(r.err, /not a SIM account/);
  });

  it('still resets one SIM account to a sane starting balance, and every SIM account without --account', () => {
    const one = runCli(['sim-balance', 'reset', '--store', store, '--account', 'Sim1', '--starting-balance', '25000'], { env });
    assert.strictEqual(one.code, 0, one.err);
    assert.match(one.out, /^Sim1: .* -> \$25,000\.00\n$/);
    assert.strictEqual(resets(), 1);
    const all = runCli(['sim-balance', 'reset', '--store', store], { env });
    assert.strictEqual(all.code, 0, all.err);
    assert.deepStrictEqual(all.out.trim().split('\n').map((l) => l.split(':')[0]), ['Sim1', 'Sim2']);
    assert.strictEqual(resets(), 3);
  });
});
