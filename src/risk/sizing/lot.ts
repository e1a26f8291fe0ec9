/**
 * From a floating-point size to an exact Quantity on the lot grid: always rounded DOWN, never up.
 */
import { MAX_ABS_VALUE, parseDecimal, pow10 } from '../../model/decimal.ts';
import type { Instrument } from '../../model/instrument.ts';
import { Quantity } from '../../model/values.ts';
import type { Audit } from './result.ts';

/**
 * The largest multiple of the lot size not above `units`. The float is read exactly as its
 * shortest round-trip decimal text (the model's rule for numbers: 0.3 means 3/10, not the binary
 * 0.29999…), truncated to the instrument's size precision, then floored to the lot step, all in
 * bigint. Non-finite, zero or negative sizes give zero; sizes beyond the representable 1e15 are
 * treated as 1e15 before any instrument maximum applies.
 */
export function floorToLot(instrument: Instrument, units: number): Quantity {
  const p = instrument.sizePrecision;
  if (!Number.isFinite(units) || units < 1e-17) return Quantity.zero(p);
  const capped = Math.min(units, Number(MAX_ABS_VALUE));
  const { digits, scale } = parseDecimal(capped, 'quantity');
  let raw = scale <= p ? digits * pow10(p - scale) : digits / pow10(scale - p);
  raw -= raw % instrument.lotSize.raw;
  return Quantity.fromRaw(raw, p);
}

/**
 * floorToLot, then the instrument's limits: above maxQuantity is cut down to maxQuantity (on the
 * grid by construction); below minQuantity gives zero (rounding up to the minimum would risk more
 * than the method allows). Each step is audited.
 */
export function sizeOnGrid(instrument: Instrument, units: number, audit: Audit): Quantity {
  let q = floorToLot(instrument, units);
  audit.add('quantity.floored', q.toString(), `floor(${units} / lot ${instrument.lotSize.toString()}) × lot`);
  if (instrument.maxQuantity && q.cmp(instrument.maxQuantity) > 0) {
    q = instrument.maxQuantity;
    audit.add('quantity.maxCapped', q.toString(), 'cut to the instrument maxQuantity');
  }
  if (!q.isZero() && instrument.minQuantity && q.cmp(instrument.minQuantity) < 0) {
    audit.add('quantity.belowMin', '0', `${q.toString()} is below minQuantity ${instrument.minQuantity.toString()}: do not trade`);
    q = Quantity.zero(instrument.sizePrecision);
  }
  return q;
}
