/**
 * The journal's VS Code side: the panel (with its serializer), the day notes and the two commands
 * that open them, all over the core's JournalModel.
 */
import * as vscode from 'vscode';
import type { AppCoreApi, AppLogger } from '../core/appApi';
import type { JournalModel } from '../core/reports/journalModel';
import { DayNotes } from './dayNotes';
import { JournalPanel, type JournalPanelDeps, type JournalSource } from './journalPanel';
import { Disposable } from './disposable';
import { TrailingThrottle } from './throttle';
import { journalFolderSetting } from './config';

/** Refresh an existing day note at most every 2 s while trades close (the file is the trader's). */
const NOTE_REFRESH_MS = 2000;

export class Journal extends Disposable {
  readonly notes: DayNotes;
  private readonly panelDeps: JournalPanelDeps;
  private readonly noteRefresh: TrailingThrottle;

  constructor(
    private readonly core: AppCoreApi,
    context: vscode.ExtensionContext,
    private readonly logger: AppLogger,
    session: () => { sessionStart: string; timeZone: string },
  ) {
    super();
    const model: JournalModel = core.journal;
    this.notes = new DayNotes({ model, session, folderSetting: journalFolderSetting, state: context.globalState });
    const source: JournalSource = {
      index: () => model.current(),
      sourceLabel: () => {
        const c = core.connectionInfo();
        return `${c.demo ? 'Demo feed · ' : ''}${core.storeDescription()}`;
      },
      fillsOf: (id) => model.fillsOf(id),
      editTags: (ids, add, remove) => model.editTags(ids, add, remove),
      onDidChange: (l) => ({ dispose: model.on('change', l) }),
    };
    this.panelDeps = { source, extensionUri: context.extensionUri, logger, openNote: async (day, tradeId) => void (await this.notes.open(day, tradeId)) };
    this.register(vscode.window.registerWebviewPanelSerializer(JournalPanel.viewType, JournalPanel.serializer(this.panelDeps)));
    this.register({ dispose: () => JournalPanel.instance?.dispose() });
    this.noteRefresh = this.register(new TrailingThrottle(NOTE_REFRESH_MS, () => void this.notes.refresh(this.notes.today()).catch((e: unknown) => logger.warn(`day note refresh: ${String(e)}`))));
    this.register({ dispose: model.on('change', () => this.noteRefresh.schedule()) });
  }

  async open(arg?: { tradeId?: string; day?: string }): Promise<void> {
    // Start building the index now: the panel shows "loading" until it is there.
    void this.core.journal.load().catch((e: unknown) => this.logger.warn(`journal: ${String(e)}`));
    if (arg?.tradeId) JournalPanel.show(this.panelDeps, { tab: 'trades', tradeId: arg.tradeId });
    else if (arg?.day) JournalPanel.show(this.panelDeps, { tab: 'trades', filter: { fromDay: arg.day, toDay: arg.day }, tradeId: null });
    else JournalPanel.show(this.panelDeps);
  }

  async openToday(): Promise<void> {
    await this.notes.open(this.notes.today());
  }
}
