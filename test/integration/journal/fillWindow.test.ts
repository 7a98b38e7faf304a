import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { openStore } from '../../../src/core/store';
import { TradeJournal } from '../../../src/core/journal';
import { ContractSpecs } from '../../../src/core/trading';
import { decodeBinary, encodeBinary, normalizeTimes, type DtcMessage } from '../../../src/core/dtc';
import { MessageType } from '../../../src/core/dtc/messageTypes';
import { orderFill } from '../../fixtures/streams';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 3, 15, 0);

function wire(msg: Record<string, unknown>): DtcMessage {
  return normalizeTimes(decodeBinary(encodeBinary(msg as DtcMessage))!);
}

/** Issue 12: fill keys on demand. Only recent keys are loaded; an older fill is looked up in the store. */
describe('TradeJournal holds only recent fill keys; an older fill is asked of the store (real SQLite file)', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-window-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a replayed fill older than the window is a counted duplicate, never a second position; a new old fill is applied', async () => {
    const url = `sqlite:${path.join(dir, 'j.db')}`;
    const old = { account: 'Sim1', symbol: 'MESZ5', side: 'BUY' as const, qty: 1, price: 5000, timeMs: NOW - 40 * DAY };
    let store = await openStore(url);
    let journal = new TradeJournal({ store, specs: new ContractSpecs(), simPattern: '^sim', startingBalance: 10000, now: () => NOW, fillKeyWindowMs: 10 * DAY });
    await journal.open();
    await journal.handle(wire(orderFill({ ...old, execId: 'old1' })));
    await journal.handle(wire(orderFill({ ...old, execId: 'new1', timeMs: NOW - DAY })));
    await journal.flush();
    journal.dispose();
    await store.close();

    store = await openStore(url);
    journal = new TradeJournal({ store, specs: new ContractSpecs(), simPattern: '^sim', startingBalance: 10000, now: () => NOW, fillKeyWindowMs: 10 * DAY });
    try {
      await journal.open();
      assert.strictEqual(journal.engine.knowsFill('Sim1', 'new1'), true, 'a recent key is loaded');
      assert.strictEqual(journal.engine.knowsFill('Sim1', 'old1'), false, 'an old key is not');
      const qty = () => journal.engine.positions().find((p) => p.account === 'Sim1')?.qty;
      assert.strictEqual(qty(), 2);
      // The same old fill again, live and from the fill history: looked up, counted, not applied.
      await journal.handle(wire(orderFill({ ...old, execId: 'old1' })));
      await journal.handle(wire({
        Type: MessageType.HISTORICAL_ORDER_FILL_RESPONSE, RequestID: 1, MessageNumber: 1, TotalNumberMessages: 1, Symbol: 'MESZ5', TradeAccount: 'Sim1',
        ServerOrderID: 'h', BuySell: 1, Price: 5000, Quantity: 1, DateTime: old.timeMs / 1000, UniqueExecutionID: 'old1',
      }));
      await journal.flush();
      assert.strictEqual(journal.counters.duplicateFills, 2);
      assert.strictEqual(qty(), 2, 'no second position from a replayed old fill');
      assert.strictEqual(journal.engine.knowsFill('Sim1', 'old1'), true, 'remembered once looked up');
      // An old fill the store does not have is applied as before.
      await journal.handle(wire(orderFill({ ...old, execId: 'old2', side: 'SELL' })));
      await journal.flush();
      assert.strictEqual(qty(), 1);
      assert.strictEqual(await store.hasFill('Sim1', 'old2'), true);
    } finally {
      journal.dispose();
      await store.close();
    }
  });
});
