/**
 * `appsierra ingest` of a recording takes the bulk path (one durable write straight into the
 * SQLite file per 5000 fills, nothing journaled) unless --follow, which commits each fill through
 * the journal before it prints the trade. Watched from outside while the child still runs: its
 * stdin is held open, so what the store shows then is what the path wrote, not the end of the run.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import { SqliteStore } from '../../../src/core/store/sqlite';
import { roundTrips } from '../../fixtures/streams';
import { tmpDir } from '../store/fixtures';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

function start(args: string[]): { child: ChildProcessWithoutNullStreams; out: () => string; err: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

/** Polls until `check` gives a value (a state, not a time); fails if the child exits first. */
async function until<T>(check: () => Promise<T | undefined>, exited: () => boolean, what: string): Promise<T> {
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (exited()) throw new Error(`the child exited before ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function storedFills(file: string): Promise<number> {
  if (!fs.existsSync(file)) return 0;
  const s = new SqliteStore(file, { readOnly: true });
  try {
    return (await s.storedFills()).length;
  } finally {
    await s.close();
  }
}

const journalBytes = (file: string) => (fs.existsSync(file + '.journal') ? fs.statSync(file + '.journal').size : 0);

describe('appsierra ingest: the bulk path unless --follow (child process, real SQLite file)', function () {
  this.timeout(180_000);

  it('without --follow: 5000 fills in one write into the database file, nothing journaled, the rest at the end', async () => {
    const dir = tmpDir('ingest-bulk');
    const db = path.join(dir, 'a.db');
    const run = start(['ingest', '--store', `sqlite:${db}`, '-']);
    let exited = false;
    void run.exit.then(() => (exited = true));
    run.child.stdin.write(roundTrips(3000).join('\n') + '\n');
    const seen = await until(async () => ((await storedFills(db)) > 0 ? storedFills(db) : undefined), () => exited, 'the first bulk write');
    assert.strictEqual(seen, 5000, 'one chunk of 5000 fills, not one fill at a time');
    assert.strictEqual(journalBytes(db), 0, 'written into the database file, not the journal');
    run.child.stdin.end();
    assert.strictEqual(await run.exit, 0, run.err());
    assert.strictEqual(JSON.parse(run.out().trim()).tradesClosed, 3000);
    assert.strictEqual(await storedFills(db), 6000);
  });

  it('with --follow: each trade is committed through the journal before it is printed', async () => {
    const dir = tmpDir('ingest-follow');
    const db = path.join(dir, 'a.db');
    const run = start(['ingest', '--store', `sqlite:${db}`, '--follow', '-']);
    let exited = false;
    void run.exit.then(() => (exited = true));
    run.child.stdin.write(roundTrips(1).join('\n') + '\n');
    await until(async () => (/"committed":/.test(run.out()) ? true : undefined), () => exited, 'the committed line');
    assert.ok(journalBytes(db) > 0, 'the commit is a journal line');
    assert.strictEqual(await storedFills(db), 2, 'durable before it was printed');
    run.child.stdin.end();
    assert.strictEqual(await run.exit, 0, run.err());
  });
});
