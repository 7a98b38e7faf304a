#!/usr/bin/env node
// `npm start`: builds, then runs APPSIERRA against its built-in DTC simulator (demo feed) and the embedded SQLite
// store, with no Sierra Chart and no database server needed.
//   - a `code` CLI on PATH (desktop VS Code): `code --extensionDevelopmentPath=<repo>` in a separate profile folder
//     (.vscode-test/start-profile/desktop) whose user settings turn on appsierra.demoFeed.startOnLaunch;
//   - otherwise (or with --server): code-server (installed on demand, like the test tiers) on http://127.0.0.1:PORT
//     with the extension in development mode and the same settings; data persists in .vscode-test/start-profile.
//     Open the printed URL in a browser; Ctrl+C stops the server and everything it started.
// Options: --server (always use code-server), --port N (default 8080, else a free one), --no-build
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const PROFILE = path.join(ROOT, '.vscode-test', 'start-profile');
const args = process.argv.slice(2);
const flag = (n) => args.includes(n);
const opt = (n) => {
  const i = args.indexOf(n);
  return i >= 0 ? args[i + 1] : undefined;
};

/** What `npm start` runs with: the demo feed starts by itself, no real DTC server is dialled. */
const START_SETTINGS = {
  'appsierra.demoFeed.startOnLaunch': true,
  'appsierra.dtc.autoConnect': false,
  'workbench.colorTheme': 'Default Dark Modern',
};

function build() {
  console.log('[start] building (node esbuild.js)');
  const r = spawnSync(process.execPath, ['esbuild.js'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('[start] build failed: see the errors above');
    process.exit(1);
  }
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function writeSettings(userDir) {
  fs.mkdirSync(userDir, { recursive: true });
  const file = path.join(userDir, 'settings.json');
  let cur = {};
  try {
    cur = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    /* first run, or a file with comments: start over */
  }
  fs.writeFileSync(file, JSON.stringify({ ...cur, ...START_SETTINGS }, null, 2));
}

/**
 * The environment for the desktop `code` CLI. Run from a VS Code terminal, VSCODE_IPC_HOOK_CLI makes `code` hand its
 * arguments to that running VS Code, which opens the window with its own user data (its theme, no demo feed) and
 * ignores --user-data-dir: the Dark Modern and startOnLaunch settings written above were never read (issue 9 item 14).
 */
function desktopEnv(env) {
  const out = { ...env };
  for (const k of ['VSCODE_IPC_HOOK_CLI', 'VSCODE_IPC_HOOK', 'ELECTRON_RUN_AS_NODE']) delete out[k];
  return out;
}

function desktop(code) {
  const userData = path.join(PROFILE, 'desktop', 'user-data');
  writeSettings(path.join(userData, 'User'));
  const argv = [`--extensionDevelopmentPath=${ROOT}`, `--user-data-dir=${userData}`, '--new-window', ROOT];
  console.log(`[start] ${code} ${argv.join(' ')}`);
  console.log('[start] the demo feed starts with the extension; open the APPSIERRA view in the activity bar');
  const r = spawnSync(code, argv, { stdio: 'inherit', env: desktopEnv(process.env) });
  process.exit(r.status ?? 0);
}

async function server() {
  const { ensureAll } = require('../test/harness/install');
  const { startCodeServer, freePort } = require('../test/harness/code-server');
  const { codeServer } = ensureAll();
  let port = Number(opt('--port')) || 8080;
  if (!opt('--port')) {
    const probe = require('net').createServer();
    const free = await new Promise((r) => probe.once('error', () => r(false)).listen(port, '127.0.0.1', () => probe.close(() => r(true))));
    if (!free) port = await freePort();
  }
  const srv = await startCodeServer({ codeServer, dataDir: PROFILE, port, settings: START_SETTINGS, keepUserSettings: true });
  // The extension is loaded from the repo as "under development", so a rebuild + window reload picks up changes.
  const url = srv.workbenchUrl(ROOT, [['extensionDevelopmentPath', srv.remoteUri(ROOT)]]);
  console.log('');
  console.log(`[start] APPSIERRA in VS Code (code-server) with the demo feed: ${srv.url}`);
  console.log(`[start] open: ${url}`);
  console.log('[start] (the folder is this repo; the APPSIERRA icon is in the activity bar)');
  // The web workbench has no server-side "initial theme": a browser that never opened this address paints the web
  // default (light) until the built-in themes register, then applies the Dark Modern setting (and caches it).
  console.log('[start] a browser opening it for the first time shows the light theme for a few seconds, then Dark Modern');
  console.log(`[start] data (settings, trades store) kept in ${path.relative(ROOT, PROFILE)}; server log ${path.relative(ROOT, srv.logFile)}`);
  console.log('[start] Ctrl+C to stop');
  let stopping = false;
  const stop = async (why) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n[start] ${why}: stopping code-server`);
    await srv.stop({ keep: true });
    process.exit(0);
  };
  process.on('SIGINT', () => stop('Ctrl+C'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => stop('SIGHUP'));
  await srv.exited;
  if (!stopping) {
    console.error(`[start] code-server exited on its own; see ${srv.logFile}`);
    process.exit(1);
  }
}

module.exports = { START_SETTINGS, desktopEnv };
if (require.main !== module) return;

(async () => {
  if (!flag('--no-build')) build();
  const code = flag('--server') ? null : which('code');
  if (code) return desktop(code);
  await server();
})().catch((e) => {
  console.error(`[start] ${e.message}`);
  process.exit(1);
});
