import * as assert from 'assert';
import { api, setSetting, waitFor } from './helpers';

describe('settings changes apply without a reload', function () {
  this.timeout(30000);

  it('statusBar.enabled hides and shows the item', async () => {
    const a = await api();
    try {
      await setSetting('statusBar.enabled', false);
      await waitFor(() => a.statusBar().visible === false, 'the status bar item to hide', 5000);
    } finally {
      await setSetting('statusBar.enabled', undefined);
    }
    await waitFor(() => a.statusBar().visible === true, 'the status bar item to show again', 5000);
  });

  it('sim.startingBalance changes what a reset returns to', async () => {
    const a = await api();
    try {
      await setSetting('sim.startingBalance', 25000);
      await waitFor(() => a.snapshot('balance').startingBalance === 25000, 'startingBalance 25000 in the balance snapshot', 5000);
      const preview = a.core.simResetPreview();
      if (preview) assert.strictEqual(preview.startingBalance, 25000);
    } finally {
      await setSetting('sim.startingBalance', undefined);
    }
    await waitFor(() => a.snapshot('balance').startingBalance === 10000, 'startingBalance back to 10000', 5000);
  });

  it('statusBar.format pnl-and-balance adds the balance to the text', async () => {
    const a = await api();
    const plain = a.statusBar().text;
    const balance = a.snapshot('balance').balance;
    assert.ok(balance !== null, 'no balance to show');
    const whole = Math.trunc(balance).toLocaleString('en-US'); // e.g. "10,000"
    try {
      await setSetting('statusBar.format', 'pnl-and-balance');
      await waitFor(() => a.statusBar().text !== plain && a.statusBar().text.includes(whole), `the balance ${whole} in the status text (was "${plain}")`, 5000);
    } finally {
      await setSetting('statusBar.format', undefined);
    }
    await waitFor(() => a.statusBar().text === plain, `the status text back to "${plain}"`, 5000);
  });

  it('an invalid value is reported, not applied', async () => {
    const a = await api();
    try {
      await setSetting('sim.startingBalance', -5);
      await new Promise((r) => setTimeout(r, 500));
      assert.notStrictEqual(a.snapshot('balance').startingBalance, -5);
    } finally {
      await setSetting('sim.startingBalance', undefined);
    }
  });
});
