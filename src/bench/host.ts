/**
 * `host` rows of the bench (opt-in: `bench --only host`, minutes): the RSS of a real VS Code extension
 * host with and without APPSIERRA's store loaded. The `ready` suite measures a bare Node process over
 * itself, so engine costs a real host has already paid (V8 heap growth, Intl, ...) land in its delta;
 * this one runs code-server (the real VS Code server; its extension host is a real Node extension
 * host) with the workbench in headless Debian Chromium, through the test tiers' harness
 * (test/harness/code-server.js), and reads the extension host process's VmRSS.
 *   bare:   a session without APPSIERRA installed (it activates onStartupFinished, so a session that
 *           has it cannot stay bare), same settings, workbench up and the built-in extensions started;
 *   loaded: the packaged extension (scripts/package.js) with a store of N trades in its globalStorage
 *           (the default place, no setting), the APPSIERRA views open and filled.
 * Skipped with a row when the harness, code-server or Chromium is missing. APPSIERRA_BENCH_HOST_RUNS=n: n runs.
 */
import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { QUIET_LOG, type BenchSuite, type BenchTable } from './suite';
import { historyEndMs, writeHistory } from './store';
import { AppCore } from '../core/app';
import { DEFAULT_SETTINGS, type AppSettings } from '../core/settings';
import { SqliteStore } from '../core/store/sqlite';
import { STORE_FILE } from '../core/store/files';

const EXTENSION_ID = 'appsierra.appsierra';
const RUNS = Number(process.env.APPSIERRA_BENCH_HOST_RUNS) || 3;
const SAMPLES = 5;
const SAMPLE_GAP_MS = 1000;
/**
 * After the state: the host's RSS keeps moving for a while (built-ins activated on startup finished, then V8's
 * memory reducer: seen 158 -> 128 MB in a bare host ~20 s after the page). Sampling starts once the readings, 1 s
 * apart, have stayed within STEADY_MB for STEADY_MS, at least MIN_SETTLE_MS after the state (at most MAX_SETTLE_MS).
 */
const STEADY_MS = 10_000;
const STEADY_MB = 4;
const MIN_SETTLE_MS = 30_000;
const MAX_SETTLE_MS = 120_000;
/** APPSIERRA_BENCH_HOST_VERBOSE=1: each session's process, samples and time to its state on stderr. */
const verbose = process.env.APPSIERRA_BENCH_HOST_VERBOSE === '1';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** What the bench uses of test/harness/code-server.js (plain JS, loaded from the repository at run time). */
interface Harness {
  startCodeServer(o: { codeServer: string; dataDir: string; vsix?: string[]; env?: Record<string, string> }): Promise<Server>;
  freePort(): Promise<number>;
  launchChromium(o: { executablePath: string }): Promise<{ page: Page; close(): Promise<void> }>;
  SEL: { statusbar: string; activityItem(title: string): string };
}
interface Server {
  pid: number;
  dirs: { userData: string; workspace: string };
  workbenchUrl(folder?: string): string;
  stop(o?: { keep?: boolean }): Promise<void>;
}
type Page = import('playwright-core').Page;
interface Tools {
  root: string;
  harness: Harness;
  codeServer: string;
  chromium: string;
}

interface SessionResult {
  pid: number;
  /** VmRSS readings, MB. */
  samples: number[];
  /** VmRSS readings after a full GC in the host, MB. */
  gcSamples: number[];
  /** From the page asked for to the state (workbench up, or store ready and views filled), ms. */
  stateMs: number;
}

/** Sessions of this run whose host never became steady. */
let unsteady = 0;
/** Why sessions of this run were tried again. */
const retried: string[] = [];

export const hostBench: BenchSuite = {
  name: 'host',
  async run(opts) {
    const columns = ['trades', 'RSS', 'bare host MB (runs)', 'loaded MB (runs)', '+MB (runs)', 'bare MB', 'loaded MB', '+MB', 'load avg'];
    const title = 'Extension host RSS in a real VS Code (code-server): without APPSIERRA vs with its store of N trades loaded';
    const skipped = (why: string): BenchTable[] => [{ title, columns, rows: [[`skipped: ${why}`, '-', '-', '-', '-', '-', '-', '-', '-']] }];
    if (!opts.named) return skipped('takes minutes and starts code-server sessions; run `bench --only host` (needs `node test/harness/install.js`)');
    const tools = findTools();
    if (typeof tools === 'string') return skipped(tools);
    const max = Math.max(10, opts.trades ?? 100_000);
    const sizes = [...new Set([Math.min(1000, max), Math.min(100_000, max), max])];

    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-bench-host-'));
    // Ctrl+C: exit normally so the harness's exit hooks kill the code-server process groups; the scratch goes too.
    const onSignal = () => process.exit(130);
    const onExit = () => fs.rmSync(scratch, { recursive: true, force: true });
    process.once('SIGINT', onSignal).once('SIGTERM', onSignal).once('exit', onExit);
    const loads: number[] = [];
    unsteady = 0;
    retried.length = 0;
    const rows: (string | number)[][] = [];
    try {
      const vsix = packageExtension(tools.root);
      const stores = new Map<number, string>();
      for (const n of sizes) {
        const dir = path.join(scratch, `store-${n}`);
        fs.mkdirSync(dir);
        await prepareStore(dir, n);
        stores.set(n, dir);
      }
      const bareDir = path.join(scratch, 'bare');
      const loadedDir = path.join(scratch, 'loaded');
      // Per measure (steady, after GC): the bare medians of each run, and per size the loaded ones.
      const bare: SessionResult[] = [];
      const loaded = new Map<number, SessionResult[]>(sizes.map((n) => [n, []]));
      for (let run = 0; run < RUNS; run++) {
        loads.push(os.loadavg()[0]);
        bare.push(await attempt(tools, { dataDir: bareDir }));
        for (const n of sizes) {
          // The extension is installed once; every loaded session starts from the same prepared store (a next start).
          loaded.get(n)!.push(await attempt(tools, { dataDir: loadedDir, vsix: run === 0 && n === sizes[0] ? vsix : undefined, store: stores.get(n), trades: n }));
        }
      }
      loads.push(os.loadavg()[0]);
      const load = `${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}`;
      for (const n of sizes) {
        for (const [label, pick] of [['steady', (r: SessionResult) => r.samples], ['after full GC', (r: SessionResult) => r.gcSamples]] as const) {
          const b = bare.map((r) => median(pick(r)));
          const l = loaded.get(n)!.map((r) => median(pick(r)));
          const deltas = l.map((x, i) => x - b[i]);
          rows.push([n, label, list(b), list(l), list(deltas, true), String(Math.round(median(b))), String(Math.round(median(l))), list([median(deltas)], true), load]);
        }
      }
    } catch (err) {
      rows.push([`failed: ${(err as Error).message.split('\n')[0]}`, '-', '-', '-', '-', '-', '-', '-', '-']);
    } finally {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal).off('exit', onExit);
      onExit();
    }
    const table: BenchTable = {
      title,
      columns,
      rows,
      note:
        `code-server ${process.env.CODE_SERVER_VERSION || '4.100.3'} (VS Code's server and web workbench; the extension host is VS Code's own remote Node extension host) ` +
        'with the workbench in headless Chromium, the test tiers\' harness and settings (appsierra.dtc.autoConnect false). ' +
        'The extension host is the process under the server whose command line holds --type=extensionHost; its VmRSS (/proc/PID/status) is sampled ' +
        `${SAMPLES} times ${SAMPLE_GAP_MS / 1000} s apart (steady:) once it is steady (readings 1 s apart within ${STEADY_MB} MB for ${STEADY_MS / 1000} s, at least ${MIN_SETTLE_MS / 1000} s after the state: V8's memory reducer shrinks a fresh host ~20 s in), and the median kept` +
        (unsteady ? ` (${unsteady} session(s) not steady after ${MAX_SETTLE_MS / 1000} s: sampled anyway)` : '') + '; ' +
        'after full GC: then SIGUSR1 opens the host\'s Node inspector and HeapProfiler.collectGarbage runs a full GC, sampled again 2 s later ' +
        '(what the host holds, whenever V8 last collected; the steady figure moves by 10-30 MB with that). ' +
        'bare: a session without APPSIERRA installed (it activates on startup), once the workbench\'s status bar is up and the host\'s log says its eager extensions are activated. ' +
        'loaded: the packaged extension (scripts/package.js, development build) with the store in its globalStorage, once its log says the store is ready with N trades, ' +
        'the APPSIERRA container is open, its three views show data (not loading) and the status bar item has text. ' +
        'The store is the ready suite\'s history (bulkLoad) ending an hour before now (the host runs on the real clock), opened once by AppCore before the sessions ' +
        `so every session is a next start. ${RUNS} runs of bare then each size; +MB is loaded minus the same run's bare. ` +
        (retried.length ? `${retried.length} session(s) failed and ran again (${[...new Set(retried)].join('; ')}). ` : '') +
        'Goal: <= +60 MB at 100k trades, <= +150 MB at 1M (`--trades 1000000` adds 1M).',
    };
    return [table];
  },
};

/** The repository (the harness and the packager live there, not in a packaged CLI), code-server and Chromium. */
function findTools(): Tools | string {
  let root = __dirname;
  while (!fs.existsSync(path.join(root, 'test', 'harness', 'code-server.js'))) {
    const up = path.dirname(root);
    if (up === root) return 'the test harness (test/harness) is not here: run from the repository';
    root = up;
  }
  // A computed path: not bundled, read from the repository at run time.
  const load = (rel: string): unknown => require(path.join(root, rel));
  if (!fs.existsSync(path.join(root, 'dist', 'extension.js'))) return 'dist/extension.js is missing: run npm run build';
  try {
    require.resolve('playwright-core');
  } catch {
    return 'playwright-core is not installed (npm install in the repository)';
  }
  const install = load('test/harness/install.js') as { PREFIX: string; ensureCodeServer(): string; ensureChromium(): string };
  // Never install from a bench: only use what install.js left (or CODE_SERVER / CHROMIUM).
  if (!process.env.CODE_SERVER && !fs.existsSync(path.join(install.PREFIX, '.install-ok'))) return 'code-server is not installed: run node test/harness/install.js';
  const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(chromium)) return `${chromium} is missing: run node test/harness/install.js`;
  try {
    return { root, harness: load('test/harness/code-server.js') as Harness, codeServer: install.ensureCodeServer(), chromium };
  } catch (err) {
    return `code-server does not start (${(err as Error).message.split('\n')[0]}): run node test/harness/install.js`;
  }
}

/** The .vsix of the current build (what the UI tier installs), so the sessions never run a stale package. */
function packageExtension(root: string): string {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'package.js')], { cwd: root, stdio: 'pipe', timeout: 300_000 });
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  return path.join(root, `${pkg.name}-${pkg.version}.vsix`);
}

/** A store of n trades as the ready suite makes it, closed once by AppCore (its stats columns saved: a next start). */
async function prepareStore(dir: string, n: number): Promise<void> {
  const startMs = Date.now() - 3_600_000 - historyEndMs(n, 0);
  const s = new SqliteStore(path.join(dir, STORE_FILE));
  await writeHistory(s, n, startMs);
  await s.close();
  const settings: AppSettings = { ...DEFAULT_SETTINGS, dtc: { ...DEFAULT_SETTINGS.dtc, autoConnect: false } };
  const core = new AppCore({ settings, storageDir: dir, logger: QUIET_LOG, getSecret: async () => undefined });
  core.start();
  await core.ready();
  await core.dispose();
}

/**
 * A session, once more when it fails: the web workbench can leave a webview blank (its service worker races the
 * other views', see the harness), which says nothing about memory. The retry is counted in the note.
 */
async function attempt(t: Tools, o: SessionOptions): Promise<SessionResult> {
  try {
    return await session(t, o);
  } catch (err) {
    retried.push((err as Error).message.split('\n')[0]);
    if (verbose) process.stderr.write(`[host] session failed, once more: ${retried[retried.length - 1]}\n`);
    return session(t, { ...o, vsix: undefined, install: o.vsix ?? o.install });
  }
}

interface SessionOptions {
  dataDir: string;
  vsix?: string;
  /** a retry installs again only if the failed session was the one installing */
  install?: string;
  store?: string;
  trades?: number;
}

/** One code-server + workbench session; resolves with the extension host's RSS once the state is reached. */
async function session(t: Tools, o: SessionOptions): Promise<SessionResult> {
  const userData = path.join(o.dataDir, 'user-data');
  // Each session reads its own logs; a loaded one starts from the prepared store, not the last session's.
  fs.rmSync(path.join(userData, 'logs'), { recursive: true, force: true });
  if (o.store) {
    const storage = path.join(userData, 'User', 'globalStorage', EXTENSION_ID);
    fs.rmSync(storage, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(storage), { recursive: true });
    fs.cpSync(o.store, storage, { recursive: true });
  }
  // The port the host's inspector opens on when asked (SIGUSR1) for the full GC; nothing listens before that.
  const inspectPort = await t.harness.freePort();
  const nodeOptions = [process.env.NODE_OPTIONS, `--inspect-port=127.0.0.1:${inspectPort}`].filter(Boolean).join(' ');
  const server = await t.harness.startCodeServer({ codeServer: t.codeServer, dataDir: o.dataDir, vsix: o.vsix || o.install ? [(o.vsix || o.install)!] : undefined, env: { NODE_OPTIONS: nodeOptions } });
  try {
    const browser = await t.harness.launchChromium({ executablePath: t.chromium });
    try {
      const { page } = browser;
      const t0 = Date.now();
      await page.goto(server.workbenchUrl(server.dirs.workspace), { waitUntil: 'commit', timeout: 120_000 });
      await page.locator(t.harness.SEL.statusbar).waitFor({ timeout: 120_000 });
      const pid = await until(() => extensionHost(server.pid), 'the extension host process', 60_000);
      if (o.store) {
        const item = page.locator(t.harness.SEL.activityItem('APPSIERRA'));
        await item.waitFor({ timeout: 60_000 });
        await item.click();
        const log = await until(() => storeReadyLine(userData), 'the log line "store ready"', 300_000);
        const m = /\((\d+) trades/.exec(log);
        if (!m || Number(m[1]) !== o.trades) throw new Error(`the extension opened another store: ${log.trim()}`);
        let seen = '';
        await until(async () => {
          const v = await viewsFilled(page, t.harness.SEL.statusbar);
          seen = v.seen;
          return v.done;
        }, () => `the three views and the status bar item filled (seen: ${seen || 'nothing'})`, 120_000);
      } else {
        // Bare: the built-in extensions have started (the host's log says so) on a workbench that is up.
        await until(() => eagerExtensionsStarted(userData), 'the extension host to start its extensions', 60_000);
      }
      const stateMs = Date.now() - t0;
      const settle = await settled(pid);
      const samples: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        if (i) await sleep(SAMPLE_GAP_MS);
        const now = extensionHost(server.pid);
        if (now !== pid) throw new Error(`the extension host changed during the session (${pid} -> ${now})`);
        samples.push(rssMb(pid));
      }
      await collectGarbage(pid, inspectPort);
      await sleep(2000);
      const gcSamples: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        if (i) await sleep(SAMPLE_GAP_MS);
        gcSamples.push(rssMb(pid));
      }
      if (verbose) process.stderr.write(`[host] ${o.store ? `loaded ${o.trades}` : 'bare'}: extension host ${pid}, state after ${stateMs} ms, steady after ${settle.ms} ms more (${settle.trace.map((x) => x.toFixed(0)).join(' ')}), VmRSS ${samples.map((x) => x.toFixed(1)).join(' ')} MB, after a full GC ${gcSamples.map((x) => x.toFixed(1)).join(' ')} MB, load ${os.loadavg()[0].toFixed(1)}\n`);
      if (!settle.steady) unsteady++;
      return { pid, samples, gcSamples, stateMs };
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop({ keep: true });
  }
}

/** Waits for the host's RSS to be steady (see STEADY_MS); returns how long that took and the readings. */
async function settled(pid: number): Promise<{ ms: number; trace: number[]; steady: boolean }> {
  const t0 = Date.now();
  const trace: number[] = [];
  const window = Math.round(STEADY_MS / 1000) + 1;
  for (;;) {
    trace.push(rssMb(pid));
    const last = trace.slice(-window);
    const ms = Date.now() - t0;
    const steady = ms >= MIN_SETTLE_MS && last.length === window && Math.max(...last) - Math.min(...last) <= STEADY_MB;
    if (steady || ms >= MAX_SETTLE_MS) return { ms, trace, steady };
    await sleep(1000);
  }
}

/** Asks the inspector for one HeapProfiler.collectGarbage (a full, memory-reducing GC), then closes. */
const CDP_GC = `(async () => {
  const [target] = await (await fetch('http://127.0.0.1:' + process.argv[1] + '/json/list')).json();
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((ok, no) => { ws.onopen = ok; ws.onerror = () => no(new Error('inspector socket failed')); });
  const done = new Promise((ok) => { ws.onmessage = (e) => { if (JSON.parse(e.data).id === 1) ok(); }; });
  ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
  await done;
  ws.close();
})().catch((e) => { console.error(e.message); process.exit(1); });`;

/**
 * A full GC in the extension host, for the figure that does not depend on when V8 last collected: SIGUSR1 opens
 * Node's inspector on the session's --inspect-port (checked to be the host's socket), and a child Node (with
 * its WebSocket) asks for the GC. The inspector stays open, alike in every session.
 */
async function collectGarbage(pid: number, port: number): Promise<void> {
  process.kill(pid, 'SIGUSR1');
  await until(() => listensOn(pid, port), `the extension host's inspector on port ${port}`, 15_000);
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, ['--experimental-websocket', '--no-warnings', '-e', CDP_GC, String(port)], { timeout: 60_000 }, (err, _out, stderr) =>
      err ? reject(new Error(`inspector GC failed: ${stderr.trim() || err.message}`)) : resolve(),
    ),
  );
}

/** Whether process `pid` holds the socket listening on TCP `port`. */
function listensOn(pid: number, port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(table)) continue;
    for (const line of fs.readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && f[1].endsWith(hex) && f[3] === '0A') inodes.add(f[9]);
    }
  }
  if (!inodes.size) return false;
  try {
    return fs.readdirSync(`/proc/${pid}/fd`).some((fd) => {
      const m = /^socket:\[(\d+)\]$/.exec(safeReadlink(`/proc/${pid}/fd/${fd}`));
      return !!m && inodes.has(m[1]);
    });
  } catch {
    return false;
  }
}

function safeReadlink(p: string): string {
  try {
    return fs.readlinkSync(p);
  } catch {
    return '';
  }
}

interface ProcInfo {
  ppid: number;
  startTicks: number;
  cmd: string;
}

function processes(): Map<number, ProcInfo> {
  const out = new Map<number, ProcInfo>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      // Fields after "(comm)": state ppid pgrp ... starttime is field 22, the 20th after the comm.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(d), { ppid: Number(f[1]), startTicks: Number(f[19]), cmd: fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' ') });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/**
 * The extension host under the code-server process: VS Code forks it as `bootstrap-fork --type=extensionHost`.
 * A reconnecting workbench can leave an old one for a while: the newest is the one serving the page.
 */
function extensionHost(rootPid: number): number | null {
  const ps = processes();
  const under = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; hops++) {
      if (p === rootPid) return true;
      p = ps.get(p)?.ppid ?? 0;
    }
    return false;
  };
  const hosts = [...ps].filter(([pid, p]) => p.cmd.includes('--type=extensionHost') && under(pid)).sort((a, b) => b[1].startTicks - a[1].startTicks);
  return hosts.length ? hosts[0][0] : null;
}

function rssMb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for process ${pid}`);
  return (Number(m[1]) * 1024) / 1e6;
}

/** The session's extension host logs (user-data/logs/<time>/exthost1/...). */
function hostLogs(userData: string, rel: string): string[] {
  const logs = path.join(userData, 'logs');
  if (!fs.existsSync(logs)) return [];
  return fs.readdirSync(logs).map((d) => path.join(logs, d, 'exthost1', rel)).filter((f) => fs.existsSync(f));
}

/** "store ready: <description> (N trades, T ms)" from the extension's output channel log. */
function storeReadyLine(userData: string): string | null {
  for (const f of hostLogs(userData, path.join(EXTENSION_ID, 'APPSIERRA.log'))) {
    const line = fs.readFileSync(f, 'utf8').split('\n').find((l) => l.includes('store ready:'));
    if (line) return line;
  }
  return null;
}

function eagerExtensionsStarted(userData: string): boolean {
  return hostLogs(userData, 'remoteexthost.log').some((f) => /Eager extensions activated/i.test(fs.readFileSync(f, 'utf8')));
}

/** Which view a webview page is, once it shows data past its loading line (null before). */
const VIEW_STATE = `(() => {
  const q = (id) => document.querySelector('[data-testid="' + id + '"]');
  const text = (id) => ((q(id) && q(id).textContent) || '').trim();
  const loading = q('loading');
  if (!loading || !loading.hidden) return null;
  if (q('balance-value')) return text('balance-value') && text('account-name') !== 'No account yet' ? 'balance' : null;
  if (q('last-trade-symbol')) return text('last-trade-symbol') ? 'position' : null;
  return q('stats-grid') ? 'stats' : null;
})()`;

/** Balance, Position and Stats each past loading with data, and the status bar item showing text. */
async function viewsFilled(page: Page, statusbar: string): Promise<{ done: boolean; seen: string }> {
  const item = ((await page.locator(`${statusbar} .statusbar-item[id$="appsierra.pnl"]`).first().textContent({ timeout: 1000 }).catch(() => '')) || '').trim();
  const filled = new Set<string>(item ? ['status bar item'] : []);
  for (const f of page.frames()) {
    const parent = f.parentFrame();
    if (!parent || !parent.url().includes(`extensionId=${EXTENSION_ID}`)) continue;
    // A string: the page's DOM types are not in this (Node) program.
    const kind = (await f.evaluate(VIEW_STATE).catch(() => null)) as string | null;
    if (kind) filled.add(kind);
  }
  return { done: filled.size === 4, seen: [...filled].join(', ') };
}

async function until<T>(probe: () => T | null | false | Promise<T | null | false>, what: string | (() => string), timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(250);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function list(xs: number[], signed = false): string {
  return xs.map((x) => `${signed && x >= 0 ? '+' : ''}${Math.round(x)}`).join(' / ');
}
