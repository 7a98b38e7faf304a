/** Runs the built CLI (dist/cli.js) as a user would, in a child process; HOME-like folders point into the test's own dir. */
import { spawn, spawnSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';

export const root = path.resolve(__dirname, '..', '..', '..', '..');
export const cli = path.join(root, 'dist', 'cli.js');

export interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

export function runCli(args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): CliRun {
  const r = spawnSync(process.execPath, [cli, ...args], { input: opts.input, encoding: 'utf8', env: { ...process.env, ...opts.env }, timeout: opts.timeoutMs ?? 120_000, killSignal: 'SIGKILL' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Like runCli but with a shell pipeline after it (e.g. `| head -1`); returns the CLI's own exit status via PIPESTATUS. */
export function runCliPiped(args: string[], pipe: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const quoted = [process.execPath, cli, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve) => {
    const errFile = path.join(os.tmpdir(), `appsierra-pipe-${process.pid}-${Date.now()}.err`);
    const p = spawn('bash', ['-c', `${quoted} 2>"$ERRFILE" | ${pipe}; echo "status=\${PIPESTATUS[0]}" >&2; cat "$ERRFILE" >&2; rm -f "$ERRFILE"`], { env: { ...process.env, ...env, ERRFILE: errFile } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', () => {
      const m = /status=(\d+)/.exec(err);
      resolve({ code: m ? Number(m[1]) : null, out, err: err.replace(/status=\d+\n/, '') });
    });
  });
}
