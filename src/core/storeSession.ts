/**
 * The TradeSession of the configured store: where the store lives (the `database` settings, else
 * SQLite in the extension's storage folder), its password, its own folder for the outbox and the
 * SIM mirror (two stores never share them), and how a follower polls the writer.
 */
import * as path from 'path';
import type { AppCoreOptions } from './appApi';
import type { AppSettings } from './settings';
import type { ContractSpecs } from './trading';
import { TradeSession } from './session';
import { openStore, resolveStoreUrl, maskUrl, OUTBOX_FILE, STORE_FILE, storeHome } from './store';

/** A follower (another window holds the writer lock) polls for the writer's commits this often. */
const FOLLOW_MS = 2000;

export type StoreSessionDeps = Pick<AppCoreOptions, 'storageDir' | 'wasmPath' | 'getSecret' | 'logger'> & { now: () => number };

export function sessionForSettings(settings: AppSettings, specs: ContractSpecs, deps: StoreSessionDeps): { session: TradeSession; url: string } {
  const url = resolveStoreUrl(settings.database, path.join(deps.storageDir, STORE_FILE));
  const dir = homeOf(url, deps.storageDir);
  const session = new TradeSession({
    storeDescription: maskUrl(url),
    openStore: async (hooks) =>
      openStore(url, {
        password: url.startsWith('postgres') ? await deps.getSecret('postgresPassword') : undefined,
        wasmPath: deps.wasmPath,
        outboxPath: path.join(dir, OUTBOX_FILE),
        followMs: FOLLOW_MS,
        ...hooks,
      }),
    sim: settings.sim,
    specs,
    mirrorDir: dir,
    assumedStop: { defaultStopTicks: settings.risk.defaultStopTicks, byRoot: settings.risk.stopTicksByRoot },
    logger: deps.logger,
    now: deps.now,
    // The fill history a connect asks for, and a day either side: older fills are looked up (issue 12).
    fillKeyWindowMs: (settings.dtc.fillHistoryDays + 2) * 86_400_000,
  });
  return { session, url };
}

/** A store's own folder; an invalid URL fails at open with its own message. */
export function homeOf(url: string, storageDir: string): string {
  try {
    return storeHome(url, storageDir);
  } catch {
    return storageDir;
  }
}
