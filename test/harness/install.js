#!/usr/bin/env node
// Installs what the real-VS-Code tiers need, offline (npm registry + Debian apt only), idempotently:
//   - Debian packages: chromium (driven by playwright-core), ripgrep (offline rg for code-server's @vscode/ripgrep),
//     libkrb5-dev + g++/make/python3 (native addons of code-server's bundled VS Code);
//   - code-server (the real VS Code server + web workbench) from npm into the git-ignored, version-keyed folder
//     .vscode-test/code-server-<version>, with a launcher bin/code-server.
// A second call finds the marker file, checks `code-server --version` and returns at once.
//
// Usage: node test/harness/install.js            (prints the launcher path)
// Env:   CODE_SERVER_VERSION (default 4.100.3 = VS Code 1.100.3, the newest code-server whose engines.node is 20)
//        CODE_SERVER         use this launcher instead (nothing is installed)
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const VERSION = process.env.CODE_SERVER_VERSION || '4.100.3';
const PREFIX = path.join(ROOT, '.vscode-test', `code-server-${VERSION}`);
const LAUNCHER = path.join(PREFIX, 'bin', 'code-server');
const MARK = path.join(PREFIX, '.install-ok');
const APT_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev', 'g++', 'make', 'python3'];

const log = (m) => console.log(`[install] ${m}`);

function scratchDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** `code-server --version` without leaving a config.yaml in ~/.config (it writes one on every start). */
function launcherWorks(launcher) {
  const cfg = scratchDir('appsierra-cs-cfg-');
  try {
    const r = spawnSync(launcher, ['--version'], { env: { ...process.env, XDG_CONFIG_HOME: cfg }, encoding: 'utf8', timeout: 60000 });
    if (r.status !== 0) return null;
    // stdout also holds a log line ("Wrote default config file ..."): keep the version line.
    return r.stdout.split('\n').find((l) => /^\d+\.\d+\.\d+ /.test(l)) || null;
  } finally {
    fs.rmSync(cfg, { recursive: true, force: true });
  }
}

function installed(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function ensureAptPackages() {
  const need = APT_PACKAGES.filter((p) => !installed(p));
  if (!need.length) return;
  if (process.getuid && process.getuid() !== 0) {
    throw new Error(`missing Debian packages ${need.join(' ')}; run: sudo apt-get install -y ${need.join(' ')}`);
  }
  log(`apt-get install ${need.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...need], { stdio: ['ignore', 'ignore', 'inherit'], env });
}

/**
 * code-server <= 4.117 depends on @vscode/ripgrep, whose postinstall downloads rg from GitHub (fails offline after
 * ~30 s of retries). Its downloader first looks in ${TMPDIR}/vscode-ripgrep-cache-<pkgVersion>/ for the asset, so we
 * build that tarball from Debian's rg. Returns the TMPDIR to give npm.
 */
function seedRipgrepCache(tmpRoot) {
  const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  if (!rg) throw new Error('rg not found (apt-get install -y ripgrep)');
  const work = scratchDir('appsierra-rg-');
  try {
    execFileSync('npm', ['pack', '--silent', `code-server@${VERSION}`], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
    const tgz = fs.readdirSync(work).find((f) => f.startsWith('code-server-') && f.endsWith('.tgz'));
    execFileSync('tar', ['xzf', tgz, 'package/lib/vscode/npm-shrinkwrap.json'], { cwd: work });
    const shrink = JSON.parse(fs.readFileSync(path.join(work, 'package/lib/vscode/npm-shrinkwrap.json'), 'utf8'));
    const dep = (shrink.packages || {})['node_modules/@vscode/ripgrep'];
    if (!dep) {
      log(`code-server@${VERSION} ships its own rg; nothing to seed`);
      return;
    }
    execFileSync('npm', ['pack', '--silent', `@vscode/ripgrep@${dep.version}`], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
    const rgTgz = fs.readdirSync(work).find((f) => f.startsWith('vscode-ripgrep-') && f.endsWith('.tgz'));
    execFileSync('tar', ['xzf', rgTgz, 'package/lib/postinstall.js'], { cwd: work });
    const post = fs.readFileSync(path.join(work, 'package/lib/postinstall.js'), 'utf8');
    const m = /^const VERSION = '([^']+)';/m.exec(post);
    if (!m) throw new Error(`could not read the rg asset version from @vscode/ripgrep@${dep.version}`);
    const cache = path.join(tmpRoot, `vscode-ripgrep-cache-${dep.version}`);
    const stage = path.join(work, 'stage');
    fs.mkdirSync(cache, { recursive: true });
    fs.mkdirSync(stage);
    fs.copyFileSync(rg, path.join(stage, 'rg'));
    fs.chmodSync(path.join(stage, 'rg'), 0o755);
    const asset = path.join(cache, `ripgrep-${m[1]}-x86_64-unknown-linux-musl.tar.gz`);
    execFileSync('tar', ['czf', asset, '-C', stage, 'rg']);
    log(`seeded ${asset} from ${rg}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function ensureCodeServer() {
  if (process.env.CODE_SERVER) return process.env.CODE_SERVER;
  if (fs.existsSync(MARK)) {
    const v = launcherWorks(LAUNCHER);
    if (v) return LAUNCHER;
    log('previous install is broken; reinstalling');
  }
  const t0 = Date.now();
  ensureAptPackages();
  const want = execFileSync('npm', ['view', `code-server@${VERSION}`, 'engines.node'], { encoding: 'utf8' }).replace(/[^0-9]/g, '');
  const have = process.versions.node.split('.')[0];
  if (want && want !== have) {
    throw new Error(`code-server@${VERSION} needs Node ${want}, this is Node ${have}; set CODE_SERVER_VERSION to a matching release`);
  }
  fs.mkdirSync(path.join(PREFIX, 'bin'), { recursive: true });
  const tmp = path.join(PREFIX, 'tmp');
  fs.mkdirSync(tmp, { recursive: true });
  seedRipgrepCache(tmp);
  if (!fs.existsSync(path.join(PREFIX, 'package.json'))) {
    fs.writeFileSync(path.join(PREFIX, 'package.json'), '{"name":"code-server-runtime","private":true}\n');
  }
  // The postinstall runs a nested `npm install` in lib/vscode with node-gyp builds; as root it needs unsafe-perm, and
  // node-pty's install runs `npx node-gyp`, which needs yes=true.
  log(`npm install code-server@${VERSION} into ${path.relative(ROOT, PREFIX)} (takes a minute or two)`);
  execFileSync('npm', ['install', '--prefix', PREFIX, '--no-audit', '--no-fund', '--loglevel=error', `code-server@${VERSION}`], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, npm_config_unsafe_perm: 'true', npm_config_yes: 'true', TMPDIR: tmp },
  });
  fs.writeFileSync(
    LAUNCHER,
    `#!/bin/sh\n# Generated by test/harness/install.js: code-server ${VERSION} with the Node it was built for.\n` +
      `exec "${process.execPath}" "${path.join(PREFIX, 'node_modules/code-server/out/node/entry.js')}" "$@"\n`,
  );
  fs.chmodSync(LAUNCHER, 0o755);
  const v = launcherWorks(LAUNCHER);
  if (!v) throw new Error(`code-server ${VERSION} installed but does not start; see the npm output above`);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.writeFileSync(MARK, `${v}\n`);
  log(`code-server ${v} installed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return LAUNCHER;
}

/** Debian's Chromium (never `playwright install`: no downloads). */
function ensureChromium() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  if (!fs.existsSync('/usr/bin/chromium')) ensureAptPackages();
  if (!fs.existsSync('/usr/bin/chromium')) throw new Error('/usr/bin/chromium missing (apt-get install -y chromium)');
  return '/usr/bin/chromium';
}

/** Everything the tiers need; returns { codeServer, chromium }. */
function ensureAll() {
  return { codeServer: ensureCodeServer(), chromium: ensureChromium() };
}

module.exports = { ensureAll, ensureCodeServer, ensureChromium, VERSION, PREFIX };

if (require.main === module) {
  try {
    const r = ensureAll();
    console.log(r.codeServer);
  } catch (e) {
    console.error(`[install] ${e.message}`);
    process.exit(1);
  }
}
