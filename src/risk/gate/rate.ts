import type { ThrottleRates } from '../config/types.ts';

const SLOTS = 3600;

/**
 * Messages per second, minute and hour over a ring of 3,600 one-second buckets with running sums,
 * so reading a rate is O(1) and moving time forward costs one step per elapsed second (at most
 * 3,600, however long the gap). Windows are whole seconds: "per second" is the current second,
 * "per minute" the current second and the 59 before it, "per hour" the last 3,600.
 */
export class RateCounter {
  private readonly slots = new Uint32Array(SLOTS);
  /** The second (epoch ms / 1000, floored) the newest bucket belongs to. */
  private head = -1;
  private lastMinute = 0;
  private lastHour = 0;

  /** Moves the window to `ms`; a time before the newest bucket counts in the newest bucket. */
  private advance(ms: number): void {
    const sec = Math.floor(ms / 1000);
    if (sec <= this.head) return;
    if (this.head < 0 || sec - this.head >= SLOTS) {
      this.slots.fill(0);
      this.lastMinute = 0;
      this.lastHour = 0;
      this.head = sec;
      return;
    }
    for (let s = this.head + 1; s <= sec; s++) {
      // Bucket s-60 leaves the minute; bucket s-3600 (the slot s reuses) leaves the hour.
      if (s >= 60) this.lastMinute -= this.slots[(s - 60) % SLOTS]!;
      this.lastHour -= this.slots[s % SLOTS]!;
      this.slots[s % SLOTS] = 0;
    }
    this.head = sec;
  }

  add(ms: number): void {
    this.advance(ms);
    this.slots[this.head % SLOTS]!++;
    this.lastMinute++;
    this.lastHour++;
  }

  perSecond(ms: number): number {
    this.advance(ms);
    return this.slots[this.head % SLOTS]!;
  }
  perMinute(ms: number): number {
    this.advance(ms);
    return this.lastMinute;
  }
  perHour(ms: number): number {
    this.advance(ms);
    return this.lastHour;
  }
}

export type RateWindow = 'second' | 'minute' | 'hour';

/** The first rate the next message would exceed, with how far: `hard` when beyond the hard-limit multiple. */
export interface RateBreach {
  window: RateWindow;
  limit: number;
  actual: number;
  hard: boolean;
}

/**
 * Whether one more message breaks a rate; fills `out` (reused, no allocation) and returns true if
 * so. `actual` counts the message being checked and `pending` messages not recorded yet (the
 * earlier orders of a list being checked, all sent now).
 */
export function breaches(counter: RateCounter | undefined, rates: ThrottleRates, now: number, multiple: number, out: RateBreach, pending = 0): boolean {
  if (counter === undefined) {
    return exceeds(pending, rates.per_second, 'second', multiple, out) || exceeds(pending, rates.per_minute, 'minute', multiple, out) || exceeds(pending, rates.per_hour, 'hour', multiple, out);
  }
  return (
    exceeds(counter.perSecond(now) + pending, rates.per_second, 'second', multiple, out) ||
    exceeds(counter.perMinute(now) + pending, rates.per_minute, 'minute', multiple, out) ||
    exceeds(counter.perHour(now) + pending, rates.per_hour, 'hour', multiple, out)
  );
}

function exceeds(count: number, limit: number | undefined, window: RateWindow, multiple: number, out: RateBreach): boolean {
  if (limit === undefined || count + 1 <= limit) return false;
  out.window = window;
  out.limit = limit;
  out.actual = count + 1;
  out.hard = count + 1 > limit * multiple;
  return true;
}

/** Whether a count already recorded is beyond the hard limit in any window. */
export function beyondHardLimit(counter: RateCounter | undefined, rates: ThrottleRates, now: number, multiple: number): boolean {
  if (counter === undefined) return false;
  return (
    (rates.per_second !== undefined && counter.perSecond(now) > rates.per_second * multiple) ||
    (rates.per_minute !== undefined && counter.perMinute(now) > rates.per_minute * multiple) ||
    (rates.per_hour !== undefined && counter.perHour(now) > rates.per_hour * multiple)
  );
}
