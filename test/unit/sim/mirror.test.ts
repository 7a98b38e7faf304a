import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SimBalanceLedger } from '../../../src/core/sim/ledger';
import { SimBalanceMirror } from '../../../src/core/sim/mirror';
import { MirrorKeeper } from '../../../src/core/sim/mirrorKeeper';
import type { SimBalanceEvent } from '../../../src/core/trading/types';

const NOW = Date.parse('2025-11-20T12:00:00Z');
const pnl = (account: string, id: string, amount: number, timeMs: number): SimBalanceEvent => ({ id: `pnl:${id}`, account, kind: 'pnl', amount, timeMs, tradeId: id });

describe('sim/mirror: sim_balance.json', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simmirror-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function ledger(): SimBalanceLedger {
    const l = new SimBalanceLedger(10000);
    l.add(l.monthlyResetEvent('Sim1', Date.parse('2025-11-02T12:00:00Z'), 10000, 'UTC'));
    l.add(pnl('Sim1', 'a', 250, Date.parse('2025-11-03T15:00:00Z')));
    l.add(pnl('Sim10', 'b', -20, Date.parse('2025-10-03T15:00:00Z')));
    l.add(pnl('Sim2', 'c', 12.34, Date.parse('2025-11-04T15:00:00Z')));
    return l;
  }

  it('writes the documented shape atomically (no temp file left) and reads it back', () => {
    const m = new SimBalanceMirror(path.join(dir, 'nested'));
    assert.deepStrictEqual(m.write(ledger(), { nowMs: NOW, timeZone: 'UTC' }), { ok: true });
    assert.deepStrictEqual(fs.readdirSync(path.join(dir, 'nested')), ['sim_balance.json']);
    const json = JSON.parse(fs.readFileSync(m.path, 'utf8'));
    assert.deepStrictEqual(json, {
      balance: 10250,
      last_reset_month: '2025-11',
      last_updated: '2025-11-20T12:00:00.000Z',
      account: 'Sim1',
      accounts: {
        Sim1: { balance: 10250, last_reset_month: '2025-11', last_updated: '2025-11-03T15:00:00.000Z' },
        Sim2: { balance: 10012.34, last_reset_month: '2025-11', last_updated: '2025-11-04T15:00:00.000Z' },
        Sim10: { balance: 9980, last_reset_month: '2025-10', last_updated: '2025-10-03T15:00:00.000Z' },
      },
    });
    const r = m.read();
    assert.ok(r.ok);
    assert.strictEqual(r.file.accounts.Sim2.balance, 10012.34);
    assert.deepStrictEqual(m.compare(ledger(), { nowMs: NOW, timeZone: 'UTC' }), []);
  });

  it('primary account option, and accounts known from the server without events', () => {
    const m = new SimBalanceMirror(dir);
    const snap = m.snapshot(new SimBalanceLedger(5000), { nowMs: NOW, accounts: ['Sim3'], primaryAccount: 'Sim3', timeZone: 'UTC' });
    assert.deepStrictEqual([snap.account, snap.balance, snap.accounts.Sim3.last_reset_month], ['Sim3', 5000, '2025-11']);
    const empty = m.snapshot(new SimBalanceLedger(5000), { nowMs: NOW, timeZone: 'UTC' });
    assert.deepStrictEqual([empty.account, empty.balance, empty.accounts], [null, 5000, {}]);
  });

  it('compare: a changed ledger, an extra account and a hand-edited top level are reported in words', () => {
    const m = new SimBalanceMirror(dir);
    const l = ledger();
    m.write(l, { nowMs: NOW, timeZone: 'UTC' });
    l.add(pnl('Sim1', 'd', 100, Date.parse('2025-11-05T15:00:00Z')));
    const edited = JSON.parse(fs.readFileSync(m.path, 'utf8'));
    edited.accounts.Sim9 = { balance: 1, last_reset_month: '2025-01', last_updated: '' };
    edited.balance = 99999;
    fs.writeFileSync(m.path, JSON.stringify(edited));
    const diffs = m.compare(l, { nowMs: NOW, timeZone: 'UTC' });
    assert.strictEqual(diffs.length, 3, diffs.join('\n'));
    assert.match(diffs[0], /Sim1: sim_balance\.json says balance 10250\.00, the ledger says 10350\.00; the ledger wins/);
    assert.match(diffs[1], /Sim9: in sim_balance\.json but not in the ledger/);
    assert.match(diffs[2], /top-level balance 99999\.00 differs from its own Sim1 entry/);
    // The ledger wins: rewriting brings the file back in step.
    m.write(l, { nowMs: NOW, timeZone: 'UTC' });
    assert.deepStrictEqual(m.compare(l, { nowMs: NOW, timeZone: 'UTC' }), []);
  });

  it("reads the original tools' top-level-only file and compares it with the primary account", () => {
    const m = new SimBalanceMirror(dir);
    fs.writeFileSync(m.path, JSON.stringify({ balance: 10100, last_reset_month: '2025-11', last_updated: '2025-11-03T15:00:00' }));
    const l = new SimBalanceLedger(10000);
    l.add(l.monthlyResetEvent('Sim1', NOW, 10000, 'UTC'));
    l.add(pnl('Sim1', 'a', 100, NOW));
    assert.deepStrictEqual(m.compare(l, { nowMs: NOW, timeZone: 'UTC' }), []);
    l.add(pnl('Sim1', 'b', -0.5, NOW));
    l.add(pnl('Sim2', 'c', 1, NOW));
    assert.deepStrictEqual(m.compare(l, { nowMs: NOW, timeZone: 'UTC' }), [
      'Sim1: sim_balance.json says balance 10100.00, the ledger says 10099.50; the ledger wins; the file will be rewritten.',
      'Sim2: missing from sim_balance.json (ledger balance 10001.00); the ledger wins; the file will be rewritten.',
    ]);
  });

  it('missing, corrupt and wrongly shaped files are reported, never thrown', () => {
    const m = new SimBalanceMirror(dir);
    const missing = m.read();
    assert.ok(!missing.ok && missing.problem === 'missing');
    assert.match(m.compare(ledger())[0], /does not exist yet/);
    fs.writeFileSync(m.path, '{"balance": 10');
    const corrupt = m.read();
    assert.ok(!corrupt.ok && corrupt.problem === 'corrupt');
    assert.match(corrupt.message, /not valid JSON.*ledger wins/);
    fs.writeFileSync(m.path, JSON.stringify({ balance: '10000', last_reset_month: '2025-11' }));
    assert.match(m.compare(ledger())[0], /top level\.balance must be a number/);
    fs.writeFileSync(m.path, JSON.stringify({ balance: 1, last_reset_month: '2025-13' }));
    assert.match(m.compare(ledger())[0], /last_reset_month must be "YYYY-MM"/);
    fs.writeFileSync(m.path, Buffer.from([0xff, 0x00, 0x13]));
    assert.strictEqual(m.read().ok, false);
  });

  it('a write that cannot happen returns a message, keeps the old file and leaves no temp file', () => {
    const m = new SimBalanceMirror(dir);
    m.write(ledger(), { nowMs: NOW, timeZone: 'UTC' });
    const before = fs.readFileSync(m.path, 'utf8');
    // The target is now a directory: the rename fails after the temp file was written.
    const blocked = new SimBalanceMirror(path.join(dir, 'x'));
    fs.mkdirSync(blocked.path, { recursive: true });
    const r = blocked.write(ledger());
    assert.strictEqual(r.ok, false);
    assert.match((r as { message: string }).message, /Could not write .*sim_balance\.json: E[A-Z]+/);
    assert.deepStrictEqual(fs.readdirSync(path.join(dir, 'x')), ['sim_balance.json']);
    // A folder path that runs through a file.
    fs.writeFileSync(path.join(dir, 'afile'), 'x');
    const r2 = new SimBalanceMirror(path.join(dir, 'afile', 'sub')).write(ledger());
    assert.strictEqual(r2.ok, false);
    assert.strictEqual(fs.readFileSync(m.path, 'utf8'), before);
  });

  it('at open the keeper leaves a file in step alone and rewrites a missing, stale or old-format one', () => {
    const l = new SimBalanceLedger(10000);
    l.add(l.monthlyResetEvent('Sim1', NOW - 86_400_000, 10000, 'local'));
    l.add(pnl('Sim1', 'a', 250, NOW - 3_600_000));
    let now = NOW;
    const warnings: string[] = [];
    const keeper = new MirrorKeeper(dir, () => ({ ledger: l, accounts: ['Sim1'] }), { warn: (m) => warnings.push(m) }, () => now);
    const read = () => JSON.parse(fs.readFileSync(keeper.file.path, 'utf8')) as { balance: number; last_updated: string };
    keeper.checkAtOpen(l, ['Sim1']);
    assert.strictEqual(read().last_updated, new Date(NOW).toISOString(), 'first run: written');
    now += 60_000;
    keeper.checkAtOpen(l, ['Sim1']);
    assert.strictEqual(read().last_updated, new Date(NOW).toISOString(), 'in step: not rewritten');
    l.add(pnl('Sim1', 'b', -10, now - 1000));
    keeper.checkAtOpen(l, ['Sim1']);
    assert.deepStrictEqual([read().balance, read().last_updated], [10240, new Date(now).toISOString()], 'a changed ledger: rewritten');
    assert.strictEqual(warnings.length, 1);
    fs.writeFileSync(keeper.file.path, JSON.stringify({ balance: 10240, last_reset_month: read().last_updated.slice(0, 7), last_updated: 'x' }));
    now += 60_000;
    keeper.checkAtOpen(l, ['Sim1']);
    assert.strictEqual(read().last_updated, new Date(now).toISOString(), "the original tools' shape: rewritten in this app's");
    keeper.dispose();
  });
});
