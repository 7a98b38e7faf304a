import * as assert from 'assert';
import { countOf, formatAxisMoney, formatTimeEnds } from '../../../src/shared/format';

describe('countOf (one plural rule for every view)', () => {
  it('says "1 trade" and "2 trades", never "1 trades"', () => {
    assert.strictEqual(countOf(1, 'trade'), '1 trade');
    assert.strictEqual(countOf(0, 'trade'), '0 trades');
    assert.strictEqual(countOf(2, 'trade'), '2 trades');
    assert.strictEqual(countOf(1, 'loss', 'losses'), '1 loss');
    assert.strictEqual(countOf(3, 'loss', 'losses'), '3 losses');
  });
});

describe('chart axis values (issue 9 item 15)', () => {
  it('short money: whole dollars, k and M, a sign on non-zero values', () => {
    assert.deepStrictEqual([0, 0.2, 47.48, -47.48, 1041.52, -15000, 123456, 1.5e6].map(formatAxisMoney), ['$0', '$0', '+$47', '-$47', '+$1k', '-$15k', '+$123k', '+$1.5M']);
    assert.strictEqual(formatAxisMoney(1250), '+$1.3k');
  });
  it('time ends: clock times within one day, dates across days', () => {
    const t = Date.UTC(2026, 11, 2, 14, 5);
    assert.deepStrictEqual(formatTimeEnds(t, t + 3_600_000, 'UTC'), ['14:05', '15:05']);
    assert.deepStrictEqual(formatTimeEnds(t - 86_400_000 * 3, t, 'UTC'), ['Nov 29', 'Dec 2']);
  });
});
