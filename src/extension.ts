/**
 * Composition root: builds the shell's services in dependency order and disposes them in reverse
 * through one subscription. Everything clever lives in AppCore (src/core); this file only wires.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { AppCore } from './core/app';
import type { AppCoreApi } from './core/appApi';
import { VIEW_IDS, type ViewId } from './core/viewModels';
import { Commands } from './views/commands';
import { changedKeys, demoOnLaunch, readSettings, SECTION, SettingsProblemReporter } from './views/config';
import { Confirmer } from './views/confirm';
import { createLogger, errorText } from './views/logger';
import { secretReader } from './views/secrets';
import { SnapshotViewProvider } from './views/snapshotView';
import { SelectionState } from './views/selection';
import { PnlStatusBar } from './views/statusBar';
import type { AppsierraApi } from './views/testApi';
import { ConnectionContext } from './views/contextKeys';
import { Journal } from './views/journal';
import { JournalPanel } from './views/journalPanel';
import { RiskNotifications } from './views/riskNotices';
import { ImportCommands } from './views/importCommands';

let core: AppCoreApi | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<AppsierraApi> {
  const channel = vscode.window.createOutputChannel('APPSIERRA', { log: true });
  context.subscriptions.push(channel);
  const log = createLogger(channel, 'extension');

  const problems = new SettingsProblemReporter((m) => log.warn(m));
  const initial = readSettings();
  problems.report(initial.problems);
  let settings = initial.settings;

  const storageDir = context.globalStorageUri.fsPath;
  await vscode.workspace.fs.createDirectory(context.globalStorageUri);

  const app: AppCoreApi = new AppCore({
    settings,
    storageDir,
    wasmPath: path.join(context.extensionPath, 'dist', 'sql-wasm.wasm'),
    logger: createLogger(channel, 'core'),
    getSecret: secretReader(context.secrets),
  });
  core = app;
  // One selection (mode, account, timeframe) for every view, the status bar and Reset, remembered per workspace.
  const selection = new SelectionState(context.workspaceState, app);

  const journal = new Journal(app, context, createLogger(channel, 'journal'), () => ({ sessionStart: settings.session.start, timeZone: settings.session.timeZone }));
  context.subscriptions.push(journal);

  const confirmer = new Confirmer();
  const viewLog = createLogger(channel, 'views');
  const runCommand = (id: string) => void vscode.commands.executeCommand(id);
  const views = new Map<ViewId, SnapshotViewProvider>();
  for (const view of VIEW_IDS) {
    const provider = new SnapshotViewProvider(view, { core: app, selection, extensionUri: context.extensionUri, logger: viewLog, runCommand });
    views.set(view, provider);
    context.subscriptions.push(provider, vscode.window.registerWebviewViewProvider(SnapshotViewProvider.viewType(view), provider));
  }
  const statusBar = new PnlStatusBar({ core: app, logger: viewLog, selection: () => selection.current, format: () => settings.statusBar.format }, settings.statusBar.enabled);
  const connection = new ConnectionContext(app);
  const commands = new Commands({
    core: app,
    selection,
    confirmer,
    logger: createLogger(channel, 'commands'),
    log: channel,
    secrets: context.secrets,
    // AppCore knows these pseudo-keys: it re-logs on to DTC / reopens PostgreSQL only where the secret is used.
    secretChanged: (key) => app.updateSettings(settings, [`secrets.${key}`]),
    settingsProblems: () => problems.counters,
    journal,
  });
  const riskNotices = new RiskNotifications(app);
  
  const importCommands = new ImportCommands({
    core: app,
    confirmer,
    logger: createLogger(channel, 'import'),
    log: channel,
    defaultTimeZone: () => settings.session.timeZone,
  });
  context.subscriptions.push(statusBar, connection, commands, riskNotices, importCommands);

  const refresh = (changed: readonly ViewId[]) => {
    for (const v of changed) views.get(v)?.invalidate();
    statusBar.invalidate();
    if (changed.includes('balance')) connection.update();
  };
  const unsubscribe = app.onDidChange(refresh);
  const unsubscribeSelection = selection.onDidChange(() => refresh(VIEW_IDS));
  context.subscriptions.push({ dispose: unsubscribe }, { dispose: unsubscribeSelection });

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      const changed = changedKeys(e);
      if (!changed.length) return;
      const next = readSettings();
      problems.report(next.problems);
      settings = next.settings;
      log.info(`settings changed: ${changed.join(', ')}`);
      statusBar.setEnabled(settings.statusBar.enabled);
      // Settings such as statusBar.format or sim.startingBalance change what every view shows.
      app.updateSettings(settings, changed).then(() => refresh(VIEW_IDS), (err: unknown) => {
        log.error(`applying settings failed: ${errorText(err)}`);
        void vscode.window.showErrorMessage(`APPSIERRA: applying settings failed: ${errorText(err)}`);
      });
    }),
  );

  // Non-blocking: the store loads and the connection starts in the background; views show loading.
  app.start();
  // Views that resolved while the store was loading got a `loading` snapshot; send the loaded one.
  app.ready().then(
    () => refresh(VIEW_IDS),
    (err: unknown) => log.error(`store failed to load: ${errorText(err)}`),
  );
  if (demoOnLaunch()) {
    app.startDemoFeed().then(
      ({ port }) => log.info(`demo feed started on launch (port ${port})`),
      (err: unknown) => log.error(`demo feed on launch failed: ${errorText(err)}`),
    );
  }
  log.info('activated');

  return {
    core: app,
    selection,
    snapshot: (view) => app.snapshot(view, selection.current),
    storageDir,
    statusBar: () => statusBar.snapshot(),
    viewResolved: (view) => views.get(view)?.isResolved ?? false,
    lastPosted: (view) => views.get(view)?.lastPosted,
    answerNextConfirmation: (choice) => confirmer.answerNext(choice),
    answerNextNotice: (choice) => confirmer.answerNextNotice(choice),
    riskNotices: () => [...riskNotices.shown],
    journalHtml: () => JournalPanel.instance?.panel.webview.html,
  };
}

/** Flushes the store and closes connections; VS Code waits for the promise. */
export async function deactivate(): Promise<void> {
  const c = core;
  core = undefined;
  await c?.dispose();
}
