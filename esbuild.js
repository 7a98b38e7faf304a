// Builds the three bundles: extension host (node/cjs), CLI (node/cjs), webviews (browser/iife),
// and copies the SQLite wasm files next to the host bundles: sql.js's (loaded with an explicit
// locateFile) and node-sqlite3-wasm's (which loads `node-sqlite3-wasm.wasm` from the bundle's folder).
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Reports build results in the format of VS Code's esbuild problem matcher. */
const problemMatcher = {
  name: 'esbuild-problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  plugins: [problemMatcher],
};

function webviewEntries() {
  const dir = path.join(__dirname, 'webview');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => /^[a-z]+\.ts$/.test(f) && f !== 'env.d.ts').map((f) => path.join('webview', f));
}

function copyAssets() {
  fs.mkdirSync(path.join(__dirname, 'dist'), { recursive: true });
  const wasm = require.resolve('sql.js/dist/sql-wasm.wasm');
  fs.copyFileSync(wasm, path.join(__dirname, 'dist', 'sql-wasm.wasm'));
  const fileWasm = path.join(path.dirname(require.resolve('node-sqlite3-wasm')), 'node-sqlite3-wasm.wasm');
  fs.copyFileSync(fileWasm, path.join(__dirname, 'dist', 'node-sqlite3-wasm.wasm'));
  const dir = path.join(__dirname, 'webview');
  const sheets = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.css')) : [];
  if (sheets.length) fs.mkdirSync(path.join(__dirname, 'dist', 'webview'), { recursive: true });
  for (const f of sheets) fs.copyFileSync(path.join(dir, f), path.join(__dirname, 'dist', 'webview', f));
}

async function main() {
  const configs = [
    { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node18', external: ['vscode', 'pg-native'] },
    { ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node18', external: ['vscode', 'pg-native', 'playwright-core'], banner: { js: '#!/usr/bin/env node' } },
  ];
  const web = webviewEntries();
  if (web.length) {
    configs.push({ ...common, entryPoints: web, outdir: 'dist/webview', platform: 'browser', format: 'iife', target: 'es2022' });
  }
  copyAssets();
  const contexts = await Promise.all(configs.map((c) => esbuild.context(c)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  let failed = false;
  for (const ctx of contexts) {
    try {
      await ctx.rebuild();
    } catch {
      failed = true;
    }
    await ctx.dispose();
  }
  try { fs.chmodSync(path.join(__dirname, 'dist', 'cli.js'), 0o755); } catch { /* absent when build failed */ }
  if (failed) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
