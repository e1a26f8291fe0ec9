/**
 * Splitting a parent quantity into slices on the lot grid, exactly. Everything is counted in
 * lots (bigint): equal slices for TWAP, slices proportional to weights for VWAP. Rounding is by
 * largest remainder, so the slices sum to the parent exactly and each is within one lot of its
 * exact share. Slices below the instrument's minimum quantity are carried forward into the next
 * slice (the last one back into the one before), because a child that small would be refused.
 *
 * A slice of zero means nothing goes out at that time; the result keeps one entry per input slot
 * so it stays aligned with the slice times.
 */
import { shown, ValidationError } from '../model/errors.ts';
import { Quantity } from '../model/values.ts';
import { largestRemainder } from '../model/apportion.ts';

/** What slicing needs of an instrument (an Instrument has both). */
export interface LotGrid {
  readonly lotSize: Quantity;
  readonly minQuantity: Quantity | undefined;
}

/** Most slices one algorithm may have: more is a typo, not a plan. */
export const MAX_SLICES = 10_000;

/** `count` equal slices (the first ones one lot larger when the lots do not divide evenly). */
export function equalSlices(total: Quantity, count: number, grid: LotGrid): Quantity[] {
  checkCount(count, 'slices');
  return slicesFromLots(grid, largestRemainder(lotsOf(total, grid), new Array<bigint>(count).fill(1n)));
}

/** Slices proportional to `weights` (non-negative, finite, not all zero; floats are taken exactly). */
export function weightedSlices(total: Quantity, weights: readonly number[], grid: LotGrid): Quantity[] {
  checkCount(weights.length, 'weights');
  const exact = exactWeights(weights);
  return slicesFromLots(grid, largestRemainder(lotsOf(total, grid), exact));
}

function checkCount(count: number, field: string): void {
  if (!Number.isInteger(count) || count < 1 || count > MAX_SLICES) {
    throw new ValidationError('INVALID_FIELD', `${field} must give 1 to ${MAX_SLICES} slices, got ${shown(count)}`, { field, input: shown(count) });
  }
}

function lotsOf(total: Quantity, grid: LotGrid): bigint {
  const lot = grid.lotSize;
  const raw = Quantity.of(total, lot.precision).raw;
  if (raw <= 0n) throw new ValidationError('NON_POSITIVE_QUANTITY', 'quantity to slice must be positive', { field: 'quantity', input: total.toString() });
  if (raw % lot.raw !== 0n) {
    throw new ValidationError('OFF_LOT_GRID', `quantity ${total.toString()} is not a multiple of lot size ${lot.toString()}`, {
      field: 'quantity',
      input: total.toString(),
      lotSize: lot.toString(),
    });
  }
  return raw / lot.raw;
}

function slicesFromLots(grid: LotGrid, lots: bigint[]): Quantity[] {
  const lot = grid.lotSize;
  const minLots = grid.minQuantity === undefined ? 1n : ceilDiv(Quantity.of(grid.minQuantity, lot.precision).raw, lot.raw);
  const merged = minLots > 1n ? carryBelowMin(lots, minLots) : lots;
  return merged.map((n) => Quantity.fromRaw(n * lot.raw, lot.precision));
}

/** Slices below `minLots` wait for the next slice; what is left at the end joins the last slice sent. */
function carryBelowMin(lots: readonly bigint[], minLots: bigint): bigint[] {
  const out = lots.slice();
  let carry = 0n;
  for (let i = 0; i < out.length; i++) {
    const v = out[i]! + carry;
    if (v === 0n) continue;
    if (v < minLots) {
      out[i] = 0n;
      carry = v;
    } else {
      out[i] = v;
      carry = 0n;
    }
  }
  if (carry > 0n) {
    let last = out.length - 1;
    while (last >= 0 && out[last] === 0n) last--;
    // Nothing reached the minimum: the whole parent is one slice, at the first slot that had any.
    const at = last >= 0 ? last : lots.findIndex((n) => n > 0n);
    out[at]! += carry;
  }
  return out;
}

/**
 * Each float weight as an exact integer on one common binary scale: a double is m × 2^e, so
 * shifting every mantissa to the smallest exponent keeps the ratios exact (no decimal rounding).
 */
function exactWeights(weights: readonly number[]): bigint[] {
  const parts = weights.map((w, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new ValidationError('INVALID_FIELD', `weights[${i}] must be a finite number >= 0, got ${shown(w)}`, { field: 'weights', input: shown(w) });
    }
    return binary(w);
  });
  const minExp = Math.min(...parts.filter((p) => p.mantissa > 0n).map((p) => p.exp));
  return parts.map((p) => (p.mantissa === 0n ? 0n : p.mantissa << BigInt(p.exp - minExp)));
}

const view = new DataView(new ArrayBuffer(8));

/** A non-negative finite double as mantissa × 2^exp, exactly (IEEE 754 fields). */
function binary(x: number): { mantissa: bigint; exp: number } {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return { mantissa: fraction, exp: -1074 };
  return { mantissa: fraction | (1n << 52n), exp: biased - 1075 };
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}
