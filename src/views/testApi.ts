import type { AppCoreApi } from '../core/appApi';
import type { ViewId } from '../shared/protocol';

/** What `activate()` returns: the seam the extension tests use (keep the names stable). */
export interface AppsierraApi {
  core: AppCoreApi;
  storageDir: string;
  statusBar(): {
    text: string;
    tooltip: string;
    /** ThemeColor id, e.g. 'charts.green'. */
    color: string | undefined;
    /** ThemeColor id, e.g. 'statusBarItem.warningBackground'. */
    backgroundColor: string | undefined;
    visible: boolean;
  };
  /** True once VS Code has resolved (opened) that webview view. */
  viewResolved(view: ViewId): boolean;
  /** The last snapshot data posted to that view, or undefined. */
  lastPosted(view: ViewId): unknown;
  /** Test seam: the next modal confirmation returns this instead of showing. */
  answerNextConfirmation(choice: string | undefined): void;
}
