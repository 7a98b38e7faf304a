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

  it('uses only the supported warning background, and theme chart colours', async () => {
    const s = (await api()).statusBar();
    assert.ok(s.backgroundColor === undefined || s.backgroundColor === 'statusBarItem.warningBackground' || s.backgroundColor === 'statusBarItem.errorBackground', String(s.backgroundColor));
    assert.ok(s.color === undefined || /^charts\.(green|red)$/.test(s.color), String(s.color));
  });

  it('has no winning-day colour before any trade', async () => {
    const a = await api();
    if (a.snapshot('balance').tradesToday === 0) {
      assert.notStrictEqual(a.statusBar().color, 'charts.green');
    } else {
      assert.fail(`the store already holds ${a.snapshot('balance').tradesToday} trade(s) today before the demo session`);
    }
  });
});
