// UI scenarios, in order, against the packaged extension installed in a real VS Code (code-server) and driven
// like a user would: activity bar, command palette, webview views, modal dialog, status bar. Each step is one
// counted test; later steps build on earlier ones (a failed step usually makes the next ones fail too, on purpose:
// nothing is skipped).
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { parseMoney } = require('./workbench');
const journalScenarios = require('./journalScenarios');

const STARTING = 10000;
// Screenshots land in test-results/screenshots (git-ignored) on every run, so `npm test` leaves the tree clean;
// UPDATE_SCREENSHOTS=1 writes the README's copies in docs/screenshots instead.
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1'
  ? path.join(__dirname, '..', '..', 'docs', 'screenshots')
  : path.join(__dirname, '..', '..', 'test-results', 'screenshots');
const JOURNAL = journalScenarios(SHOTS);
const SIDEBAR = '#workbench\\.parts\\.sidebar';
const ACTIVITYBAR = '#workbench\\.parts\\.activitybar';
const STATUSBAR = '#workbench\\.parts\\.statusbar';

/** @type {{ name: string, run: (ctx: { wb: import('./workbench').Workbench, page: any, server: any, log: (m: string) => void, state: any }) => Promise<void> }[]} */
module.exports = [
  {
    name: 'the workbench loads and the extension shows its status bar item',
    gate: 'the extension never showed its status bar item',
    async run({ wb, log }) {
      await wb.waitForWorkbench();
      const item = wb.statusItem();
      await item.waitFor({ state: 'visible', timeout: 60000 });
      log(`status bar item: "${((await item.textContent()) || '').trim()}"`);
    },
  },
  {
    name: 'the APPSIERRA container shows the Balance, Position and Stats views',
    async run({ wb, page, log }) {
      await wb.openContainer('APPSIERRA');
      await wb.sidebarWidth(400);
      for (const name of ['Balance', 'Position', 'Stats']) {
        await page.locator(`${SIDEBAR} .pane-header`, { hasText: name }).first().waitFor({ timeout: 15000 });
      }
      // Before any connection there is no account yet: the views say so instead of inventing numbers.
      await wb.testid('balance-value');
      // The page may be painted a moment before its first snapshot: wait for the connection line.
      const conn = await wb.until(async () => {
        const t = await wb.text('connection-state');
        return t ? t : null;
      }, 'the Balance view to show the connection', 15000);
      const account = await wb.text('account-name');
      log(`before the session: balance "${await wb.text('balance-value')}", account "${account}", connection "${conn}"`);
      assert.match(conn, /disconnected/i);
      assert.match(await wb.text('mode-badge'), /SIM/i);
      assert.match(await wb.text('position-flat'), /flat/i);
      await wb.testid('stats-grid', 15000);
    },
  },
  {
    name: '"APPSIERRA: Start Demo Feed" from the palette connects and trades',
    async run({ wb, log, state }) {
      await wb.runCommand('APPSIERRA: Start Demo Feed');
      const conn = await wb.until(async () => {
        const t = await wb.text('connection-state');
        return /connected/i.test(t) && !/dis/i.test(t) ? t : null;
      }, 'the Balance view to say connected', 30000);
      log(`connection: ${conn}`);
      // Before any pick, the views show every SIM account together ("All SIM"), never whichever traded last.
      await wb.until(async () => ((await wb.text('account-name')) === 'All SIM' ? true : null), 'the Balance view to show All SIM', 15000);
      await wb.until(async () => (Number((await wb.text('trades-today')).replace(/[^\d]/g, '')) >= 1 ? true : null), 'a first demo trade (the accounts are known by then)', 60000);
      // Pick one account the way a user does: the command's quick pick. Every view and the status bar follow it.
      await wb.runCommand('APPSIERRA: Select Account');
      await wb.pickRow('Sim1');
      await wb.until(async () => ((await wb.text('account-name')) === 'Sim1' ? true : null), 'the Balance view to show Sim1', 15000);
      await wb.until(async () => (/Sim1/.test((await wb.statusItem().textContent()) || '') ? true : null), 'the status bar to name Sim1', 15000);
      const trades = await wb.until(async () => {
        const n = Number((await wb.text('trades-today')).replace(/[^\d]/g, ''));
        return n >= 1 ? n : null;
      }, 'at least one Sim1 trade today in the Balance view', 60000);
      // SIM balance = start + every closed trade since the reset (the demo's seeded history closes before today, so
      // not only today's): compare with the Stats view's ALL total for the same account. The feed keeps trading, so
      // read until a pair agrees (no trade closed in between).
      const stats = await wb.frameWith('stats-grid');
      await stats.locator('[data-testid="pill-ALL"]').click();
      const pair = await wb.until(async () => {
        const balance = parseMoney(await wb.text('balance-value'));
        const daily = parseMoney(await wb.text('daily-pnl'));
        const all = parseMoney(await stats.locator('[data-testid="stat-totalPnl"]').first().textContent());
        return balance !== null && daily !== null && all !== null && Math.abs(balance - STARTING - all) < 0.01 ? { balance, daily } : null;
      }, `balance = ${STARTING} + the ALL-time P&L of the account`, 15000);
      log(`after the demo session: ${trades} trade(s) today, balance ${pair.balance}, today's P&L ${pair.daily}`);
      assert.notStrictEqual(pair.balance, STARTING, `balance still ${pair.balance} after ${trades} trade(s)`);
      state.balance = pair.balance;
      state.daily = pair.daily;
    },
  },
  {
    name: 'the Position view shows the last closed trade',
    async run({ wb, log }) {
      // The palette's demo feed plays the 'random-day' scenario (MES/MNQ/... round trips on Sim1).
      const symbol = await wb.until(async () => {
        const t = await wb.text('last-trade-symbol', 5000);
        return /^[A-Z0-9]{1,6}[FGHJKMNQUVXZ]\d{1,2}$/.test(t) ? t : null;
      }, 'a futures symbol as the last trade in the Position view', 30000);
      const pnl = await wb.text('last-trade-pnl', 5000);
      log(`position view: last trade ${symbol} ${await wb.text('last-trade-side', 2000).catch(() => '')} ${pnl}`);
      assert.notStrictEqual(parseMoney(pnl), null, `no P&L amount in "${pnl}"`);
    },
  },
  {
    name: 'the Stats grid counts the trades; the timeframe pills switch the grid',
    async run({ wb, log }) {
      const stats = await wb.frameWith('stats-grid');
      const count = async () => Number(((await stats.locator('[data-testid="stat-trades"]').first().textContent()) || '').replace(/[^\d]/g, ''));
      const all = stats.locator('[data-testid="pill-ALL"]');
      const day = stats.locator('[data-testid="pill-1D"]');
      await all.click();
      await wb.until(async () => (await all.getAttribute('aria-pressed')) === 'true', 'pill ALL pressed', 5000);
      const nAll = await wb.until(async () => ((await count()) >= 1 ? count() : null), 'trades >= 1 on ALL', 15000);
      const pnl = await stats.locator('[data-testid="stat-totalPnl"]').first().textContent();
      await day.click();
      await wb.until(async () => (await day.getAttribute('aria-pressed')) === 'true' && (await all.getAttribute('aria-pressed')) === 'false', 'pill 1D pressed and ALL released', 5000);
      const nDay = await wb.until(async () => ((await count()) >= 1 ? count() : null), 'the demo trades on 1D (they are today)', 15000);
      log(`stats: ALL ${nAll} trade(s), total ${String(pnl).trim()}; 1D ${nDay} trade(s)`);
      assert.ok(nDay <= nAll, `1D shows ${nDay} > ALL ${nAll}`);
    },
  },
  {
    name: 'the status bar shows today\'s P&L',
    async run({ wb, log, state }) {
      let daily = null;
      const text = await wb.until(async () => {
        daily = parseMoney(await wb.text('daily-pnl')); // re-read: the feed may close another trade meanwhile
        const t = ((await wb.statusItem().textContent()) || '').trim();
        return parseMoney(t) !== null && daily !== null && Math.abs(parseMoney(t) - daily) < 0.01 ? t : null;
      }, `the Balance view's P&L (${daily}) in the status bar`, 15000);
      log(`status bar: "${text}"`);
      if (daily > 0) assert.match(text, /\+/, 'a winning day shows a + sign');
    },
  },
  JOURNAL.open,
  JOURNAL.calendar,
  JOURNAL.note,
  {
    name: 'screenshots of the real panels in the dark theme',
    async run({ wb, page }) {
      fs.mkdirSync(SHOTS, { recursive: true });
      assert.strictEqual(await wb.themeKind(), 'dark');
      await page.mouse.move(1300, 850); // no hover highlight
      await page.waitForTimeout(500);
      await wb.shotOf(path.join(SHOTS, 'sidebar-dark.png'), [ACTIVITYBAR, SIDEBAR]);
      const item = await wb.statusItem().boundingBox();
      const bar = await page.locator(STATUSBAR).boundingBox();
      await page.screenshot({ path: path.join(SHOTS, 'statusbar.png'), clip: { x: bar.x, y: bar.y, width: Math.min(bar.width, Math.max(item.x + item.width + 160, 520)), height: bar.height } });
      await page.screenshot({ path: path.join(SHOTS, 'workbench-dark.png') });
    },
  },
  {
    name: 'the panels follow a switch to the light theme',
    async run({ wb, page }) {
      await wb.setColorTheme('Light Modern');
      await wb.until(async () => (await wb.themeKind()) === 'light', 'the workbench to turn light', 20000);
      // The webview pages get the new theme variables too.
      const f = await wb.frameWith('balance-value');
      await wb.until(async () => /vscode-light/.test((await f.locator('body').getAttribute('class')) || ''), 'the Balance webview body to be vscode-light', 10000);
      await page.waitForTimeout(800);
      await wb.shotOf(path.join(SHOTS, 'sidebar-light.png'), [ACTIVITYBAR, SIDEBAR]);
    },
  },
  JOURNAL.light,
  {
    name: '"APPSIERRA: Stop Demo Feed" from the palette disconnects',
    async run({ wb, log }) {
      await wb.runCommand('APPSIERRA: Stop Demo Feed');
      const conn = await wb.until(async () => {
        const t = await wb.text('connection-state');
        return /disconnected|stopped/i.test(t) ? t : null;
      }, 'the Balance view to say disconnected', 15000);
      log(`connection: ${conn}; balance ${await wb.text('balance-value')}`);
    },
  },
  {
    name: '"APPSIERRA: Reset SIM Balance" asks in a modal and resets to the starting balance',
    async run({ wb, log }) {
      await wb.runCommand('APPSIERRA: Reset SIM Balance');
      const message = await wb.answerDialog('Reset');
      log(`dialog: "${message.slice(0, 120)}"`);
      assert.match(message, /Sim1/, 'the dialog names the account');
      await wb.until(async () => parseMoney(await wb.text('balance-value')) === STARTING, `the Balance view back at ${STARTING}`, 15000);
      // Trades are kept: a reset is an event.
      assert.ok(Number((await wb.text('trades-today')).replace(/[^\d]/g, '')) >= 1, 'trades today lost after the reset');
    },
  },
  JOURNAL.reload,
  {
    name: 'the webviews logged no CSP violation or error',
    async run({ state }) {
      const bad = state.webviewErrors.filter((e) => !/favicon|vsda/i.test(e));
      assert.deepStrictEqual(bad, []);
    },
  },
];
