import { ValidationError } from '../model/errors.ts';

/**
 * A bounded equity curve for charts and equity.csv: at most `max` regular points whatever the
 * number of bars.
 *
 * Points are numbered 0, 1, 2, … as they are added; the curve keeps the points whose number is a
 * multiple of the stride (at first 1: every point). When a point is to be kept and the curve
 * already holds `max` points, every other kept point is dropped (the curve keeps the multiples of
 * twice the stride) and the stride doubles. So with at most `max` points added the curve is every
 * point, exactly; beyond, it is every stride-th point, evenly spaced in points, with stride a power
 * of two and between max / 2 and max points kept. `finish` then adds back the latest point and
 * any extra points asked for (the max-drawdown peak and trough), so the finished curve has at most
 * max + 3 points.
 */
export class EquityCurveSampler {
  readonly times: number[] = [];
  readonly values: number[] = [];
  private stride = 1;
  private count = 0;
  private lastTime = NaN;
  private lastValue = NaN;

  constructor(private readonly max: number) {
    if ((!Number.isSafeInteger(max) && max !== Infinity) || !(max >= 2)) {
      throw new ValidationError('INVALID_FIELD', `maxEquityPoints must be an integer ≥ 2 or Infinity, got ${max}`, { field: 'maxEquityPoints', input: String(max) });
    }
  }

  /** Points added so far. */
  get points(): number {
    return this.count;
  }

  add(time: number, value: number): void {
    const i = this.count++;
    this.lastTime = time;
    this.lastValue = value;
    if (i % this.stride !== 0) return;
    if (this.times.length >= this.max) {
      this.halve();
      if (i % this.stride !== 0) return;
    }
    this.times.push(time);
    this.values.push(value);
  }

  private halve(): void {
    const t = this.times;
    const v = this.values;
    let k = 0;
    for (let j = 0; j < t.length; j += 2, k++) {
      t[k] = t[j]!;
      v[k] = v[j]!;
    }
    t.length = k;
    v.length = k;
    this.stride *= 2;
  }

  /**
   * Adds the latest point if it was not kept, and the given points (by their number) if they were
   * not, each in its place; call once, after the last `add`.
   */
  finish(extra: readonly { index: number; time: number; value: number }[] = []): { times: number[]; values: number[] } {
    const last = this.count - 1;
    const stride = this.stride;
    if (last >= 0 && last % stride !== 0) {
      this.times.push(this.lastTime);
      this.values.push(this.lastValue);
    }
    // Insert the highest number first so the places of the lower ones do not move.
    const missing = [...new Map(extra.filter((p) => p.index >= 0 && p.index < last && p.index % stride !== 0).map((p) => [p.index, p])).values()].sort((a, b) => b.index - a.index);
    for (const p of missing) {
      const at = Math.floor(p.index / stride) + 1;
      this.times.splice(at, 0, p.time);
      this.values.splice(at, 0, p.value);
    }
    return { times: this.times, values: this.values };
  }
}
