#!/usr/bin/env node
// Runs one mocha tier over compiled tests in out/ and prints `<tier>: N passed, N failed`.
// Usage: node scripts/mocha-tier.js <tier> <dir> [grep]
const Mocha = require('mocha');
const fs = require('fs');
const path = require('path');

const [tier, dir, grep] = process.argv.slice(2);
const root = path.resolve(__dirname, '..', dir);

function collect(d) {
  if (!fs.existsSync(d)) return [];
  return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(d, e.name);
    if (e.isDirectory()) return collect(p);
    return e.name.endsWith('.test.js') ? [p] : [];
  });
}

const mocha = new Mocha({ reporter: 'spec', timeout: 30000, slow: 2000 });
if (grep) mocha.grep(grep);
const files = collect(root).sort();
files.forEach((f) => mocha.addFile(f));

let passed = 0;
let failed = 0;
let skipped = 0;
const runner = mocha.run(() => {
  const skip = skipped ? `, ${skipped} skipped` : '';
  console.log(`${tier}: ${passed} passed, ${failed} failed${skip}`);
  process.exitCode = failed > 0 ? 1 : 0;
  // Open handles (sockets, timers) left by a bad test must not hang CI.
  setTimeout(() => process.exit(process.exitCode), 500).unref();
});
runner.on('pass', () => passed++);
runner.on('fail', () => failed++);
runner.on('pending', () => skipped++);
