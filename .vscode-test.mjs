// @vscode/test-cli configuration: `npm run test:electron` runs the extension tests (out/test/extension) in a
// downloaded desktop VS Code (needs internet). Here, offline, the same suites run in code-server through
// `npm test` (test/harness/run-extension-tests.js), which also runs the reload session (persistence.reload.js).
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  label: 'extension',
  files: 'out/test/extension/**/*.test.js',
  version: '1.100.3',
  extensionDevelopmentPath: '.',
  launchArgs: ['--disable-extensions', '--skip-welcome', '--skip-release-notes'],
  env: { APPSIERRA_E2E_PHASE: 'main' },
  mocha: { ui: 'bdd', timeout: 60000, slow: 3000, color: true },
});
