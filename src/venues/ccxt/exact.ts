import { formatRaw, parseDecimal, pow10 } from '../../model/decimal.ts';
import { ValidationError } from '../../model/errors.ts';

/**
 * A figure ccxt gives (a float, or numeric text) as exact decimal text: a float is read through
 * its shortest round-trip text, the decimal the exchange sent ("0.1" stays 0.1, never
 * 0.1000000000000000055…), exponent notation spelled out. NaN, Infinity and non-numbers are refused.
 */
export function exactText(value: unknown, field: string): string {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ValidationError('INVALID_NUMBER', `${field} is ${String(value)}, not a number`, { field });
    text = String(value);
  } else if (typeof value === 'string' && value.trim() !== '') text = value.trim();
  else throw new ValidationError('INVALID_NUMBER', `${field} is missing or not a number`, { field });
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new ValidationError('INVALID_NUMBER', `${field} is not a decimal number: ${JSON.stringify(text)}`, { field });
  const sign = m[1] === '-' ? '-' : '';
  const digits = (m[2] ?? '') + (m[3] ?? '');
  const point = (m[2] ?? '').length + Number(m[4] ?? 0);
  return normalise(sign, digits, point);
}

/** Same, or undefined when ccxt has no figure (undefined or null). */
export function exactOptional(value: unknown, field: string): string | undefined {
  return value === undefined || value === null ? undefined : exactText(value, field);
}

/** `digits` with the decimal point after `point` digits (may be negative or past the end), without needless zeros. */
function normalise(sign: string, digits: string, point: number): string {
  let whole: string;
  let frac: string;
  if (point <= 0) {
    whole = '0';
    frac = '0'.repeat(-point) + digits;
  } else if (point >= digits.length) {
    whole = digits + '0'.repeat(point - digits.length);
    frac = '';
  } else {
    whole = digits.slice(0, point);
    frac = digits.slice(point);
  }
  whole = whole.replace(/^0+(?=\d)/, '');
  frac = frac.replace(/0+$/, '');
  const out = frac === '' ? whole : `${whole}.${frac}`;
  return out === '0' ? '0' : sign + out;
}

/** The step of a grid from ccxt's precision figure: a tick size as is, or a count of decimal places as 10^-n. */
export function stepFromPrecision(value: unknown, mode: 'TICK_SIZE' | 'DECIMAL_PLACES', field: string): string {
  if (mode === 'TICK_SIZE') return exactText(value, field);
  const places = Number(exactText(value, field));
  if (!Number.isInteger(places) || places < 0 || places > 16) throw new ValidationError('INVALID_NUMBER', `${field} is not a count of decimal places: ${String(value)}`, { field });
  return places === 0 ? '1' : `0.${'0'.repeat(places - 1)}1`;
}

/** a − b of two exact decimal texts, exact. */
export function exactDifference(a: string, b: string): string {
  const x = parseDecimal(a, 'minuend');
  const y = parseDecimal(b, 'subtrahend');
  const scale = Math.max(x.scale, y.scale);
  return exactText(formatRaw(x.digits * pow10(scale - x.scale) - y.digits * pow10(scale - y.scale), scale), 'difference');
}
