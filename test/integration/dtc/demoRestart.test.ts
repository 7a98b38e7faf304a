import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { encodeMessage, type DtcMessage } from '../../../src/core/dtc/codec';
import { DtcSimulator } from '../../../src/core/dtc/simulator';
import { waitFor } from './helpers';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const ACCOUNTS = ['Sim1', 'Sim2', '120045'];

/** One demo run: start the simulator (it seeds its history), read every fill it would send at logon, stop. */
async function demoRun(seed: number): Promise<DtcMessage[]> {
  const sim = new DtcSimulator({ seed, scenario: 'random-day' });
  await sim.start();
  try {
    return ACCOUNTS.flatMap((a, i) => sim.book.fillsResponse(i + 1, a, 0)).filter((m) => m.UniqueExecutionID);
  } finally {
    await sim.stop();
  }
}

describe('demo feed restart (issue 9 item 3)', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-demo-restart-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('two runs with the same seed replay the same execution ids, and ingesting both adds nothing the second time', async () => {
    const first = await demoRun(7);
    // A later run: the old ids carried the run's start time, so make sure the clock has moved.
    const t0 = Date.now();
    await waitFor(() => Date.now() > t0 + 1, 'the clock to move');
    const second = await demoRun(7);
    const ids = (ms: DtcMessage[]) => ms.map((m) => String(m.UniqueExecutionID)).sort();
    assert.ok(first.length >= 4, `the demo seeds history fills (got ${first.length})`);
    assert.deepStrictEqual(ids(second), ids(first), 'a restarted demo feed must replay the same execution ids');

    const store = `sqlite:${path.join(dir, 'demo.db')}`;
    const ingest = (msgs: DtcMessage[], name: string) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, Buffer.concat(msgs.map((m) => encodeMessage(m, 'json'))));
      const r = spawnSync(process.execPath, [cli, 'ingest', '--store', store, '--encoding', 'json', file], { encoding: 'utf8' });
      assert.strictEqual(r.status, 0, r.stderr);
      return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { fills: number; duplicateFills: number; tradesClosed: number };
    };
    const a = ingest(first, 'run1.json');
    assert.ok(a.tradesClosed >= 2, JSON.stringify(a));
    const b = ingest(second, 'run2.json');
    assert.strictEqual(b.tradesClosed, 0, `the restart added trades: ${JSON.stringify(b)}`);
    assert.strictEqual(b.duplicateFills, second.length, JSON.stringify(b));
  });
});
