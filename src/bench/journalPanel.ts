/**
 * The journal panel's bench row (issue 14): the real webview bundle (dist/webview/journal.js, its
 * style sheets and the one HTML shell with its strict CSP) in headless Debian Chromium through
 * playwright-core, talking to a stand-in host that answers the panel's protocol with the
 * extension's own answers (views/journalAnswers.ts) from a real TradeIndex. Measured: from the
 * "command" (the page is asked for) to the first trade rows painted (the frame after they are in
 * the DOM; the host makes the HTML with its embedded first rows per request, after the command, so
 * that cost is inside), and the panel's memory after a working session (scroll, sort, reports, calendar):
 * its JS heap and the whole renderer process (PSS). Not measured: VS Code's own cost of creating
 * a webview (its iframe and service worker), which no page can change.
 * Skipped with a line when Chromium or playwright-core is missing (a packaged CLI has neither).
 * To see where the time goes: APPSIERRA_PANEL_TIMING=1 prints each open's page clocks (responses,
 * rows in the DOM, painted); APPSIERRA_PANEL_TRACE=file.json writes a Chrome trace of three more
 * opens (APPSIERRA_PANEL_TRACE_OPENS=n: n); APPSIERRA_PANEL_PROFILE=file.cpuprofile a V8 CPU profile
 * of one; APPSIERRA_PANEL_AB=1 also opens, after each blank page, a panel that links its bundle
 * instead of carrying it (APPSIERRA_PANEL_AB=dir: links that dist/webview's, another build's, as
 * the shell did before the bundle was written in), and prints both medians.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import type { AddressInfo } from 'net';
import type { TradeIndex } from '../core/reports';
import { DEFAULT_JOURNAL_STATE, isJournalRequest, JOURNAL_FIRST_PAINT_ID, type JournalHostMessage } from '../shared/journalProtocol';
import { answerJournal, journalFirstPaint, type JournalAnswerSource } from '../views/journalAnswers';
import { webviewShell } from '../views/webviewShell';

const STYLES = ['styles.css', 'journal.css'];
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The stand-in for VS Code inside the page: acquireVsCodeApi, and the mark of the first painted rows. */
const PRELUDE = `
(() => {
  let state;
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__appsierraHost(m),
    getState: () => state,
    setState: (s) => { state = s; },
  });
  new MutationObserver((_, obs) => {
    if (!document.querySelector('[data-testid="trade-row"]')) return;
    obs.disconnect();
    window.__rowsInDom = performance.now();
    // Painted: the frame that shows the rows has run (two animation frames after they are in the DOM).
    requestAnimationFrame(() => requestAnimationFrame(() => window.__appsierraPainted(performance.timeOrigin + performance.now())));
  }).observe(document, { childList: true, subtree: true });
})();
`;

/** The reference: a page with one line of text, painted the same way (what this browser on this machine costs at least). */
const BLANK = '<!DOCTYPE html><html><body><p>blank</p><script>requestAnimationFrame(() => requestAnimationFrame(() => window.__appsierraPainted(performance.timeOrigin + performance.now())));</script></body></html>';

export interface PanelFigures {
  /** A blank page from asking to painted, ms, per run (the floor of the same browser in the same run). */
  blank: number[];
  /** Command to first rows painted, ms, per run. */
  firstRows: number[];
  /** JS heap used after the session and a GC, MB. */
  heapMb: number;
  /** The renderer process's proportional set size, MB (null when /proc cannot tell). */
  rendererMb: number | null;
  domNodes: number;
}

type Playwright = typeof import('playwright-core');

function loadPlaywright(): Playwright | string {
  if (!fs.existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install chromium)`;
  try {
    // Not bundled (esbuild marks it external): the bench runs from the repository, where it is a dev dependency.
    return require('playwright-core') as Playwright;
  } catch {
    return 'playwright-core is not installed (npm install in the repository)';
  }
}

/** Measures the panel over `index`; a string says why it was skipped. */
export async function measurePanel(index: TradeIndex, runs: number): Promise<PanelFigures | string> {
  const pw = loadPlaywright();
  if (typeof pw === 'string') return pw;
  const webview = path.join(__dirname, 'webview');
  if (!fs.existsSync(path.join(webview, 'journal.js'))) return `${webview}/journal.js is missing (npm run build)`;
  const source: JournalAnswerSource = { index: () => index, sourceLabel: () => 'bench', fillsOf: async () => [] };
  let journalJs: string | undefined;
  let sheets: string[] | undefined;
  // APPSIERRA_PANEL_AB=dir: the compared panel links the bundle and style sheets of that dist/webview (another build's).
  const abDir = process.env.APPSIERRA_PANEL_AB && process.env.APPSIERRA_PANEL_AB !== '1' ? process.env.APPSIERRA_PANEL_AB : undefined;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (type: string, body: string | Buffer) => res.writeHead(200, { 'Content-Type': type }).end(body);
    if (url.pathname === '/panel.html') {
      const origin = `http://${req.headers.host}`;
      // As JournalPanel does: the first page of rows and the facets go into the HTML, made here, after the command (inside the measured time).
      const h0 = performance.now();
      const data = { id: JOURNAL_FIRST_PAINT_ID, value: journalFirstPaint(source, DEFAULT_JOURNAL_STATE) };
      if (process.env.APPSIERRA_PANEL_TIMING) console.error(`host first paint ${(performance.now() - h0).toFixed(1)} ms`);
      // As JournalPanel does: the bundle's and style sheets' texts go into the page (read once; ?linked=1 links them instead, for comparisons).
      journalJs ??= fs.readFileSync(path.join(webview, 'journal.js'), 'utf8');
      sheets ??= STYLES.map((f) => fs.readFileSync(path.join(webview, f), 'utf8'));
      const other = url.searchParams.get('linked') === '1';
      const scriptText = other ? undefined : journalJs;
      const styleTexts = other ? undefined : sheets;
      return send('text/html', webviewShell({ data, scriptText, styleTexts,
        cspSource: origin, uri: (f) => `${origin}/${other && abDir ? 'ab' : 'webview'}/${f}`, view: 'journal', title: 'APPSIERRA Journal',
        styles: STYLES, script: 'journal.js', bodyClass: 'journal-page', preludes: [PRELUDE],
      }));
    }
    if (url.pathname === '/blank.html') return send('text/html', BLANK);
    const file = path.join(webview, path.basename(url.pathname));
    if (url.pathname.startsWith('/webview/') && fs.existsSync(file)) return send(file.endsWith('.css') ? 'text/css' : 'text/javascript', fs.readFileSync(file));
    const abFile = abDir && path.join(abDir, path.basename(url.pathname));
    if (abFile && url.pathname.startsWith('/ab/') && fs.existsSync(abFile)) return send(abFile.endsWith('.css') ? 'text/css' : 'text/javascript', fs.readFileSync(abFile));
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await pw.chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    // The host side: every message is checked as the panel checks it, and answered by the panel's own code. Answers go
    // in as one DevTools evaluation of their JSON (playwright's argument serializer took seconds for a page of rows,
    // which VS Code's postMessage does not).
    const sessions = new Map<unknown, { send(method: 'Runtime.evaluate', params: { expression: string }): Promise<unknown> }>();
    await context.exposeBinding('__appsierraHost', async ({ page }, raw: unknown) => {
      if (!isJournalRequest(raw)) throw new Error(`the page sent a message the panel would refuse: ${JSON.stringify(raw)}`);
      let answer: JournalHostMessage | null = null;
      // 'ready' gets nothing, as in JournalPanel when nothing changed since the HTML: the page has the facets from it.
      if ('seq' in raw) answer = await answerJournal(source, raw);
      if (!answer) return;
      const cdp = sessions.get(page) ?? (await context.newCDPSession(page));
      sessions.set(page, cdp);
      const json = JSON.stringify(answer, (_k, v: unknown) => (v === Infinity ? '\u0000Inf' : v === -Infinity ? '\u0000-Inf' : v)).replace(/"\\u0000(-?)Inf"/g, '$1Infinity');
      await cdp.send('Runtime.evaluate', { expression: `window.postMessage(${json}, '*')` });
    });
    // The page tells the frame it painted through a binding: polling for it (waitForFunction) ran playwright's own
    // script in the page while it loaded (60 ms of compile between the painted frame and the next, at times).
    let painted: (t: number) => void = () => undefined;
    await context.exposeBinding('__appsierraPainted', (_source, t: number) => painted(t));
    const firstRows: number[] = [];
    const blank: number[] = [];
    let page = await context.newPage();
    const open = async (file: string): Promise<number> => {
      await page.close();
      page = await context.newPage();
      const mark = new Promise<number>((resolve, reject) => {
        painted = resolve;
        setTimeout(() => reject(new Error(`${file}: nothing painted in 30 s`)), 30_000).unref();
      });
      const command = performance.timeOrigin + performance.now();
      await page.goto(`${origin}/${file}`, { waitUntil: 'commit' });
      const t = (await mark) - command;
      if (process.env.APPSIERRA_PANEL_TIMING) {
        // Where the time went, from the page's own clocks (read after the painted frame, so the reading changes nothing measured).
        const at = (await page.evaluate(`(() => {
          const nav = performance.getEntriesByType('navigation')[0];
          const ms = (t) => Math.round(t);
          return {
            origin: performance.timeOrigin,
            nav: 'req ' + ms(nav.requestStart) + ' resp ' + ms(nav.responseStart) + '-' + ms(nav.responseEnd) + ' domInteractive ' + ms(nav.domInteractive) + ' dcl ' + ms(nav.domContentLoadedEventEnd),
            res: performance.getEntriesByType('resource').map((r) => r.name.split('/').pop() + ' ' + ms(r.startTime) + '-' + ms(r.responseEnd)),
            paints: performance.getEntriesByType('paint').map((p) => p.name + ' ' + ms(p.startTime)),
            rows: window.__rowsInDom,
          };
        })()`)) as { origin: number; nav: string; res: string[]; paints: string[]; rows?: number };
        console.error(`${file}: ${t.toFixed(0)} ms; page origin at +${(at.origin - command).toFixed(0)}; ${at.nav}; ${at.res.join(', ')}; ${at.paints.join(', ')}; rows in DOM ${at.rows?.toFixed(0)}; painted ${(t - (at.origin - command)).toFixed(0)}`);
      }
      return t;
    };
    const linked: number[] = [];
    for (let k = 0; k < runs; k++) {
      firstRows.push(await open('panel.html'));
      blank.push(await open('blank.html'));
      if (process.env.APPSIERRA_PANEL_AB) linked.push(await open('panel.html?linked=1'));
    }
    if (linked.length) {
      const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1].toFixed(0);
      console.error(`A/B, median of ${runs}: this panel ${med(firstRows)} ms, linked ${abDir ?? 'bundle'} ${med(linked)} ms, blank ${med(blank)} ms`);
    }
    const trace = process.env.APPSIERRA_PANEL_TRACE;
    if (trace) {
      // A Chrome trace of three more panel opens (chrome://tracing or the DevTools Performance panel read it).
      await browser.startTracing(undefined, { path: trace, screenshots: false, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'loading', 'v8.execute', 'toplevel', 'disabled-by-default-devtools.timeline.frame'] });
      for (let k = 0; k < (Number(process.env.APPSIERRA_PANEL_TRACE_OPENS) || 3); k++) await open('panel.html');
      await browser.stopTracing();
    } else await open('panel.html'); // the session below runs on a panel
    const profile = process.env.APPSIERRA_PANEL_PROFILE;
    if (profile) {
      // A V8 CPU profile of one more panel open, up to its painted frame (.cpuprofile: DevTools or speedscope read it).
      await page.close();
      page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
      const mark = new Promise<number>((resolve) => (painted = resolve));
      await page.goto(`${origin}/panel.html`, { waitUntil: 'commit' });
      await mark;
      fs.writeFileSync(profile, JSON.stringify((await cdp.send('Profiler.stop')).profile));
      await cdp.detach();
    }
    // A working session on the last page: scroll to the middle, sort, Reports, Calendar, back to Trades.
    const rowCount = () => page.locator('[data-testid="trade-row"]').count();
    await page.locator('[data-testid="trades-table"]').evaluate((e: { scrollTop: number; scrollHeight: number }) => (e.scrollTop = e.scrollHeight / 2));
    await page.waitForFunction(() => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
      return doc.querySelector('[data-testid="trade-row"]') !== null && doc.querySelector('.vt-row .muted') === null;
    });
    await page.click('[data-testid="sort-netPnl"]');
    await page.waitForSelector('[data-testid="sort-netPnl"]:not([aria-sort="none"])');
    await page.click('[data-testid="tab-reports"]');
    await page.waitForSelector('[data-testid="equity-chart"]');
    await page.click('[data-testid="tab-calendar"]');
    await page.waitForSelector('[data-testid="calendar"]');
    await page.click('[data-testid="tab-trades"]');
    await page.waitForSelector('[data-testid="trade-row"]');
    if ((await rowCount()) === 0) throw new Error('no trade rows after the session');
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name: string) => metrics.find((m: { name: string; value: number }) => m.name === name)?.value ?? 0;
    return { blank, firstRows, heapMb: metric('JSHeapUsedSize') / 2 ** 20, rendererMb: await rendererPss(browser), domNodes: metric('Nodes') };
  } finally {
    await browser.close();
    server.close();
  }
}

/** The largest renderer's PSS in MB (the panel's; a spare renderer is smaller), from /proc. */
async function rendererPss(browser: import('playwright-core').Browser): Promise<number | null> {
  try {
    const cdp = await browser.newBrowserCDPSession();
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo' as never)) as { processInfo: { type: string; id: number }[] };
    const sizes = processInfo.filter((p) => p.type === 'renderer').map((p) => {
      const rollup = fs.readFileSync(`/proc/${p.id}/smaps_rollup`, 'utf8');
      return Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) / 1024;
    });
    return sizes.length ? Math.max(...sizes) : null;
  } catch {
    return null;
  }
}
