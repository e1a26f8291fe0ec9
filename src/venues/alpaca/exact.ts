import { exactText } from '../ccxt/exact.ts';
import { ValidationError } from '../../model/errors.ts';

/**
 * Alpaca's figures as exact decimal text. Trading REST and trade_updates send them as strings
 * ("187.42", "0.5"); the msgpack market data stream as doubles, read through their shortest
 * round-trip text. Anything else (null, NaN, "abc") is refused with INVALID_NUMBER.
 */
export function alpacaDecimal(value: unknown, field: string): string {
  return exactText(value, field);
}

export function alpacaOptional(value: unknown, field: string): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : exactText(value, field);
}

/** An RFC-3339 time (or Date) as epoch ms; `fallback` when absent. */
export function epochMs(value: unknown, fallback: number): number {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? fallback : value.getTime();
  if (typeof value !== 'string' || value === '') return fallback;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new ValidationError('INVALID_FIELD', `not a time: ${JSON.stringify(value)}`, { field: 'timestamp' });
  return ms;
}
