import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SqliteStore, SqliteEngineKind, SqliteStoreOptions } from '../../../src/core/store/sqlite';
import { tmpDir, unit } from './fixtures';

/** Copies the store's files elsewhere: exactly what a crash would leave on disk (no close(), no final snapshot). */
function crashCopy(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  for (const ext of ['', '.journal', '.prev', '-journal']) if (fs.existsSync(from + ext)) fs.copyFileSync(from + ext, to + ext);
}

async function ids(file: string, engine: SqliteEngineKind = 'file'): Promise<{ fills: string[]; store: SqliteStore }> {
  const store = new SqliteStore(file, { engine });
  await store.open();
  const fills = [...(await store.fillKeys())].map((k) => k.split('\u0000')[1]).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  return { fills, store };
}

for (const engine of ['file', 'memory'] as SqliteEngineKind[]) describe(`SqliteStore durability and recovery (${engine} engine)`, function () {
  const mk = (file: string, opts: SqliteStoreOptions = {}) => new SqliteStore(file, { engine, ...opts });
  let dir: string;
  const ids_ = (file: string) => ids(file, engine);
  const open: SqliteStore[] = [];
  const track = (s: SqliteStore) => (open.push(s), s);
  beforeEach(() => (dir = tmpDir('faults')));
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function writeWithoutClose(n: number, snapshotEvery = 1000): Promise<string> {
    const file = path.join(dir, 'live', 'a.db');
    const s = track(mk(file, { snapshotEvery }));
    for (let i = 0; i < n; i++) await s.commit(unit(i));
    const crashed = path.join(dir, 'crashed', 'a.db');
    crashCopy(file, crashed);
    return crashed;
  }

  it('reopens after a crash from the snapshot plus the journal (nothing acknowledged is lost)', async () => {
    const file = await writeWithoutClose(5);
    const r = await ids_(file);
    track(r.store);
    assert.deepStrictEqual(r.fills, ['E0', 'E1', 'E2', 'E3', 'E4']);
    assert.deepStrictEqual((await r.store.trades()).map((t) => t.id), ['T1', 'T3']);
    assert.strictEqual((await r.store.openPositions()).length, 1);
  });

  it('ignores a torn last journal line, reports it, and appends cleanly after it', async () => {
    const file = await writeWithoutClose(4);
    const j = file + '.journal';
    fs.truncateSync(j, fs.statSync(j).size - 25);
    const s = track(mk(file));
    await s.open();
    assert.deepStrictEqual([...(await s.fillKeys())].length, 3);
    assert.match((await s.health()).detail, /torn last journal line/);
    assert.strictEqual(await s.commit(unit(3)), true, 'the torn (unacknowledged) fill can be committed again');
    await s.commit(unit(4));
    crashCopy(file, path.join(dir, 'again', 'a.db'));
    const r = await ids_(path.join(dir, 'again', 'a.db'));
    track(r.store);
    assert.deepStrictEqual(r.fills, ['E0', 'E1', 'E2', 'E3', 'E4']);
  });

  it('skips a garbled last line (bad checksum) and reports it', async () => {
    const file = await writeWithoutClose(3);
    fs.appendFileSync(file + '.journal', '0123456789abcdef {"s":99,"c":"garbage"}\n');
    const r = await ids_(file);
    track(r.store);
    assert.deepStrictEqual(r.fills, ['E0', 'E1', 'E2']);
    assert.match((await r.store.health()).detail, /1 garbled journal line/);
  });

  // Only the memory engine keeps snapshot generations; the file engine's corruption case is the integrity test below.
  if (engine === 'memory') it('sets a corrupt snapshot aside and recovers from the previous generation plus the journal', async function () {
    const live = path.join(dir, 'live', 'a.db');
    const s = track(mk(live, { snapshotEvery: 1_000_000 }));
    for (let i = 0; i < 4; i++) await s.commit(unit(i));
    assert.ok(s.snapshotNow()); // generation 1 (E0..E3)
    for (let i = 4; i < 8; i++) await s.commit(unit(i));
    assert.ok(s.snapshotNow()); // generation 2 (E0..E7); generation 1 becomes .prev
    for (let i = 8; i < 10; i++) await s.commit(unit(i));
    const file = path.join(dir, 'crashed', 'a.db');
    crashCopy(live, file);
    const bytes = fs.readFileSync(file);
    bytes.fill(0x5a, 4096, 8192); // damage pages in the middle, header intact
    fs.writeFileSync(file, bytes);
    const r = await ids_(file);
    track(r.store);
    assert.deepStrictEqual(r.fills, ['E0', 'E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7', 'E8', 'E9']);
    const aside = fs.readdirSync(path.dirname(file)).filter((f) => f.startsWith('a.db.corrupt-'));
    assert.strictEqual(aside.length, 1, 'the corrupt file is kept, renamed');
    assert.deepStrictEqual(fs.readFileSync(path.join(path.dirname(file), aside[0])), bytes);
    assert.match((await r.store.health()).detail, /corrupt snapshot .* set aside.*recovered from the previous snapshot/);
    // And it keeps working: a new generation is written over the recovered state.
    await r.store.commit(unit(10));
    assert.ok(r.store.snapshotNow());
    await r.store.close();
    const again = await ids_(file);
    track(again.store);
    assert.strictEqual(again.fills.length, 11);
  });

  it('full disk: commit rejects with path, cause and fix; memory is not advanced; a retry succeeds once space is back', async function () {
    // Honest full disk as root: the journal is a symlink to /dev/full, where every write fails with ENOSPC.
    if (!fs.existsSync('/dev/full')) return this.skip();
    const file = path.join(dir, 'full', 'a.db');
    const s = track(mk(file));
    await s.open();
    await s.commit(unit(0));
    const j = file + '.journal';
    s.snapshotNow(); // closes the append handle (journal rewritten); the next append reopens the path
    fs.rmSync(j);
    fs.symlinkSync('/dev/full', j);
    await assert.rejects(s.commit(unit(1)), (err: Error) => {
      assert.match(err.message, /Commit not stored: Cannot write the journal .*a\.db\.journal: ENOSPC, the disk is full; free some space/);
      return true;
    });
    assert.strictEqual(await s.hasFill('Sim1', 'E1'), false, 'in-memory state not advanced');
    assert.deepStrictEqual(await s.trades(), []);
    const h = await s.health();
    assert.strictEqual(h.ok, false);
    assert.strictEqual(h.state, 'failed');
    fs.rmSync(j);
    assert.strictEqual(await s.commit(unit(1)), true, 'the caller retries the same unit');
    assert.strictEqual((await s.health()).ok, true);
    crashCopy(file, path.join(dir, 'c', 'a.db'));
    const r = await ids_(path.join(dir, 'c', 'a.db'));
    track(r.store);
    assert.deepStrictEqual(r.fills, ['E0', 'E1']);
  });

  it('unwritable location (a parent is a file; chmod does not stop root): open rejects with path, cause and fix', async () => {
    const blocker = path.join(dir, 'blocker');
    fs.writeFileSync(blocker, '');
    const s = mk(path.join(blocker, 'sub', 'a.db'));
    await assert.rejects(s.open(), /Cannot create the store folder .*blocker.*is a file, not a folder; choose another store path/);
    await s.close();
  });

  it('one writer per file: the second instance is read-only, names the holder, follows with refresh(), and takes over when the lock is released', async () => {
    const file = path.join(dir, 'two', 'a.db');
    const a = track(mk(file));
    await a.commit(unit(0));
    let changes = 0;
    const b = track(mk(file, { onChange: () => changes++ }));
    await b.open();
    const hb = await b.health();
    assert.strictEqual(hb.state, 'readonly');
    assert.match(hb.lockHolder ?? '', new RegExp(`pid ${process.pid} on ${os.hostname()}`));
    await assert.rejects(b.commit(unit(1)), /another process holds the writer lock: pid \d+/);
    await a.commit(unit(1));
    assert.strictEqual(await b.refresh(), true);
    assert.deepStrictEqual((await b.trades()).map((t) => t.id), ['T1']);
    a.snapshotNow(); // journal rewritten + new snapshot: the follower reloads
    await a.commit(unit(2));
    await b.refresh();
    assert.strictEqual((await b.fillKeys()).size, 3);
    assert.strictEqual(await b.refresh(), false, 'nothing new');
    await a.close();
    assert.strictEqual(await b.refresh(), true);
    assert.strictEqual(b.isWriter, true);
    assert.strictEqual(await b.commit(unit(3)), true);
    assert.ok(changes >= 3);
  });

  it('takes over a stale lock (old heartbeat) and a dead holder (pid gone on this host)', async () => {
    const file = path.join(dir, 'stale', 'a.db');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const now = Date.now();
    fs.writeFileSync(file + '.writer', JSON.stringify({ pid: process.pid, host: 'other-host', startedAt: now - 60_000, heartbeatAt: now - 60_000, token: 'x' }));
    const s = track(mk(file, { lockStaleMs: 15_000 }));
    await s.open();
    assert.strictEqual(s.isWriter, true);
    await s.close();
    // A live-looking heartbeat but a dead pid on this host.
    const dead = spawnSyncDeadPid();
    fs.writeFileSync(file + '.writer', JSON.stringify({ pid: dead, host: os.hostname(), startedAt: now, heartbeatAt: Date.now(), token: 'y' }));
    const t = track(mk(file));
    await t.open();
    assert.strictEqual(t.isWriter, true);
    // A fresh lock of a live process on another host is respected.
    await t.close();
    fs.writeFileSync(file + '.writer', JSON.stringify({ pid: 1, host: 'other-host', startedAt: now, heartbeatAt: Date.now(), token: 'z' }));
    const u = track(mk(file));
    await u.open();
    assert.strictEqual(u.isWriter, false);
    fs.rmSync(file + '.writer');
  });

  it('SIGKILL at random points: every acknowledged commit survives, no duplicates', async function () {
    this.timeout(30_000);
    const child = path.join(__dirname, 'crashChild.js');
    for (let round = 0; round < 4; round++) {
      const file = path.join(dir, `kill${round}`, 'a.db');
      const acked = await runAndKill(child, file, 150 + Math.floor(Math.random() * 400), engine);
      assert.ok(acked.length > 0, 'the child committed something before the kill');
      const r = await ids_(file);
      const keys = await r.store.fillKeys();
      const trades = await r.store.trades();
      for (const n of acked) assert.ok(keys.has(`Sim1\u0000E${n}`), `acknowledged E${n} lost (round ${round})`);
      assert.strictEqual(new Set(trades.map((t) => t.id)).size, trades.length);
      assert.ok(keys.size <= acked.length + 1, 'at most the one in-flight commit beyond the acknowledged ones');
      await r.store.close();
    }
  });
});

function spawnSyncDeadPid(): number {
  const { spawnSync } = require('child_process') as typeof import('child_process');
  return spawnSync(process.execPath, ['-e', '0']).pid ?? 999_999;
}

function runAndKill(script: string, file: string, afterMs: number, engine: SqliteEngineKind): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [script, file, '25', engine], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let started = false;
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!started) {
        started = true;
        setTimeout(() => p.kill('SIGKILL'), afterMs);
      }
    });
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`child exited ${code}: ${err}`));
      // Only complete lines were acknowledged.
      resolve(out.split('\n').slice(0, -1).map(Number));
    });
  });
}
