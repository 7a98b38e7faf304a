/** The clock a throttle runs on (real timers by default; tests pass a manual one). */
export interface ThrottleClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_CLOCK: ThrottleClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Runs `fn` at most once per `intervalMs`, always on the trailing edge as well, so the last state
 * always arrives. The first call after a quiet period runs at once (no added latency).
 */
export class TrailingThrottle {
  private last = Number.NEGATIVE_INFINITY;
  private timer: unknown;

  constructor(
    private readonly intervalMs: number,
    private readonly fn: () => void,
    private readonly clock: ThrottleClock = REAL_CLOCK,
  ) {}

  schedule(): void {
    if (this.timer !== undefined) return; // a trailing run is already due; it will read the latest state
    const wait = this.last + this.intervalMs - this.clock.now();
    if (wait <= 0) this.run();
    else this.timer = this.clock.setTimeout(() => this.run(), wait);
  }

  /** Runs now, cancelling a pending trailing run. */
  flush(): void {
    this.run();
  }

  dispose(): void {
    this.cancel();
  }

  private cancel(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private run(): void {
    this.cancel();
    this.last = this.clock.now();
    this.fn();
  }
}
