import { formatRaw, parseDecimal, pow10 } from '../model/decimal.ts';

export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

/** Where a volume figure comes from: the prints seen, or (an instrument without prints in the window) its bars. */
export type VolumeSource = 'trades' | 'bars';

export interface RollingVolumeFigure {
  /** The summed sizes, exact decimal text (as many places as the finest size added). */
  readonly volume: string;
  readonly source: VolumeSource;
  /** Start of the window (epoch ms, on a bucket boundary): what traded from here to `now` is counted. */
  readonly since: number;
}

/** One source's sums by bucket (start time → raw units at `scale`), oldest first. */
class Series {
  readonly buckets: { start: number; raw: bigint }[] = [];
  scale = 0;

  add(start: number, digits: bigint, scale: number): void {
    if (scale > this.scale) {
      const k = pow10(scale - this.scale);
      for (const b of this.buckets) b.raw *= k;
      this.scale = scale;
    }
    const raw = digits * pow10(this.scale - scale);
    let i = this.buckets.length;
    // Items come in time order almost always: look back from the newest bucket.
    while (i > 0 && this.buckets[i - 1]!.start > start) i--;
    const at = this.buckets[i - 1];
    if (at?.start === start) at.raw += raw;
    else this.buckets.splice(i, 0, { start, raw });
  }

  /** Drops buckets that start before `from`. */
  prune(from: number): void {
    let n = 0;
    while (n < this.buckets.length && this.buckets[n]!.start < from) n++;
    if (n > 0) this.buckets.splice(0, n);
  }

  sum(from: number, to: number): bigint | undefined {
    let raw: bigint | undefined;
    for (const b of this.buckets) if (b.start >= from && b.start <= to) raw = (raw ?? 0n) + b.raw;
    return raw;
  }
}

/**
 * The traded volume of each instrument over a rolling window (24 hours by default) of the node's
 * clock, exact: sizes are decimal text summed as integers, never floats. Sizes are summed into
 * buckets (one minute by default), so the window is the `windowMs / bucketMs` buckets ending with
 * the one `now` falls in, and at most that many buckets are kept per instrument and source.
 * Prints count when the instrument has any in the window (the sizes of the trades seen); otherwise
 * its bars' volume counts, each bar in the bucket of its last millisecond (it is known once closed).
 * Never both: a feed of bars and trades of one instrument is not counted twice.
 */
export class RollingVolume {
  private readonly series = new Map<string, { trades: Series; bars: Series }>();

  constructor(
    readonly windowMs = DAY_MS,
    readonly bucketMs = MINUTE_MS,
  ) {
    if (!(bucketMs > 0) || !(windowMs >= bucketMs) || windowMs % bucketMs !== 0) throw new RangeError(`the window (${windowMs} ms) must be a whole number of buckets (${bucketMs} ms)`);
  }

  /** A print of `size` at `ts`. False (nothing counted) when the size is not a decimal at or above zero. */
  addTrade(instrumentId: string, ts: number, size: string): boolean {
    return this.add(instrumentId, 'trades', ts, size);
  }

  /** A closed bar of `volume` that opened at `ts` and lasted `durationMs`. */
  addBar(instrumentId: string, ts: number, durationMs: number, volume: string): boolean {
    return this.add(instrumentId, 'bars', ts + Math.max(1, durationMs) - 1, volume);
  }

  /** The instrument's volume in the window ending at `now`; undefined when nothing of it was seen in the window. */
  volume(instrumentId: string, now: number): RollingVolumeFigure | undefined {
    const s = this.series.get(instrumentId);
    if (!s) return undefined;
    const to = this.bucketOf(now);
    const from = to - this.windowMs + this.bucketMs;
    for (const source of ['trades', 'bars'] as const) {
      const raw = s[source].sum(from, to);
      if (raw !== undefined) return { volume: formatRaw(raw, s[source].scale), source, since: from };
    }
    return undefined;
  }

  private bucketOf(ts: number): number {
    return Math.floor(ts / this.bucketMs) * this.bucketMs;
  }

  private add(instrumentId: string, source: VolumeSource, ts: number, size: string): boolean {
    if (!Number.isFinite(ts)) return false;
    let d: { digits: bigint; scale: number };
    try {
      d = parseDecimal(size, 'size');
    } catch {
      return false;
    }
    if (d.digits < 0n) return false;
    let s = this.series.get(instrumentId);
    if (!s) this.series.set(instrumentId, (s = { trades: new Series(), bars: new Series() }));
    const bucket = this.bucketOf(ts);
    const series = s[source];
    series.add(bucket, d.digits, d.scale);
    // Nothing older than a window before the newest bucket can be asked for again (the clock never goes back).
    const newest = series.buckets.at(-1)!.start;
    series.prune(newest - this.windowMs + this.bucketMs);
    return true;
  }
}
