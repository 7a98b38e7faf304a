import * as assert from 'assert';
import * as path from 'path';
import { defaultSqlitePath, defaultStoreDir, maskUrl, parseStoreUrl, resolveStoreUrl } from '../../../src/core/store/open';
import { DEFAULT_SETTINGS } from '../../../src/core/settings';

describe('store URLs', () => {
  const db = DEFAULT_SETTINGS.database;

  it('resolves the fallback chain: URL setting, then PostgreSQL parts, then the default SQLite file', () => {
    assert.strictEqual(resolveStoreUrl({ ...db, url: 'sqlite:/x/y.db' }, '/d/a.db'), 'sqlite:/x/y.db');
    assert.strictEqual(resolveStoreUrl({ ...db, postgres: { host: 'db.local', port: 5433, user: 'trader', database: 'journal' } }, '/d/a.db'), 'postgres://trader@db.local:5433/journal');
    assert.strictEqual(resolveStoreUrl(db, '/d/a.db'), 'sqlite:/d/a.db');
  });

  it('masks passwords and moves them out of postgres URLs', () => {
    assert.strictEqual(maskUrl('postgres://u:p%40ss@h:5432/db'), 'postgres://u:***@h:5432/db');
    assert.strictEqual(maskUrl('sqlite:/a/b.db'), 'sqlite:/a/b.db');
    const p = parseStoreUrl('postgres://u:p%40ss@h:5432/db?schema=s1');
    assert.deepStrictEqual(p, { kind: 'postgres', connectionString: 'postgres://u@h:5432/db', password: 'p@ss', schema: 's1' });
    assert.throws(() => parseStoreUrl('mysql://x'), /must start with 'sqlite:' or 'postgres:\/\/'/);
    assert.throws(() => parseStoreUrl('sqlite:'), /needs a path/);
  });

  it('finds the extension globalStorage folder per OS, overridable by APPSIERRA_HOME', () => {
    assert.match(defaultStoreDir({}, 'linux'), /\.config[\\/]Code[\\/]User[\\/]globalStorage[\\/]appsierra\.appsierra$/);
    assert.match(defaultStoreDir({}, 'darwin'), /Library[\\/]Application Support[\\/]Code[\\/]User[\\/]globalStorage[\\/]appsierra\.appsierra$/);
    assert.strictEqual(defaultStoreDir({ APPDATA: 'C:\\Users\\t\\AppData\\Roaming' }, 'win32'), path.join('C:\\Users\\t\\AppData\\Roaming', 'Code', 'User', 'globalStorage', 'appsierra.appsierra'));
    assert.strictEqual(defaultSqlitePath({ APPSIERRA_HOME: '/tmp/h' }), path.resolve('/tmp/h/appsierra.db'));
  });
});
