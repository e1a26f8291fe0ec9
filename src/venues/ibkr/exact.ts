import { ValidationError } from '../../model/errors.ts';
import type { Instrument } from '../../model/instrument.ts';
import type { Price, Quantity } from '../../model/values.ts';
import { exactText } from '../ccxt/exact.ts';

/**
 * IB's figures are doubles (prices, average prices, commissions) or decimals read into doubles
 * (sizes). Each is read through its shortest round-trip text, the decimal TWS wrote ("150.25",
 * never 150.250000000000003), then put on the instrument's grid, where anything off it is refused,
 * never rounded.
 */
export function ibDecimal(value: number | undefined, field: string): string {
  if (value === undefined || value === Number.MAX_VALUE) throw new ValidationError('INVALID_NUMBER', `${field} is missing (IB sent no value)`, { field });
  return exactText(value, field);
}

export const ibPrice = (instrument: Instrument, value: number | undefined, field: string): Price => instrument.price(ibDecimal(value, field));
export const ibQuantity = (instrument: Instrument, value: number | undefined, field: string): Quantity => instrument.quantity(ibDecimal(value, field));

/** A decimal Warden holds, as the double the API client sends (exact for the 15 significant digits a grid allows). */
export function toIbNumber(value: { toString(): string }): number {
  return Number(value.toString());
}
