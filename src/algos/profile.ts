/**
 * A historical volume profile for VWAP: average volume per time-of-period bucket (by default per
 * minute of the UTC day). Floats are fine here: the profile only weights the slices, and the
 * slices themselves are exact lots (slicing.ts).
 */
import type { Bar } from '../model/bar.ts';
import { shown, ValidationError } from '../model/errors.ts';

export interface VolumeProfile {
  readonly bucketMs: number;
  /** The cycle the buckets repeat over (a day by default). */
  readonly periodMs: number;
  /** Average volume per bucket index (0 .. periodMs / bucketMs - 1); a bucket never seen is absent. */
  readonly averageVolume: ReadonlyMap<number, number>;
}

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** Average volume of the bars falling in each bucket (a bar counts in the bucket of its open time). */
export function volumeProfile(bars: Iterable<Bar>, opts: { bucketMs?: number; periodMs?: number } = {}): VolumeProfile {
  const bucketMs = opts.bucketMs ?? MINUTE_MS;
  const periodMs = opts.periodMs ?? DAY_MS;
  if (!Number.isInteger(bucketMs) || bucketMs <= 0 || !Number.isInteger(periodMs) || periodMs % bucketMs !== 0) {
    throw new ValidationError('INVALID_FIELD', `bucketMs ${shown(bucketMs)} must be a positive whole divisor of periodMs ${shown(periodMs)}`, { field: 'bucketMs' });
  }
  const sum = new Map<number, { volume: number; bars: number }>();
  for (const bar of bars) {
    const v = Number(bar.volume);
    if (!Number.isFinite(v) || v < 0) throw new ValidationError('INVALID_NUMBER', `bar volume ${shown(bar.volume)} at ${bar.ts} is not a volume`, { field: 'volume', input: bar.volume });
    const b = bucketOf(bar.ts, bucketMs, periodMs);
    const s = sum.get(b);
    if (s) {
      s.volume += v;
      s.bars++;
    } else sum.set(b, { volume: v, bars: 1 });
  }
  const averageVolume = new Map<number, number>();
  for (const [b, s] of sum) averageVolume.set(b, s.volume / s.bars);
  return { bucketMs, periodMs, averageVolume };
}

/**
 * The profile's expected volume in [from, to): each bucket it overlaps counts in proportion to the
 * overlap, so slices shorter than a bucket or not aligned to one still get their share.
 */
export function expectedVolume(profile: VolumeProfile, from: number, to: number): number {
  const { bucketMs, periodMs } = profile;
  let total = 0;
  for (let t = Math.floor(from / bucketMs) * bucketMs; t < to; t += bucketMs) {
    const overlap = Math.min(to, t + bucketMs) - Math.max(from, t);
    if (overlap <= 0) continue;
    total += ((profile.averageVolume.get(bucketOf(t, bucketMs, periodMs)) ?? 0) * overlap) / bucketMs;
  }
  return total;
}

function bucketOf(ts: number, bucketMs: number, periodMs: number): number {
  const inPeriod = ((ts % periodMs) + periodMs) % periodMs;
  return Math.floor(inPeriod / bucketMs);
}
