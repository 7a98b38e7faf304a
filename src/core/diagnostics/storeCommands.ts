/**
 * The store commands of the extension (Check Database, Initialize, Health, Persistence Report,
 * Export): the CLI's diagnostics (database.ts) run against the configured store, plus what only
 * the running window knows (commits waiting in memory, the SIM mirror, the DTC client's counters).
 */
import * as path from 'path';
import type { CheckItem } from '../appApi';
import type { AppSettings, SecretKey } from '../settings';
import type { DtcClientCounters } from '../dtc';
import type { TradeSession } from '../session';
import type { ContractSpecs } from '../trading';
import type { Mode } from '../trading/types';
import { OUTBOX_FILE } from '../store';
import { homeOf } from '../storeSession';
import { checkStore, initStore, storeHealth, type StoreDiagOptions } from './database';
import { exportTrades } from '../export';

export interface StoreCommandsHost {
  /** The configured store's URL (it changes when the store is reopened). */
  storeUrl(): string;
  storageDir: string;
  wasmPath?: string;
  getSecret(key: SecretKey): Promise<string | undefined>;
  settings(): AppSettings;
  specs: ContractSpecs;
  /** The current session, once the store has loaded (or failed loudly). */
  session(): Promise<TradeSession>;
  clientCounters(): DtcClientCounters | null;
  /** The risk guard's counters (notices said, breaches recorded, breaches the store refused). */
  riskCounters?(): { notices: number; breaches: number; recordFailures: number };
}

export class StoreCommands {
  constructor(private readonly host: StoreCommandsHost) {}

  /**
   * The same checks as `appsierra db check` (configuration, connectivity, schema, a real
   * write/read round trip, outbox, lock holder; SQLite is opened read-only beside our writer),
   * deep (trades rebuilt from their fills, the SIM ledger checked against them), plus what only
   * this window knows.
   */
  async check(): Promise<CheckItem[]> {
    const session = await this.host.session();
    const sim = this.host.settings().sim;
    const deep = { specs: this.host.specs, simPattern: sim.accountPattern, startingBalance: sim.startingBalance };
    const items = await checkStore(this.host.storeUrl(), { ...(await this.diagOptions()), deep });
    return [...items, ...session.checks.own()];
  }

  async init(): Promise<string> {
    const session = await this.host.session();
    const version = await session.checks.schemaVersion();
    if (version !== null) return `${session.storeInfo.description}: schema version ${version} is current (migrations run when the store opens).`;
    return initStore(this.host.storeUrl(), await this.diagOptions());
  }

  async health(): Promise<{ ok: boolean; detail: string }> {
    const open = await (await this.host.session()).checks.health();
    return open ?? storeHealth(this.host.storeUrl(), await this.diagOptions());
  }

  async report(): Promise<string> {
    const session = await this.host.session();
    return (await session.checks.report()) + dtcCountersSection(this.host.clientCounters()) + riskCountersSection(this.host.riskCounters?.() ?? null);
  }

  async exportTrades(format: 'csv' | 'json', mode?: Mode): Promise<string> {
    const session = await this.host.session();
    return exportTrades(await session.trades(mode ? { mode } : undefined), format, await session.tradeTags());
  }

  private async diagOptions(): Promise<StoreDiagOptions> {
    const home = homeOf(this.host.storeUrl(), this.host.storageDir);
    const password = await this.host.getSecret('postgresPassword');
    return { wasmPath: this.host.wasmPath, outboxPath: path.join(home, OUTBOX_FILE), password };
  }
}

/** The DTC client's counters as a report section: bad input is counted, never silent. */
/** The risk guard's counters this session: a breach the store refused is counted, never silent. */
export function riskCountersSection(c: { notices: number; breaches: number; recordFailures: number } | null): string {
  if (!c) return '';
  return `\n## Risk guard\n\n| counter | value |\n|---|---|\n| notices, this session | ${c.notices} |\n| breaches recorded, this session | ${c.breaches} |\n| breaches the store refused | ${c.recordFailures} |\n`;
}

export function dtcCountersSection(c: DtcClientCounters | null): string {
  if (!c) return '\n\n## DTC connection\n\nNo DTC client is running: nothing counted.\n';
  const rows: [string, number][] = [
    ['frames received', c.framesIn],
    ['malformed messages, this session', c.malformed],
    ['malformed messages, this connection', c.malformedThisConnection],
    ['truncated frames', c.truncatedFrames],
    ['undecodable bytes', c.undecodableBytes],
    ['unknown message types', c.unknownTypes],
    ['unsolicited logon responses', c.unsolicitedLogonResponses],
    ['reconnects', c.reconnects],
  ];
  return `\n\n## DTC connection\n\n| counter | value |\n|---|---|\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n`;
}
