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
