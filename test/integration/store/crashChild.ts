/** Child for the SIGKILL test: commits in a loop and prints each id once commit() resolved. */
import { SqliteStore, SqliteEngineKind } from '../../../src/core/store/sqlite';
import { unit } from './fixtures';

(async () => {
  const engine = (process.argv[4] ?? 'file') as SqliteEngineKind;
  const store = new SqliteStore(process.argv[2], { engine, snapshotEvery: Number(process.argv[3] ?? 50), lockStaleMs: 60_000 });
  await store.open();
  for (let n = 0; ; n++) {
    await store.commit(unit(n));
    process.stdout.write(`${n}\n`);
    if (n % 7 === 0) await new Promise((r) => setImmediate(r)); // let background snapshots / batches run mid-stream
  }
})();
