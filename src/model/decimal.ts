import { ValidationError } from './errors.ts';

/** Inputs a fixed-point value may be built from. Numbers go through their shortest round-trip text. */
export type NumericInput = string | number | bigint;

export const MAX_PRECISION = 16;
/** No price, quantity or amount may exceed this in absolute value. */
export const MAX_ABS_VALUE = 10n ** 15n;

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const POW10: bigint[] = Array.from({ length: 2 * MAX_PRECISION + 2 }, (_, i) => 10n ** BigInt(i));

export function pow10(n: number): bigint {
  return POW10[n] ?? 10n ** BigInt(n);
}

export function checkPrecision(precision: number, what: string): void {
  if (!Number.isInteger(precision) || precision < 0 || precision > MAX_PRECISION) {
    throw new ValidationError('VALUE_OUT_OF_RANGE', `${what} precision must be an integer 0..${MAX_PRECISION}, got ${precision}`, {
      precision,
    });
  }
}

/**
 * Parses a decimal exactly into `digits × 10^-scale`. Never goes through binary floating point:
 * a JS number is first written as its shortest round-trip text, which is the value the caller typed.
 */
export function parseDecimal(input: NumericInput, field = 'value'): { digits: bigint; scale: number } {
  if (typeof input === 'bigint') return { digits: input, scale: 0 };
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) {
      throw new ValidationError('INVALID_NUMBER', `${field} must be a finite number, got ${String(input)}`, { field, input: String(input) });
    }
    text = String(input);
  } else if (typeof input === 'string') {
    text = input.trim();
  } else {
    throw new ValidationError('INVALID_NUMBER', `${field} must be a decimal string or number, got ${typeof input}`, {
      field,
      input: typeof input,
    });
  }
  const m = DECIMAL_TEXT.exec(text);
  const intPart = m?.[2] ?? '';
  const fracPart = m?.[3] ?? '';
  if (!m || (intPart === '' && fracPart === '')) {
    throw new ValidationError('INVALID_NUMBER', `${field} is not a decimal number: ${JSON.stringify(text)}`, { field, input: text });
  }
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 64) {
    throw new ValidationError('VALUE_OUT_OF_RANGE', `${field} exponent out of range: ${text}`, { field, input: text });
  }
  let digits = BigInt(intPart + fracPart || '0');
  let scale = fracPart.length - exp;
  if (scale < 0) {
    digits *= pow10(-scale);
    scale = 0;
  }
  // Strip trailing zeros so "1.50" and "1.5" have the same scale.
  while (scale > 0 && digits % 10n === 0n && digits !== 0n) {
    digits /= 10n;
    scale--;
  }
  if (digits === 0n) scale = 0;
  return { digits: m[1] === '-' ? -digits : digits, scale };
}

/** Converts to an integer count of 10^-precision units; refuses anything that would need rounding. */
export function toRaw(input: NumericInput, precision: number, field = 'value'): bigint {
  const { digits, scale } = parseDecimal(input, field);
  let raw: bigint;
  if (scale <= precision) {
    raw = digits * pow10(precision - scale);
  } else {
    throw new ValidationError(
      'PRECISION_EXCEEDED',
      `${field} ${String(input)} has ${scale} decimal places, at most ${precision} allowed`,
      { field, input: String(input), precision, scale },
    );
  }
  checkRange(raw, precision, field);
  return raw;
}

export function checkRange(raw: bigint, precision: number, field: string): void {
  const limit = MAX_ABS_VALUE * pow10(precision);
  if (raw > limit || raw < -limit) {
    throw new ValidationError('VALUE_OUT_OF_RANGE', `${field} ${formatRaw(raw, precision)} is beyond ±${MAX_ABS_VALUE}`, {
      field,
      input: formatRaw(raw, precision),
    });
  }
}

/** Exact text of `raw × 10^-precision` with exactly `precision` decimals. */
export function formatRaw(raw: bigint, precision: number): string {
  const negative = raw < 0n;
  const abs = negative ? -raw : raw;
  let s = abs.toString();
  if (precision > 0) {
    s = s.padStart(precision + 1, '0');
    s = `${s.slice(0, s.length - precision)}.${s.slice(s.length - precision)}`;
  }
  return negative ? `-${s}` : s;
}

/** Rescales exactly to a higher precision, or exactly down (throws if digits would be lost). */
export function rescale(raw: bigint, from: number, to: number, field = 'value'): bigint {
  if (to >= from) return raw * pow10(to - from);
  const f = pow10(from - to);
  if (raw % f !== 0n) {
    throw new ValidationError('PRECISION_EXCEEDED', `${field} ${formatRaw(raw, from)} does not fit ${to} decimal places`, {
      field,
      input: formatRaw(raw, from),
      precision: to,
    });
  }
  return raw / f;
}

export type RoundingMode = 'HALF_UP' | 'HALF_EVEN' | 'DOWN' | 'UP';

/** Explicit rounding, for the few places where the business rule is to round (fees charged). */
export function roundRaw(raw: bigint, from: number, to: number, mode: RoundingMode): bigint {
  if (to >= from) return raw * pow10(to - from);
  const f = pow10(from - to);
  const q = raw / f; // truncates toward zero
  const r = raw - q * f;
  if (r === 0n) return q;
  const sign = raw < 0n ? -1n : 1n;
  const absR2 = (r < 0n ? -r : r) * 2n;
  switch (mode) {
    case 'DOWN':
      return q;
    case 'UP':
      return q + sign;
    case 'HALF_UP':
      return absR2 >= f ? q + sign : q;
    case 'HALF_EVEN':
      if (absR2 > f) return q + sign;
      if (absR2 < f) return q;
      return q % 2n === 0n ? q : q + sign;
  }
}

/** Floor division for bigints (toward -infinity), so remainders keep the divisor's sign. */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n) && ((a < 0n) !== (b < 0n)) ? q - 1n : q;
}
