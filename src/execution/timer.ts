import type { TestClock } from '../engine/clock.ts';

/**
 * The executor's only way to wait: backoff between retries, grace periods, per-call timeouts.
 * `schedule` runs `fn` once after `ms` and returns a cancel function. Injected, so that tests and
 * backtests are deterministic (ManualTimer) and live trading uses the real one (RealTimer).
 */
export interface Timer {
  schedule(ms: number, fn: () => void): () => void;
}

/** A promise that settles after `ms` on `timer`. */
export function sleep(timer: Timer, ms: number): Promise<void> {
  return new Promise((resolve) => {
    timer.schedule(ms, resolve);
  });
}

/** The system's timers, for paper and live trading. */
export class RealTimer implements Timer {
  schedule(ms: number, fn: () => void): () => void {
    const handle = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(handle);
  }
}

interface Due {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  canceled: boolean;
}

/**
 * A timer driven by a TestClock: nothing fires until `runNext` / `runUntilIdle`, which move the
 * clock to each due time in order (ties in scheduling order). Deterministic: a test states what
 * happens at 100 ms, 200 ms, ... without waiting for any of it.
 */
export class ManualTimer implements Timer {
  private queue: Due[] = [];
  private seq = 0;

  constructor(private readonly clock: TestClock) {}

  schedule(ms: number, fn: () => void): () => void {
    const due: Due = { at: this.clock.now() + Math.max(0, ms), seq: ++this.seq, fn, canceled: false };
    this.queue.push(due);
    return () => {
      due.canceled = true;
    };
  }

  /** How many timers are waiting. */
  get pending(): number {
    return this.queue.filter((d) => !d.canceled).length;
  }

  /** Fires the earliest timer (moving the clock to its time); false when none is waiting. */
  runNext(): boolean {
    this.queue = this.queue.filter((d) => !d.canceled);
    if (this.queue.length === 0) return false;
    let first = 0;
    for (let i = 1; i < this.queue.length; i++) {
      const d = this.queue[i]!;
      const f = this.queue[first]!;
      if (d.at < f.at || (d.at === f.at && d.seq < f.seq)) first = i;
    }
    const [due] = this.queue.splice(first, 1);
    if (due!.at > this.clock.now()) this.clock.set(due!.at);
    due!.fn();
    return true;
  }

  /**
   * Fires every timer due by the clock's time, earliest first, without moving the clock: for a
   * loop that moves the clock itself (a backtest, bar by bar). Timers they schedule that are due
   * already fire too. Returns how many fired.
   */
  runDue(): number {
    let fired = 0;
    for (;;) {
      const live = this.queue.filter((d) => !d.canceled && d.at <= this.clock.now());
      if (live.length === 0) return fired;
      this.runNext();
      fired++;
    }
  }

  /**
   * Lets every promise chain run, fires the earliest timer, and again, until nothing is waiting.
   * Meant for in-process venues (a simulated exchange): their promises settle on the microtask
   * queue, which a macrotask turn drains completely. Throws after `maxTimers` timers (a loop).
   */
  async runUntilIdle(maxTimers = 10_000): Promise<void> {
    for (let n = 0; ; n++) {
      await drainMicrotasks();
      if (n >= maxTimers) throw new Error(`ManualTimer: still busy after ${maxTimers} timers`);
      if (!this.runNext()) break;
    }
    await drainMicrotasks();
  }
}

/** One macrotask turn: every queued microtask (and those they queue) has run by then. */
function drainMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
