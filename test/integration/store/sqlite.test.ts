import * as fs from 'fs';
import * as path from 'path';
import { SqliteStore, SqliteEngineKind } from '../../../src/core/store/sqlite';
import { storeContract } from './contract';
import { tmpDir } from './fixtures';

for (const engine of ['file', 'memory'] as SqliteEngineKind[]) {
  storeContract(`SqliteStore (${engine} engine)`, () => {
    const dir = tmpDir('contract');
    const file = path.join(dir, 'nested', 'appsierra.db');
    return {
      make: async () => {
        const s = new SqliteStore(file, { engine, snapshotEvery: 3 });
        await s.open();
        return s;
      },
      reopen: async () => {
        const s = new SqliteStore(file, { engine });
        await s.open();
        return s;
      },
      cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  });
}
