/**
 * Problems the user must see until their cause is gone, by kind. Bounded: a kind keeps at most
 * MAX_PER_KIND distinct alerts (the oldest go) and counts how many times it was raised, so a
 * stream of bad messages is one line with a count, never a growing list. The owner of each cause
 * clears its alert when the cause clears (a fill arrives, the database is back, a spec is fixed).
 */
export type AlertKind =
  /** The trade store could not be opened. */
  | 'store'
  /** PostgreSQL is unreachable: commits go to the local outbox. */
  | 'database'
  /** Commits the store refused, kept in memory and retried. */
  | 'commit'
  /** A fill for a contract without a spec (keyed by symbol). */
  | 'spec'
  /** The server's position disagrees with our fills (keyed by account + symbol). */
  | 'missing'
  /** Fills refused by the trading checks (keyed by the check: quantity, price, time...). */
  | 'fill'
  /** DTC messages we could not read (one line with a count). */
  | 'malformed';

const ORDER: readonly AlertKind[] = ['store', 'database', 'commit', 'spec', 'missing', 'fill', 'malformed'];
const MAX_PER_KIND = 5;
/** Kinds shown as one line with a count (each message is one of many of the same problem). */
const COUNTED: ReadonlySet<AlertKind> = new Set(['malformed']);

interface KindState {
  /** key -> message, oldest first. */
  entries: Map<string, string>;
  raised: number;
}

export class Alerts {
  private readonly kinds = new Map<AlertKind, KindState>();

  /** Raises (or updates) an alert; true when it is new or its text changed. */
  raise(kind: AlertKind, key: string, message: string): boolean {
    let s = this.kinds.get(kind);
    if (!s) this.kinds.set(kind, (s = { entries: new Map(), raised: 0 }));
    s.raised++;
    const known = s.entries.get(key) === message;
    s.entries.delete(key);
    s.entries.set(key, message);
    while (s.entries.size > MAX_PER_KIND) s.entries.delete(s.entries.keys().next().value as string);
    return !known;
  }

  /** Clears one alert (`key`) or the whole kind; true when something was cleared. */
  clear(kind: AlertKind, key?: string): boolean {
    const s = this.kinds.get(kind);
    if (!s) return false;
    if (key === undefined) return this.kinds.delete(kind);
    const had = s.entries.delete(key);
    if (s.entries.size === 0) this.kinds.delete(kind);
    return had;
  }

  /** Clears the alerts of a kind whose key passes `gone`. */
  clearWhere(kind: AlertKind, gone: (key: string) => boolean): boolean {
    const s = this.kinds.get(kind);
    if (!s) return false;
    let any = false;
    for (const key of [...s.entries.keys()]) if (gone(key) && this.clear(kind, key)) any = true;
    return any;
  }

  has(kind: AlertKind, key?: string): boolean {
    const s = this.kinds.get(kind);
    return !!s && (key === undefined || s.entries.has(key));
  }

  /** How many times the kind was raised since it was last clear. */
  count(kind: AlertKind): number {
    return this.kinds.get(kind)?.raised ?? 0;
  }

  keys(kind: AlertKind): string[] {
    return [...(this.kinds.get(kind)?.entries.keys() ?? [])];
  }

  /** The lines to show, most important kinds first. */
  list(): string[] {
    const out: string[] = [];
    for (const kind of ORDER) {
      const s = this.kinds.get(kind);
      if (!s) continue;
      const messages = [...s.entries.values()];
      if (COUNTED.has(kind)) {
        const latest = messages[messages.length - 1];
        out.push(s.raised > 1 ? `${s.raised} DTC messages could not be read and were skipped; the latest: ${latest}` : latest);
      } else {
        out.push(...messages);
      }
    }
    return out;
  }
}
