import * as assert from 'assert';
import { parseSelection, SELECTION_KEY, SelectionState, type SelectionMemento } from '../../../src/views/selection';

class Memento implements SelectionMemento {
  readonly data = new Map<string, unknown>();
  get(key: string): unknown {
    return this.data.get(key);
  }
  async update(key: string, value: unknown): Promise<void> {
    this.data.set(key, value);
  }
}

const accounts = { accounts: () => [{ account: 'Sim1', mode: 'SIM' as const }, { account: 'Live1', mode: 'LIVE' as const }] };

describe('selection (shared by every view, remembered per workspace)', () => {
  it('starts at all SIM accounts, 1D; remembers changes in the memento and restores them', () => {
    const m = new Memento();
    const s = new SelectionState(m, accounts);
    assert.deepStrictEqual(s.current, { mode: 'SIM', account: null, timeframe: '1D' });
    s.setTimeframe('ALL');
    s.setAccount('Live1');
    assert.deepStrictEqual(m.data.get(SELECTION_KEY), { mode: 'LIVE', account: 'Live1', timeframe: 'ALL' });
    assert.deepStrictEqual(new SelectionState(m, accounts).current, { mode: 'LIVE', account: 'Live1', timeframe: 'ALL' });
  });

  it('an unknown account is refused; another mode drops an account of the old one', () => {
    const s = new SelectionState(new Memento(), accounts);
    let changes = 0;
    s.onDidChange(() => changes++);
    s.setAccount('Nope');
    assert.strictEqual(s.current.account, null);
    assert.strictEqual(changes, 0);
    s.setAccount('Sim1');
    s.setMode('LIVE');
    assert.deepStrictEqual(s.current, { mode: 'LIVE', account: null, timeframe: '1D' });
    assert.strictEqual(changes, 2);
  });

  it('a stored value is checked field by field', () => {
    assert.deepStrictEqual(parseSelection({ mode: 'PAPER', account: 5, timeframe: '2Y' }), { mode: 'SIM', account: null, timeframe: '1D' });
    assert.deepStrictEqual(parseSelection('junk'), { mode: 'SIM', account: null, timeframe: '1D' });
    assert.deepStrictEqual(parseSelection({ mode: 'LIVE', account: 'Live1', timeframe: 'YTD' }), { mode: 'LIVE', account: 'Live1', timeframe: 'YTD' });
  });
});
