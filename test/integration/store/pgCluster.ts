/**
 * A throwaway PostgreSQL cluster of the test's own (initdb under a temp dir, a free port), so a
 * test may kill and restart the server without touching the shared one. Skips cleanly when
 * initdb is not installed, unless CI=true. As root, the server runs as the `postgres` user.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort } from './pgTestEnv';

function findBin(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(':'), ...globDirs('/usr/lib/postgresql')];
  for (const d of dirs) {
    const p = path.join(d, name);
    if (fs.existsSync(p)) return p;
  }
  return null;
}

function globDirs(base: string): string[] {
  try {
    return fs.readdirSync(base).sort().reverse().map((v) => path.join(base, v, 'bin'));
  } catch {
    return [];
  }
}

export class PgCluster {
  readonly dir: string;
  readonly port: number;
  private readonly asRoot = process.getuid?.() === 0;

  private constructor(private readonly bin: { initdb: string; pgCtl: string }, port: number) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-pgc-'));
    this.port = port;
  }

  /** null (with the reason) when no initdb is available. */
  static async create(): Promise<PgCluster | string> {
    const initdb = findBin('initdb');
    const pgCtl = findBin('pg_ctl');
    if (!initdb || !pgCtl) return 'initdb/pg_ctl not installed';
    const c = new PgCluster({ initdb, pgCtl }, await freePort());
    if (c.asRoot) spawnSync('chown', ['postgres', c.dir]);
    c.run(initdb, ['-D', path.join(c.dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
    c.start();
    return c;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  start(): void {
    const opts = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    this.run(this.bin.pgCtl, ['-D', path.join(this.dir, 'data'), '-o', opts, '-l', path.join(this.dir, 'log'), '-w', '-t', '120', 'start']);
  }

  /** Immediate shutdown: like a crash, no checkpoint, every connection dropped. */
  kill(): void {
    this.run(this.bin.pgCtl, ['-D', path.join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  }

  destroy(): void {
    try {
      this.kill();
    } catch {
      /* already stopped */
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private run(bin: string, args: string[]): void {
    const r = this.asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', bin, ...args], { encoding: 'utf8' }) : spawnSync(bin, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${path.basename(bin)} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  }
}

/** In a before(): the cluster, or skip (fail under CI) when it cannot exist here. */
export async function requireCluster(ctx: Mocha.Context): Promise<PgCluster> {
  const c = await PgCluster.create();
  if (typeof c !== 'string') return c;
  if (process.env.CI === 'true') throw new Error(`a throwaway PostgreSQL cluster is required under CI: ${c}`);
  console.log(`    (skipped: ${c})`);
  ctx.skip();
}
