/** Time source of the engine, in epoch milliseconds. The engine never reads the system time itself. */
export interface Clock {
  now(): number;
}

/** Manually driven clock for tests and backtests. */
export class TestClock implements Clock {
  constructor(private ms = 0) {}
  now(): number {
    return this.ms;
  }
  set(ms: number): void {
    if (ms < this.ms) throw new RangeError(`clock cannot go back from ${this.ms} to ${ms}`);
    this.ms = ms;
  }
  advance(ms: number): void {
    this.set(this.ms + ms);
  }
}

/** The system clock, for paper and live modes; never goes backwards even if the system clock does. */
export class WallClock implements Clock {
  private last = 0;
  now(): number {
    // The one place the system time is read: the engine only ever sees it through this Clock.
    // eslint-disable-next-line no-restricted-syntax
    const t = Date.now();
    if (t > this.last) this.last = t;
    return this.last;
  }
}
