/**
 * The one redaction for text that reaches a message, a log or a report: the password of every
 * URL-like string (`scheme://user:PASSWORD@host`, any scheme, or `user:PASSWORD@host` without one)
 * and `password=VALUE` pairs become `***`. The user name stays (it explains "authentication failed
 * for user u"). When a string is ambiguous, more is hidden rather than less: the password runs
 * from the first `:` of the userinfo to the LAST `@` of the token, so `u:pa/ss@h`, `u:p@ss@h`
 * and `u:p:ss@h` are all covered. A token is a run of non-space characters: a URL cannot hold a
 * raw space (it must be percent-encoded).
 */

export const REDACTED = '***';

const SCHEME = /[A-Za-z][A-Za-z0-9+.-]*:\/\//g;
/** `key=value` secrets, as in libpq DSNs (`password=x`) and URL queries (`?password=x&...`). */
const KEY_VALUE = /\b(password|passwd|pwd|pgpassword)(\s*=\s*)('[^']*'|"[^"]*"|[^\s&;,'"]+)/gi;
/** Quotes and brackets a message may put around a URL, ignored at the start of a schemeless token. */
const LEADING = /^['"`(<[{]+/;

export function redactSecrets(text: string): string {
  if (!text) return text;
  return text.replace(/\S+/g, redactToken).replace(KEY_VALUE, (_m, key: string, eq: string) => `${key}${eq}${REDACTED}`);
}

/** A URL (or a message fragment holding one) with its password hidden; the old name of redactSecrets for store URLs. */
export function maskUrl(url: string): string {
  return redactSecrets(url);
}

function redactToken(token: string): string {
  if (!token.includes('@')) return token;
  const starts = [...token.matchAll(SCHEME)].map((m) => ({ at: m.index!, authority: m.index! + m[0].length }));
  if (starts.length === 0) return redactSchemeless(token);
  let out = token.slice(0, starts[0].at);
  starts.forEach((s, i) => {
    const end = i + 1 < starts.length ? starts[i + 1].at : token.length;
    out += token.slice(s.at, s.authority) + redactAuthority(token.slice(s.authority, end));
  });
  return out;
}

/** `user:pass@host...` -> `user:***@host...`; nothing to hide without both a `:` and a later `@`. */
function redactAuthority(rest: string): string {
  const at = rest.lastIndexOf('@');
  if (at < 0) return rest;
  const colon = rest.indexOf(':');
  if (colon < 0 || colon > at) return rest;
  return `${rest.slice(0, colon + 1)}${REDACTED}${rest.slice(at)}`;
}

/** `u:pw@host:5432/db` without a scheme: only when a plausible user name starts the token and a host follows the `@`. */
function redactSchemeless(token: string): string {
  const lead = LEADING.exec(token)?.[0] ?? '';
  const body = token.slice(lead.length);
  const colon = body.indexOf(':');
  const at = body.lastIndexOf('@');
  if (colon <= 0 || at < colon || at === body.length - 1) return token;
  if (!/^[^\s:@/\\?#]+$/.test(body.slice(0, colon))) return token;
  return `${lead}${body.slice(0, colon + 1)}${REDACTED}${body.slice(at)}`;
}
