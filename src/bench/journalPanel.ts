/**
 * The journal panel's bench row (issue 14): the real webview bundle (dist/webview/journal.js, its
 * style sheets and the one HTML shell with its strict CSP) in headless Debian Chromium through
 * playwright-core, talking to a stand-in host that answers the panel's protocol with the
 * extension's own answers (views/journalAnswers.ts) from a real TradeIndex. Measured: from the
 * "command" (the page is asked for) to the first trade rows painted (the frame after they are in
 * the DOM; the host makes the HTML with its embedded first rows per request, after the command, so
 * that cost is inside), and the panel's memory, median over fresh opens, after a working session (scroll through the
 * table, sort, reports, calendar) beside a blank page's in the same browser: its JS heap and its renderer process's
 * private memory (USS) and PSS. Not measured: VS Code's own cost of creating
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
  /** The panel after a working session, one per fresh open. */
  panelMem: MemorySample[];
  /** A blank page in the same browser, one per fresh open between the panel's. */
  blankMem: MemorySample[];
}

/** One page's memory after a GC. */
export interface MemorySample {
  /** JS heap used, MB. */
  heapMb: number;
  domNodes: number;
  /** Its renderer process's private memory (USS) and proportional set size (PSS), MB; null when /proc cannot tell. */
  ussMb: number | null;
  pssMb: number | null;
  /** A panel's memory at the end of the table, having scrolled through it (before the rest of the session). */
  scrolled?: MemorySample;
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
    // The host side: every message is checked as the panel checks it, and answered by the panel's own code. An answer
    // goes in as its JSON text, an argument of one DevTools call of a function that parses it and posts the object to
    // the page, as VS Code posts a message (playwright's argument serializer took seconds for a page of rows; an
    // evaluated script per answer left a compiled script of ~200 KB behind each, 10 MB of the renderer after a
    // scroll through the table, which VS Code's messages do not).
    type Cdp = { send(method: string, params?: object): Promise<unknown> };
    const sessions = new Map<unknown, { cdp: Cdp; window: string }>();
    const post = `function (json) {
      window.postMessage(JSON.parse(json, (_k, v) => (v === '\\u0000Inf' ? Infinity : v === '\\u0000-Inf' ? -Infinity : v)), '*');
    }`;
    await context.exposeBinding('__appsierraHost', async ({ page }, raw: unknown) => {
      if (!isJournalRequest(raw)) throw new Error(`the page sent a message the panel would refuse: ${JSON.stringify(raw)}`);
      let answer: JournalHostMessage | null = null;
      // 'ready' gets nothing, as in JournalPanel when nothing changed since the HTML: the page has the facets from it.
      if ('seq' in raw) answer = await answerJournal(source, raw);
      if (!answer) return;
      let to = sessions.get(page);
      if (!to) {
        const cdp = (await context.newCDPSession(page)) as unknown as Cdp;
        const { result } = (await cdp.send('Runtime.evaluate', { expression: 'window' })) as { result: { objectId: string } };
        sessions.set(page, (to = { cdp, window: result.objectId }));
      }
      const json = JSON.stringify(answer, (_k, v: unknown) => (v === Infinity ? '\u0000Inf' : v === -Infinity ? '\u0000-Inf' : v));
      await to.cdp.send('Runtime.callFunctionOn', { objectId: to.window, functionDeclaration: post, arguments: [{ value: json }] });
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
    }
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
    // Memory, median over fresh opens: each panel after a working session, each blank page as painted, both after a GC,
    // both in the renderer that shows them.
    const panelMem: MemorySample[] = [];
    const blankMem: MemorySample[] = [];
    const memRuns = Number(process.env.APPSIERRA_PANEL_MEM_RUNS) || 5;
    const browserCdp = await browser.newBrowserCDPSession();
    const linkedMem: MemorySample[] = [];
    const files = ['panel.html', 'blank.html', ...(process.env.APPSIERRA_PANEL_AB ? ['panel.html?linked=1'] : [])];
    for (let k = 0; k < memRuns; k++) {
      for (const file of files) {
        await open(file);
        const scrolled = file === 'blank.html' ? undefined : await workingSession(page, context, browserCdp);
        const sample = { ...(await memoryOf(page, context, browserCdp)), scrolled };
        (file === 'panel.html' ? panelMem : file === 'blank.html' ? blankMem : linkedMem).push(sample);
      }
    }
    if (linkedMem.length) {
      const med = (xs: (number | null)[]) => [...xs].sort((a, b) => (a ?? 0) - (b ?? 0))[xs.length >> 1]?.toFixed(1);
      console.error(`A/B memory, median of ${memRuns}: this panel USS ${med(panelMem.map((m) => m.ussMb))} MB (heap ${med(panelMem.map((m) => m.heapMb))}, at the end of the table ${med(panelMem.map((m) => m.scrolled?.heapMb ?? null))} / USS ${med(panelMem.map((m) => m.scrolled?.ussMb ?? null))}, nodes ${med(panelMem.map((m) => m.domNodes))}), ` +
        `linked ${abDir ?? 'bundle'} USS ${med(linkedMem.map((m) => m.ussMb))} MB (heap ${med(linkedMem.map((m) => m.heapMb))}, at the end of the table ${med(linkedMem.map((m) => m.scrolled?.heapMb ?? null))} / USS ${med(linkedMem.map((m) => m.scrolled?.ussMb ?? null))}, nodes ${med(linkedMem.map((m) => m.domNodes))}), blank USS ${med(blankMem.map((m) => m.ussMb))} MB`);
    }
    return { blank, firstRows, panelMem, blankMem };
  } finally {
    await browser.close();
    server.close();
  }
}

/**
 * A working session on a panel: scroll to the middle, sort by net, Reports, Calendar, back to Trades.
 * The Trades tab ends scrolled back to the top by the sort, as a trader leaves it most often.
 */
async function workingSession(page: import('playwright-core').Page, context: import('playwright-core').BrowserContext, browserCdp: BrowserCdp): Promise<MemorySample> {
  // Through the whole table a page of rows at a time (every page is asked from the host once), then back to the middle.
  const t0 = Date.now();
  await page.evaluate(async () => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): { scrollTop: number; scrollHeight: number; clientHeight: number } | null } }).document;
    const table = doc.querySelector('[data-testid="trades-table"]')!;
    const frame = () => new Promise((resolve) => (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame(() => resolve(undefined)));
    for (let y = 0; y < table.scrollHeight; y += 200 * 24) {
      table.scrollTop = y;
      do await frame();
      while (doc.querySelector('.vt-row .muted') !== null);
    }
  });
  if (process.env.APPSIERRA_PANEL_TIMING) console.error(`scrolled through in ${Date.now() - t0} ms`);
  // What the page holds at the end of the table, after a GC: the rows it kept on the way.
  const scrolled = await memoryOf(page, context, browserCdp);
  await page.evaluate(() => delete (globalThis as { __marker?: Float64Array }).__marker);
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
  if ((await page.locator('[data-testid="trade-row"]').count()) === 0) throw new Error('no trade rows after the session');
  return scrolled;
}

type BrowserCdp = { send(method: string, params?: object): Promise<unknown> };

async function rendererPids(cdp: BrowserCdp): Promise<Set<number>> {
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
  return new Set(processInfo.filter((p) => p.type === 'renderer').map((p) => p.id));
}

/** kB fields of /proc/PID/smaps_rollup in MB, or null when /proc cannot tell. */
function smaps(pid: number): { pss: number; uss: number } | null {
  try {
    const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0) / 1024;
    return { pss: kb('Pss'), uss: kb('Private_Clean') + kb('Private_Dirty') };
  } catch {
    return null;
  }
}

/**
 * The page's memory after a GC: its JS heap and DOM nodes, and its renderer process's private memory (USS: what
 * closing it gives back; it does not move with how many other Chromium processes share the same code) and PSS
 * (USS plus its share of shared pages: that share changes with the renderers alive at the moment, the spare one
 * Chromium keeps included). Which renderer shows the page is found after reading them all: the page then fills a
 * 64 MB array, and the process that grew by it is the one (a page is put in the spare renderer made for the page
 * before it, and the initial blank document of a new tab can hold more than a blank page: neither "the newest"
 * nor "the largest" is reliably the page's).
 */
async function memoryOf(page: import('playwright-core').Page, context: import('playwright-core').BrowserContext, browserCdp: BrowserCdp): Promise<MemorySample> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  const metric = (name: string) => metrics.find((m: { name: string; value: number }) => m.name === name)?.value ?? 0;
  const before = new Map([...(await rendererPids(browserCdp))].map((pid) => [pid, smaps(pid)]));
  await page.evaluate(() => {
    (globalThis as { __marker?: Float64Array }).__marker = new Float64Array(8 * 2 ** 20).fill(1);
  });
  let process: { pss: number; uss: number } | null = null;
  let grew = 32;
  for (const [pid, was] of before) {
    const now = smaps(pid);
    if (was && now && now.uss - was.uss > grew) [process, grew] = [was, now.uss - was.uss];
  }
  return { heapMb: metric('JSHeapUsedSize') / 2 ** 20, domNodes: metric('Nodes'), ussMb: process?.uss ?? null, pssMb: process?.pss ?? null };
}
