import * as assert from 'assert';
import { IdBytes, IdHashes, idHash, TradeIds } from '../../../src/core/stats/tradeIds';
import { rng } from './trades';

const all = (t: TradeIds) => Array.from({ length: t.length }, (_, i) => t.at(i));
const decode = (b: IdBytes) => Array.from({ length: b.count }, (_, k) => b.at(k));

describe('stats/tradeIds: trade ids kept as bytes', () => {
  it('restored bytes, pushes, inserts and rows of another set behave as an array of strings', () => {
    const r = rng(3);
    const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(r() * 16)]).join('');
    // The engine's form (packed), near misses of it, and other ids.
    const word = () => [() => 't-' + hex(32), () => 't-' + hex(31), () => 'T-' + hex(32), () => 'é' + hex(5), () => 'x' + hex(33)][Math.floor(r() * 5)]();
    for (let round = 0; round < 40; round++) {
      const base = Array.from({ length: Math.floor(r() * 50) }, word);
      const src = IdBytes.of(base);
      const mode = TradeIds.restored(src);
      const modeModel = [...base];
      const split = new TradeIds();
      const splitModel: string[] = [];
      for (let op = 0; op < 60; op++) {
        const x = r();
        if (x < 0.3) {
          const id = word();
          mode.push(id);
          modeModel.push(id);
        } else if (x < 0.5) {
          const at = Math.floor(r() * (modeModel.length + 1));
          const id = word();
          mode.insert(at, id);
          modeModel.splice(at, 0, id);
        } else if (modeModel.length > 0) {
          const i = Math.floor(r() * modeModel.length);
          split.pushFrom(mode, i);
          splitModel.push(modeModel[i]);
        }
      }
      assert.deepStrictEqual(all(mode), modeModel);
      assert.deepStrictEqual(all(split), splitModel);
      for (let i = 0; i < modeModel.length; i++) assert.strictEqual(mode.hashAt(i), idHash(modeModel[i]));
      const n = Math.floor(r() * (modeModel.length + 1));
      assert.deepStrictEqual(decode(mode.bytes(n)), modeModel.slice(0, n));
      assert.deepStrictEqual(decode(split.bytes(split.length)), splitModel);
      assert.deepStrictEqual(decode(TradeIds.restored(mode.bytes(modeModel.length)).bytes(modeModel.length)), modeModel);
    }
  });

  it('ids all of the engine form are kept without ends, and say so; a mark missing is refused', () => {
    const ids = ['t-0123456789abcdef0123456789abcdef', 't-ffffffffffffffffffffffffffffffff', 't-00000000000000000000000000000000'];
    const b = IdBytes.of(ids);
    assert.strictEqual(b.fixed, true);
    assert.strictEqual(b.bytes.length, 51);
    assert.deepStrictEqual(decode(b), ids);
    const t = TradeIds.restored(b);
    t.push('t-11111111111111111111111111111111');
    assert.strictEqual(t.bytes(4).fixed, true);
    t.insert(1, 'plain');
    const mixed = t.bytes(5);
    assert.strictEqual(mixed.fixed, false);
    assert.deepStrictEqual(decode(mixed), [ids[0], 'plain', ids[1], ids[2], 't-11111111111111111111111111111111']);
    const torn = Uint8Array.from(b.bytes);
    torn[17] = 0x41;
    assert.strictEqual(IdBytes.packedOnly(torn), null);
    assert.strictEqual(IdBytes.packedOnly(b.bytes.subarray(0, 50)), null);
  });

  it('a restored set with nothing changed saves its own bytes without a copy', () => {
    const src = IdBytes.of(['a', 'bb', 'ccc']);
    assert.strictEqual(TradeIds.restored(src).bytes(3), src);
    assert.deepStrictEqual(decode(TradeIds.restored(src).bytes(2)), ['a', 'bb']);
  });

  it('the hash of an id is the same from its string and from its bytes; the hash set answers for what it holds', () => {
    const ids = ['', 'x', 't-0123456789abcdef0123456789abcdef', 't-0123456789ABCDEF0123456789abcdef', 't-0123456789abcdef0123456789abcdeg', 'é漢🚀', 'quote"\n'];
    const b = IdBytes.of(ids);
    assert.deepStrictEqual(decode(b), ids);
    assert.deepStrictEqual(ids.map((_, k) => b.end(k) - b.start(k)), [0, 1, 17, 34, 34, 9, 7], 'only the lowercase engine form is packed');
    ids.forEach((id, k) => assert.strictEqual(b.hash(k), idHash(id)));
    const set = new IdHashes();
    const hs = Array.from({ length: 5000 }, (_, i) => idHash(`t-${i}`));
    hs.forEach((h) => set.add(h));
    for (const h of hs) assert.ok(set.mayHold(h));
    const misses = Array.from({ length: 5000 }, (_, i) => idHash(`u-${i}`)).filter((h) => set.mayHold(h) && !hs.includes(h));
    assert.deepStrictEqual(misses, []);
    set.add(0);
    assert.ok(set.mayHold(0), 'hash 0 (the empty slot mark) is kept too');
  });
});
