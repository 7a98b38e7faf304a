/**
 * Keeps logs readable under a storm: a problem is written once, then counted, and summarised at
 * most once per period while it keeps coming ("... (repeated 41 more times in 30 s, 42 in all)").
 * Problems are told apart by a key; without one, the text with its numbers masked is the key, so
 * "(3 waiting)" and "(4 waiting)" are the same problem. No timers: a summary is written by the
 * next report after the period, by resolve() or by flush().
 */
export interface ProblemLogOptions {
  /** Where lines go (a logger's warn, stderr). */
  write: (line: string) => void;
  /** Minimum time between two summaries of one problem (default 30 000 ms). */
  summaryMs?: number;
  now?: () => number;
  /** Distinct problems remembered at most (the oldest is forgotten first; default 500). */
  maxKeys?: number;
}

interface Entry {
  text: string;
  total: number;
  /** Occurrences since the last line written about this problem. */
  unsaid: number;
  lastLineAt: number;
}

/** The key of a problem text: numbers masked, so counts and sizes inside it do not make it new. */
export function problemKey(text: string): string {
  return text.replace(/\d+(\.\d+)?/g, '#');
}

export class ProblemLog {
  private readonly entries = new Map<string, Entry>();
  private readonly summaryMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: ProblemLogOptions) {
    this.summaryMs = opts.summaryMs ?? 30_000;
    this.now = opts.now ?? Date.now;
  }

  /** Records one occurrence; returns true when a line was written for it. */
  report(text: string, key: string = problemKey(text)): boolean {
    const now = this.now();
    const e = this.entries.get(key);
    if (!e) {
      if (this.entries.size >= (this.opts.maxKeys ?? 500)) this.forgetOldest();
      this.entries.set(key, { text, total: 1, unsaid: 0, lastLineAt: now });
      this.opts.write(text);
      return true;
    }
    e.total++;
    e.unsaid++;
    e.text = text;
    if (now - e.lastLineAt < this.summaryMs) return false;
    this.summarise(e, now);
    return true;
  }

  /** The problem is over: its last count is written (if any is unsaid), then `line` if given. */
  resolve(key: string, line?: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    if (e.unsaid) this.summarise(e, this.now());
    this.entries.delete(key);
    if (line) this.opts.write(line);
  }

  /** Writes the summary of every problem with unsaid occurrences (at exit, before a report). */
  flush(): void {
    const now = this.now();
    for (const e of this.entries.values()) if (e.unsaid) this.summarise(e, now);
  }

  /** Occurrences per problem key since it was first seen. */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.entries].map(([k, e]) => [k, e.total]));
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  private forgetOldest(): void {
    const [key, e] = this.entries.entries().next().value as [string, Entry];
    if (e.unsaid) this.summarise(e, this.now());
    this.entries.delete(key);
  }

  private summarise(e: Entry, now: number): void {
    const secs = Math.max(1, Math.round((now - e.lastLineAt) / 1000));
    this.opts.write(`${e.text} (repeated ${e.unsaid} more time${e.unsaid === 1 ? '' : 's'} in ${secs} s, ${e.total} in all)`);
    e.unsaid = 0;
    e.lastLineAt = now;
  }
}

/**
 * A logger whose warnings and errors go through a ProblemLog each: the extension's output channel
 * shows a storm of one problem as one line and a running count.
 */
export function withProblemLog<L extends { warn(m: string): void; error(m: string): void }>(logger: L, opts: Omit<ProblemLogOptions, 'write'> = {}): L & { flush(): void } {
  const warn = new ProblemLog({ ...opts, write: (m) => logger.warn(m) });
  const error = new ProblemLog({ ...opts, write: (m) => logger.error(m) });
  return { ...logger, warn: (m: string) => void warn.report(m), error: (m: string) => void error.report(m), flush: () => (warn.flush(), error.flush()) };
}
