import * as vscode from 'vscode';
import { SETTING_KEYS, SHELL_SETTING_KEYS, validateSettings, type AppSettings, type SettingKey, type SettingsProblem } from '../core/settings';

export { SETTING_KEYS };

export const SECTION = 'appsierra';

/** Shell-only setting: start the demo feed when VS Code starts. */
export const DEMO_ON_LAUNCH_KEY: (typeof SHELL_SETTING_KEYS)[number] = 'demoFeed.startOnLaunch';

/** Reads the `appsierra` configuration into AppSettings; bad values come back as problems. */
export function readSettings(): { settings: AppSettings; problems: SettingsProblem[] } {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const raw: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const value = cfg.get<unknown>(key);
    if (value === undefined) continue;
    const parts = key.split('.');
    let node = raw;
    for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]] = value;
  }
  return validateSettings(raw);
}

/** Shell-only setting: the folder of the day notes ('' = `journal/` in the first workspace folder). */
export const JOURNAL_FOLDER_KEY: (typeof SHELL_SETTING_KEYS)[number] = 'journal.folder';

export function journalFolderSetting(): string {
  const v = vscode.workspace.getConfiguration(SECTION).get<unknown>(JOURNAL_FOLDER_KEY, '');
  return typeof v === 'string' ? v : '';
}

export function demoOnLaunch(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>(DEMO_ON_LAUNCH_KEY, false) === true;
}

/** The dotted keys (without `appsierra.`) an edit touched, so AppCore reacts only to those. */
export function changedKeys(e: vscode.ConfigurationChangeEvent): SettingKey[] {
  return SETTING_KEYS.filter((k) => e.affectsConfiguration(`${SECTION}.${k}`));
}

/**
 * Shows each settings problem once per session as a warning with "Open Settings", and logs it
 * every time (a fixed and re-broken value is logged again but not re-notified).
 */
export class SettingsProblemReporter {
  private readonly shown = new Set<string>();
  /** Diagnostics: bad values met this session (every report counts), and the keys of the latest read. */
  readonly counters = { total: 0, current: [] as string[] };

  constructor(private readonly log: (msg: string) => void) {}

  report(problems: SettingsProblem[]): void {
    this.counters.total += problems.length;
    this.counters.current = problems.map((p) => p.key);
    for (const p of problems) {
      this.log(p.message);
      if (this.shown.has(p.message)) continue;
      this.shown.add(p.message);
      void vscode.window.showWarningMessage(p.message, 'Open Settings').then((choice) => {
        // contractSpecs problems name a root (contractSpecs.MES); the setting itself is contractSpecs
        const key = p.key.startsWith('contractSpecs') ? 'contractSpecs' : p.key;
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.${key}`);
      });
    }
  }
}
