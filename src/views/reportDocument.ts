import * as vscode from 'vscode';

/** Scheme of the read-only report documents: VS Code never marks them dirty or asks to save them. */
export const REPORT_SCHEME = 'appsierra-report';

/**
 * Serves generated reports (e.g. the persistence report) as read-only virtual documents.
 * The path's extension (`.md`) gives the editor its language.
 */
export class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.path) ?? '';
  }

  /** Shows `content` under `name` (e.g. "Persistence Report.md"), replacing an earlier version in place. */
  async show(name: string, content: string): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${name}` });
    this.contents.set(uri.path, content);
    // An already open document only re-reads its content when told it changed.
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
    return doc;
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
    this.contents.clear();
  }
}
