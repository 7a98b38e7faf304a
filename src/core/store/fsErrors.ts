/** Turns file-system failures of a store into one sentence: what failed, why, how to fix it. */
export function describeFsError(action: string, path: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  const why: Record<string, string> = {
    ENOSPC: 'the disk is full; free some space and the data (kept by the caller) can be committed again',
    EDQUOT: 'the disk quota is exhausted; free some space and commit again',
    EROFS: 'the file system is read-only; choose a writable store path (setting appsierra.database.url)',
    EACCES: 'permission denied; make the folder writable or choose another store path (setting appsierra.database.url)',
    EPERM: 'the operation is not permitted; make the folder writable or choose another store path',
    ENOTDIR: 'a part of the path is a file, not a folder; choose another store path (setting appsierra.database.url)',
    EEXIST: 'a part of the path is a file, not a folder; choose another store path (setting appsierra.database.url)',
    EISDIR: 'the path is a folder, not a file; choose a file path for the store',
    EIO: 'the disk reported an I/O error; check the disk and commit again',
    ENOENT: 'a folder on that path cannot be created (its parent does not accept new folders); choose another store path (setting appsierra.database.url)',
  };
  const reason = why[code] ?? `${e?.message ?? String(err)}; check the path and the disk`;
  return `Cannot ${action} ${path}: ${code ? code + ', ' : ''}${reason}.`;
}

export class StoreWriteError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = 'StoreWriteError';
  }
}

/**
 * A read that cannot see the whole store (PostgreSQL unreachable): refusing beats an empty or
 * partial answer that looks complete. `pending` commits of the outbox are still readable.
 */
export class StoreReadError extends Error {
  constructor(message: string, readonly pending: number) {
    super(message);
    this.name = 'StoreReadError';
  }
}
