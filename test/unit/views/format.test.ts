import * as assert from 'assert';
import { countOf, fixed2Grouped, formatAxisMoney, formatMoney, formatTimeEnds, formatTimestamp } from '../../../src/shared/format';

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

describe('money and times without Intl (the journal paints its first rows before any Intl is made)', () => {
  const intl = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  it("writes what Intl.NumberFormat('en-US') writes: half-up on the shortest decimal, grouped, any magnitude", () => {
    const edges = [0, 0.004, 0.005, 0.015, 0.125, 0.995, 1.005, 2.675, 4.35, 999.995, 1041.52, 123456789.125, 1e15 + 0.125, 5e-7, 1.45e-5, 1e21, 1.2345e25, Number.MAX_VALUE, Number.MIN_VALUE];
    // A fixed pseudo-random spread: cents, half-cents and arbitrary doubles from 1e-4 to 1e10.
    let s = 12345;
    const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const spread = Array.from({ length: 20000 }, (_, i) => (i % 3 === 0 ? Math.round(rand() * 1e8) / 100 : i % 3 === 1 ? Math.round(rand() * 1e7) / 100 + 0.005 : rand() * 10 ** (Math.floor(rand() * 14) - 4)));
    for (const x of [...edges, ...spread]) assert.strictEqual(fixed2Grouped(x), intl.format(x), String(x));
  });

  it('formatMoney keeps its signs and dashes', () => {
    assert.deepStrictEqual([formatMoney(1234.5, true), formatMoney(-87.254), formatMoney(-0.004, true), formatMoney(null), formatMoney(Infinity)], ['+$1,234.50', '-$87.25', '$0.00', '—', '∞']);
  });

  it('formatTimestamp: local date and 24-hour time, zero-padded', () => {
    assert.strictEqual(formatTimestamp(new Date(2025, 5, 1, 14, 5, 2).getTime()), '2025-06-01 14:05:02');
    assert.strictEqual(formatTimestamp(new Date(2026, 11, 31, 0, 0, 0).getTime()), '2026-12-31 00:00:00');
  });
});
