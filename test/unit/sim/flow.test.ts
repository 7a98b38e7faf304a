import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decodeBinary, encodeBinary, normalizeTimes, type DtcMessage } from '../../../src/core/dtc';
import { MessageType } from '../../../src/core/dtc/messageTypes';
import { ContractSpecs, TradeEngine, fillFromOrderUpdate, isDtcProblem, BuySellEnum, OrderUpdateReasonEnum } from '../../../src/core/trading';
import { SimBalanceLedger, SimBalanceMirror } from '../../../src/core/sim';

/** DTC bytes -> fills -> trades -> SIM ledger -> mirror file, using only the public exports. */
describe('sim: DTC fills to SIM balance, end to end', () => {
  it('a SIM round trip moves the SIM balance by its net; a LIVE one does not', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simflow-'));
    try {
      const engine = new TradeEngine({ specs: new ContractSpecs() });
      const ledger = new SimBalanceLedger(10000);
      const mirror = new SimBalanceMirror(dir);
      const t = Date.UTC(2025, 10, 3, 15, 0);
      const msgs: DtcMessage[] = [
        ['Sim1', 'a', BuySellEnum.BUY, 5000],
        ['Sim1', 'b', BuySellEnum.SELL, 5010],
        ['700123', 'c', BuySellEnum.BUY, 5000],
        ['700123', 'd', BuySellEnum.SELL, 4990],
      ].map(([acct, id, side, price], i) => ({
        Type: MessageType.ORDER_UPDATE, Symbol: 'MESZ5', TradeAccount: acct, ServerOrderID: `o${i}`, OrderUpdateReason: OrderUpdateReasonEnum.ORDER_FILLED,
        BuySell: side, LastFillPrice: price, LastFillQuantity: 1, LastFillDateTime: t + i * 1000, LastFillExecutionID: id,
      }));
      for (const m of msgs) {
        const fill = fillFromOrderUpdate(normalizeTimes(decodeBinary(encodeBinary(m))!));
        assert.ok(fill && !isDtcProblem(fill));
        for (const trade of engine.apply(fill).trades) for (const ev of ledger.eventsForTrade(trade)) ledger.add(ev);
      }
      // SIM: 10 points x $5 - 1.24 fees = 48.76.
      assert.strictEqual(ledger.balance('Sim1'), 10048.76);
      assert.deepStrictEqual(ledger.accounts(), ['Sim1']);
      assert.deepStrictEqual(mirror.write(ledger, { nowMs: t, timeZone: 'UTC' }), { ok: true });
      assert.strictEqual(JSON.parse(fs.readFileSync(mirror.path, 'utf8')).balance, 10048.76);
      assert.deepStrictEqual(mirror.compare(ledger, { nowMs: t, timeZone: 'UTC' }), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
