/**
 * Runs `fn` at most once per `intervalMs`, always on the trailing edge as well, so the last state
 * always arrives. The first call after a quiet period runs at once (no added latency).
 */
export class TrailingThrottle {
  private last = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly fn: () => void,
  ) {}

  schedule(): void {
    if (this.timer) return; // a trailing run is already due; it will read the latest state
    const wait = this.last + this.intervalMs - Date.now();
    if (wait <= 0) this.run();
    else this.timer = setTimeout(() => this.run(), wait);
  }

  /** Runs now, cancelling a pending trailing run. */
  flush(): void {
    this.run();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private run(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.last = Date.now();
    this.fn();
  }
}
