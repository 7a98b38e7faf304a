#!/usr/bin/env node
// Packages the extension (vsce --no-dependencies; --production cleans dist/ and builds minified first) and
// checks that the .vsix holds what the extension needs at run time (the wasm, the bundles, the webviews,
// the user docs) and, for production, no stale source map.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const pkg = require(path.join(root, 'package.json'));
const out = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');

// `npm run package` ships minified bundles; the test tiers package the build they just made.
// A production build starts from an empty dist/: esbuild only writes what it builds, so source maps
// (and any other file) left by the last development build would otherwise ship in the .vsix.
const production = process.argv.includes('--production');
if (production) {
  fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  execFileSync(process.execPath, [path.join(root, 'esbuild.js'), '--production'], { cwd: root, stdio: 'inherit' });
}

execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', out], { cwd: root, stdio: 'inherit' });
const listing = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' });
const files = new Set(listing.split('\n').map((l) => l.trim()).filter(Boolean));
const required = ['dist/extension.js', 'dist/cli.js', 'dist/sql-wasm.wasm', 'dist/node-sqlite3-wasm.wasm', 'package.json', 'docs/CLI.md', 'docs/TRADING-MATH.md', 'docs/DTC.md'];
const webviews = fs.existsSync(path.join(root, 'dist', 'webview')) ? fs.readdirSync(path.join(root, 'dist', 'webview')).filter((f) => f.endsWith('.js')) : [];
if (webviews.length === 0) required.push('dist/webview/*.js');
webviews.forEach((f) => required.push(`dist/webview/${f}`));
const missing = required.filter((f) => !files.has(f));
if (missing.length) {
  console.error(`package: the .vsix is missing ${missing.join(', ')}; check .vscodeignore and the build`);
  process.exit(1);
}
// A production build makes no source maps, so any .map in the package is stale.
const maps = [...files].filter((f) => f.endsWith('.map'));
if (production && maps.length) {
  console.error(`package: the production .vsix holds stale source maps ${maps.join(', ')}; dist/ must be cleaned before the production build`);
  process.exit(1);
}
console.log(`package: ${path.basename(out)} holds ${files.size} files including ${required.join(', ')}`);
