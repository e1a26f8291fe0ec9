import { pow10 } from '../../model/decimal.ts';
import type { Instrument } from '../../model/instrument.ts';
import type { Price } from '../../model/values.ts';
import type { MarketQuote } from '../../portfolio/portfolio.ts';

/**
 * The reference price of an instrument: the last trade, or the mid of bid and ask when there is no
 * last (a quote's time stamp moves with any of its fields, so a bid/ask left over from long ago
 * could look fresh next to a new last; the last trade is the safer reference). It is kept doubled,
 * in raw units of the instrument's price precision, so that a mid half a tick off the grid stays
 * an exact integer: ref2 = 2 × last, or bid + ask.
 */
export interface Reference {
  ref2: bigint;
  /** When it was seen (epoch ms); NaN when the quote has no time. */
  ts: number;
  source: 'LAST' | 'MID';
}

/** Raw units of `px` at `precision`; a finer price is rounded half up (references only, never the ledger). */
export function rawAt(px: Price, precision: number): bigint {
  if (px.precision === precision) return px.raw;
  if (px.precision < precision) return px.raw * pow10(precision - px.precision);
  const d = pow10(px.precision - precision);
  const q = px.raw / d;
  const r = px.raw - q * d;
  return 2n * (r < 0n ? -r : r) >= d ? (px.raw < 0n ? q - 1n : q + 1n) : q;
}

/** Fills `out` from a quote and returns true, or returns false when the quote has no usable price. */
export function readReference(q: MarketQuote | undefined, inst: Instrument, out: Reference): boolean {
  if (q === undefined) return false;
  const p = inst.pricePrecision;
  if (q.last !== undefined) {
    out.ref2 = 2n * rawAt(q.last, p);
    out.source = 'LAST';
  } else if (q.bid !== undefined && q.ask !== undefined) {
    out.ref2 = rawAt(q.bid, p) + rawAt(q.ask, p);
    out.source = 'MID';
  } else return false;
  out.ts = q.ts ?? Number.NaN;
  return true;
}

/** A mark for valuing a position: the reference price whatever its age, else `fallback2`. */
export function mark2(q: MarketQuote | undefined, inst: Instrument, fallback2: bigint): bigint {
  if (q === undefined) return fallback2;
  if (q.last !== undefined) return 2n * rawAt(q.last, inst.pricePrecision);
  if (q.bid !== undefined && q.ask !== undefined) return rawAt(q.bid, inst.pricePrecision) + rawAt(q.ask, inst.pricePrecision);
  return fallback2;
}
