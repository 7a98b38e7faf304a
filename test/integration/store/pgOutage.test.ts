/** PostgreSQL killed and restarted mid-ingest on a cluster of the test's own (issue 10.2 and "Done when"). */
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { SqliteOutbox } from '../../../src/core/store/outbox';
import { storeHome } from '../../../src/core/store/open';
import { roundTrips } from '../../fixtures/streams';
import { runCli, tmpDir, unit } from './fixtures';
import { PgCluster, requireCluster } from './pgCluster';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

/** Resolves when `test` holds, checking on every output chunk (no fixed sleeps). */
function until(get: () => string, test: (s: string) => boolean, what: string, onData: (cb: () => void) => void, timeoutMs = 90_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out waiting for ${what}; output so far:\n${get()}`)), timeoutMs);
    const check = () => {
      if (test(get())) {
        clearTimeout(t);
        resolve();
      }
    };
    onData(check);
    check();
  });
}

describe('PostgreSQL killed and restarted mid-ingest (a throwaway cluster)', function () {
  this.timeout(300_000);
  let cluster: PgCluster;
  let home: string;
  before(async function () {
    cluster = await requireCluster(this);
  });
  after(() => cluster?.destroy());
  beforeEach(() => (home = tmpDir('outage')));
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('ingest says once that it writes to the outbox, sums up, loses nothing and drains when the server is back', async () => {
    const url = `${cluster.url}?schema=outage`;
    const lines = roundTrips(40, { idPrefix: 'K' });
    const child = spawn(process.execPath, [cli, 'ingest', '--follow', '--store', url, '-'], { env: { ...process.env, APPSIERRA_HOME: home }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const listeners: (() => void)[] = [];
    child.stdout.on('data', (d) => ((out += d), listeners.forEach((l) => l())));
    child.stderr.on('data', (d) => ((err += d), listeners.forEach((l) => l())));
    const acks = () => out.split('\n').filter((l) => l.startsWith('{"committed"')).length;
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));

    child.stdin.write(lines.slice(0, 40).join('\n') + '\n');
    await until(() => out + err, () => acks() >= 20, '20 acknowledgements with PostgreSQL up', (l) => listeners.push(l));
    cluster.kill();
    child.stdin.write(lines.slice(40).join('\n') + '\n');
    await until(() => out, () => acks() >= 40, 'every trade acknowledged through the outbox', (l) => listeners.push(l));
    await until(() => err, (e) => /PostgreSQL is unreachable: commits go to the local outbox/.test(e), 'the outage notice', (l) => listeners.push(l));
    cluster.start();
    await until(() => err, (e) => /PostgreSQL is back after \d+ s; the local outbox was replayed/.test(e), 'the recovery notice', (l) => listeners.push(l));
    child.stdin.end();
    assert.strictEqual(await exited, 0, err);

    const notices = err.trim().split('\n');
    assert.strictEqual(notices.filter((l) => /unreachable: commits go to the local outbox/.test(l)).length, 1, err);
    assert.ok(notices.length <= 4, `a few lines, not one per commit:\n${err}`);
    const trades = runCli(['trades', '--json', '--store', url], { APPSIERRA_HOME: home });
    assert.strictEqual(trades.code, 0, trades.err);
    const ids = (JSON.parse(trades.out) as { id: string }[]).map((t) => t.id);
    assert.strictEqual(ids.length, 40);
    assert.strictEqual(new Set(ids).size, 40);
    const check = runCli(['db', 'check', '--store', url], { APPSIERRA_HOME: home });
    assert.match(check.out, /✓ outbox backlog: exists and is empty \(.*outbox\.db, [\d.]+ (bytes|KiB)\)/);
  });

  it('db check says the outbox exists and its size while the server is down, and drains it when it is back', async () => {
    const url = `${cluster.url}?schema=drain`;
    assert.strictEqual(runCli(['db', 'init', '--store', url], { APPSIERRA_HOME: home }).code, 0);
    const outbox = new SqliteOutbox(path.join(storeHome(url, home), 'outbox.db'));
    for (const n of [1, 3, 5]) await outbox.commit(unit(n));
    await outbox.close();
    cluster.kill();
    try {
      const down = runCli(['db', 'check', '--store', url], { APPSIERRA_HOME: home });
      assert.strictEqual(down.code, 2);
      assert.match(down.out, /✗ outbox backlog: 3 commit\(s\) waiting in the local outbox \(.*outbox\.db, [\d.]+ (bytes|KiB)\); they are replayed into PostgreSQL when it is reachable/);
    } finally {
      cluster.start();
    }
    const up = runCli(['db', 'check', '--store', url], { APPSIERRA_HOME: home });
    assert.strictEqual(up.code, 0, up.out);
    assert.match(up.out, /✓ outbox backlog: replayed 3 commit\(s\) from the local outbox into PostgreSQL; the outbox is empty now/);
    const trades = runCli(['trades', '--json', '--store', url], { APPSIERRA_HOME: home });
    assert.deepStrictEqual((JSON.parse(trades.out) as { id: string }[]).map((t) => t.id), ['T1', 'T3', 'T5']);
  });
});
