/**
 * The one way records are keyed by two names. NUL never occurs in a DTC account, symbol or
 * execution id (they are NUL-padded char arrays on the wire), so it cannot make two keys collide.
 */
export const KEY_SEP = '\u0000';

/** A fill's identity: account + execution id (TRADING-MATH.md §2.2). */
export function fillKey(account: string, executionId: string): string {
  return account + KEY_SEP + executionId;
}

/** A fillKey's account and execution id (the account never holds the separator). */
export function splitFillKey(key: string): [account: string, executionId: string] {
  const at = key.indexOf(KEY_SEP);
  return [key.slice(0, at), key.slice(at + 1)];
}

/** One contract within one account: a position, its working orders, the server's view of it. */
export function contractKey(account: string, symbol: string): string {
  return account + KEY_SEP + symbol;
}
