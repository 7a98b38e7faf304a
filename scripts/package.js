#!/usr/bin/env node
// Packages the extension (vsce --no-dependencies; --production builds minified first) and checks that the
// .vsix holds what the extension needs at run time: the wasm, the bundles and the webviews.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const pkg = require(path.join(root, 'package.json'));
const out = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');

// `npm run package` ships minified bundles; the test tiers package the build they just made.
if (process.argv.includes('--production')) {
  execFileSync(process.execPath, [path.join(root, 'esbuild.js'), '--production'], { cwd: root, stdio: 'inherit' });
}

execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', out], { cwd: root, stdio: 'inherit' });
const listing = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' });
const files = new Set(listing.split('\n').map((l) => l.trim()).filter(Boolean));
const required = ['dist/extension.js', 'dist/cli.js', 'dist/sql-wasm.wasm', 'package.json'];
const webviews = fs.existsSync(path.join(root, 'dist', 'webview')) ? fs.readdirSync(path.join(root, 'dist', 'webview')).filter((f) => f.endsWith('.js')) : [];
if (webviews.length === 0) required.push('dist/webview/*.js');
webviews.forEach((f) => required.push(`dist/webview/${f}`));
const missing = required.filter((f) => !files.has(f));
if (missing.length) {
  console.error(`package: the .vsix is missing ${missing.join(', ')}; check .vscodeignore and the build`);
  process.exit(1);
}
console.log(`package: ${path.basename(out)} holds ${files.size} files including ${required.join(', ')}`);
