// Starts a code-server (the real VS Code server + web workbench) on 127.0.0.1 with its own data folders, and a
// headless Debian Chromium through playwright-core. Plain Node, used by the extension and UI tiers and `npm start`.
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const EXTENSION_ID = 'appsierra.appsierra';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Settings every session starts with; the tiers add their own on top. */
const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'security.workspace.trust.enabled': false,
  'window.commandCenter': false,
  'chat.commandCenter.enabled': false,
  // No Sierra Chart here: without this the extension would retry a missing DTC server forever.
  'appsierra.dtc.autoConnect': false,
};

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @param {object} o
 * @param {string} o.codeServer      launcher from install.js
 * @param {string} [o.dataDir]       keep the session's data here (user-data, extensions, xdg, tmp); reused when it
 *                                   exists (a second session sees the first one's globalStorage). Default: a temp dir
 *                                   removed by stop().
 * @param {string[]} [o.vsix]        .vsix files to install into the session's extensions dir before starting
 * @param {object} [o.settings]      user settings on top of BASE_SETTINGS (written before start, every start)
 * @param {boolean} [o.keepUserSettings] keep what the settings file already holds (between BASE_SETTINGS and o.settings)
 * @param {object} [o.env]           extra environment for the server (so also for the extension host)
 * @param {number} [o.port]          default: a free port
 * @param {boolean} [o.quiet]        do not copy the server's output anywhere but its log file
 */
async function startCodeServer(o) {
  const t0 = Date.now();
  const owned = !o.dataDir;
  const scratch = o.dataDir ? path.resolve(o.dataDir) : fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-cs-'));
  const dirs = {
    root: scratch,
    userData: path.join(scratch, 'user-data'),
    extensions: path.join(scratch, 'extensions'),
    workspace: path.join(scratch, 'workspace'),
    tmp: path.join(scratch, 'tmp'),
  };
  for (const d of [path.join(dirs.userData, 'User'), dirs.extensions, dirs.workspace, dirs.tmp]) fs.mkdirSync(d, { recursive: true });
  const settingsFile = path.join(dirs.userData, 'User', 'settings.json');
  let kept = {};
  if (o.keepUserSettings) {
    try {
      kept = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
    } catch {
      /* none yet, or not plain JSON */
    }
  }
  fs.writeFileSync(settingsFile, JSON.stringify({ ...BASE_SETTINGS, ...kept, ...(o.settings || {}) }, null, 2));
  const config = path.join(scratch, 'config.yaml');
  fs.writeFileSync(config, 'auth: none\ncert: false\n');
  const env = {
    ...process.env,
    ...(o.env || {}),
    XDG_CONFIG_HOME: path.join(scratch, 'xdg-config'),
    XDG_DATA_HOME: path.join(scratch, 'xdg-data'),
    XDG_CACHE_HOME: path.join(scratch, 'xdg-cache'),
    EXTENSIONS_GALLERY: '{}', // no marketplace (open-vsx) requests: offline machine
    TMPDIR: dirs.tmp, // VS Code leaves vscode-ipc-* / vscode-git-* sockets in the temp dir
  };
  delete env.VSCODE_IPC_HOOK_CLI; // when run from a VS Code terminal, do not talk to that VS Code
  const common = ['--config', config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
  for (const vsix of o.vsix || []) {
    execFileSync(o.codeServer, [...common, '--install-extension', path.resolve(vsix), '--force'], { env, stdio: 'pipe', timeout: 120000 });
  }
  const port = o.port || (await freePort());
  const host = `127.0.0.1:${port}`;
  const args = [...common, '--bind-addr', host, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened'];
  // code-server 4.100 has no --disable-extension: the built-in git extension is switched off by 'git.enabled': false.
  // detached: its own process group, so stop() ends the whole tree (extension host, file watcher, pty host, ...)
  const proc = spawn(o.codeServer, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const killGroup = (sig) => {
    try {
      process.kill(-proc.pid, sig);
    } catch {
      /* already gone */
    }
  };
  const onExit = () => killGroup('SIGKILL');
  process.on('exit', onExit);
  const logFile = path.join(scratch, 'server.log');
  const logStream = fs.createWriteStream(logFile, { flags: 'a' });
  proc.stdout.pipe(logStream);
  proc.stderr.pipe(logStream);
  const exited = new Promise((r) => proc.once('exit', r));
  const url = `http://${host}`;
  const end = Date.now() + 60000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`code-server exited (${proc.exitCode}); see ${logFile}`);
    try {
      if ((await fetch(url + '/healthz')).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > end) {
      killGroup('SIGKILL');
      throw new Error(`code-server did not answer /healthz in 60 s; see ${logFile}`);
    }
    await sleep(100);
  }
  let stopped = false;
  return {
    url,
    host,
    port,
    /** the server's process (its group holds the extension host, file watcher, pty host, ...) */
    pid: proc.pid,
    scratch,
    dirs,
    logFile,
    settingsFile,
    startedInMs: Date.now() - t0,
    /** vscode-remote URI of a server-side path, as the workbench payload expects */
    remoteUri: (p) => `vscode-remote://${host}${path.resolve(p).split(path.sep).join('/')}`,
    /** workbench URL for a folder, with optional payload entries [[key, value], ...] */
    workbenchUrl(folder, payload) {
      let u = `${url}/?folder=${encodeURIComponent(path.resolve(folder || dirs.workspace))}`;
      if (payload && payload.length) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return u;
    },
    /** Resolves when the server exits on its own (or is stopped). */
    exited,
    async stop({ keep = !owned || process.env.KEEP_SCRATCH === '1' } = {}) {
      if (stopped) return;
      stopped = true;
      if (proc.exitCode === null) {
        killGroup('SIGTERM');
        await Promise.race([exited, sleep(5000)]);
      }
      await sleep(200);
      killGroup('SIGKILL'); // stragglers in the group
      process.off('exit', onExit);
      logStream.end();
      if (!keep) fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

const MIME = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.json': 'application/json', '.wasm': 'application/wasm', '.woff2': 'font/woff2', '.ttf': 'font/ttf' };
const mimeOf = (f) => MIME[path.extname(f).toLowerCase()] || 'application/octet-stream';

/** Headless Debian Chromium through playwright-core (never a downloaded browser). */
async function launchChromium(o = {}) {
  const { chromium } = require('playwright-core');
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-chromium-'));
  const ctx = await chromium.launchPersistentContext(userDataDir, {
    executablePath: o.executablePath || process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: o.viewport || { width: 1400, height: 900 },
    deviceScaleFactor: o.deviceScaleFactor || 1,
    args: CHROMIUM_ARGS,
    env: { ...process.env, XDG_CONFIG_HOME: userDataDir }, // keeps Chromium's crashpad folder out of ~/.config
  });
  // code-server registers its own (PWA) service worker at scope '/'. It then races the webviews' own service worker
  // for control of their same-origin iframes ("Found unexpected service worker controller"), and a webview that loses
  // fetches its scripts from https://*.vscode-resource.vscode-cdn.net, which fails: a random view stays blank.
  // The PWA worker does nothing the tests need, so it is refused.
  await ctx.route(/\/_static\/out\/browser\/serviceWorker\.js/, (route) => route.abort());
  // Every webview on this one origin registers the same-scope service worker under its own script URL (?id=...).
  // When two webviews register at once, one can wait forever for a 'controllerchange' that never comes: the view
  // stays blank (seen in ~1 of 3 runs with three views opening together). Desktop VS Code gives each webview its own
  // origin, so this is an artefact of the web workbench: load the webview hosts one at a time, 1.2 s apart, so each
  // registration finishes before the next starts. Nothing in the page is changed.
  let webviewGate = Promise.resolve();
  await ctx.route(/\/webview\/browser\/pre\/index\.html\?/, (route) => {
    if (process.env.DEBUG_IT === '1') console.log(`[harness] webview host queued ${route.request().url().slice(-60)}`);
    const turn = webviewGate.then(() => route.continue().catch(() => {}));
    webviewGate = turn.then(() => sleep(o.webviewGapMs ?? 1200));
    return turn;
  });
  // If a webview's resource request still slips past the worker, Chromium sends it to the real
  // https://<scheme>+<authority>.vscode-resource.vscode-cdn.net/<path> (offline: ERR_NAME_NOT_RESOLVED). The server
  // runs on this machine, so answer with the file itself, as the worker would have, for files under the roots the
  // harness serves (the repo and the session's folders); anything else gets a 404.
  const roots = (o.resourceRoots || [ROOT, os.tmpdir()]).map((r) => path.resolve(r) + path.sep);
  await ctx.route(/^https:\/\/[^/]+\.vscode-resource\.vscode-cdn\.net\//, async (route) => {
    const file = decodeURIComponent(new URL(route.request().url()).pathname);
    const ok = roots.some((r) => file.startsWith(r)) && fs.existsSync(file) && fs.statSync(file).isFile();
    if (process.env.DEBUG_IT === '1') console.log(`[harness] webview resource outside the service worker: ${file} ${ok ? 'served' : '404'}`);
    if (!ok) return route.fulfill({ status: 404, body: 'Not Found' });
    return route.fulfill({ status: 200, body: fs.readFileSync(file), headers: { 'Content-Type': mimeOf(file), 'Access-Control-Allow-Origin': '*' } });
  });
  const page = ctx.pages()[0] || (await ctx.newPage());
  return {
    ctx,
    page,
    async close() {
      await ctx.close().catch(() => {});
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Selectors of the web workbench (checked on code-server 4.100.3 / VS Code 1.100.3). */
const SEL = {
  workbench: '.monaco-workbench',
  statusbar: '#workbench\\.parts\\.statusbar',
  quickInput: '.quick-input-widget .quick-input-box input',
  quickRow: '.quick-input-widget .monaco-list-row',
  toast: '.notifications-toasts .notification-toast',
  ariaAlert: '.monaco-aria-container .monaco-alert',
  dialog: '.monaco-dialog-box',
  dialogButton: '.monaco-dialog-box .dialog-buttons a.monaco-button, .monaco-dialog-box .dialog-buttons .monaco-button',
  activityItem: (title) => `.activitybar .action-item a[aria-label^="${title}"]`,
  // webview view: outer <iframe class="webview ready" src="...&extensionId=PUB.NAME&purpose=webviewView...">,
  // inner <iframe id="active-frame"> (same origin) holds the extension's HTML
  webviewOuter: (extId = EXTENSION_ID) => `iframe.webview.ready[src*="extensionId=${extId}"]`,
  webviewInner: 'iframe#active-frame',
};

module.exports = { startCodeServer, launchChromium, freePort, sleep, SEL, ROOT, EXTENSION_ID, BASE_SETTINGS, CHROMIUM_ARGS };
