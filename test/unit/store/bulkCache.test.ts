import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { WasmFileEngine } from '../../../src/core/store/engine';

describe('store/engine: the page cache of bulk writes', () => {
  it('8 MB for an ordinary bulk write, 32 MB for a large one, never smaller while writes follow each other', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appsierra-cache-'));
    const db = WasmFileEngine.open(path.join(dir, 'x.db'));
    const size = () => Number(Object.values(db.get('PRAGMA cache_size') ?? {})[0]);
    try {
      assert.strictEqual(size(), -2000);
      db.useBulkCache();
      assert.strictEqual(size(), -8192);
      db.useBulkCache(true);
      assert.strictEqual(size(), -32768);
      db.useBulkCache();
      assert.strictEqual(size(), -32768, 'the pages are in the heap already');
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
