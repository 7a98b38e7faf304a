import * as assert from 'assert';
import { api, waitFor } from './helpers';

describe('status bar item', () => {
  it('is visible with text and a tooltip after activation', async () => {
    const a = await api();
    const s = await waitFor(() => {
      const sb = a.statusBar();
      return sb.visible && sb.text && !sb.text.includes('sync~spin') ? sb : undefined;
    }, 'a loaded, visible status bar item', 15000);
    assert.ok(s.text.length > 0);
    assert.ok(s.tooltip.length > 0, 'empty tooltip');
    console.log(`    status bar: "${s.text}" color=${s.color ?? '-'} background=${s.backgroundColor ?? '-'}`);
  });

  it('keeps the status bar\'s own foreground and uses only the supported backgrounds (readable on any theme)', async () => {
    const s = (await api()).statusBar();
    assert.ok(s.backgroundColor === undefined || s.backgroundColor === 'statusBarItem.warningBackground' || s.backgroundColor === 'statusBarItem.errorBackground', String(s.backgroundColor));
    assert.strictEqual(s.color, undefined, 'a foreground colour on an unknown status bar colour can be unreadable');
  });

  it('says whose P&L it shows, and has no winning-day sign before any trade', async () => {
    const a = await api();
    assert.match(a.statusBar().text, /All SIM|SIM \S+/);
    assert.match(a.statusBar().tooltip, /P&L of /);
    if (a.snapshot('balance').tradesToday === 0) {
      assert.ok(!a.statusBar().text.includes('$(triangle-up)'), a.statusBar().text);
    } else {
      assert.fail(`the store already holds ${a.snapshot('balance').tradesToday} trade(s) today before the demo session`);
    }
  });
});
