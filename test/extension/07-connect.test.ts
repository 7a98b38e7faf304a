import * as assert from 'assert';
import * as net from 'net';
import * as vscode from 'vscode';
import { api, setSetting, waitFor, withTimeout } from './helpers';

/** A loopback port with nothing listening. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

describe('connect without Sierra Chart', function () {
  this.timeout(40000);

  it('Connect to a closed port reports a clear error; Disconnect stops retrying', async () => {
    const a = await api();
    const port = await closedPort();
    try {
      await setSetting('dtc.port', port);
      await waitFor(() => a.snapshot('balance').connection.port === port, `connection target port ${port}`, 5000);
      // The command may resolve at once or after the first attempt; either way it must not hang.
      await withTimeout(vscode.commands.executeCommand('appsierra.connect'), 20000, 'appsierra.connect');
      const c = await waitFor(() => {
        const x = a.snapshot('balance').connection;
        return x.lastError ? x : undefined;
      }, 'a connection error in the balance snapshot', 15000);
      assert.notStrictEqual(c.state, 'connected');
      console.log(`    ${c.state}: ${c.lastError}`);
      await withTimeout(vscode.commands.executeCommand('appsierra.disconnect'), 10000, 'appsierra.disconnect');
      await waitFor(() => ['disconnected', 'stopped'].includes(a.snapshot('balance').connection.state), 'the connection to stop', 10000);
    } finally {
      await setSetting('dtc.port', undefined);
    }
  });
});
