/** Deterministic commit units for the store tests (not a test file itself). */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SqliteStore } from '../../../src/core/store/sqlite';
import type { CommitUnit } from '../../../src/core/store/types';
import type { Fill, OpenPosition, Trade } from '../../../src/core/trading/types';

export function tmpDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `appsierra-store-${tag}-`));
}

export function fill(n: number, over: Partial<Fill> = {}): Fill {
  return { account: 'Sim1', executionId: `E${n}`, symbol: 'MESZ5', side: n % 2 ? 'SELL' : 'BUY', qty: 1, price: 5000 + n / 4, timeMs: 1_700_000_000_000 + n * 1000, fee: 0.62, serverOrderId: `O${n}`, highDuringPosition: null, lowDuringPosition: null, positionAfter: null, source: 'ingest', ...over };
}

export function trade(n: number, over: Partial<Trade> = {}): Trade {
  return { id: `T${n}`, account: 'Sim1', mode: 'SIM', symbol: 'MESZ5', root: 'MES', side: 'LONG', qty: 1, maxPosition: 1, entryTime: 1_700_000_000_000 + n * 1000 - 500, exitTime: 1_700_000_000_000 + n * 1000, avgEntryPrice: 5000, avgExitPrice: 5001.25, grossPnl: 6.25, commissions: 1.24, netPnl: 5.01, mae: -2.5, mfe: 7.5, rMultiple: null, fillIds: [`E${n - 1}`, `E${n}`], ...over };
}

export function position(account: string, symbol: string, qty: number): OpenPosition {
  return { account, mode: 'SIM', symbol, qty, avgPrice: 5000.25, entryFees: 0.62, tradeId: `T-open-${symbol}`, side: qty > 0 ? 'LONG' : 'SHORT', openedQty: Math.abs(qty), maxPosition: Math.abs(qty), entryTime: 1_700_000_000_000, lastFillTime: 1_700_000_001_000, entryNotional: 5000.25, exitNotional: 0, exitQty: 0, grossPnl: 0, commissions: 0, highPrice: null, lowPrice: null, initialStop: null, fillIds: ['E0'] };
}

/** Fill n closes trade n (odd n), opening fills (even n) leave a position. */
export function unit(n: number, over: { account?: string; mode?: 'SIM' | 'LIVE' } = {}): CommitUnit {
  const account = over.account ?? 'Sim1';
  const closes = n % 2 === 1;
  return {
    fill: fill(n, { account }),
    trades: closes ? [trade(n, { account, mode: over.mode ?? 'SIM' })] : [],
    position: closes ? null : position(account, 'MESZ5', 1),
    positionKey: { account, symbol: 'MESZ5' },
    simEvents: closes && (over.mode ?? 'SIM') === 'SIM' ? [{ id: `pnl:T${n}`, account, kind: 'pnl', amount: 5.01, timeMs: 1_700_000_000_000 + n * 1000, tradeId: `T${n}`, note: null }] : [],
  };
}

/** One free-port helper for every test (pgTestEnv's). */
export { freePort } from './pgTestEnv';

/** Runs the bundled CLI (dist/cli.js) with extra environment. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, input?: string) {
  const cli = path.resolve(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');
  const r = spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * A store factory for the shared behaviour suites: a SQLite file in a fresh folder whose first open
 * journals every change and whose later opens snapshot after each one (both recovery paths).
 */
export function sqliteReopeningStore(tag: string): { open: () => Promise<SqliteStore>; cleanup: () => Promise<void> } {
  const dir = tmpDir(tag);
  const file = path.join(dir, 'appsierra.db');
  let n = 0;
  return {
    open: async () => {
      const s = new SqliteStore(file, { snapshotEvery: n++ === 0 ? 1000 : 1 });
      await s.open();
      return s;
    },
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
