#!/usr/bin/env node
// Extension tier: runs out/test/extension (mocha, compiled from test/extension/*.ts) INSIDE a real VS Code extension
// host: code-server's remote Node extension host, with headless Debian Chromium as the workbench. The extension is
// loaded from the repo root as "under development" (extensionDevelopmentPath), so this tests dist/extension.js as built.
//
// Two sessions over the same user-data-dir:
//   main    every *.test.js; the last one writes a hand-off file (trade ids, balance)
//   reload  a second code-server + workbench on the same data: persistence.reload.js finds the same trades/balance
// Prints `extension: N passed, N failed` last; exits non-zero on any failure.
//
// Env: EXTENSION_PATH (extension folder, default the repo), CODE_SERVER (launcher; default: installed on demand by install.js), CHROMIUM, TEST_TIMEOUT_MS (per session,
//      default 300000), KEEP_SCRATCH=1 (keep the data folder), DEBUG_IT=1 (browser console), APPSIERRA_E2E_GREP
const fs = require('fs');
const path = require('path');
const util = require('util');
const os = require('os');
const { ensureAll } = require('./install');
const { startCodeServer, launchChromium, ROOT } = require('./code-server');

const timeoutMs = Number(process.env.TEST_TIMEOUT_MS || 300000);
const secs = (t) => ((Date.now() - t) / 1000).toFixed(1) + 's';
const TESTS = path.join(ROOT, 'out', 'test', 'extension');
// The extension under test: the repo itself (dist/extension.js as built); EXTENSION_PATH overrides it for debugging.
const EXTENSION = path.resolve(process.env.EXTENSION_PATH || ROOT);
const RESULTS = path.join(ROOT, 'test-results');

// Messages of the web workbench that passing runs print and that are not ours: left out of the output, counted
// once per reason at the end, so a real error stands out. Each reason says why it is not ours.
const KNOWN_NOISE = [
  {
    pattern: /^\[Service Worker\] registration .*serviceWorker\.js/s,
    reason: "code-server's PWA service worker, refused on purpose by the harness (see code-server.js)",
  },
  {
    pattern: /^Error: Trying to add a disposable to a DisposableStore that has already been disposed of[\s\S]*code-server/,
    reason: "VS Code's own extension host when a test closes an input box with workbench.action.closeQuickOpen",
  },
];
const filtered = new Map();

/** One code-server + workbench session running the suite for `phase`; returns { passed, failed }. */
async function session(tools, dataDir, phase, handoff) {
  const t0 = Date.now();
  let server;
  let browser;
  let summary = null;
  let exitCode = null;
  try {
    server = await startCodeServer({
      codeServer: tools.codeServer,
      dataDir,
      env: { APPSIERRA_E2E_PHASE: phase, APPSIERRA_E2E_HANDOFF: handoff },
    });
    console.log(`[extension:${phase}] code-server ${server.url} up in ${secs(t0)}`);
    browser = await launchChromium({ executablePath: tools.chromium });
    const { page } = browser;
    if (process.env.DEBUG_IT === '1') page.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text()}`));
    // The workbench forwards the extension host's console and its exit code through these two hooks.
    const done = new Promise((resolve) => {
      page.exposeFunction('codeAutomationLog', (type, args) => {
        const line = Array.isArray(args) ? util.format(...args) : String(args);
        for (const l of line.split('\n')) {
          const m = /^extension\[(\w+)\]: (\d+) passed, (\d+) failed/.exec(l.trim());
          if (m) summary = { passed: Number(m[2]), failed: Number(m[3]) };
        }
        const noise = KNOWN_NOISE.find((n) => n.pattern.test(line));
        if (noise) {
          filtered.set(noise.reason, (filtered.get(noise.reason) || 0) + 1);
          return;
        }
        (type === 'error' ? console.error : console.log)(line);
      });
      page.exposeFunction('codeAutomationExit', (code) => resolve(code));
    });
    await page.goto(
      server.workbenchUrl(server.dirs.workspace, [
        ['extensionDevelopmentPath', server.remoteUri(EXTENSION)],
        ['extensionTestsPath', server.remoteUri(TESTS)],
        ['skipWelcome', 'true'],
      ]),
      // The result comes through codeAutomationExit; the page's 'load' event can take minutes on a busy machine.
      { waitUntil: 'commit', timeout: 120000 },
    );
    let timer;
    const timeout = new Promise((_, rej) => {
      timer = setTimeout(() => rej(new Error(`no result after ${timeoutMs / 1000} s`)), timeoutMs);
    });
    exitCode = await Promise.race([done, timeout]);
    clearTimeout(timer);
    console.log(`[extension:${phase}] extension host exited with code ${exitCode} after ${secs(t0)}`);
  } catch (e) {
    console.error(`[extension:${phase}] FAILED: ${e.message}`);
    if (browser) {
      fs.mkdirSync(RESULTS, { recursive: true });
      const shot = path.join(RESULTS, `extension-${phase}-failure.png`);
      await browser.page.screenshot({ path: shot }).then(() => console.error(`[extension:${phase}] screenshot ${shot}`), () => {});
    }
    if (server) console.error(`[extension:${phase}] server log: ${server.logFile} (kept with KEEP_SCRATCH=1)`);
  } finally {
    if (browser) await browser.close();
    if (server) await server.stop({ keep: true });
  }
  if (!summary) {
    console.log(`[extension:${phase}] the suite did not report a result (exit code ${exitCode}): counted as 1 failure`);
    return { passed: 0, failed: 1 };
  }
  if (exitCode !== 0 && summary.failed === 0) {
    console.log(`[extension:${phase}] extension host exited ${exitCode} with no failed test: counted as 1 failure`);
    return { passed: summary.passed, failed: 1 };
  }
  return summary;
}

(async () => {
  const t0 = Date.now();
  let passed = 0;
  let failed = 0;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-ext-'));
  try {
    for (const need of [path.join(EXTENSION, 'dist', 'extension.js'), path.join(TESTS, 'index.js')]) {
      if (!fs.existsSync(need)) throw new Error(`${path.relative(ROOT, need)} is missing: run \`node esbuild.js\` and \`npm run compile-tests\` (npm test does both)`);
    }
    const tools = ensureAll();
    console.log(`[extension] tools ready in ${secs(t0)}`);
    const handoff = path.join(dataDir, 'handoff.json');
    for (const phase of ['main', 'reload']) {
      const r = await session(tools, dataDir, phase, handoff);
      passed += r.passed;
      failed += r.failed;
    }
  } catch (e) {
    console.error(`[extension] ${e.message}`);
    failed++;
  } finally {
    if (process.env.KEEP_SCRATCH === '1') console.log(`[extension] data kept in ${dataDir}`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
  }
  for (const [reason, n] of filtered) console.log(`[extension] left out ${n} known message(s): ${reason}`);
  console.log(`[extension] total ${secs(t0)}`);
  console.log(`extension: ${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
})();
