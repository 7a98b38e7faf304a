import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { roundTrips } from '../../fixtures/streams';
import { seededRng } from '../../../src/core/dtc/random';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');


describe('crash safety: `ingest --follow` killed with SIGKILL', function () {
  this.timeout(180_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-crash-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps every trade it acknowledged, with no duplicates, across repeated kills', async () => {
    const store = `sqlite:${path.join(dir, 'crash.db')}`;
    const lines = roundTrips(300, { idPrefix: 'C' });
    const input = lines.join('\n') + '\n';
    const acknowledged = new Set<string>();
    // Seeded, so a failing run can be replayed.
    const random = seededRng(20261123);
    let kills = 0;

    for (let round = 0; round < 8; round++) {
      // Kill after a random number of new acknowledgements in this round (state, not time: the first ack may take
      // seconds on a busy machine). 8 rounds x at most 30 acks never reach the end of the 300-trade stream.
      const killAfter = 1 + Math.floor(random() * 30);
      const child = spawn(process.execPath, [cli, 'ingest', '--follow', '--store', store, '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      let newAcks = 0;
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        let nl: number;
        while ((nl = out.indexOf('\n')) >= 0) {
          const line = out.slice(0, nl);
          out = out.slice(nl + 1);
          const m = /^\{"committed":"(.*)"\}$/.exec(line);
          if (!m) continue;
          const id = JSON.parse(line).committed as string;
          if (!acknowledged.has(id)) newAcks++;
          acknowledged.add(id);
          if (newAcks >= killAfter && child.exitCode === null && !child.killed) {
            child.kill('SIGKILL');
            kills++;
          }
        }
      });
      child.stdin.on('error', () => undefined);
      // Feed the stream in pieces so the kill lands mid-commit at varying points.
      const cut = Math.floor(random() * input.length);
      child.stdin.write(input.slice(0, cut));
      setTimeout(() => child.stdin.write(input.slice(cut)), 20);
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((res) => child.on('exit', (c, s) => res([c, s])));
      assert.ok(signal === 'SIGKILL' || code === 0, `round ${round}: ingest exited ${code} ${signal}: ${err}`);
    }
    assert.strictEqual(kills, 8, 'every round is killed mid-stream');
    assert.ok(acknowledged.size > 0, 'some trades were acknowledged before the kills');

    // Every acknowledged trade must be there after the crashes, before any repair run.
    const after = spawnSync(process.execPath, [cli, 'trades', '--store', store, '--json'], { encoding: 'utf8' });
    assert.strictEqual(after.status, 0, after.stderr);
    const ids: string[] = JSON.parse(after.stdout).map((t: { id: string }) => t.id);
    const missing = [...acknowledged].filter((id) => !ids.includes(id));
    assert.deepStrictEqual(missing, [], 'acknowledged trades missing after SIGKILL');
    assert.strictEqual(new Set(ids).size, ids.length, 'no duplicate trades');

    // A clean run completes the stream: exactly one trade per round trip, nothing doubled.
    const final = spawnSync(process.execPath, [cli, 'ingest', '--store', store, '-'], { input, encoding: 'utf8' });
    assert.strictEqual(final.status, 0, final.stderr);
    const all = JSON.parse(spawnSync(process.execPath, [cli, 'trades', '--store', store, '--json'], { encoding: 'utf8' }).stdout) as { id: string }[];
    assert.strictEqual(all.length, 300);
    assert.strictEqual(new Set(all.map((t) => t.id)).size, 300);
  });
});
