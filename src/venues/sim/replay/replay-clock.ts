import type { Clock } from '../../../engine/clock.ts';

/**
 * Data time driven by the wall clock: `speed` seconds of data per second of wall time, starting
 * at `start`. Paper trading on a replayed file runs on it, so every timestamp the engine sees is
 * in the data's time, and the wall clock sets the pace. The wall time source is injected.
 */
export class ReplayClock implements Clock {
  private readonly wallStart: number;
  private last: number;

  constructor(
    private readonly start: number,
    private readonly speed: number,
    private readonly wall: () => number,
  ) {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number, got ${speed}`);
    this.wallStart = wall();
    this.last = start;
  }

  now(): number {
    const t = this.start + Math.floor((this.wall() - this.wallStart) * this.speed);
    if (t > this.last) this.last = t;
    return this.last;
  }

  /** Wall milliseconds until data time `t` comes round (0 if it has). */
  wallMsUntil(t: number): number {
    return Math.max(0, (t - this.now()) / this.speed);
  }
}
