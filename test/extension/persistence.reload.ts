/**
 * Second session (APPSIERRA_E2E_PHASE=reload): a new code-server, a new workbench and a new extension
 * host over the first session's user-data-dir. The trades and the SIM balance must still be there.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { api, exportTradesJson, handoffFile, tradesOf, waitFor } from './helpers';

interface Handoff {
  tradeIds: string[];
  balance: number | null;
  lastReset: number | null;
  account: string | null;
  statsTrades: number;
  storageDir: string;
}

describe('persistence across a reload (second session, same user-data-dir)', () => {
  let before: Handoff;

  it('the first session left a hand-off', () => {
    const file = handoffFile();
    assert.ok(file, 'APPSIERRA_E2E_HANDOFF is not set');
    assert.ok(fs.existsSync(file), `no hand-off at ${file}: the first session did not get as far as storing a trade`);
    before = JSON.parse(fs.readFileSync(file, 'utf8')) as Handoff;
  });

  it('uses the same globalStorage folder, with the store file in it', async () => {
    const a = await api();
    assert.ok(before, 'no hand-off');
    assert.strictEqual(a.storageDir, before.storageDir);
    const files = fs.readdirSync(a.storageDir);
    assert.ok(files.some((f) => /\.(db|sqlite)$/.test(f)), `no store file in ${a.storageDir}: ${files.join(', ')}`);
    for (const f of files) console.log(`    ${f} ${fs.statSync(path.join(a.storageDir, f)).size} bytes`);
  });

  it('finds the same trades in the store', async () => {
    assert.ok(before, 'no hand-off');
    const ids = tradesOf(await exportTradesJson()).map((t) => String(t.id)).sort();
    assert.deepStrictEqual(ids, before.tradeIds);
    const a = await api();
    a.selection.setAccount(before.account);
    a.selection.setTimeframe('ALL');
    await waitFor(() => a.snapshot('stats').grid.trades === before.tradeIds.length, `ALL-time stats to count ${before.tradeIds.length} trade(s)`, 10000);
  });

  it('finds the same SIM balance and its last reset', async () => {
    assert.ok(before, 'no hand-off');
    const a = await api();
    a.selection.setAccount(before.account);
    await waitFor(() => a.snapshot('balance').balance === before.balance, `balance ${before.balance} (now ${a.snapshot('balance').balance})`, 10000);
    assert.ok(before.lastReset, 'the first session recorded no reset');
    assert.strictEqual(a.snapshot('balance').lastReset, before.lastReset);
  });
});
