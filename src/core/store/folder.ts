/**
 * Creating a store's folder. Node's `mkdirSync(dir, {recursive: true})` loops forever at 100% CPU
 * when a parent refuses new entries without saying EACCES (e.g. /proc/nope/a: mkdir answers ENOENT,
 * the parent exists, so it retries). This walks up once and creates each missing level once, so
 * any refusal is an immediate error carrying its errno code for describeFsError.
 */
import * as fs from 'fs';
import * as path from 'path';

export function makeFolder(dir: string): void {
  const missing: string[] = [];
  let p = path.resolve(dir);
  for (;;) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (err) {
      const parent = path.dirname(p);
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === p) throw err;
      missing.push(p);
      p = parent;
      continue;
    }
    if (!st.isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${p}'`), { code: 'ENOTDIR', path: p });
    break;
  }
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d);
    } catch (err) {
      // Another process may have made it between the stat and the mkdir: that is success.
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && fs.statSync(d).isDirectory()) continue;
      throw err;
    }
  }
}
