import * as assert from 'assert';
import { isHostMessage, isWebviewMessage, TIMEFRAMES, WEBVIEW_COMMANDS } from '../../../src/shared/protocol';

describe('webview message guard (isWebviewMessage)', () => {
  it('accepts every well-formed message', () => {
    const ok: unknown[] = [
      { type: 'ready' },
      ...TIMEFRAMES.map((timeframe) => ({ type: 'setTimeframe', timeframe })),
      { type: 'setMode', mode: 'SIM' },
      { type: 'setMode', mode: 'LIVE' },
      { type: 'setAccount', account: 'Sim1' },
      { type: 'setAccount', account: null },
      ...WEBVIEW_COMMANDS.map((command) => ({ type: 'command', command })),
    ];
    for (const m of ok) assert.strictEqual(isWebviewMessage(m), true, JSON.stringify(m));
  });

  it('drops anything else: wrong types, unknown values, extra fields, non-objects', () => {
    const bad: unknown[] = [
      null,
      undefined,
      'ready',
      42,
      [],
      {},
      { type: 'nope' },
      { type: 'ready', extra: 1 },
      { type: 'setTimeframe', timeframe: '2D' },
      { type: 'setTimeframe', timeframe: 1 },
      { type: 'setTimeframe' },
      { type: 'setMode', mode: 'sim' },
      { type: 'setMode', mode: 'PAPER' },
      { type: 'setAccount', account: '' },
      { type: 'setAccount', account: 'x'.repeat(65) },
      { type: 'setAccount', account: 7 },
      { type: 'setAccount' },
      { type: 'command', command: 'deleteEverything' },
      { type: 'command', command: 'connect', args: ['x'] },
      { type: 'command', command: '__proto__' },
      Object.create({ type: 'ready' }),
    ];
    for (const m of bad) assert.strictEqual(isWebviewMessage(m), false, JSON.stringify(m));
  });

  it('accepts account names up to 64 characters', () => {
    assert.strictEqual(isWebviewMessage({ type: 'setAccount', account: 'x'.repeat(64) }), true);
  });

  it('host messages: a snapshot for a known view with an object', () => {
    assert.strictEqual(isHostMessage({ type: 'snapshot', view: 'stats', data: {} }), true);
    assert.strictEqual(isHostMessage({ type: 'snapshot', view: 'journal', data: {} }), false);
    assert.strictEqual(isHostMessage({ type: 'snapshot', view: 'stats', data: null }), false);
    assert.strictEqual(isHostMessage({ type: 'delta', view: 'stats', data: {} }), false);
  });
});
