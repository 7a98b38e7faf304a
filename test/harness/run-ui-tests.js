#!/usr/bin/env node
// UI tier: installs the packaged extension (appsierra-<version>.vsix, made by scripts/package.js) into a real VS Code
// (code-server), opens a workspace in headless Debian Chromium and runs the scenarios of test/ui/scenarios.js as a
// user would. Saves screenshots of the real panels to test-results/screenshots/ (UPDATE_SCREENSHOTS=1: to
// docs/screenshots/, the README's copies). Prints `ui: N passed, N failed` last.
//
// Env: CODE_SERVER, CHROMIUM, VSIX (default <repo>/appsierra-<version>.vsix), KEEP_SCRATCH=1, DEBUG_UI=1 (browser
//      console), UI_GREP (run only scenarios whose name matches; the others are reported as skipped)
const fs = require('fs');
const path = require('path');
const { ensureAll } = require('./install');
const { startCodeServer, launchChromium, ROOT, EXTENSION_ID } = require('./code-server');

const secs = (t) => ((Date.now() - t) / 1000).toFixed(1) + 's';
const RESULTS = path.join(ROOT, 'test-results');

(async () => {
  const t0 = Date.now();
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let server;
  let browser;
  try {
    const pkg = require(path.join(ROOT, 'package.json'));
    const vsix = process.env.VSIX || path.join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
    if (!fs.existsSync(vsix)) throw new Error(`${path.relative(ROOT, vsix)} is missing: the package step (node scripts/package.js) failed or did not run`);
    const tools = ensureAll();
    const { Workbench } = require('../ui/workbench');
    const scenarios = require('../ui/scenarios');

    server = await startCodeServer({
      codeServer: tools.codeServer,
      vsix: [vsix],
      settings: { 'workbench.colorTheme': 'Default Dark Modern', 'workbench.activityBar.location': 'default' },
    });
    const installed = fs.readdirSync(server.dirs.extensions).filter((d) => d.startsWith(`${EXTENSION_ID}-`));
    console.log(`[ui] installed ${path.basename(vsix)} as ${installed.join(', ') || '(nothing!)'}; code-server ${server.url} up in ${secs(t0)}`);
    browser = await launchChromium({ executablePath: tools.chromium, viewport: { width: 1280, height: 1000 }, deviceScaleFactor: 2 });
    const { page } = browser;
    const state = { webviewErrors: [] };
    page.on('console', (m) => {
      const url = (m.location() && m.location().url) || '';
      if (process.env.DEBUG_UI === '1') console.log(`[browser ${m.type()}] ${m.text()} (${url})`);
      const text = m.text();
      if ((m.type() === 'error' && /webview|vscode-cdn|vscode-resource/.test(url)) || /Content Security Policy|Refused to (load|execute|apply)/.test(text)) {
        state.webviewErrors.push(`${text} (${url})`);
      }
    });
    page.on('pageerror', (e) => state.webviewErrors.push(`page error: ${e.message}`));
    await page.goto(server.workbenchUrl(server.dirs.workspace), { waitUntil: 'commit', timeout: 120000 }); // the scenarios wait for the workbench
    const wb = new Workbench(page);
    const grep = process.env.UI_GREP ? new RegExp(process.env.UI_GREP, 'i') : null;
    let blocked = null;
    for (const [i, s] of scenarios.entries()) {
      if (blocked) {
        // Counted as failed, with the reason: waiting out every timeout would tell nothing more.
        failed++;
        console.log(`  ✖ ${s.name} (not run: ${blocked})`);
        continue;
      }
      if (grep && !grep.test(s.name)) {
        console.log(`  - ${s.name} (skipped: UI_GREP)`);
        skipped++;
        continue;
      }
      const ts = Date.now();
      const lines = [];
      try {
        await s.run({ wb, page, server, state, log: (m) => lines.push(m) });
        passed++;
        console.log(`  ✔ ${s.name} (${secs(ts)})`);
        for (const l of lines) console.log(`      ${l}`);
      } catch (e) {
        failed++;
        console.log(`  ✖ ${s.name} (${secs(ts)})`);
        for (const l of lines) console.log(`      ${l}`);
        console.log(`      ${String(e && e.message).split('\n').slice(0, 6).join('\n      ')}`);
        fs.mkdirSync(RESULTS, { recursive: true });
        await page.screenshot({ path: path.join(RESULTS, `ui-failure-${i + 1}.png`) }).catch(() => {});
        await page.keyboard.press('Escape').catch(() => {});
        if (s.gate) blocked = s.gate;
      }
    }
  } catch (e) {
    console.error(`[ui] ${e.message}`);
    failed++;
  } finally {
    if (browser) await browser.close();
    if (server) {
      if (failed) console.log(`[ui] server log: ${server.logFile}${process.env.KEEP_SCRATCH === '1' ? '' : ' (removed; KEEP_SCRATCH=1 keeps it)'}`);
      await server.stop();
    }
  }
  console.log(`[ui] total ${secs(t0)}`);
  console.log(`ui: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(failed > 0 ? 1 : 0);
})();
