import * as assert from 'assert';
import { SERVER_TEXT_MAX_CHARS, sanitizeServerText } from '../../../src/core/dtc/serverText';

describe('sanitizeServerText (text from a DTC server before it is shown or logged)', () => {
  it('makes control characters visible: ESC sequences, NUL, DEL, C1, bidi overrides, zero-width marks', () => {
    assert.strictEqual(sanitizeServerText('Bad \u001b[31mred\u001b[0m'), 'Bad \\x1b[31mred\\x1b[0m');
    assert.strictEqual(sanitizeServerText('a\u0000b\u007fc\u009bd'), 'a\\x00b\\x7fc\\x9bd');
    assert.strictEqual(sanitizeServerText('x\u202egnp.exe\u200b'), 'x\\u{202e}gnp.exe\\u{200b}');
    assert.ok(!/[\u0000-\u001f\u007f-\u009f]/.test(sanitizeServerText('\u001b]0;title\u0007')));
  });

  it('keeps one log line one line and leaves ordinary text alone', () => {
    assert.strictEqual(sanitizeServerText('line1\nFAKE: logged in\r\n\tx'), 'line1 FAKE: logged in   x');
    assert.strictEqual(sanitizeServerText('Invalid username or password'), 'Invalid username or password');
    assert.strictEqual(sanitizeServerText('Café ÄÖ'), 'Café ÄÖ');
    assert.strictEqual(sanitizeServerText(undefined), '');
  });

  it('caps the length and says it cut, without ending on half an escape', () => {
    const long = sanitizeServerText('A'.repeat(100000));
    assert.ok(long.length < SERVER_TEXT_MAX_CHARS + 40, `${long.length}`);
    assert.match(long, /\.\.\. \(100000 chars, cut\)$/);
    const esc = sanitizeServerText('\u001b'.repeat(50), 30);
    assert.match(esc, /^(\\x1b)+\.\.\. \(50 chars, cut\)$/);
  });
});
