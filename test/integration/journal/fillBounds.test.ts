import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { openStore } from '../../../src/core/store';
import { TradeJournal } from '../../../src/core/journal';
import { ContractSpecs } from '../../../src/core/trading';
import { decodeBinary, encodeBinary, normalizeTimes, type DtcMessage } from '../../../src/core/dtc';
import { MessageType } from '../../../src/core/dtc/messageTypes';
import { orderFill } from '../../fixtures/streams';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const T = Date.UTC(2026, 10, 3, 15, 0);

/** Through the real binary codec and time normalization, as the DTC client delivers it. */
function wire(msg: Record<string, unknown>): DtcMessage {
  return normalizeTimes(decodeBinary(encodeBinary(msg as DtcMessage))!);
}

/** Issue 10.6: absurd fills are refused with a counted, named problem and never stored. */
describe('TradeJournal refuses fills outside sane bounds (real sql.js file, binary codec)', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-bounds-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('LastFillQuantity 1e300, LastFillDateTime -5 and a historical price of 1e300 are refused; the good fills make their trade', async () => {
    const store = await openStore(`sqlite:${path.join(dir, 'j.db')}`);
    const journal = new TradeJournal({ store, specs: new ContractSpecs(), simPattern: '^sim', startingBalance: 10000 });
    const problems: string[] = [];
    try {
      await journal.open();
      journal.subscribe({ onProblem: (m) => problems.push(m) });
      const base = { account: 'Sim1', symbol: 'MESZ5', side: 'BUY' as const, qty: 1, price: 5000, timeMs: T };
      await journal.handle(wire(orderFill({ ...base, execId: 'huge', qty: 1e300 })));
      // LastFillDateTime -5 (ms on the wire): before 1970.
      await journal.handle(wire({ ...orderFill({ ...base, execId: 'old' }), LastFillDateTime: -5 }));
      await journal.handle(wire({
        Type: MessageType.HISTORICAL_ORDER_FILL_RESPONSE, RequestID: 1, MessageNumber: 1, TotalNumberMessages: 1, Symbol: 'MESZ5', TradeAccount: 'Sim1',
        ServerOrderID: 'h', BuySell: 1, Price: 1e300, Quantity: 1, DateTime: T / 1000, UniqueExecutionID: 'pricey',
      }));
      await journal.flush();
      assert.strictEqual(journal.counters.rejectedFills, 3);
      assert.ok(journal.counters.errors >= 3);
      for (const id of ['huge', 'old', 'pricey']) assert.strictEqual(await store.hasFill('Sim1', id), false, `${id} is not stored`);
      assert.deepStrictEqual(await store.openPositions(), [], 'no position from a refused fill');
      assert.deepStrictEqual(journal.alerts.keys('fill').sort(), ['price', 'quantity', 'time']);
      assert.ok(problems.some((m) => /"huge" .*refused: quantity .*1e\+300/.test(m)), problems.join('\n'));
      assert.ok(problems.some((m) => /"old" .*refused: the time must be between 2000-01-01/.test(m)), problems.join('\n'));
      assert.ok(problems.some((m) => /"pricey" .*refused: price/.test(m)), problems.join('\n'));

      await journal.handle(wire(orderFill({ ...base, execId: 'a' })));
      await journal.handle(wire(orderFill({ ...base, execId: 'b', side: 'SELL', price: 5002, timeMs: T + 60_000 })));
      await journal.flush();
      const trades = await store.trades();
      assert.strictEqual(trades.length, 1);
      assert.strictEqual(trades[0].grossPnl, 10);
      assert.strictEqual(journal.ledger.balance('Sim1'), 10000 + trades[0].netPnl);
    } finally {
      journal.dispose();
      await store.close();
    }
  });

  it('appsierra ingest names the refused fill on stderr, counts it as an error (exit 3) and stores nothing for it', () => {
    const store = `sqlite:${path.join(dir, 'c.db')}`;
    const line = JSON.stringify(orderFill({ account: 'Sim1', symbol: 'MESZ5', side: 'BUY', qty: 1e300, price: 5000, timeMs: T, execId: 'huge' }));
    const r = spawnSync(process.execPath, [cli, 'ingest', '--store', store, '-'], { input: line + '\n', encoding: 'utf8' });
    assert.strictEqual(r.status, 3, r.stdout + r.stderr);
    assert.match(r.stderr, /"huge" for Sim1 MESZ5 refused: quantity/);
    assert.strictEqual(JSON.parse(r.stdout.trim().split('\n').pop()!).openPositions, 0);
    const trades = spawnSync(process.execPath, [cli, 'trades', '--store', store, '--json'], { encoding: 'utf8' });
    assert.deepStrictEqual(JSON.parse(trades.stdout), []);
  });
});
