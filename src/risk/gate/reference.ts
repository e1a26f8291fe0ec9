import { pow10 } from '../../model/decimal.ts';
import type { Instrument } from '../../model/instrument.ts';
import type { Price } from '../../model/values.ts';
import type { MarketQuote } from '../../portfolio/portfolio.ts';

/**
 * The reference price of an instrument: the last trade, or the mid of bid and ask when there is no
 * last. Each carries its own time: the last the time of the update that brought it, the mid the
 * older of its bid's and ask's, so a fresh bid/ask never makes an old last (or an old side of the
 * book) look fresh. A stale last is not replaced by a fresh mid: the gate denies it as stale. It
 * is kept doubled, in raw units of the instrument's price precision, so that a mid half a tick off
 * the grid stays an exact integer: ref2 = 2 × last, or bid + ask.
 */
export interface Reference {
  ref2: bigint;
  /** When the price it is made of was seen (epoch ms), the older side for a mid; NaN when undated. */
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
    out.ts = q.lastTs ?? Number.NaN;
  } else if (q.bid !== undefined && q.ask !== undefined) {
    out.ref2 = rawAt(q.bid, p) + rawAt(q.ask, p);
    out.source = 'MID';
    // Math.min is NaN when either side is undated.
    out.ts = Math.min(q.bidTs ?? Number.NaN, q.askTs ?? Number.NaN);
  } else return false;
  return true;
}

/** A mark for valuing a position: the reference price whatever its age, else `fallback2`. */
export function mark2(q: MarketQuote | undefined, inst: Instrument, fallback2: bigint): bigint {
  if (q === undefined) return fallback2;
  if (q.last !== undefined) return 2n * rawAt(q.last, inst.pricePrecision);
  if (q.bid !== undefined && q.ask !== undefined) return rawAt(q.bid, inst.pricePrecision) + rawAt(q.ask, inst.pricePrecision);
  return fallback2;
}
