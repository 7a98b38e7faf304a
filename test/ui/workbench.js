// Page helpers for the UI scenarios: what a user does in the real VS Code web workbench (palette, activity bar,
// webview views, modal dialogs, status bar), with the selectors in one place.
const { SEL, EXTENSION_ID, sleep } = require('../harness/code-server');

/** "$10,000.00", "+$12.50", "−$3.75", "-$3.75" -> number; null when there is no amount in the text. */
function parseMoney(text) {
  if (text == null) return null;
  const t = String(text).replace(/\u2212/g, '-').replace(/\s/g, '');
  // An amount with a dollar sign first (the status bar also names the account, e.g. "SIM Sim1 +$12.00").
  const m = /([+-]?)\$([+-]?)(\d[\d,]*(?:\.\d+)?)/.exec(t) || /([+-]?)\$?([+-]?)\$?(\d[\d,]*(?:\.\d+)?)/.exec(t);
  if (!m) return null;
  const n = Number(m[3].replace(/,/g, ''));
  return m[1] === '-' || m[2] === '-' || /^\(.*\)$/.test(t) ? -n : n;
}

class Workbench {
  /** @param {import('playwright-core').Page} page */
  constructor(page) {
    this.page = page;
  }

  statusbar() {
    return this.page.locator(SEL.statusbar);
  }

  /** Our P&L item (VS Code prefixes the item id with the extension id). */
  statusItem() {
    return this.page.locator(`${SEL.statusbar} .statusbar-item[id$="appsierra.pnl"]`);
  }

  async waitForWorkbench(timeout = 90000) {
    await this.page.locator(SEL.workbench).waitFor({ timeout });
    await this.statusbar().waitFor({ timeout });
  }

  /** Theme kind of the workbench: 'dark' | 'light' | 'hc'. */
  async themeKind() {
    const cls = (await this.page.locator(SEL.workbench).getAttribute('class')) || '';
    if (/\bhc-(black|light)\b/.test(cls)) return 'hc';
    if (/\bvs-dark\b/.test(cls)) return 'dark';
    return /\bvs\b/.test(cls) ? 'light' : 'unknown';
  }

  /**
   * Runs a command from the palette (F1) by its "Category: Title" label. `focus`: what to click first so F1 reaches
   * the workbench (default: a point in the editor area, which lands inside a webview panel when one is open there).
   */
  async runCommand(label, focus) {
    const t0 = Date.now();
    // The palette can close again as it opens (a webview taking the focus back from the click): opened once more.
    for (let round = 1; ; round++) {
      const input = await this.openPalette(label, focus, t0);
      const typed = await input.fill(`>${label}`, { timeout: 5000 }).then(() => true, (e) => (round < 3 ? false : Promise.reject(e)));
      if (process.env.UI_TRACE) console.log(`    [palette] ${label}: ${typed ? 'typed' : 'closed before typing'} at ${Date.now() - t0} ms`);
      if (typed) break;
    }
    await this.pickRow(label);
    if (process.env.UI_TRACE) console.log(`    [palette] ${label}: picked at ${Date.now() - t0} ms`);
  }

  /** The command palette, open: its input. */
  async openPalette(label, focus, t0) {
    const page = this.page;
    await page.keyboard.press('Escape');
    const input = page.locator(SEL.quickInput);
    // A webview that takes the focus from the click forwards F1 to the workbench only once its page has the focus:
    // an F1 in between is lost, so it is pressed again (never more than needed: the palette is then open). Past two
    // lost presses the palette is opened from the Manage menu, which no keyboard focus can swallow.
    for (let attempt = 1; ; attempt++) {
      if (attempt === 3) {
        // The gear's menu takes a click on its item only once the pointer has entered it (checked in code-server 4.100).
        const item = page.locator('.monaco-menu .action-item', { hasText: /Command Palette/ }).first();
        const opened = await page.locator('.activitybar li.action-item[aria-label^="Manage"]').first().click({ timeout: 5000 })
          .then(() => item.hover({ timeout: 5000 }))
          .then(() => item.click({ timeout: 5000 }))
          .then(() => true, () => false);
        if (!opened) await page.keyboard.press('Escape');
      } else {
        // Short: over a webview editor Playwright sees the click intercepted and would retry for its default 30 s.
        await (focus ?? page.locator('.part.editor').first()).click({ position: focus ? undefined : { x: 200, y: 200 }, timeout: 2000 }).catch(() => {});
        await page.keyboard.press('F1');
      }
      const open = await input.waitFor({ state: 'visible', timeout: attempt < 4 ? 4000 : 10000 }).then(() => true, (e) => (attempt < 4 ? false : Promise.reject(e)));
      if (process.env.UI_TRACE) console.log(`    [palette] ${label}: attempt ${attempt} ${open ? 'open' : 'not open'} at ${Date.now() - t0} ms`);
      if (open) return input;
    }
  }

  /** Clicks the quick-input row whose label is exactly `label` (Enter would take the first, fuzzy, match). */
  async pickRow(label) {
    const exact = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
    const row = this.page.locator(SEL.quickRow).filter({ has: this.page.locator('.label-name', { hasText: exact }) }).first();
    await row.waitFor({ timeout: 15000 });
    await row.click();
  }

  /** Opens the APPSIERRA activity bar container (no-op when it is already showing). */
  async openContainer(title = 'APPSIERRA') {
    const item = this.page.locator(SEL.activityItem(title));
    await item.waitFor({ timeout: 30000 });
    const checked = await item.getAttribute('aria-checked').catch(() => null);
    const pressed = await item.getAttribute('aria-pressed').catch(() => null);
    if (checked !== 'true' && pressed !== 'true') await item.click();
    await this.page.locator('#workbench\\.parts\\.sidebar').waitFor({ state: 'visible', timeout: 10000 });
  }

  /** Drags the sidebar's edge so it is `width` px wide (the default ~300 px truncates the stats grid). */
  async sidebarWidth(width) {
    const side = await this.page.locator('#workbench\\.parts\\.sidebar').boundingBox();
    if (!side || Math.abs(side.width - width) < 4) return;
    const x = side.x + side.width - 1;
    const y = side.y + side.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + (width - side.width) / 2, y, { steps: 4 });
    await this.page.mouse.move(side.x + width, y, { steps: 4 });
    await this.page.mouse.up();
    await sleep(300);
  }

  /**
   * The webview frame (inner #active-frame) whose page holds `[data-testid=<testid>]`. Three views share one
   * extension id, so the frames are told apart by their content. Polls until found.
   */
  async frameWith(testid, timeout = 30000) {
    const end = Date.now() + timeout;
    const sel = `[data-testid="${testid}"]`;
    for (;;) {
      for (const f of this.page.frames()) {
        // Outer host iframe: .../webview/browser/pre/index.html?...&extensionId=PUB.NAME; its child holds our page.
        const parent = f.parentFrame();
        if (!parent || !parent.url().includes(`extensionId=${EXTENSION_ID}`)) continue;
        if ((await f.locator(sel).count().catch(() => 0)) > 0) return f;
      }
      if (Date.now() > end) throw new Error(`no ${EXTENSION_ID} webview shows [data-testid="${testid}"] after ${timeout} ms`);
      await sleep(250);
    }
  }

  /** Locator of a data-testid inside whichever APPSIERRA webview holds it. */
  async testid(testid, timeout) {
    const f = await this.frameWith(testid, timeout);
    return f.locator(`[data-testid="${testid}"]`).first();
  }

  async text(testid, timeout) {
    const l = await this.testid(testid, timeout);
    return ((await l.textContent()) || '').replace(/\s+/g, ' ').trim();
  }

  /** Polls `probe()` (may throw) until it returns a truthy value. */
  async until(probe, what, timeout = 30000) {
    const end = Date.now() + timeout;
    let last;
    for (;;) {
      try {
        const v = await probe();
        if (v) return v;
        last = `last value ${JSON.stringify(v)}`;
      } catch (e) {
        last = e.message.split('\n')[0];
      }
      if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what} (${last})`);
      await sleep(250);
    }
  }

  /** Clicks a button of the modal dialog (e.g. the SIM reset confirmation). */
  async answerDialog(button, timeout = 10000) {
    const dialog = this.page.locator(SEL.dialog);
    await dialog.waitFor({ state: 'visible', timeout });
    const message = ((await dialog.textContent()) || '').replace(/\s+/g, ' ').trim();
    await dialog.locator('.monaco-button', { hasText: button }).first().click();
    await dialog.waitFor({ state: 'hidden', timeout });
    return message;
  }

  /** Picks a colour theme the way a user does: "Preferences: Color Theme", type the name, Enter. */
  async setColorTheme(name) {
    await this.runCommand('Preferences: Color Theme');
    const input = this.page.locator(SEL.quickInput);
    await input.waitFor({ state: 'visible', timeout: 10000 });
    await input.fill(name);
    await this.pickRow(name);
    await input.waitFor({ state: 'hidden', timeout: 10000 }).catch(() => {});
  }

  /** Screenshot of a region covering the given selectors (union of their boxes), padded. */
  async shotOf(file, selectors, pad = 0) {
    const boxes = [];
    for (const s of selectors) {
      const b = await this.page.locator(s).first().boundingBox();
      if (b) boxes.push(b);
    }
    if (!boxes.length) throw new Error(`nothing to screenshot: ${selectors.join(', ')}`);
    const vp = this.page.viewportSize();
    const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - pad);
    const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - pad);
    const r = Math.min(vp.width, Math.max(...boxes.map((b) => b.x + b.width)) + pad);
    const btm = Math.min(vp.height, Math.max(...boxes.map((b) => b.y + b.height)) + pad);
    await this.page.screenshot({ path: file, clip: { x, y, width: r - x, height: btm - y } });
  }
}

module.exports = { Workbench, parseMoney };
