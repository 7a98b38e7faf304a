/** SIM or LIVE from the account name (TRADING-MATH.md §2.1; setting appsierra.sim.accountPattern). */
import type { Mode } from './types';

export const DEFAULT_SIM_PATTERN = '^sim';

const cache = new Map<string, RegExp | null>();

function compile(pattern: string): RegExp | null {
  if (!cache.has(pattern)) {
    let re: RegExp | null = null;
    try {
      re = new RegExp(pattern, 'i');
    } catch {
      re = null;
    }
    cache.set(pattern, re);
  }
  return cache.get(pattern) ?? null;
}

/**
 * 'SIM' when the account matches the case-insensitive pattern, else 'LIVE'. An invalid pattern
 * (validateSettings reports it) falls back to the default so that Sim1 is never taken for LIVE.
 */
export function modeOf(account: string, pattern: string = DEFAULT_SIM_PATTERN): Mode {
  const re = compile(pattern) ?? compile(DEFAULT_SIM_PATTERN)!;
  return re.test(account) ? 'SIM' : 'LIVE';
}
