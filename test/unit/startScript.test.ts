import * as assert from 'assert';
import * as path from 'path';

// `npm start` (scripts/start.js), the parts that decide which VS Code reads which settings (issue 9 item 14).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const start = require(path.resolve(__dirname, '..', '..', '..', 'scripts', 'start.js')) as {
  START_SETTINGS: Record<string, unknown>;
  desktopEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
};

describe('npm start (scripts/start.js)', () => {
  it('asks for Dark Modern under the key VS Code reads', () => {
    assert.strictEqual(start.START_SETTINGS['workbench.colorTheme'], 'Default Dark Modern');
  });

  it('never hands the desktop window to a VS Code whose terminal ran it (that one ignores --user-data-dir and its settings)', () => {
    const env = start.desktopEnv({ PATH: '/usr/bin', VSCODE_IPC_HOOK_CLI: '/tmp/vscode-ipc-1.sock', ELECTRON_RUN_AS_NODE: '1' });
    assert.deepStrictEqual(env, { PATH: '/usr/bin' });
  });
});
