import type { ClientOrderId, VenueOrderId } from '../../../model/identifiers.ts';
import type { Instrument } from '../../../model/instrument.ts';
import type { OrderSpec } from '../../../model/orders/types.ts';
import { parseDecimal, pow10 } from '../../../model/decimal.ts';
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

export function toTicks(p: Price, inst: Instrument): number {
  return Number(Price.of(p, inst.pricePrecision).raw / inst.tickSize.raw);
}

export function fromTicks(ticks: number, inst: Instrument): Price {
  return Price.fromRaw(BigInt(ticks) * inst.tickSize.raw, inst.pricePrecision);
}

export function toLots(q: Quantity, inst: Instrument): number {
  return Number(Quantity.of(q, inst.sizePrecision).raw / inst.lotSize.raw);
}

export function fromLots(lots: number, inst: Instrument): Quantity {
  return Quantity.fromRaw(BigInt(lots) * inst.lotSize.raw, inst.sizePrecision);
}

/** Lots in a decimal volume, rounded down (volume is an estimate of liquidity, not a ledger value). */
export function volumeLots(volume: string, inst: Instrument): number {
  const digits = inst.sizePrecision;
  if (/[eE]/.test(volume)) {
    // Exponent notation (e.g. "9e-05" in Binance exports): parsed exactly, then truncated.
    const { digits: d, scale } = parseDecimal(volume, 'volume');
    const raw = scale <= digits ? d * pow10(digits - scale) : d / pow10(scale - digits);
    return Number(raw / inst.lotSize.raw);
  }
  const [i = '0', f = ''] = volume.split('.');
  const raw = BigInt(i + f.slice(0, digits).padEnd(digits, '0'));
  return Number(raw / inst.lotSize.raw);
}
