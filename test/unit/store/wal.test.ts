import * as assert from 'assert';
import { encodeEntry, parseJournal } from '../../../src/core/store/wal';

describe('store/wal: write-ahead log lines', () => {
  const e = (s: number) => ({ s, d: [s] });

  it('round-trips entries and reports the offset after the last complete line', () => {
    const text = encodeEntry(e(1)) + encodeEntry(e(2));
    const r = parseJournal(Buffer.from(text));
    assert.deepStrictEqual(r.entries, [e(1), e(2)]);
    assert.strictEqual(r.goodEnd, Buffer.byteLength(text));
    assert.strictEqual(r.garbled + r.tornBytes, 0);
  });

  it('skips a torn tail and garbled lines (bad checksum, flipped byte) anywhere', () => {
    const good = encodeEntry(e(1));
    const flipped = encodeEntry(e(2)).replace('"d":[2]', '"d":[3]');
    const torn = encodeEntry(e(4)).slice(0, 10);
    const r = parseJournal(Buffer.from(good + flipped + 'junk\n' + encodeEntry(e(5)) + torn));
    assert.deepStrictEqual(r.entries.map((x) => x.s), [1, 5]);
    assert.strictEqual(r.garbled, 2);
    assert.strictEqual(r.tornBytes, 10);
  });
});
