import * as crypto from 'crypto';

export interface WebviewShell {
  /** The webview's resource origin for the CSP (`webview.cspSource`). */
  cspSource: string;
  /** The URL of a file of `dist/webview` as the page loads it. */
  uri(file: string): string;
  /** data-view and test id of the page root (`balance`, `journal`...). */
  view: string;
  title: string;
  /** Style sheets in dist/webview, in order. */
  styles: string[];
  /**
   * Their texts, in the same order, to write into the page as style elements with the page's nonce
   * instead of linking them: a linked sheet holds the first paint and every script until it arrives.
   * The CSP then allows styles with the nonce too (never inline style attributes).
   */
  styleTexts?: string[];
  /** The page's script in dist/webview. */
  script: string;
  /**
   * The text of that script, to write into the page instead of linking it: one request fewer before
   * the first paint, and it runs as soon as the parser reaches it (after the data element) instead of
   * in a task after parsing, which let the browser paint the loading placeholder first. Same nonce.
   */
  scriptText?: string;
  bodyClass?: string;
  /**
   * Data for the page's first paint, written as a non-executable JSON script element with this id
   * (the page reads it with JSON.parse; never parsed as HTML or run).
   */
  data?: { id: string; value: unknown };
  /**
   * Script texts run before the body is parsed (written into the head, same nonce): the panel bench's
   * stand-in for the VS Code API, which VS Code also writes into the page. Never used by the extension.
   */
  preludes?: string[];
}

/**
 * The one HTML shell of every APPSIERRA webview: a strict CSP (no inline script or style, no remote
 * source: scripts only with this page's nonce, styles and fonts only from the extension or, for
 * style sheets written into the page, with its nonce), the
 * loading placeholder the page replaces, and its bundle. Free of the VS Code API (webviewHtml.ts
 * fills it from a Webview), so the panel bench serves the very same page.
 */
export function webviewShell(page: WebviewShell): string {
  const nonce = crypto.randomBytes(18).toString('base64');
  const inlineStyles = page.styleTexts !== undefined && page.styleTexts.length === page.styles.length;
  const styleSrc = inlineStyles ? `style-src ${page.cspSource} 'nonce-${nonce}'` : `style-src ${page.cspSource}`;
  const csp = ["default-src 'none'", `script-src 'nonce-${nonce}'`, styleSrc, `font-src ${page.cspSource}`, `img-src ${page.cspSource} data:`].join('; ');
  const links = inlineStyles
    ? page.styleTexts!.map((text, i) => `  <style nonce="${nonce}">/* ${page.styles[i]} */\n${styleElementText(text)}</style>`).join('\n')
    : page.styles.map((s) => `  <link rel="stylesheet" href="${page.uri(s)}">`).join('\n');
  const data = page.data ? `  <script type="application/json" id="${page.data.id}">${jsonScriptText(page.data.value)}</script>\n` : '';
  // Preludes run first, before the body is parsed. A linked script is deferred: fetched while the body (and its data
  // element) is still arriving, run once it is parsed. Written into the page, it ends the body.
  const preludes = (page.preludes ?? []).map((text) => `  <script nonce="${nonce}">${scriptElementText(text)}</script>\n`).join('');
  const scripts = preludes + (page.scriptText === undefined ? `  <script nonce="${nonce}" src="${page.uri(page.script)}" defer></script>\n` : '');
  const inline = page.scriptText === undefined ? '' : `  <script nonce="${nonce}">${scriptElementText(page.scriptText, page.uri(`${page.script}.map`))}</script>\n`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta charset="UTF-8">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
${links}
${scripts}  <title>${page.title}</title>
</head>
<body${page.bodyClass ? ` class="${page.bodyClass}"` : ''}>
  <main id="app" data-view="${page.view}" data-testid="view-${page.view}" aria-busy="true"><p class="loading" data-testid="loading">Loading…</p></main>
${data}${inline}</body>
</html>`;
}

/**
 * `value` as JSON that is safe inside a `<script type="application/json">` element: every `<` (and
 * `>`, `&`) in a string becomes a \u escape, so a symbol, tag or trade id holding `</script>` or
 * `<!--` cannot end the element or start markup; U+2028/2029 are escaped too. JSON.parse of the
 * element's text gives `value` back exactly.
 */
export function jsonScriptText(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A script's text made safe inside a `<script>` element: `</script` (any case) and `<!--` cannot occur
 * in it (a bundle may hold them in strings or comments; `<\/` and `\x3C!--` mean the same in JS source
 * where they can occur: strings, templates, regular expressions). Its source map comment, if any, names
 * `mapUri` when given (a relative name would resolve against the page).
 */
export function scriptElementText(code: string, mapUri?: string): string {
  return (mapUri === undefined ? code : code.replace(/^\/\/# sourceMappingURL=.*$/m, () => `//# sourceMappingURL=${mapUri}`))
    .replace(/<\/(script)/gi, '<\\/$1')
    .replace(/<!--/g, '\\x3C!--');
}

/** A style sheet's text made safe inside a `<style>` element: no `</style` (in CSS `\/` is the same `/`). */
export function styleElementText(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}
