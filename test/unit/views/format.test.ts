import * as assert from 'assert';
import { countOf } from '../../../src/shared/format';

describe('countOf (one plural rule for every view)', () => {
  it('says "1 trade" and "2 trades", never "1 trades"', () => {
    assert.strictEqual(countOf(1, 'trade'), '1 trade');
    assert.strictEqual(countOf(0, 'trade'), '0 trades');
    assert.strictEqual(countOf(2, 'trade'), '2 trades');
    assert.strictEqual(countOf(1, 'loss', 'losses'), '1 loss');
    assert.strictEqual(countOf(3, 'loss', 'losses'), '3 losses');
  });
});
