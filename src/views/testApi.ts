import type { AppCoreApi } from '../core/appApi';
import type { SnapshotMap, ViewId } from '../shared/protocol';
import type { SelectionState } from './selection';
import type { AnsweredNotice } from './confirm';

/** What `activate()` returns: the seam the extension tests use (keep the names stable). */
export interface AppsierraApi {
  core: AppCoreApi;
  /** The selection the views, the status bar and Reset share. */
  selection: SelectionState;
  /** What a view shows now (the core's snapshot for the current selection). */
  snapshot<V extends ViewId>(view: V): SnapshotMap[V];
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
  /** The risk guard's notifications shown so far, in order. */
  riskNotices(): { account: string; kind: string; level: string; message: string }[];
  /** The open journal panel's HTML (with its embedded first rows), or undefined when it is closed. */
  journalHtml(): string | undefined;
  /** Test seam: the next modal confirmation returns this instead of showing. */
  answerNextConfirmation(choice: string | undefined): void;
  /** Test seam: the next notification with buttons (the import summary) returns this instead of showing; resolves with what it said. */
  answerNextNotice(choice: string | undefined): Promise<AnsweredNotice>;
}
