import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { SqliteStore } from '../../../src/core/store/sqlite';
import { storeContract } from './contract';
import { tmpDir, unit } from './fixtures';

storeContract('SqliteStore', () => {
  const dir = tmpDir('contract');
  const file = path.join(dir, 'nested', 'appsierra.db');
  return {
    make: async () => {
      const s = new SqliteStore(file, { snapshotEvery: 3 });
      await s.open();
      return s;
    },
    reopen: async () => {
      const s = new SqliteStore(file);
      await s.open();
      return s;
    },
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});
