import * as assert from 'assert';
import { KeySet } from '../../../src/core/trading/keySet';
import { FillIndex } from '../../../src/core/import/fillIndex';
import type { Fill } from '../../../src/core/trading/types';

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('import/fillIndex: the duplicate check kept in typed arrays', () => {
  it('KeySet answers as a Set<string> through growth, odd characters and clear()', () => {
    const r = rng(7);
    const alphabet = ['a', 'B', '0', '\u0000', 'é', '€', '\ud83d\ude00', ' ', ':'];
    const word = () => {
      let s = '';
      const n = Math.floor(r() * 14);
      for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
      return s;
    };
    const ks = new KeySet();
    const ref = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const w = r() < 0.5 ? word() : `Sim1\u0000B${Math.floor(r() * 30_000)}`;
      assert.strictEqual(ks.has(w), ref.has(w), w);
      if (r() < 0.7) {
        ks.add(w);
        ref.add(w);
      }
    }
    assert.strictEqual(ks.size, ref.size);
    assert.ok(ks.has(''), 'the empty key');
    assert.deepStrictEqual([...ks], [...ref], 'every key back, in the order added');
    for (const w of ['Sim1\u0000B30001', 'zzz', '\ud83d']) assert.strictEqual(ks.has(w), ref.has(w));
    ks.clear();
    assert.strictEqual(ks.size, 0);
    assert.strictEqual(ks.has(''), false);
    ks.add('x').add('x');
    assert.deepStrictEqual([...ks], ['x']);
  });

  const T0 = Date.UTC(2025, 0, 2, 14, 30);
  const fill = (id: string, timeMs: number, over: Partial<Fill> = {}): Fill =>
    ({ account: 'Sim1', executionId: id, symbol: 'MESH6', side: 'BUY', qty: 1, price: 6000.25, timeMs, source: 'order_update', ...over });

  it('matches by execution id, then by content within the tolerance, each candidate once, never in its own file', () => {
    const ix = new FillIndex(2000);
    // Stored fills, out of time order (inserted in place).
    for (const [id, dt] of [['syn:a', 5000], ['D1', 1000], ['syn:b', 3000], ['D2', 9000]] as const) ix.add(fill(id, T0 + dt), -1);
    assert.strictEqual(ix.match(fill('D1', T0 + 99_999), 0), 'executionId');
    // A real id against real ids: never a content match.
    assert.strictEqual(ix.match(fill('X1', T0 + 9000), 0), null);
    // Synthetic against the stored real D1 (within 2 s), then against syn:b, then nothing left near.
    assert.strictEqual(ix.match(fill('syn:r1', T0 + 2500), 0), 'match');
    assert.strictEqual(ix.match(fill('syn:r2', T0 + 2500), 0), 'match');
    assert.strictEqual(ix.match(fill('syn:r3', T0 + 2500), 0), null, 'syn:a at +5 s is 2.5 s away');
    assert.strictEqual(ix.match(fill('X2', T0 + 4000), 0), 'match', 'a real id matches a made-up one');
    assert.strictEqual(ix.match(fill('syn:p', T0 + 9000, { price: 6000.5 }), 0), null, 'another price');
    assert.strictEqual(ix.match(fill('syn:s', T0 + 9000, { side: 'SELL' }), 0), null, 'another side');
    // Fills of this run's file 0 never absorb another row of file 0 (two identical rows are two fills).
    const mine = fill('syn:m', T0 + 50_000);
    assert.strictEqual(ix.match(mine, 0), null);
    ix.add(mine, 0);
    assert.strictEqual(ix.match(fill('syn:m2', T0 + 50_000), 0), null);
    assert.strictEqual(ix.match(fill('syn:m3', T0 + 50_000), 1), 'match');
    assert.strictEqual(ix.lastTime.get('Sim1\u0000MESH6'), T0 + 50_000);
  });

  it('answers as the object-per-fill index it replaced, on random fills, stored and imported, out of order', () => {
    const r = rng(11);
    const ix = new FillIndex(2000);
    const ref = new ReferenceIndex(2000);
    const prices = [6000, 6000.25, 6000.5];
    for (let i = 0; i < 6000; i++) {
      const f = fill(r() < 0.5 ? `syn:${i}` : `E${Math.floor(r() * 5000)}`, T0 + Math.floor(r() * 200_000), { price: prices[Math.floor(r() * 3)], side: r() < 0.5 ? 'BUY' : 'SELL', qty: r() < 0.8 ? 1 : 2 });
      const file = Math.floor(r() * 3) - 1;
      if (file === -1) {
        ix.add(f, -1);
        ref.add(f, -1);
        continue;
      }
      const got = ix.match(f, file);
      assert.strictEqual(got, ref.match(f, file), `fill ${i}`);
      if (!got) {
        ix.add(f, file);
        ref.add(f, file);
      }
    }
  });
});

/** The index before it moved into typed arrays: one object per fill (the behaviour to keep). */
class ReferenceIndex {
  private readonly exact = new Set<string>();
  private readonly fuzzy = new Map<string, { timeMs: number; id: string; used: boolean; file: number }[]>();
  constructor(private readonly tol: number) {}
  add(f: Fill, file: number): void {
    this.exact.add(`${f.account}\u0000${f.executionId}`);
    const k = `${f.account}\u0000${f.symbol}\u0000${f.side}\u0000${f.qty}\u0000${f.price}`;
    const list = this.fuzzy.get(k) ?? [];
    this.fuzzy.set(k, list);
    let at = list.length;
    while (at > 0 && list[at - 1].timeMs > f.timeMs) at--;
    list.splice(at, 0, { timeMs: f.timeMs, id: f.executionId, used: false, file });
  }
  match(f: Fill, file: number): 'executionId' | 'match' | null {
    if (this.exact.has(`${f.account}\u0000${f.executionId}`)) return 'executionId';
    const list = this.fuzzy.get(`${f.account}\u0000${f.symbol}\u0000${f.side}\u0000${f.qty}\u0000${f.price}`) ?? [];
    const real = !f.executionId.startsWith('syn:');
    for (const c of list) {
      if (c.timeMs < f.timeMs - this.tol || c.timeMs > f.timeMs + this.tol || c.used || c.file === file) continue;
      if (real && !c.id.startsWith('syn:')) continue;
      c.used = true;
      return 'match';
    }
    return null;
  }
}
