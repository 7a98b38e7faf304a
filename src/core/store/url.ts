/** Store URLs: masking for humans and logs. */

/** `postgres://user:secret@host/db` -> `postgres://user:***@host/db`; other URLs unchanged. */
export function maskUrl(url: string): string {
  if (!/^postgres(ql)?:\/\//i.test(url)) return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  }
}
