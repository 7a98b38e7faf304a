/**
 * The single-writer lock of a store file: `<file>.lock` holds {pid, host, startedAt, heartbeatAt}.
 * The holder refreshes heartbeatAt; a lock whose heartbeat is older than `staleMs`, or whose pid
 * is dead on this host, may be taken over. Takeover renames the stale file away first, so of two
 * processes racing for a stale lock only one wins.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';

export interface LockInfo {
  pid: number;
  host: string;
  startedAt: number;
  heartbeatAt: number;
  /** Distinguishes two holders in one process (e.g. two store instances). */
  token?: string;
}

export class WriterLock {
  private readonly token = crypto.randomBytes(8).toString('hex');
  private startedAt = 0;
  private held = false;
  /** The last tryAcquire took a stale lock over: its holder died without closing (an unclean shutdown). */
  tookOverStale = false;

  constructor(readonly path: string, readonly staleMs: number) {}

  get isHeld(): boolean {
    return this.held;
  }

  /** Takes the lock if it is free or stale. Throws only on file-system errors other than "held". */
  tryAcquire(now = Date.now()): boolean {
    let tookOver = false;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (this.create(now)) {
        this.tookOverStale = tookOver;
        return (this.held = true);
      }
      const current = this.read();
      if (!current.info && !current.exists) continue; // vanished between create and read: retry
      if (!this.isStale(current.info, current.mtimeMs, now)) return false;
      const aside = `${this.path}.stale-${this.token}`;
      try {
        fs.renameSync(this.path, aside);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // someone else took it over
        throw err;
      }
      const taken = this.readFile(aside);
      if (!this.isStale(taken.info, taken.mtimeMs, now)) {
        // Lost a race: the file we moved was a fresh lock of the winner; put it back.
        try {
          fs.linkSync(aside, this.path);
        } catch {
          /* another fresh lock is already there */
        }
        fs.rmSync(aside, { force: true });
        return false;
      }
      fs.rmSync(aside, { force: true });
      tookOver = true;
    }
    return false;
  }

  /** Refreshes heartbeatAt; false when the lock was taken over (this instance is no longer the writer). */
  heartbeat(now = Date.now()): boolean {
    if (!this.held) return false;
    const cur = this.read().info;
    if (!cur || cur.token !== this.token) {
      this.held = false;
      return false;
    }
    const tmp = `${this.path}.hb-${this.token}`;
    fs.writeFileSync(tmp, JSON.stringify(this.info(now)));
    fs.renameSync(tmp, this.path);
    return true;
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    const cur = this.read().info;
    if (cur && cur.token === this.token) fs.rmSync(this.path, { force: true });
  }

  holder(): LockInfo | null {
    return this.read().info;
  }

  /** The holder if it is alive (a stale lock owns nothing: the next writer takes it over). */
  liveHolder(now = Date.now()): LockInfo | null {
    const cur = this.read();
    return cur.exists && !this.isStale(cur.info, cur.mtimeMs, now) ? cur.info : null;
  }

  isStale(info: LockInfo | null, mtimeMs: number, now = Date.now()): boolean {
    const beat = info ? info.heartbeatAt : mtimeMs; // an unreadable lock ages by its file time
    if (now - beat > this.staleMs) return true;
    if (info && info.host === os.hostname() && info.pid !== process.pid && !pidAlive(info.pid)) return true;
    return false;
  }

  private info(now: number): LockInfo {
    return { pid: process.pid, host: os.hostname(), startedAt: this.startedAt, heartbeatAt: now, token: this.token };
  }

  private create(now: number): boolean {
    let fd: number;
    try {
      fd = fs.openSync(this.path, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
    this.startedAt = now;
    try {
      fs.writeSync(fd, JSON.stringify(this.info(now)));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return true;
  }

  private read(): { info: LockInfo | null; mtimeMs: number; exists: boolean } {
    return this.readFile(this.path);
  }

  private readFile(p: string): { info: LockInfo | null; mtimeMs: number; exists: boolean } {
    try {
      const st = fs.statSync(p);
      const text = fs.readFileSync(p, 'utf8');
      try {
        const info = JSON.parse(text) as LockInfo;
        return { info: typeof info.pid === 'number' ? info : null, mtimeMs: st.mtimeMs, exists: true };
      } catch {
        return { info: null, mtimeMs: st.mtimeMs, exists: true };
      }
    } catch {
      return { info: null, mtimeMs: 0, exists: false };
    }
  }
}

export function describeHolder(info: LockInfo | null, now = Date.now()): string {
  if (!info) return 'an unknown process';
  const age = Math.max(0, Math.round((now - info.heartbeatAt) / 1000));
  return `pid ${info.pid} on ${info.host} (heartbeat ${age} s ago)`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
