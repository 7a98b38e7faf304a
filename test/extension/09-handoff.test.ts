import * as assert from 'assert';
import * as fs from 'fs';
import { api, exportTradesJson, handoffFile, tradesOf } from './helpers';

/** Last suite of the first session: records what a reload must find again (persistence.reload.ts). */
describe('hand-off to the reload session', () => {
  it('records the stored trades and the SIM balance', async function () {
    const file = handoffFile();
    if (!file) {
      // Only the code-server harness runs a second session (it sets APPSIERRA_E2E_HANDOFF); say so, never hide it.
      console.log('    (APPSIERRA_E2E_HANDOFF not set: no reload session will check persistence in this run)');
      this.skip();
    }
    const a = await api();
    const trades = tradesOf(await exportTradesJson());
    assert.ok(trades.length >= 1, 'no trade stored: the reload session would have nothing to find');
    // The session reset the SIM balance, so the ledger holds an event a fresh start would not have.
    assert.ok(a.snapshot('balance').lastReset, 'no lastReset after the session reset the SIM balance');
    const b = a.snapshot('balance');
    const data = {
      tradeIds: trades.map((t) => String(t.id)).sort(),
      balance: b.balance,
      lastReset: b.lastReset,
      account: b.account,
      statsTrades: a.snapshot('stats').grid.trades,
      storageDir: a.storageDir,
    };
    fs.writeFileSync(file!, JSON.stringify(data, null, 2));
    console.log(`    hand-off: ${data.tradeIds.length} trade(s), balance ${data.balance}`);
  });
});
