import * as assert from 'assert';
import { TrailingThrottle, type ThrottleClock } from '../../../src/views/throttle';

/** A manual clock: time moves only when the test says so, so nothing here waits for real time. */
class ManualClock implements ThrottleClock {
  t = 1_000_000;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== handle);
  }
  get pending(): number {
    return this.timers.length;
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = due.at;
      due.fn();
    }
    this.t = end;
  }
}

describe('TrailingThrottle', () => {
  it('runs the first call at once', () => {
    const clock = new ManualClock();
    let runs = 0;
    new TrailingThrottle(100, () => runs++, clock).schedule();
    assert.strictEqual(runs, 1);
  });

  it('folds a burst into one trailing run at the end of the interval', () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    let state = 0;
    const th = new TrailingThrottle(100, () => seen.push(state), clock);
    th.schedule(); // leading run
    for (let i = 1; i <= 50; i++) {
      state = i;
      clock.advance(1);
      th.schedule();
    }
    assert.deepStrictEqual(seen, [0], 'nothing more before the interval ends');
    assert.strictEqual(clock.pending, 1, 'one trailing run is due, not fifty');
    clock.advance(100);
    assert.deepStrictEqual(seen, [0, 50], 'the trailing run reads the latest state');
  });

  it('never runs more than once per interval under a steady stream', () => {
    const clock = new ManualClock();
    const times: number[] = [];
    const th = new TrailingThrottle(100, () => times.push(clock.now()), clock);
    for (let i = 0; i < 1000; i++) {
      th.schedule();
      clock.advance(3);
    }
    clock.advance(200);
    for (let i = 1; i < times.length; i++) assert.ok(times[i] - times[i - 1] >= 100, `runs ${times[i - 1]} and ${times[i]} are closer than 100 ms`);
    assert.ok(times.length >= 29 && times.length <= 31, `${times.length} runs over 3 s`);
  });

  it('flush runs now and cancels the pending trailing run', () => {
    const clock = new ManualClock();
    let runs = 0;
    const th = new TrailingThrottle(100, () => runs++, clock);
    th.schedule();
    th.schedule();
    assert.strictEqual(clock.pending, 1);
    th.flush();
    assert.strictEqual(runs, 2);
    assert.strictEqual(clock.pending, 0);
    clock.advance(1000);
    assert.strictEqual(runs, 2);
  });

  it('dispose cancels a pending run', () => {
    const clock = new ManualClock();
    let runs = 0;
    const th = new TrailingThrottle(100, () => runs++, clock);
    th.schedule();
    th.schedule();
    th.dispose();
    clock.advance(1000);
    assert.strictEqual(runs, 1);
  });
});
