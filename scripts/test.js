#!/usr/bin/env node
// The one test command (README): builds, compiles the tests, runs every tier and prints a closing
// `N passed, N failed` line. `node scripts/test.js unit|integration|extension|ui [...]` runs some tiers.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const TIERS = {
  unit: ['node', ['scripts/mocha-tier.js', 'unit', 'out/test/unit']],
  integration: ['node', ['scripts/mocha-tier.js', 'integration', 'out/test/integration']],
  extension: ['node', ['test/harness/run-extension-tests.js']],
  ui: ['node', ['test/harness/run-ui-tests.js']],
};

const asked = process.argv.slice(2).filter((a) => TIERS[a]);
const tiers = asked.length ? asked : Object.keys(TIERS);

function step(label, cmd, args) {
  console.log(`\n=== ${label} ===`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  return r.status === 0;
}

let passed = 0;
let failed = 0;
let skipped = 0;

if (!step('build', 'node', ['esbuild.js']) || !step('compile tests', process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--outDir', 'out'])) {
  console.log('\nbuild failed: see the errors above');
  console.log(`${passed} passed, 1 failed`);
  process.exit(1);
}
if (tiers.includes('extension') || tiers.includes('ui')) {
  if (step('package (.vsix)', process.execPath, ['scripts/package.js'])) passed++; else failed++;
}

for (const tier of tiers) {
  const [cmd, args] = TIERS[tier];
  if (!fs.existsSync(path.join(root, args[0]))) {
    console.log(`\n=== ${tier} ===\n${tier}: runner ${args[0]} is missing`);
    failed++;
    continue;
  }
  console.log(`\n=== ${tier} ===`);
  const r = spawnSync(cmd === 'node' ? process.execPath : cmd, args, { cwd: root, env: process.env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(r.stdout || '');
  const lines = (r.stdout || '').trim().split('\n');
  const summary = [...lines].reverse().map((l) => /^(?:\w+: )?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/.exec(l.trim())).find(Boolean);
  if (!summary) {
    console.log(`${tier}: no summary line (exit ${r.status}); counted as a failure`);
    failed++;
    continue;
  }
  passed += Number(summary[1]);
  failed += Number(summary[2]);
  skipped += Number(summary[3] || 0);
  if (r.status !== 0 && Number(summary[2]) === 0) {
    console.log(`${tier}: exited ${r.status} with no failed test; counted as a failure`);
    failed++;
  }
}

console.log('');
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
