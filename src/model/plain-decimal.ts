import { MAX_ABS_VALUE } from './decimal.ts';

const MAX_ABS = Number(MAX_ABS_VALUE);

/**
 * Units of 10^-precision in plain decimal text — digits with an optional point, as data files
 * write prices — as a safe integer, when that is exact. `undefined` for anything else (a sign, an
 * exponent, spaces, more than 15 digits, more decimals than `precision` unless the extra ones are
 * zeros, a value beyond the model's range): the caller then takes the exact parser, which gives
 * the same value or the same error. A fast path for per-bar prices, not a second grammar.
 */
export function plainUnits(text: string, precision: number): number | undefined {
  const n = text.length;
  let v = 0;
  let digits = 0;
  let frac = -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (frac >= 0) {
        if (frac === precision) {
          if (c !== 48) return undefined; // more decimals than allowed: the exact parser says how
          continue;
        }
        frac++;
      }
      if (++digits > 15) return undefined;
      v = v * 10 + (c - 48);
    } else if (c === 46 && frac < 0) frac = 0;
    else return undefined;
  }
  if (digits === 0) return undefined;
  const units = v * 10 ** (precision - (frac < 0 ? 0 : frac));
  if (!Number.isSafeInteger(units) || units > MAX_ABS * 10 ** precision) return undefined;
  return units;
}

/**
 * Whole lots in plain decimal volume text, truncated (as `volumeLots` does: decimals past the
 * size precision are dropped); `undefined` for anything but digits with an optional point.
 */
export function plainLotsTruncated(text: string, sizePrecision: number, lotUnits: number): number | undefined {
  const n = text.length;
  let v = 0;
  let digits = 0;
  let frac = -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (frac >= sizePrecision) continue; // dropped
      if (frac >= 0) frac++;
      if (++digits > 15) return undefined;
      v = v * 10 + (c - 48);
    } else if (c === 46 && frac < 0) frac = 0;
    else return undefined;
  }
  const units = v * 10 ** (sizePrecision - (frac < 0 ? 0 : frac));
  if (!Number.isSafeInteger(units)) return undefined;
  return (units - (units % lotUnits)) / lotUnits;
}
