/** Risk breach events (issue 15) in every store: durable, idempotent by id, through the outbox while PostgreSQL is down. */
import * as assert from 'assert';
import { PgStore } from '../../../src/core/store/postgres';
import type { TradeStore } from '../../../src/core/store/types';
import type { RiskEvent } from '../../../src/core/risk';
import { sqliteReopeningStore } from './fixtures';
import { PG_URL, pgOutage, pgSchemaStore, requirePg } from './pgTestEnv';

const event = (account: string, sessionDate: string, kind: RiskEvent['kind'] = 'dailyLoss', timeMs = Date.UTC(2026, 11, 2, 15)): RiskEvent => ({
  id: `${account}|${sessionDate}|${kind}`, account, sessionDate, kind, level: 'breached', limit: 500, used: 512.5, timeMs, message: `${account}: 102% of the daily loss limit used`,
});

function behaviour(name: string, make: () => Promise<{ open(): Promise<TradeStore>; cleanup(): Promise<void> }>): void {
  describe(`risk events: ${name}`, function () {
    it('records once per id, survives reopening, filters by account and session date', async () => {
      const env = await make();
      let store = await env.open();
      try {
        await store.recordRiskEvent!(event('Sim1', '2026-12-01'));
        await store.recordRiskEvent!(event('Sim1', '2026-12-01'));
        await store.recordRiskEvent!(event('Apex-1', '2026-12-02', 'trailing'));
        await store.recordRiskEvent!(event('Sim1', '2026-12-02', 'maxTrades', Date.UTC(2026, 11, 2, 16)));
        await store.close();
        store = await env.open();
        assert.deepStrictEqual((await store.riskEvents!()).map((e) => e.id), ['Sim1|2026-12-01|dailyLoss', 'Apex-1|2026-12-02|trailing', 'Sim1|2026-12-02|maxTrades']);
        assert.deepStrictEqual(await store.riskEvents!({ account: 'Apex-1' }), [event('Apex-1', '2026-12-02', 'trailing')]);
        assert.deepStrictEqual((await store.riskEvents!({ fromDate: '2026-12-02', toDate: '2026-12-02', account: 'Sim1' })).map((e) => e.kind), ['maxTrades']);
      } finally {
        await store.close();
        await env.cleanup();
      }
    });
  });
}

behaviour('SqliteStore (journal replay and snapshot)', async () => sqliteReopeningStore('risk-events'));

describe('risk events on PostgreSQL', function () {
  before(async function () {
    await requirePg(this);
  });

  behaviour('PgStore', async () => pgSchemaStore('risk'));

  describe('ResilientStore outage', () => {
    const outage = pgOutage('riskout');
    const schema = outage.schema;

    it('queues a breach in the outbox while PostgreSQL is down, shows it at once, and replays it once', async () => {
      const direct = new PgStore({ connectionString: PG_URL, schema });
      await direct.recordRiskEvent(event('Sim1', '2026-12-01'));
      const { store, back } = await outage.down();
      assert.strictEqual((await store.health()).state, 'outbox');
      await store.recordRiskEvent(event('Sim1', '2026-12-02'));
      assert.strictEqual((await store.health()).outboxPending, 1);
      assert.deepStrictEqual((await store.riskEvents()).map((e) => e.id), ['Sim1|2026-12-02|dailyLoss'], "down: the outbox's view");

      await back();
      assert.strictEqual(await store.syncNow(), 1);
      const expected = ['Sim1|2026-12-01|dailyLoss', 'Sim1|2026-12-02|dailyLoss'];
      assert.deepStrictEqual((await direct.riskEvents()).map((e) => e.id), expected);
      assert.deepStrictEqual((await store.riskEvents()).map((e) => e.id), expected);
      assert.strictEqual((await store.health()).outboxPending, 0);
      await store.close();
      await direct.close();
    });
  });
});
