import * as vscode from 'vscode';
import type { AppCoreApi, AppLogger } from '../core/appApi';
import type { Mode } from '../core/trading/types';
import { formatMoney } from '../shared/format';
import type { Confirmer } from './confirm';
import { Disposable } from './disposable';
import { errorText } from './logger';
import { ReportDocuments } from './reportDocument';
import type { SecretKey } from './secrets';
import type { SelectionState } from './selection';

export interface CommandDeps {
  core: AppCoreApi;
  /** Reset applies to the selected SIM account. */
  selection: SelectionState;
  confirmer: Confirmer;
  logger: AppLogger;
  log: vscode.LogOutputChannel;
  secrets: vscode.SecretStorage;
  /** Settings problems met this session (a bad value is counted, never silently ignored). */
  settingsProblems?: () => { total: number; current: string[] };
  /** Tells AppCore a secret changed (it reconnects / reopens only what uses it). */
  secretChanged(key: SecretKey): Promise<void>;
  /** The journal panel and day notes. */
  journal: {
    /** Opens the panel; `{ tradeId }` or `{ day }` (links in day notes) shows that trade or day. */
    open(arg?: { tradeId?: string; day?: string }): Promise<void>;
    openToday(): Promise<void>;
  };
}

export interface ExportArgs {
  format?: 'csv' | 'json';
  uri?: vscode.Uri | string;
  mode?: Mode;
}

type Handler = (...args: unknown[]) => Promise<unknown>;

/** Errors become a notification and a log line, never an unhandled rejection. */
export async function guarded(deps: Pick<CommandDeps, 'logger' | 'log'>, title: string, run: () => Promise<unknown>): Promise<unknown> {
  try {
    return await run();
  } catch (e) {
    const msg = errorText(e);
    deps.logger.error(`${title} failed: ${msg}`);
    void vscode.window.showErrorMessage(`APPSIERRA: ${title} failed: ${msg}`, 'Show Log').then((c) => c && deps.log.show(true));
    return undefined;
  }
}

/** Registers every `appsierra.*` command; each one turns its errors into a clear notification. */
export class Commands extends Disposable {
  private watcher: PersistenceWatcher | undefined;
  private readonly reports = this.register(new ReportDocuments());

  constructor(private readonly deps: CommandDeps) {
    super();
    const table: Record<string, [title: string, run: Handler]> = {
      'appsierra.resetSimBalance': ['Reset SIM Balance', () => this.resetSimBalance()],
      'appsierra.connect': ['Connect to Sierra Chart', async () => this.progress('Connecting to Sierra Chart…', () => deps.core.connect())],
      'appsierra.disconnect': ['Disconnect', () => deps.core.disconnect()],
      'appsierra.startDemoFeed': ['Start Demo Feed', () => this.startDemoFeed()],
      'appsierra.stopDemoFeed': ['Stop Demo Feed', () => deps.core.stopDemoFeed()],
      'appsierra.checkDatabase': ['Check Database', () => this.checkDatabase()],
      'appsierra.initDatabase': ['Initialize Database', () => this.initDatabase()],
      'appsierra.databaseHealth': ['Database Health', () => this.databaseHealth()],
      'appsierra.persistenceReport': ['Persistence Report', () => this.persistenceReport()],
      'appsierra.watchPersistence': ['Watch Persistence', () => this.toggleWatch()],
      'appsierra.exportTrades': ['Export Trades', (arg) => this.exportTrades(arg as ExportArgs | undefined)],
      'appsierra.setDtcPassword': ['Set DTC Password', () => this.setPassword('dtcPassword', 'DTC server password (Sierra Chart > Global Settings > Data/Trade Service Settings)')],
      'appsierra.setPostgresPassword': ['Set PostgreSQL Password', () => this.setPassword('postgresPassword', 'PostgreSQL password for the configured database user')],
      'appsierra.showLog': ['Show Log', async () => deps.log.show(true)],
      'appsierra.selectAccount': ['Select Account', (arg) => this.selectAccount(arg)],
      'appsierra.openJournal': ['Open Journal', (arg) => deps.journal.open(journalArg(arg))],
      'appsierra.openTodayJournal': ["Open Today's Journal", () => deps.journal.openToday()],
    };
    for (const [id, [title, run]] of Object.entries(table)) {
      this.register(vscode.commands.registerCommand(id, (...args: unknown[]) => this.guard(title, () => run(...args))));
    }
    this.register({ dispose: () => this.watcher?.dispose() });
  }

  private guard(title: string, run: () => Promise<unknown>): Promise<unknown> {
    return guarded(this.deps, title, run);
  }

  private progress<T>(title: string, task: () => Promise<T>): Thenable<T> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, task);
  }

  /**
   * Resets the selected SIM account; with "All SIM" (or a LIVE selection) and several SIM accounts,
   * a quick pick asks which one (or all). Always confirmed in a modal that names the accounts.
   */
  private async resetSimBalance(): Promise<unknown> {
    const core = this.deps.core;
    const sel = this.deps.selection.current;
    const sims = core.accounts().filter((a) => a.mode === 'SIM').map((a) => a.account);
    let targets = sel.account && sims.includes(sel.account) ? [sel.account] : sims;
    if (targets.length === 0) {
      void vscode.window.showInformationMessage('APPSIERRA: no SIM account yet. Connect to Sierra Chart or start the demo feed first.');
      return undefined;
    }
    if (targets.length > 1) {
      const all = { label: `All SIM accounts (${targets.length})`, accounts: targets };
      const pick = await vscode.window.showQuickPick(
        [all, ...targets.map((a) => ({ label: a, description: formatMoney(core.simResetPreview(a)?.balance), accounts: [a] }))],
        { title: 'Reset the SIM balance of', placeHolder: 'The selected view shows all SIM accounts: pick one, or all' },
      );
      if (!pick) return undefined;
      targets = pick.accounts;
    }
    const previews = targets.map((a) => core.simResetPreview(a)).filter((p) => p !== null);
    const detail = previews.map((p) => `${p.account}: ${formatMoney(p.balance)} -> ${formatMoney(p.startingBalance)}`).join('\n');
    const choice = await this.deps.confirmer.ask(`Reset the SIM balance of ${targets.join(', ')}?`, detail, 'Reset');
    if (choice !== 'Reset') return undefined;
    const results = [];
    for (const a of targets) results.push(await core.resetSimBalance(a));
    void vscode.window.showInformationMessage(`APPSIERRA: SIM balance reset: ${results.map((r) => `${r.account} ${formatMoney(r.before)} -> ${formatMoney(r.after)}`).join(', ')}`);
    return results.length === 1 ? results[0] : results;
  }

  /**
   * Whose figures every view, the status bar and Reset show: one account, or "All SIM" / "All LIVE".
   * Remembered per workspace. An argument (`'Sim1'`, `{ mode: 'LIVE' }`) picks without asking.
   */
  private async selectAccount(arg: unknown): Promise<unknown> {
    const selection = this.deps.selection;
    if (typeof arg === 'string') {
      selection.setAccount(arg);
      return selection.current;
    }
    if (arg && typeof arg === 'object' && ((arg as { mode?: unknown }).mode === 'SIM' || (arg as { mode?: unknown }).mode === 'LIVE')) {
      selection.setMode((arg as { mode: Mode }).mode);
      selection.setAccount(null);
      return selection.current;
    }
    const cur = selection.current;
    const accounts = this.deps.core.accounts();
    type Item = vscode.QuickPickItem & { mode?: Mode; account?: string | null };
    const mark = (on: boolean) => (on ? '$(check) ' : '');
    const items: Item[] = [];
    for (const mode of ['SIM', 'LIVE'] as const) {
      const of = accounts.filter((a) => a.mode === mode).map((a) => a.account);
      items.push({ label: `${mark(cur.account === null && cur.mode === mode)}All ${mode}`, description: of.length ? of.join(', ') : 'no account yet', mode, account: null });
    }
    if (accounts.length) items.push({ label: 'Accounts', kind: vscode.QuickPickItemKind.Separator });
    for (const a of accounts) items.push({ label: `${mark(cur.account === a.account)}${a.account}`, description: a.mode, mode: a.mode, account: a.account });
    const pick = await vscode.window.showQuickPick(items, { title: 'APPSIERRA: whose balance, position, stats and status bar P&L', placeHolder: 'One account, or every account of a mode' });
    if (!pick?.mode) return undefined;
    if (pick.account) selection.setAccount(pick.account);
    else {
      selection.setMode(pick.mode);
      selection.setAccount(null);
    }
    return selection.current;
  }

  private async startDemoFeed(): Promise<unknown> {
    const { port } = await this.progress('Starting the demo feed…', () => this.deps.core.startDemoFeed());
    this.deps.logger.info(`demo feed running on 127.0.0.1:${port}`);
    void vscode.window.setStatusBarMessage(`APPSIERRA: demo feed on port ${port}`, 5000);
    return { port };
  }

  private async checkDatabase(): Promise<unknown> {
    const items = await this.progress('Checking the database…', () => this.deps.core.database.check());
    const log = this.deps.log;
    log.info('[commands] Database check:');
    for (const i of items) (i.ok ? log.info : log.warn).call(log, `[commands]   ${i.ok ? '[x]' : '[ ]'} ${i.name}: ${i.detail}`);
    const failed = items.filter((i) => !i.ok);
    const summary = failed.length
      ? `APPSIERRA: database check: ${failed.length} of ${items.length} checks failed (${failed.map((i) => i.name).join(', ')}).`
      : `APPSIERRA: database check passed (${items.length} checks).`;
    const show = failed.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(summary, 'Show Log').then((c) => c && log.show(true));
    return items;
  }

  private async initDatabase(): Promise<unknown> {
    const result = await this.progress('Initializing the database…', () => this.deps.core.database.init());
    this.deps.logger.info(`init database: ${result}`);
    void vscode.window.showInformationMessage(`APPSIERRA: ${result}`);
    return result;
  }

  private async databaseHealth(): Promise<unknown> {
    const health = await this.progress('Checking database health…', () => this.deps.core.database.health());
    this.deps.logger.info(`database health: ${health.ok ? 'ok' : 'NOT ok'}: ${health.detail}`);
    const show = health.ok ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    void show(`APPSIERRA: database ${health.ok ? 'healthy' : 'unhealthy'}: ${health.detail}`);
    return health;
  }

  private async persistenceReport(): Promise<unknown> {
    const built = await this.progress('Building the persistence report…', () => this.deps.core.database.report());
    const p = this.deps.settingsProblems?.();
    const content = p ? `${built}\n## Settings\n\n| counter | value |\n|---|---|\n| setting problems, this session | ${p.total} |\n| settings now replaced by their default | ${p.current.length ? p.current.map((k) => `appsierra.${k}`).join(', ') : 'none'} |\n` : built;
    // Read-only virtual document: nothing to save, closing it never prompts.
    await this.reports.show('Persistence Report.md', content);
    return content;
  }

  private async toggleWatch(): Promise<unknown> {
    if (this.watcher) {
      this.watcher.dispose();
      this.watcher = undefined;
      void vscode.commands.executeCommand('setContext', 'appsierra.watchingPersistence', false);
      void vscode.window.showInformationMessage('APPSIERRA: stopped watching persistence.');
      return false;
    }
    this.watcher = new PersistenceWatcher(this.deps.core, this.deps.logger);
    void vscode.commands.executeCommand('setContext', 'appsierra.watchingPersistence', true);
    void vscode.window.showInformationMessage('APPSIERRA: watching persistence in the "APPSIERRA Persistence" output. Run the command again to stop.');
    return true;
  }

  private async exportTrades(arg: ExportArgs | undefined): Promise<unknown> {
    let format = arg?.format;
    if (format !== 'csv' && format !== 'json') {
      const pick = await vscode.window.showQuickPick(
        [
          { label: 'CSV', description: 'one row per trade, opens in a spreadsheet', format: 'csv' as const },
          { label: 'JSON', description: 'the `appsierra trades --json` shape', format: 'json' as const },
        ],
        { title: 'Export trades as' },
      );
      if (!pick) return undefined;
      format = pick.format;
    }
    let uri = typeof arg?.uri === 'string' ? vscode.Uri.file(arg.uri) : arg?.uri;
    if (!uri) {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const name = `appsierra-trades-${new Date().toISOString().slice(0, 10)}.${format}`;
      uri = await vscode.window.showSaveDialog({
        title: 'Export trades',
        defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
        filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
      });
      if (!uri) return undefined;
    }
    const target = uri;
    const chosen = format;
    await this.progress('Exporting trades…', async () => {
      const text = await this.deps.core.database.exportTrades(chosen, arg?.mode);
      await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
    });
    this.deps.logger.info(`exported trades (${chosen}) to ${target.fsPath}`);
    if (!arg?.uri) {
      void vscode.window.showInformationMessage(`APPSIERRA: trades exported to ${target.fsPath}`, 'Open').then((c) => c && vscode.window.showTextDocument(target));
    }
    return target;
  }

  private async setPassword(key: SecretKey, prompt: string): Promise<unknown> {
    const value = await vscode.window.showInputBox({
      title: key === 'dtcPassword' ? 'APPSIERRA: DTC password' : 'APPSIERRA: PostgreSQL password',
      prompt: `${prompt}. Stored in VS Code's secret storage; leave empty to remove it.`,
      password: true,
      ignoreFocusOut: true,
    });
    if (value === undefined) return undefined;
    if (value === '') await this.deps.secrets.delete(key);
    else await this.deps.secrets.store(key, value);
    // Never log the value; only that it changed.
    this.deps.logger.info(`${key} ${value === '' ? 'removed' : 'updated'} in secret storage`);
    await this.deps.secretChanged(key);
    void vscode.window.showInformationMessage(`APPSIERRA: ${key === 'dtcPassword' ? 'DTC' : 'PostgreSQL'} password ${value === '' ? 'removed' : 'saved'}.`);
    return true;
  }
}

/** Rewrites the persistence report in its own output channel whenever AppCore reports a change. */
class PersistenceWatcher implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('APPSIERRA Persistence');
  private readonly unsubscribe: () => void;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private again = false;

  constructor(
    private readonly core: AppCoreApi,
    private readonly logger: AppLogger,
  ) {
    this.channel.show(true);
    this.unsubscribe = core.onDidChange(() => this.schedule());
    void this.refresh();
  }

  private schedule(): void {
    // At most one report per second: building one reads the store.
    if (!this.timer) this.timer = setTimeout(() => ((this.timer = undefined), void this.refresh()), 1000);
  }

  private async refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      const report = await this.core.database.report();
      this.channel.replace(`${report}\n\n(updated ${new Date().toLocaleTimeString()}; run "APPSIERRA: Watch Persistence" again to stop)\n`);
    } catch (e) {
      this.logger.warn(`persistence watch: ${errorText(e)}`);
    } finally {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.schedule();
      }
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.unsubscribe();
    this.channel.dispose();
  }
}

/** A `command:` link's argument is untrusted text from a Markdown file: only a trade id or a day pass. */
function journalArg(arg: unknown): { tradeId?: string; day?: string } | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const { tradeId, day } = arg as Record<string, unknown>;
  if (typeof tradeId === 'string' && tradeId.length > 0 && tradeId.length <= 200) return { tradeId };
  if (typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day)) return { day };
  return undefined;
}
