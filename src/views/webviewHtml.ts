import * as crypto from 'crypto';
import * as vscode from 'vscode';

export interface WebviewPage {
  /** `dist/webview` of the extension. */
  dist: vscode.Uri;
  /** data-view and test id of the page root (`balance`, `journal`...). */
  view: string;
  title: string;
  /** Style sheets in dist/webview, in order. */
  styles: string[];
  /** The page's script in dist/webview. */
  script: string;
  bodyClass?: string;
}

/**
 * The one HTML shell of every APPSIERRA webview: a strict CSP (no inline script or style, no remote
 * source: scripts only with this page's nonce, styles and fonts only from the extension), the
 * loading placeholder the page replaces, and its bundle.
 */
export function webviewHtml(webview: vscode.Webview, page: WebviewPage): string {
  const nonce = crypto.randomBytes(18).toString('base64');
  const csp = ["default-src 'none'", `script-src 'nonce-${nonce}'`, `style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `img-src ${webview.cspSource} data:`].join('; ');
  const uri = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(page.dist, f));
  const links = page.styles.map((s) => `  <link rel="stylesheet" href="${uri(s)}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta charset="UTF-8">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
${links}
  <title>${page.title}</title>
</head>
<body${page.bodyClass ? ` class="${page.bodyClass}"` : ''}>
  <main id="app" data-view="${page.view}" data-testid="view-${page.view}" aria-busy="true"><p class="loading" data-testid="loading">Loading…</p></main>
  <script nonce="${nonce}" src="${uri(page.script)}"></script>
</body>
</html>`;
}
