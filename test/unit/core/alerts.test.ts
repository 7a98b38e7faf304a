import * as assert from 'assert';
import { Alerts } from '../../../src/core/alerts';

describe('Alerts (typed, bounded, cleared with their cause)', () => {
  it('a stream of malformed messages is one line with a count', () => {
    const a = new Alerts();
    for (let i = 0; i < 1000; i++) a.raise('malformed', `bad ${i}`, `ORDER_UPDATE ${i} has no ServerOrderID`);
    const lines = a.list();
    assert.strictEqual(lines.length, 1);
    assert.match(lines[0], /^1000 DTC messages could not be read.*ORDER_UPDATE 999/);
    assert.ok(a.keys('malformed').length <= 5, 'memory stays bounded');
  });

  it('keeps at most five alerts of a kind (the newest) and orders kinds by importance', () => {
    const a = new Alerts();
    for (let i = 0; i < 8; i++) a.raise('spec', `SYM${i}`, `no spec for SYM${i}`);
    a.raise('store', 'open', 'store down');
    const lines = a.list();
    assert.strictEqual(lines[0], 'store down');
    assert.deepStrictEqual(lines.slice(1), ['no spec for SYM3', 'no spec for SYM4', 'no spec for SYM5', 'no spec for SYM6', 'no spec for SYM7']);
  });

  it('raise says whether the alert is news; clear and clearWhere remove exactly their cause', () => {
    const a = new Alerts();
    assert.strictEqual(a.raise('spec', 'ZZQ', 'no spec for ZZQ'), true);
    assert.strictEqual(a.raise('spec', 'ZZQ', 'no spec for ZZQ'), false);
    a.raise('spec', 'XYZ', 'no spec for XYZ');
    a.raise('database', 'outbox', 'db down');
    assert.strictEqual(a.clearWhere('spec', (k) => k === 'ZZQ'), true);
    assert.deepStrictEqual(a.list(), ['db down', 'no spec for XYZ']);
    assert.strictEqual(a.clear('database'), true);
    assert.strictEqual(a.clear('database'), false);
    assert.deepStrictEqual(a.list(), ['no spec for XYZ']);
  });
});
