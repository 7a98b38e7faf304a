import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('architecture', () => {
  it('src/core never imports vscode', () => {
    const offenders = sources(path.join(root, 'src', 'core')).filter((f) => /from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)/.test(fs.readFileSync(f, 'utf8')));
    assert.deepStrictEqual(offenders.map((f) => path.relative(root, f)), []);
  });

  it('types flow downward: src/core never imports src/shared/protocol or src/views', () => {
    const offenders = sources(path.join(root, 'src', 'core')).filter((f) => /from\s+['"][./]*(shared\/protocol|views\/)/.test(fs.readFileSync(f, 'utf8')));
    assert.deepStrictEqual(offenders.map((f) => path.relative(root, f)), []);
  });

  it('webview code never imports Node or vscode modules', () => {
    const offenders = sources(path.join(root, 'webview')).filter((f) => /from\s+['"](vscode|fs|path|net|child_process|node:[a-z_]+)['"]/.test(fs.readFileSync(f, 'utf8')));
    assert.deepStrictEqual(offenders.map((f) => path.relative(root, f)), []);
  });

  it('webviews load nothing remote: no URL in webview code and styles but the SVG namespace', () => {
    const files = [...sources(path.join(root, 'webview')), ...fs.readdirSync(path.join(root, 'webview')).filter((f) => f.endsWith('.css')).map((f) => path.join(root, 'webview', f))];
    const offenders = files.flatMap((f) => (fs.readFileSync(f, 'utf8').match(/(?:https?:|(?<![\w:/]))\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s'"`)]*/gi) ?? [])
      .filter((u) => u !== 'http://www.w3.org/2000/svg')
      .map((u) => `${path.relative(root, f)}: ${u}`));
    assert.deepStrictEqual(offenders, []);
  });

  it('no DTC message number is written outside the message type table', () => {
    // Numbers like 301/304/306/600 belong to messageTypes.ts; elsewhere use MessageType.X.
    const table = path.join(root, 'src', 'core', 'dtc', 'messageTypes.ts');
    const offenders = sources(path.join(root, 'src'))
      .filter((f) => f !== table)
      .filter((f) => /\bType\s*[:=]{1,3}\s*(301|304|306|401|507|600)\b/.test(fs.readFileSync(f, 'utf8')));
    assert.deepStrictEqual(offenders.map((f) => path.relative(root, f)), []);
  });
});

describe('architecture: the store room', () => {
  const storeDir = path.join(root, 'src', 'core', 'store');
  const tables = /\b(SELECT|INSERT INTO|DELETE FROM|UPDATE)\b[^'`"]*\b(fills|trades|open_positions|sim_events|outbox|meta)\b/;

  it('statements on the schema tables live in the SQL table of schema.ts', () => {
    const offenders = sources(path.join(root, 'src', 'core'))
      .filter((f) => f !== path.join(storeDir, 'schema.ts'))
      .filter((f) => (fs.readFileSync(f, 'utf8').match(/(['`])(?:(?!\1).)*\1/g) ?? []).some((lit) => tables.test(lit)));
    assert.deepStrictEqual(offenders.map((f) => path.relative(root, f)), []);
  });

  it('ResilientStore depends on the store interfaces, not on a concrete store', () => {
    const text = fs.readFileSync(path.join(storeDir, 'resilient.ts'), 'utf8');
    assert.doesNotMatch(text, /from '\.\/(sqlite|postgres|outbox)'/);
  });

  it('the store file names are written once, in store/files.ts', () => {
    const files = path.join(storeDir, 'files.ts');
    const offenders = sources(path.join(root, 'src'))
      .filter((f) => f !== files)
      .filter((f) => /['"](outbox\.db|sim_balance\.json|appsierra\.db)['"]/.test(fs.readFileSync(f, 'utf8')));
    assert.deepStrictEqual(offenders.map((f) => path.relative(root, f)), []);
  });
});
