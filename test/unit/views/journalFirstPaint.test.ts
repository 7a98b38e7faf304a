/**
 * The journal panel's first paint: the state, facets and first page of rows the host writes into
 * the HTML (a JSON data element), escaped so that no trade text can end the element or become markup.
 */
import * as assert from 'assert';
import * as vm from 'vm';
import { TradeIndex } from '../../../src/core/reports';
import { DEFAULT_JOURNAL_STATE, JOURNAL_FIRST_PAINT_ID, JOURNAL_PAGE_ROWS, type JournalFirstPaint, type JournalViewState } from '../../../src/shared/journalProtocol';
import { journalFirstPaint, type JournalAnswerSource } from '../../../src/views/journalAnswers';
import { jsonScriptText, scriptElementText, styleElementText, webviewShell } from '../../../src/views/webviewShell';
import { CME } from '../stats/trades';
import { WEEK, WEEK_TAGS } from '../reports/fixture';

const HOSTILE = '</script><script>alert(1)</script><!--';

function source(index: TradeIndex | null): JournalAnswerSource {
  return { index: () => index, sourceLabel: () => 'demo store </script>', fillsOf: async () => [] };
}

/** A week of trades where one symbol and one tag are hostile text. */
function hostileIndex(): TradeIndex {
  const index = new TradeIndex({ session: CME });
  const trades = WEEK.map((t) => (t.id === 'A' ? { ...t, symbol: HOSTILE } : t));
  index.load(trades, new Map([...WEEK_TAGS, ['B', [HOSTILE, 'fade']]]));
  return index;
}

/** The panel's HTML with `value` as its first-paint data. */
function shell(value: unknown): string {
  return webviewShell({
    cspSource: 'https://x.vscode-cdn.net', uri: (f) => `https://x.vscode-cdn.net/${f}`, view: 'journal', title: 'APPSIERRA Journal',
    styles: ['styles.css'], script: 'journal.js', data: { id: JOURNAL_FIRST_PAINT_ID, value },
  });
}

/** What the browser's parser does with the data element: its text runs to the first `</script` (case-insensitive). */
function dataElementText(html: string): string {
  const open = `<script type="application/json" id="${JOURNAL_FIRST_PAINT_ID}">`;
  const start = html.indexOf(open);
  assert.ok(start >= 0, 'the data element is in the page');
  const from = start + open.length;
  return html.slice(from, html.toLowerCase().indexOf('</script', from));
}

describe('journal first paint (JSON embedded in the panel HTML)', () => {
  it('escapes <, >, & and U+2028/2029 so the text has none of them, and parses back to the same value', () => {
    const value = { s: HOSTILE, amp: 'a&b>c', ls: 'x\u2028y\u2029z', n: [1.5, -2, null], nested: { '</script>': true } };
    const text = jsonScriptText(value);
    assert.doesNotMatch(text, /[<>&\u2028\u2029]/);
    assert.deepStrictEqual(JSON.parse(text), value);
  });

  it('a symbol or tag holding </script> stays inside the data element; the page keeps its one nonce script', () => {
    const value = journalFirstPaint(source(hostileIndex()), DEFAULT_JOURNAL_STATE);
    assert.ok(value.page.rows.some((r) => r.trade.symbol === HOSTILE), 'the hostile symbol is among the first rows');
    const html = shell(value);
    assert.deepStrictEqual(JSON.parse(dataElementText(html)), JSON.parse(JSON.stringify(value)), 'the element holds the whole payload');
    assert.strictEqual(html.match(/<script/gi)?.length, 2, 'the data element and the bundle, nothing else');
    assert.strictEqual(html.match(/<script nonce=/g)?.length, 1, 'one executable script, with the nonce');
    assert.ok(!html.includes('alert(1)</script>'), 'the hostile text is not in the page as markup');
    assert.match(html, /script-src 'nonce-[^']+'; style-src/, 'the CSP still allows only the nonce');
  });

  it("holds the state's first page in its sort, the totals of the filtered trades and the facets", () => {
    const index = hostileIndex();
    const state: JournalViewState = { ...DEFAULT_JOURNAL_STATE, sort: { column: 'netPnl', dir: 'asc' }, tradeId: '<img src=x onerror=alert(1)>' };
    const fp: JournalFirstPaint = journalFirstPaint(source(index), state);
    assert.deepStrictEqual(fp.state, state);
    const sim = WEEK.filter((t) => t.mode === 'SIM');
    assert.strictEqual(fp.page.total, sim.length);
    assert.strictEqual(fp.page.offset, 0);
    assert.deepStrictEqual(fp.page.rows.map((r) => r.trade.id), index.page({ filter: { mode: 'SIM' }, sort: { column: 'netPnl', dir: 'asc' }, limit: JOURNAL_PAGE_ROWS }).rows.map((r) => r.trade.id));
    const nets = fp.page.rows.map((r) => r.trade.netPnl);
    assert.deepStrictEqual(nets, [...nets].sort((a, b) => a - b));
    assert.strictEqual(fp.page.totals.trades, sim.length);
    assert.strictEqual(fp.facets.loading, false);
    assert.strictEqual(fp.facets.totalTrades, WEEK.length);
    assert.ok(fp.facets.tags.includes(HOSTILE) && fp.facets.symbols.includes(HOSTILE));
    // The trade id of a link is page data too: it round-trips through the element as text.
    assert.strictEqual((JSON.parse(dataElementText(shell(fp))) as JournalFirstPaint).state.tradeId, '<img src=x onerror=alert(1)>');
  });

  it('the bundle written into the page: one nonce script after the data element, no request for it, nothing in it ends the element', () => {
    // What a bundle can hold: markup in strings and templates, a regular expression, an HTML comment opener, its source map comment.
    const code = [
      "var a = '</script><script>alert(1)</script>';",
      'var b = `<!-- ${a} </SCRIPT >`;',
      'var c = /<\\/script>/i.test(a);',
      'globalThis.out = [a, b, c];',
      '//# sourceMappingURL=journal.js.map',
    ].join('\n');
    const html = webviewShell({
      cspSource: 'https://x.vscode-cdn.net', uri: (f) => `https://x.vscode-cdn.net/${f}`, view: 'journal', title: 'APPSIERRA Journal',
      styles: ['styles.css'], script: 'journal.js', scriptText: code, data: { id: JOURNAL_FIRST_PAINT_ID, value: { s: HOSTILE } },
    });
    assert.ok(!html.includes('journal.js"'), 'the bundle is not linked');
    assert.strictEqual(html.match(/<script nonce=/g)?.length, 1, 'one executable script, with the nonce');
    assert.match(html, /script-src 'nonce-[^']+'; style-src/, 'the CSP still allows only the nonce');
    const open = html.indexOf('<script nonce=');
    assert.ok(open > html.indexOf(`id="${JOURNAL_FIRST_PAINT_ID}"`), 'it follows the data element it reads');
    const from = html.indexOf('>', open) + 1;
    const text = html.slice(from, html.toLowerCase().indexOf('</script', from));
    assert.ok(html.slice(from + text.length).startsWith('</script>\n</body>'), 'the element ends where the bundle ends');
    assert.ok(!text.includes('<!--'));
    assert.match(text, /\/\/# sourceMappingURL=https:\/\/x\.vscode-cdn\.net\/journal\.js\.map$/, 'the source map named by its full URI');
    const run = (src: string) => {
      const box: { out?: unknown } = {};
      vm.runInNewContext(src.replace('globalThis.out', 'box.out'), { box });
      return JSON.stringify(box.out);
    };
    assert.strictEqual(run(text), run(code), 'the escaped text means the same program');
    assert.strictEqual(scriptElementText('x < /script/.source'), 'x < /script/.source', 'only `</script` and `<!--` change');
  });

  it('style sheets written into the page: style elements with the nonce, the CSP allows that nonce and no inline style attribute', () => {
    const page = {
      cspSource: 'https://x.vscode-cdn.net', uri: (f: string) => `https://x.vscode-cdn.net/${f}`, view: 'journal', title: 'APPSIERRA Journal',
      styles: ['styles.css', 'journal.css'], script: 'journal.js',
    };
    const linked = webviewShell(page);
    assert.match(linked, /style-src https:\/\/x\.vscode-cdn\.net; font-src/, 'linked sheets: the extension only');
    assert.strictEqual(linked.match(/<link rel="stylesheet"/g)?.length, 2);
    const html = webviewShell({ ...page, styleTexts: ['body { color: red; }', '.a::after { content: "</style><script>alert(1)</script>"; }'] });
    const nonce = /script-src 'nonce-([^']+)'/.exec(html)![1];
    assert.ok(html.includes(`style-src https://x.vscode-cdn.net 'nonce-${nonce}'; font-src`), 'the same nonce as the scripts');
    assert.ok(!html.includes('unsafe-inline'));
    assert.ok(!html.includes('<link rel="stylesheet"'), 'no request for a sheet');
    assert.strictEqual(html.match(/<style nonce=/g)?.length, 2);
    assert.strictEqual(html.match(/<\/style/gi)?.length, 2, 'nothing in a sheet ends its element');
    const second = html.indexOf('<style nonce=', html.indexOf('<style nonce=') + 1);
    const sheet = html.slice(second, html.toLowerCase().indexOf('</style', second));
    assert.ok(sheet.endsWith('.a::after { content: "<\\/style><script>alert(1)</script>"; }'), 'the whole sheet is inside its element');
    assert.strictEqual(styleElementText('a { b: c; }'), 'a { b: c; }', 'other text unchanged');
  });

  it('while the store loads: facets say loading, no rows, zero totals', () => {
    const fp = journalFirstPaint(source(null), DEFAULT_JOURNAL_STATE);
    assert.strictEqual(fp.facets.loading, true);
    assert.deepStrictEqual([fp.page.total, fp.page.rows.length, fp.page.totals.trades], [0, 0, 0]);
  });
});
