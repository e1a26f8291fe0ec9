import type { VenueOrderStatus, VenueReport } from '../../engine/venue.ts';
import { VenueCallError } from '../../model/errors.ts';
import { clientOrderId, tradeId, venueOrderId } from '../../model/identifiers.ts';
import type { Instrument } from '../../model/instrument.ts';
import { Money } from '../../model/money.ts';
import type { OrderSpec, TimeInForce } from '../../model/orders/types.ts';
import { exactText } from '../ccxt/exact.ts';
import type { PlaceRequest } from './client.ts';
import type { T212Fill, T212Order, T212OrderStatus, T212TimeValidity } from './wire.ts';

const refuse = (spec: OrderSpec, why: string) => new VenueCallError('VENUE_REJECTED', `UNSUPPORTED_AT_VENUE: ${why}`, { clientOrderId: spec.clientOrderId });

function timeValidity(spec: OrderSpec): T212TimeValidity {
  const tif: TimeInForce = spec.timeInForce;
  if (tif === 'DAY') return 'DAY';
  if (tif === 'GTC') return 'GOOD_TILL_CANCEL';
  throw refuse(spec, `Trading 212 orders are DAY or GOOD_TILL_CANCEL, not ${tif}`);
}

/**
 * Warden's order as Trading 212's placement: a sell is a negative quantity; market orders carry
 * no time validity (IOC, DAY and GTC all mean "now" for them); a buy cannot be reduce-only, and
 * post-only, iceberg and GTD do not exist there. A refusal is thrown before anything is sent.
 */
export function toPlaceRequest(spec: OrderSpec, ticker: string): PlaceRequest {
  if (spec.postOnly) throw refuse(spec, 'no post-only orders');
  if (spec.displayQuantity !== undefined) throw refuse(spec, 'no iceberg orders');
  if (spec.reduceOnly && spec.side === 'BUY') throw refuse(spec, 'a buy cannot be reduce-only (Invest accounts hold no short positions)');
  const quantity = (spec.side === 'SELL' ? '-' : '') + exactText(spec.quantity.toString(), 'quantity');
  switch (spec.type) {
    case 'MARKET':
      if (spec.timeInForce === 'FOK' || spec.timeInForce === 'GTD') throw refuse(spec, `no ${spec.timeInForce} market orders`);
      return { type: 'MARKET', ticker, quantity, extendedHours: false };
    case 'LIMIT':
      return { type: 'LIMIT', ticker, quantity, limitPrice: exactText(spec.price.toString(), 'price'), timeValidity: timeValidity(spec) };
    case 'STOP_MARKET':
      return { type: 'STOP', ticker, quantity, stopPrice: exactText(spec.triggerPrice.toString(), 'triggerPrice'), timeValidity: timeValidity(spec) };
    case 'STOP_LIMIT':
      return { type: 'STOP_LIMIT', ticker, quantity, stopPrice: exactText(spec.triggerPrice.toString(), 'triggerPrice'), limitPrice: exactText(spec.price.toString(), 'price'), timeValidity: timeValidity(spec) };
    case 'MARKET_IF_TOUCHED':
    case 'LIMIT_IF_TOUCHED':
    case 'TRAILING_STOP_MARKET':
    case 'TRAILING_STOP_LIMIT':
      throw refuse(spec, `no ${spec.type} orders (Warden emulates them)`);
  }
}

/** Trading 212's order status as reconciliation's. CANCELLING and REPLACING are still working. */
export function statusOf(s: T212OrderStatus): VenueOrderStatus['status'] {
  switch (s) {
    case 'LOCAL':
    case 'UNCONFIRMED':
    case 'CONFIRMED':
    case 'NEW':
    case 'PARTIALLY_FILLED':
    case 'CANCELLING':
    case 'REPLACING':
      return 'OPEN';
    case 'FILLED':
      return 'FILLED';
    case 'CANCELLED':
    case 'REPLACED':
      return 'CANCELED';
    case 'REJECTED':
      return 'REJECTED';
  }
}

/** A JSON number of Trading 212's as exact decimal text (its shortest round-trip text), magnitude only. */
export function figure(v: unknown, field: string): string {
  const t = exactText(v, field);
  return t.startsWith('-') ? t.slice(1) : t;
}

/** An order's filled quantity on the instrument's grid (0 when the broker gives none). */
export function filledOf(o: T212Order, inst: Instrument): bigint {
  return o.filledQuantity === undefined ? 0n : inst.quantity(figure(o.filledQuantity, 'filledQuantity')).raw;
}

/** Whether a broker's order is the one an ambiguous submit would have placed (same ticker, signed quantity, type, prices). */
export function sameTerms(o: T212Order, req: PlaceRequest): boolean {
  if (o.ticker !== req.ticker || o.type !== req.type || o.quantity === undefined) return false;
  const sell = req.quantity.startsWith('-');
  const side = o.side ?? (o.quantity < 0 ? 'SELL' : 'BUY');
  if ((side === 'SELL') !== sell || figure(o.quantity, 'quantity') !== figure(req.quantity, 'quantity')) return false;
  const same = (theirs: number | undefined, ours: string) => theirs !== undefined && figure(theirs, 'price') === exactText(ours, 'price');
  if ((req.type === 'LIMIT' || req.type === 'STOP_LIMIT') && !same(o.limitPrice, req.limitPrice)) return false;
  if ((req.type === 'STOP' || req.type === 'STOP_LIMIT') && !same(o.stopPrice, req.stopPrice)) return false;
  return true;
}

export function epochMs(iso: string | undefined, fallback: number): number {
  const t = iso === undefined ? Number.NaN : Date.parse(iso);
  return Number.isFinite(t) ? t : fallback;
}

/**
 * A history fill as Warden's fill report: quantity and price exact on the instrument's grid, the
 * taxes and fees charged with it as the commission when they are in the instrument's currency
 * (otherwise the instrument's fee schedule applies, and the figure is left to the account's cash).
 */
export function fillReport(f: T212Fill, orderId: string, wardenId: string, inst: Instrument, now: number): Extract<VenueReport, { kind: 'OrderFilled' }> {
  const lastQty = inst.quantity(figure(f.quantity, 'fill.quantity'));
  const lastPx = inst.price(figure(f.price, 'fill.price'));
  const taxes = (f.walletImpact?.taxes ?? []).filter((t) => t.currency === inst.quote.code);
  let commission: Money | undefined;
  for (const t of taxes) {
    const m = Money.of(figure(t.quantity, 'tax.quantity'), inst.quote);
    commission = commission === undefined ? m : commission.add(m);
  }
  return {
    kind: 'OrderFilled',
    clientOrderId: clientOrderId(wardenId),
    tradeId: tradeId(String(f.id)),
    venueOrderId: venueOrderId(orderId),
    lastQty,
    lastPx,
    liquidity: 'TAKER',
    ts: epochMs(f.filledAt, now),
    ...(commission !== undefined ? { commission } : {}),
  };
}
