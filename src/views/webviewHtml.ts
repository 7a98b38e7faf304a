import * as vscode from 'vscode';
import { webviewShell } from './webviewShell';

export interface WebviewPage {
  /** `dist/webview` of the extension. */
  dist: vscode.Uri;
  /** data-view and test id of the page root (`balance`, `journal`...). */
  view: string;
  title: string;
  /** Style sheets in dist/webview, in order. */
  styles: string[];
  /** Their texts, to write into the page instead of linking them (webviewShell.ts). */
  styleTexts?: string[];
  /** The page's script in dist/webview. */
  script: string;
  /** Its text, to write into the page instead of linking it (webviewShell.ts). */
  scriptText?: string;
  bodyClass?: string;
  /** Data for the first paint (webviewShell's JSON data element). */
  data?: { id: string; value: unknown };
}

/** The HTML of an APPSIERRA webview (webviewShell.ts: strict CSP, loading placeholder, bundle) for this webview. */
export function webviewHtml(webview: vscode.Webview, page: WebviewPage): string {
  const { dist, ...rest } = page;
  return webviewShell({ ...rest, cspSource: webview.cspSource, uri: (f) => String(webview.asWebviewUri(vscode.Uri.joinPath(dist, f))) });
}
