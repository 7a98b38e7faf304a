import * as assert from 'assert';
import { DEFAULT_JOURNAL_STATE, isJournalRequest, isJournalViewState, isTradeFilter } from '../../../src/shared/journalProtocol';

describe('journal panel protocol guard', () => {
  const page = { type: 'page', seq: 1, filter: { mode: 'SIM' }, sort: { column: 'netPnl', dir: 'asc' }, offset: 0, limit: 200 };

  it('accepts every request the panel sends', () => {
    for (const m of [
      { type: 'ready' },
      page,
      { type: 'report', seq: 2, filter: { tag: 'A+', side: 'LONG', outcome: 'win' }, by: 'hour' },
      { type: 'calendar', seq: 3, filter: { account: null, fromDay: '2026-12-01', toDay: '2026-12-01' }, year: 2026, month: 12 },
      { type: 'detail', seq: 4, tradeId: 'Sim1|MESZ5|E1' },
      { type: 'tags', tradeIds: ['a', 'b'], add: ['setup-1'], remove: [] },
      { type: 'openNote', day: '2026-12-01', tradeId: null },
      { type: 'state', state: DEFAULT_JOURNAL_STATE },
    ]) assert.ok(isJournalRequest(m), JSON.stringify(m));
  });

  it('refuses forged or broken messages (unknown types and keys, bad values, oversized pages)', () => {
    for (const m of [
      null, 'page', [], { type: 'nope' }, { type: 'page' },
      { ...page, seq: -1 }, { ...page, limit: 100_000 }, { ...page, offset: 1.5 },
      { ...page, sort: { column: 'password', dir: 'asc' } }, { ...page, sort: { column: 'netPnl', dir: 'up' } },
      { ...page, filter: { mode: 'PAPER' } }, { ...page, filter: { sql: '1=1' } }, { ...page, filter: { fromDay: '2026-1-1' } },
      { ...page, filter: { symbol: 'x'.repeat(10_000) } },
      { type: 'report', seq: 1, filter: {}, by: 'planet' },
      { type: 'calendar', seq: 1, filter: {}, year: 2026, month: 13 },
      { type: 'tags', tradeIds: [], add: ['x'], remove: [] },
      { type: 'tags', tradeIds: ['a'], add: [1], remove: [] },
      { type: 'openNote', day: '../../etc/passwd', tradeId: null },
      { type: 'state', state: { ...DEFAULT_JOURNAL_STATE, tab: 'admin' } },
    ]) assert.ok(!isJournalRequest(m), JSON.stringify(m)?.slice(0, 80));
  });

  it('view state and filters: every field checked, unknown keys refused', () => {
    assert.ok(isJournalViewState({ ...DEFAULT_JOURNAL_STATE, month: '2026-12', tradeId: 'x' }));
    assert.ok(!isJournalViewState({ ...DEFAULT_JOURNAL_STATE, month: 'December' }));
    assert.ok(isTradeFilter({}));
    assert.ok(isTradeFilter({ fromMs: 0, toMs: 1_800_000_000_000, account: 'Sim1' }));
    assert.ok(!isTradeFilter({ fromMs: -1 }));
    assert.ok(!isTradeFilter({ extra: 1 }));
  });
});
