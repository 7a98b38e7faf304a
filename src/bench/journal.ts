import type { BenchSuite, BenchTable } from './suite';
import type { Trade } from '../core/trading/types';
import { buildReport, calendarMonth, TradeIndex, TradeFilter } from '../core/reports';
import { DEFAULT_SESSION } from '../core/stats/session';
import { measurePanel } from './journalPanel';

const DAY = 86_400_000;

/** A deterministic year of tagged trades on 3 SIM accounts and 1 LIVE account, 4 symbols. */
function synth(n: number): { trades: Trade[]; tags: Map<string, string[]> } {
  let s = 424242;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const start = Date.UTC(2025, 0, 2);
  const accounts = ['Sim1', 'Sim2', 'Sim3', 'Live1'];
  const symbols = ['MESZ5', 'MNQZ5', 'ESZ5', 'CLF6'];
  const trades: Trade[] = [];
  const tags = new Map<string, string[]>();
  for (let i = 0; i < n; i++) {
    const exit = start + Math.floor((i / n) * 365 * DAY);
    const gross = Math.round((rand() - 0.47) * 20000) / 100;
    const account = accounts[i % accounts.length];
    trades.push({
      id: `J${i}`, account, mode: account.startsWith('Sim') ? 'SIM' : 'LIVE', symbol: symbols[Math.floor(rand() * 4)], root: 'MES', side: rand() < 0.5 ? 'LONG' : 'SHORT',
      qty: 1 + Math.floor(rand() * 3), maxPosition: 3, entryTime: exit - 30_000 - Math.floor(rand() * 3_600_000), exitTime: exit, avgEntryPrice: 5000, avgExitPrice: 5001,
      grossPnl: gross, commissions: 1.24, netPnl: Math.round((gross - 1.24) * 100) / 100, mae: -Math.round(rand() * 5000) / 100, mfe: Math.round(rand() * 5000) / 100,
      rMultiple: i % 3 === 0 ? null : Math.round((rand() - 0.4) * 400) / 100, fillIds: [`F${i}a`, `F${i}b`],
    });
    if (rand() < 0.4) tags.set(`J${i}`, [['breakout', 'fade', 'news', 'fomo'][Math.floor(rand() * 4)]]);
  }
  return { trades, tags };
}

function ms(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function median(fn: () => void, runs: number): number {
  const xs = Array.from({ length: runs }, () => ms(fn)).sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)];
}

/** The journal rows of `npm run bench`: the Trades table, Reports and Calendar over 1k / 100k trades. */
export const journalBench: BenchSuite = {
  name: 'journal',
  async run(opts) {
    const sizes = opts.trades ? [opts.trades] : [1_000, 100_000];
    const rows: (string | number)[][] = [];
    let largest: { n: number; index: TradeIndex } | null = null;
    for (const n of sizes) {
      const { trades, tags } = synth(n);
      const runs = n >= 100_000 ? 7 : 31;
      let index = new TradeIndex({ session: DEFAULT_SESSION });
      const load = median(() => {
        index = new TradeIndex({ session: DEFAULT_SESSION });
        index.load(trades, tags);
        index.facets(); // builds the columns
      }, n >= 100_000 ? 3 : 11);
      const sim: TradeFilter = { mode: 'SIM' };
      const filtered: TradeFilter = { mode: 'SIM', symbol: 'MESZ5', tag: 'breakout', outcome: 'win' };
      // The first sort by a column builds its order (a fresh index each run: nothing prepared yet).
      let flip = 0;
      const cold: number[] = [];
      for (let k = 0; k < (n >= 100_000 ? 5 : 11); k++) {
        const x = new TradeIndex({ session: DEFAULT_SESSION });
        x.load(trades, tags);
        x.facets();
        cold.push(ms(() => x.page({ filter: sim, sort: { column: 'netPnl', dir: 'desc' }, limit: 100 })));
      }
      const firstSort = cold.sort((a, b) => a - b)[Math.floor(cold.length / 2)];
      // The orders the panel builds in the background once its first rows are shown: all of it, and its longest step.
      let steps: number[] = [];
      const prepare = await (async () => {
        const x = new TradeIndex({ session: DEFAULT_SESSION });
        x.load(trades, tags);
        x.facets();
        let last = process.hrtime.bigint();
        const start = last;
        await x.prepareSorts(async () => {
          const now = process.hrtime.bigint();
          steps.push(Number(now - last) / 1e6);
          last = process.hrtime.bigint();
        });
        steps.push(Number(process.hrtime.bigint() - last) / 1e6);
        return Number(process.hrtime.bigint() - start) / 1e6;
      })();
      const longestStep = Math.max(...steps);
      steps = [];
      // A trade arrives, then a sort: the cached orders take the new row (the live case).
      index.page({ filter: sim, sort: { column: 'netPnl', dir: 'desc' }, limit: 100 });
      const sortAfterTrade = median(() => {
        index.upsert({ ...trades[0], id: `U${flip++}`, exitTime: trades[trades.length - 1].exitTime + flip });
        index.page({ filter: sim, sort: { column: 'netPnl', dir: 'desc' }, limit: 100 });
      }, runs);
      const resort = median(() => index.page({ filter: { ...sim, side: flip++ % 2 ? 'LONG' : 'SHORT' }, sort: { column: 'netPnl', dir: 'desc' }, limit: 100 }), runs);
      const filter = median(() => index.page({ filter: { ...filtered, side: flip++ % 2 ? 'LONG' : 'SHORT' }, sort: { column: 'exitTime', dir: 'desc' }, limit: 100 }), runs);
      const scroll = median(() => index.page({ filter: sim, sort: { column: 'netPnl', dir: 'desc' }, offset: (flip++ * 100) % (n / 2), limit: 100 }), runs);
      const report = median(() => buildReport(index, { ...sim, account: flip++ % 2 ? null : undefined }), runs);
      const report1 = median(() => buildReport(index, { ...sim, account: flip++ % 2 ? null : undefined }, { breakdowns: ['symbol'] }), runs);
      // The machine's speed in this run (the 2 cores are shared): compare runs by this reference.
      const floats = new Float64Array(100_000).map((_, i) => (i * 7919) % 100_003);
      const ref = median(() => floats.slice().sort(), runs);
      const calendar = median(() => calendarMonth(index, { ...sim, account: flip++ % 2 ? null : undefined }, 2025, 6), runs);
      rows.push([n, load, firstSort, sortAfterTrade, resort, filter, scroll, report1, report, calendar, prepare, longestStep, ref]);
      largest = { n, index };
    }
    const table: BenchTable = {
      title: 'Journal: trades table, reports, calendar (SIM, ms, median)',
      columns: ['trades', 'index load', 'first sort by a column', 'sort after a new trade', 'filter+sorted page', 'filter 4 fields+page', 'scroll page', 'report (1 breakdown)', 'report (all 6)', 'calendar month', 'sort orders (background)', 'longest background step', 'ref: sort 100k floats'],
      rows,
      note: 'Targets (issue 14): sort or filter 100k <= 100 ms in the host; a report over 100k <= 50 ms. ' +
        '"first sort by a column" builds that column\'s order on a fresh index (the worst case: the panel prepares every order in the background once its first rows are shown, "sort orders (background)" in total, one column per step); ' +
        '"sort after a new trade" appends a trade first: the cached orders take the row in place. The totals row is included in every page. ' +
        'Every report includes all metrics, the equity/drawdown series and daily P&L. The Reports tab and `stats --by` ask for one breakdown at a time ("report (1 breakdown)"); ' +
        '"report (all 6)" is buildReport\'s default, all six in the same single pass over the trades, which no panel or CLI path asks for (of its 15 ms on an idle machine, the pass with no breakdown is ~3.5 ms, each coded breakdown ~1.5 ms more, tags ~3-6; measured at load ~8). ' +
        '"ref" is a native sort of 100k floats in the same run: it shows how loaded the machine was (compare runs by it).',
    };
    return largest ? [table, await panelTable(largest.n, largest.index)] : [table];
  },
};

/** The panel row: the real webview bundle in headless Chromium over the same index (journalPanel.ts). */
async function panelTable(n: number, index: TradeIndex): Promise<BenchTable> {
  const runs = Number(process.env.APPSIERRA_PANEL_RUNS) || 7;
  const f = await measurePanel(index, runs);
  const columns = ['trades', 'first rows painted (median)', 'first rows painted (worst)', 'first rows painted (first page of the browser)', 'ref: blank page painted (median)',
    'panel renderer USS (MB, median)', 'ref: blank page renderer USS', "panel's own (USS - blank)", 'panel renderer PSS (median, range)', 'ref: blank page renderer PSS', 'panel JS heap (MB)', 'at the end of the table: panel renderer USS (median, range)', 'at the end of the table: panel JS heap', 'DOM nodes'];
  const title = 'Journal panel in headless Chromium (real webview bundle, host answers from the index)';
  if (typeof f === 'string') return { title, columns, rows: [], note: `Skipped: ${f}.` };
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const sorted = [...f.firstRows].sort((a, b) => a - b);
  const known = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);
  const uss = known(f.panelMem.map((m) => m.ussMb));
  const pss = known(f.panelMem.map((m) => m.pssMb));
  const blankUss = known(f.blankMem.map((m) => m.ussMb));
  // The panel's own share per pair of opens (each panel and the blank page opened after it), then the median.
  const own = known(f.panelMem.map((m, k) => (m.ussMb !== null && f.blankMem[k]?.ussMb != null ? m.ussMb - f.blankMem[k].ussMb! : null)));
  const mb = (xs: number[]) => (xs.length ? med(xs) : 'n/a');
  const range = (xs: number[]) => (xs.length ? `${med(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)})` : 'n/a');
  return {
    title,
    columns,
    rows: [[n, med(f.firstRows), sorted[sorted.length - 1], f.firstRows[0], med(f.blank),
      range(uss), mb(blankUss), range(own), range(pss), mb(known(f.blankMem.map((m) => m.pssMb))), med(f.panelMem.map((m) => m.heapMb)), range(known(f.panelMem.map((m) => m.scrolled?.ussMb ?? null))), mb(known(f.panelMem.map((m) => m.scrolled?.heapMb ?? null))), med(f.panelMem.map((m) => m.domNodes))]],
    note: 'Targets (issue 14): first rows painted <= 300 ms after the command; panel memory <= 80 MB. ' +
      'Old vs new, first rows painted: 702 ms (blank page 167 ms) when the page asked for its first rows after loading and made its Intl formatters and date inputs first; ' +
      '466 ms (blank 141 ms, load 3-4) with the first rows, facets and state embedded in the HTML (built per request, after the command), no Intl before the rows, date pickers after them, ' +
      'measured by polling the page (playwright ran its own script in it before the frame was reported; that build reads 242-346 ms, median 270, measured as now); ' +
      'now 184-247 ms, median 216 (blank 77-121 ms; medians of 6 runs of 11 opens, load 1.6-9, that build\'s panel opened between them, APPSIERRA_PANEL_AB: 242-346, median 270) ' +
      'with the bundle and style sheets written into the page with its nonce, rows cloned from one template row, cells clipped without a scroll container each, the first screen sized to the window less the chrome. ' +
      `"first rows painted": from asking for the page to the frame after the first trade rows are in the DOM, ${runs} fresh pages in one browser (the first one also starts the renderer), the index already built (its build is "index load" above). ` +
      '"ref: blank page" is a page with one line of text painted the same way, between the panel runs: the least this browser costs on this machine at that moment. ' +
      'VS Code\'s own cost of creating a webview (iframe, service worker) is not in it. ' +
      `Memory: medians of ${Number(process.env.APPSIERRA_PANEL_MEM_RUNS) || 5} fresh panels, each after a working session (scroll through the whole table a page at a time, back to the middle, sort by net, Reports, Calendar, back) and a GC, ` +
      'and of as many blank pages opened between them in the same browser, each in the renderer process that shows it (found by a marker allocated after the reading). ' +
      'USS is the process\'s private memory (what closing it gives back); PSS adds its share of the pages it shares with the other Chromium processes, a share that moves with how many are alive (hence the old single reading, the largest renderer\'s PSS, of 59-95 MB). ' +
      '"panel\'s own" is the panel\'s USS less the blank page\'s opened after it: what the panel costs beyond any page in this browser. ' +
      '"at the end of the table": the same readings once scrolled through, before the rest of the session (what the page keeps of the rows it passed). ' +
      'Old vs new (3 runs of 5 opens, medians of the run medians, load 7-11, the previous panel opened between them, APPSIERRA_PANEL_AB): at the end of the table USS 70.3 -> 32.9 MB, JS heap 36.6 -> 2.0 MB ' +
      '(the page kept every page of rows it was sent until the next sort or filter; now the 10 nearest); after the whole session no difference (USS 33.5 vs 36.3 MB, within the spread; JS heap 2.6 MB, 2,345 DOM nodes). ' +
      'New: panel USS 36.3 MB, blank page 13.8, the panel\'s own 21.7 (20.8-23.6); PSS 81.3 (62.0-82.2), blank page 44.0.',
  };
}
