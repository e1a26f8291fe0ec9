import { ValidationError } from '../model/errors.ts';
import { formatRaw, parseDecimal, pow10 } from '../model/decimal.ts';
import type { Bar } from '../model/bar.ts';
import type { Trade } from '../model/trade.ts';

interface Dec {
  digits: bigint;
  scale: number;
}

const PLAIN = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Exact value of decimal text; keeps the written number of decimals (`1.50` has scale 2). */
function dec(text: string): Dec {
  const m = PLAIN.exec(text);
  if (m) return { digits: BigInt(`${m[1] ?? ''}${m[2] ?? ''}${m[3] ?? ''}`), scale: m[3]?.length ?? 0 };
  return parseDecimal(text);
}

function align(a: Dec, scale: number): bigint {
  return a.digits * pow10(scale - a.scale);
}

/** Exact comparison of two decimal texts; floats decide when they differ (rounding is monotonic). */
export function compareDecimalText(a: string, b: string): number {
  const x = Number(a), y = Number(b);
  if (x < y) return -1;
  if (x > y) return 1;
  const p = dec(a), q = dec(b);
  const s = Math.max(p.scale, q.scale);
  const d = align(p, s) - align(q, s);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** Exact sum of decimal texts, with as many decimals as the most precise term. */
export function addDecimalText(a: string, b: string): string {
  const p = dec(a), q = dec(b);
  const s = Math.max(p.scale, q.scale);
  return formatRaw(align(p, s) + align(q, s), s);
}

function bad(message: string, context: Record<string, string | number>): never {
  throw new ValidationError('INVALID_FIELD', message, { field: 'bars', ...context });
}

/**
 * Streams coarser bars: each output bar covers `[k × durationMs, (k + 1) × durationMs)` in UTC
 * epoch time (an hour from :00, a day from 00:00 UTC) and takes the first open, the highest high,
 * the lowest low, the last close and the exact sum of the volumes (bigint, with as many decimals as
 * the most precise input). A bucket with only some of its bars (a gap, the start or end of the
 * data) still gives a bar, from the bars it has; an empty bucket gives none (the gap stays visible).
 * Holds one bar. Throws on a stream that mixes instruments, goes back in time, or has bars that
 * do not fit the new length (the input length must divide it).
 */
export async function* resampleBars(bars: AsyncIterable<Bar>, durationMs: number): AsyncGenerator<Bar> {
  requireDuration(durationMs);
  yield* bucketed(checkedBars(bars, durationMs), durationMs);
}

async function* checkedBars(bars: AsyncIterable<Bar>, durationMs: number): AsyncGenerator<Piece> {
  let prev: Bar | undefined;
  for await (const b of bars) {
    if (b.durationMs > durationMs || durationMs % b.durationMs !== 0) {
      bad(`cannot resample ${b.durationMs} ms bars into ${durationMs} ms bars: the new length must be a multiple of the old`, {
        from: b.durationMs, to: durationMs,
      });
    }
    if (prev && b.instrumentId !== prev.instrumentId) {
      bad(`resampleBars takes one instrument per stream, got ${b.instrumentId} after ${prev.instrumentId}`, { instrumentId: b.instrumentId });
    }
    if (prev && b.ts <= prev.ts) bad(`bar at ${new Date(b.ts).toISOString()} is not after the previous bar`, { ts: b.ts });
    prev = b;
    const bucket = Math.floor(b.ts / durationMs) * durationMs;
    if (b.ts + b.durationMs > bucket + durationMs) {
      bad(`bar at ${new Date(b.ts).toISOString()} straddles the ${durationMs} ms boundary (not aligned to its length)`, { ts: b.ts });
    }
    yield b;
  }
}

/**
 * Bars from trades: each bar covers `[k × durationMs, (k + 1) × durationMs)` in UTC epoch time and
 * takes the first trade's price as open, the highest and lowest prices, the last price as close and
 * the exact sum of the sizes as volume. A bucket without trades gives no bar (the gap stays
 * visible, as in resampleBars). Holds one bar. Throws on trades that mix instruments or go back in
 * time (equal times are fine: one order often fills several trades in a millisecond).
 */
export async function* tradesToBars(trades: AsyncIterable<Trade>, durationMs: number): AsyncGenerator<Bar> {
  requireDuration(durationMs);
  yield* bucketed(checkedTrades(trades), durationMs);
}

async function* checkedTrades(trades: AsyncIterable<Trade>): AsyncGenerator<Piece> {
  let prev: Trade | undefined;
  for await (const t of trades) {
    if (prev && t.instrumentId !== prev.instrumentId) {
      bad(`tradesToBars takes one instrument per stream, got ${t.instrumentId} after ${prev.instrumentId}`, { instrumentId: t.instrumentId });
    }
    if (prev && t.ts < prev.ts) bad(`trade at ${new Date(t.ts).toISOString()} is before the previous trade`, { ts: t.ts });
    prev = t;
    yield { instrumentId: t.instrumentId, ts: t.ts, open: t.price, high: t.price, low: t.price, close: t.price, volume: t.size };
  }
}

/** A bar or a trade (a bar of one price) as the bucketing sees it. */
type Piece = Pick<Bar, 'instrumentId' | 'ts' | 'open' | 'high' | 'low' | 'close' | 'volume'>;

function requireDuration(durationMs: number): void {
  if (!(Number.isSafeInteger(durationMs) && durationMs > 0)) {
    throw new RangeError(`durationMs must be a positive whole number of milliseconds, got ${durationMs}`);
  }
}

/**
 * The one fold of both: checked pieces in time order into `[k × durationMs, (k + 1) × durationMs)`
 * buckets: first open, highest high, lowest low, last close, exact sum of volumes. Holds one bar.
 */
async function* bucketed(pieces: AsyncIterable<Piece>, durationMs: number): AsyncGenerator<Bar> {
  let cur: { -readonly [K in keyof Piece]: Piece[K] } | undefined;
  for await (const p of pieces) {
    const bucket = Math.floor(p.ts / durationMs) * durationMs;
    if (cur && cur.ts === bucket) {
      if (compareDecimalText(p.high, cur.high) > 0) cur.high = p.high;
      if (compareDecimalText(p.low, cur.low) < 0) cur.low = p.low;
      cur.close = p.close;
      cur.volume = addDecimalText(cur.volume, p.volume);
      continue;
    }
    if (cur) yield { ...cur, durationMs };
    cur = { instrumentId: p.instrumentId, ts: bucket, open: p.open, high: p.high, low: p.low, close: p.close, volume: p.volume };
  }
  if (cur) yield { ...cur, durationMs };
}
