import * as assert from 'assert';
import { downsampleEquity } from '../../../src/core/stats/downsample';

describe('downsampleEquity', () => {
  it('keeps short curves as they are', () => {
    const pts = [1, 2, 3].map((v, t) => ({ t, v }));
    assert.deepStrictEqual(downsampleEquity(pts, 10), pts);
  });

  it('stays within maxPoints, keeps first, last, the global min and max, in time order', () => {
    const pts = Array.from({ length: 10_000 }, (_, t) => ({ t, v: Math.sin(t / 50) * 100 + (t === 7777 ? -500 : 0) + (t === 1234 ? 400 : 0) }));
    const out = downsampleEquity(pts, 200);
    assert.ok(out.length <= 200, String(out.length));
    assert.deepStrictEqual(out[0], pts[0]);
    assert.deepStrictEqual(out.at(-1), pts.at(-1));
    assert.ok(out.some((p) => p.t === 7777));
    assert.ok(out.some((p) => p.t === 1234));
    for (let i = 1; i < out.length; i++) assert.ok(out[i].t > out[i - 1].t);
  });
});

describe('equityFromColumns (the cache thins its curve without an object per trade)', () => {
  it('gives exactly downsampleEquity of the full curve, for any window and size', async () => {
    const { equityFromColumns } = await import('../../../src/core/stats/downsample');
    let s = 7;
    const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (const n of [0, 1, 3, 10, 599, 600, 601, 5000]) {
      const exit = Float64Array.from({ length: n + 5 }, (_, i) => 1000 + i);
      const net = Float64Array.from({ length: n + 5 }, () => Math.round((rand() - 0.5) * 10000));
      const lo = 2;
      const hi = lo + n;
      let cum = 0;
      const full = Array.from({ length: n }, (_, i) => ({ t: exit[lo + i], v: (cum += net[lo + i]) / 100 }));
      for (const max of [4, 50, 600, Infinity]) assert.deepStrictEqual(equityFromColumns(exit, net, lo, hi, max), downsampleEquity(full, max), `n=${n} max=${max}`);
    }
  });
});
