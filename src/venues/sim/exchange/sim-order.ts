import type { ClientOrderId, VenueOrderId } from '../../../model/identifiers.ts';
import type { Instrument } from '../../../model/instrument.ts';
import type { OrderSpec } from '../../../model/orders/types.ts';
import { parseDecimal, pow10 } from '../../../model/decimal.ts';
import { ValidationError } from '../../../model/errors.ts';
import { Price, Quantity } from '../../../model/values.ts';

/** Where an order is inside the exchange. */
export type SimOrderState = 'WAITING_TRIGGER' | 'RESTING' | 'WAITING_MARKET' | 'DONE';

/** The exchange's own record of an order, in integer ticks and lots. */
export interface SimOrder {
  readonly id: ClientOrderId;
  readonly venueOrderId: VenueOrderId;
  readonly spec: OrderSpec;
  readonly instrument: Instrument;
  state: SimOrderState;
  qtyLots: number;
  filledLots: number;
  priceTicks: number | undefined;
  triggerTicks: number | undefined;
  expireAt: number | undefined;
  /** Data points seen since it started working: its first is where a marketable order takes. */
  pointsSeen: number;
  /** Why it is DONE, for reconciliation queries (filled is read from the quantities). */
  /** Why it is done when not fully filled; FILLED for a filled order that lost a fill to a bust. */
  doneReason: 'CANCELED' | 'EXPIRED' | 'FILLED' | undefined;
}

/**
 * The largest tick or lot count the book holds: it keeps numbers on its hot path, which are exact
 * up to 2^53 − 1. The exchange refuses an order beyond it at entry, and keeps the open lots of a
 * market within it, so no sum of lots in the book (a level's total, a FOK walk) can pass it either.
 */
export const MAX_BOOK_UNITS = Number.MAX_SAFE_INTEGER;
const MAX_BOOK_UNITS_N = BigInt(MAX_BOOK_UNITS);

/** Ticks or lots as a number when exact (≤ 2^53 − 1), else undefined: the caller refuses the order. */
export function safeUnits(count: bigint): number | undefined {
  return count <= MAX_BOOK_UNITS_N && count >= -MAX_BOOK_UNITS_N ? Number(count) : undefined;
}

function exactUnits(count: bigint, what: 'ticks' | 'lots', field: string): number {
  const n = safeUnits(count);
  if (n === undefined) {
    throw new ValidationError('VALUE_OUT_OF_RANGE', `${field} is ${count} ${what}, beyond the simulated book's exact range (2^53 - 1)`, { field, input: String(count) });
  }
  return n;
}

export function ticksOf(p: Price, inst: Instrument): bigint {
  return Price.of(p, inst.pricePrecision).raw / inst.tickSize.raw;
}

export function lotsOf(q: Quantity, inst: Instrument): bigint {
  return Quantity.of(q, inst.sizePrecision).raw / inst.lotSize.raw;
}

/** A price in ticks; VALUE_OUT_OF_RANGE beyond 2^53 − 1 ticks (never a rounded number). */
export function toTicks(p: Price, inst: Instrument, field = 'price'): number {
  return exactUnits(ticksOf(p, inst), 'ticks', field);
}

export function fromTicks(ticks: number, inst: Instrument): Price {
  return Price.fromRaw(BigInt(ticks) * inst.tickSize.raw, inst.pricePrecision);
}

/** A quantity in lots; VALUE_OUT_OF_RANGE beyond 2^53 − 1 lots (never a rounded number). */
export function toLots(q: Quantity, inst: Instrument, field = 'quantity'): number {
  return exactUnits(lotsOf(q, inst), 'lots', field);
}

export function fromLots(lots: number, inst: Instrument): Quantity {
  return Quantity.fromRaw(BigInt(lots) * inst.lotSize.raw, inst.sizePrecision);
}

/** Liquidity (a volume, a depth level) in lots, capped at 2^53 − 1: no order can take more, so the cap changes nothing. */
export function liquidityLots(q: Quantity, inst: Instrument): number {
  return capped(lotsOf(q, inst));
}

function capped(lots: bigint): number {
  return lots > MAX_BOOK_UNITS_N ? MAX_BOOK_UNITS : Number(lots);
}

/** Lots in a decimal volume, rounded down and capped as liquidityLots (volume is an estimate of liquidity, not a ledger value). */
export function volumeLots(volume: string, inst: Instrument): number {
  const digits = inst.sizePrecision;
  if (/[eE]/.test(volume)) {
    // Exponent notation (e.g. "9e-05" in Binance exports): parsed exactly, then truncated.
    const { digits: d, scale } = parseDecimal(volume, 'volume');
    const raw = scale <= digits ? d * pow10(digits - scale) : d / pow10(scale - digits);
    return capped(raw / inst.lotSize.raw);
  }
  const [i = '0', f = ''] = volume.split('.');
  const raw = BigInt(i + f.slice(0, digits).padEnd(digits, '0'));
  return capped(raw / inst.lotSize.raw);
}
