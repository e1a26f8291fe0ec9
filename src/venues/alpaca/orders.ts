import type { trading } from '@alpacahq/alpaca-trade-api';
import type { VenueOrderList, VenueOrderStatus } from '../../engine/venue.ts';
import { formatRaw } from '../../model/decimal.ts';
import { clientOrderId, venueOrderId } from '../../model/identifiers.ts';
import type { Instrument } from '../../model/instrument.ts';
import { createOrderSpec } from '../../model/orders/factory.ts';
import type { OrderSpec, TrailingOffset } from '../../model/orders/types.ts';
import { alpacaDecimal, alpacaOptional, epochMs } from './exact.ts';
import { roleOfSpec } from './legs.ts';

export type OrderMapping = { readonly ok: true; readonly body: trading.PostOrderRequest } | { readonly ok: false; readonly reason: string };

const no = (what: string): OrderMapping => ({ ok: false, reason: `UNSUPPORTED_AT_VENUE: Alpaca does not take ${what}` });

/**
 * Warden's order as Alpaca's POST /v2/orders body (order_class simple), figures as the exact
 * decimal text Alpaca takes. Alpaca's `stop` triggers on a move against (a buy above, a sell
 * below), so stop-market and stop-limit map natively and if-touched orders do not; its trailing
 * stop trails by `trail_price` or `trail_percent` from the high-water mark, with no activation
 * price and no limit variant. Lists Alpaca holds itself (bracket, OCO, OTO) go as one body with
 * their exits (toAlpacaList); any other list's orders come here one by one, linked by the emulator.
 */
export function toAlpacaOrder(spec: OrderSpec, symbol: string, venueClientId: string, instrument: Instrument): OrderMapping {
  const tif = timeInForce(spec);
  if (tif === undefined) return no(`${spec.timeInForce} orders`);
  if (spec.postOnly) return no('post-only orders');
  if (spec.displayQuantity !== undefined) return no('icebergs');
  // Alpaca takes extended hours on DAY limit orders only.
  if (spec.extendedHours && !(spec.type === 'LIMIT' && tif === 'day')) return no('extended hours on anything but a DAY limit order');
  const base = { symbol, qty: spec.quantity.toString(), side: spec.side === 'BUY' ? 'buy' : 'sell', timeInForce: tif, clientOrderId: venueClientId, orderClass: 'simple', ...(spec.extendedHours ? { extendedHours: true } : {}) } as const;
  switch (spec.type) {
    case 'MARKET':
      return { ok: true, body: { ...base, type: 'market' } };
    case 'LIMIT':
      return { ok: true, body: { ...base, type: 'limit', limitPrice: spec.price.toString() } };
    case 'STOP_MARKET':
    case 'STOP_LIMIT':
      if (spec.triggerType !== 'DEFAULT' && spec.triggerType !== 'LAST') return no(`a ${spec.triggerType} trigger (its stops watch the last trade)`);
      return spec.type === 'STOP_MARKET'
        ? { ok: true, body: { ...base, type: 'stop', stopPrice: spec.triggerPrice.toString() } }
        : { ok: true, body: { ...base, type: 'stop_limit', stopPrice: spec.triggerPrice.toString(), limitPrice: spec.price.toString() } };
    case 'MARKET_IF_TOUCHED':
    case 'LIMIT_IF_TOUCHED':
      return no(`${spec.type} orders (its stops trigger only on a move against)`);
    case 'TRAILING_STOP_MARKET':
      if (spec.activationPrice !== undefined) return no('an activation price on a trailing stop');
      if (spec.triggerType !== 'DEFAULT' && spec.triggerType !== 'LAST') return no(`a ${spec.triggerType} trigger on a trailing stop`);
      return { ok: true, body: { ...base, type: 'trailing_stop', ...trail(spec.trailingOffset, instrument) } };
    case 'TRAILING_STOP_LIMIT':
      return no('trailing stop-limit orders');
  }
}

/**
 * A list Alpaca holds (SubmitRequest.list) as one POST /v2/orders body: order_class bracket (the
 * entry with take_profit and stop_loss), oco (the take-profit limit with stop_loss; Alpaca's order
 * is the limit leg) or oto (the entry with its one exit). Only the list's first order carries our
 * client id: Alpaca names the legs itself. Lists are DAY or GTC, without extended hours (Alpaca's
 * rule; the engine checked the shape, see src/engine/order-lists.ts).
 */
export function toAlpacaList(spec: OrderSpec, list: VenueOrderList, symbol: string, venueClientId: string, instrument: Instrument): OrderMapping {
  if (spec.timeInForce !== 'DAY' && spec.timeInForce !== 'GTC') return no(`${spec.timeInForce} ${list.shape} lists (day or gtc only)`);
  if (spec.extendedHours) return no(`extended hours on a ${list.shape} list`);
  const first = toAlpacaOrder(spec, symbol, venueClientId, instrument);
  if (!first.ok) return first;
  const exits: { takeProfit?: trading.PostOrderRequestTakeProfit; stopLoss?: trading.PostOrderRequestStopLoss } = {};
  // An OCO's first order is its take-profit: Alpaca takes its limit price again as take_profit.
  for (const leg of list.shape === 'OCO' ? [spec, ...list.children] : list.children) {
    switch (roleOfSpec(leg)) {
      case 'take_profit':
        if (leg.type === 'LIMIT') exits.takeProfit = { limitPrice: leg.price.toString() };
        break;
      case 'stop_loss':
        if (leg.type === 'STOP_MARKET') exits.stopLoss = { stopPrice: leg.triggerPrice.toString() };
        if (leg.type === 'STOP_LIMIT') exits.stopLoss = { stopPrice: leg.triggerPrice.toString(), limitPrice: leg.price.toString() };
        break;
      case undefined:
        return no(`a ${leg.type} exit in a ${list.shape} list`);
    }
  }
  const body: trading.PostOrderRequest = { ...first.body, orderClass: ORDER_CLASS[list.shape], ...exits };
  // Alpaca's OCO is a limit order priced by its take_profit alone.
  if (list.shape === 'OCO') delete body.limitPrice;
  return { ok: true, body };
}

const ORDER_CLASS = { BRACKET: 'bracket', OCO: 'oco', OTO: 'oto' } as const;

function timeInForce(spec: OrderSpec): trading.TimeInForce | undefined {
  switch (spec.timeInForce) {
    case 'GTC':
      return 'gtc';
    case 'DAY':
      return 'day';
    case 'IOC':
      return 'ioc';
    case 'FOK':
      return 'fok';
    case 'GTD':
      return undefined;
  }
}

/** A trailing offset as Alpaca's trail_price (a price or a number of ticks) or trail_percent (basis points / 100, exact). */
export function trail(offset: TrailingOffset, instrument: Instrument): { trailPrice: string } | { trailPercent: string } {
  switch (offset.type) {
    case 'PRICE':
      return { trailPrice: offset.price.toString() };
    case 'TICKS':
      return { trailPrice: formatRaw(instrument.tickSize.raw * offset.ticks, instrument.pricePrecision) };
    case 'BASIS_POINTS':
      return { trailPercent: alpacaDecimal(formatRaw(offset.bps.digits, offset.bps.scale + 2), 'trail_percent') };
  }
}

/** The trailing offset of a replace (PATCH `trail`): the same unit the order was placed with. */
export function trailOf(spec: OrderSpec, instrument: Instrument): string | undefined {
  if (spec.type !== 'TRAILING_STOP_MARKET') return undefined;
  const t = trail(spec.trailingOffset, instrument);
  return 'trailPrice' in t ? t.trailPrice : t.trailPercent;
}

const STATUS: Readonly<Record<string, VenueOrderStatus['status'] | 'REPLACED'>> = {
  new: 'OPEN',
  accepted: 'OPEN',
  pending_new: 'OPEN',
  accepted_for_bidding: 'OPEN',
  partially_filled: 'OPEN',
  pending_cancel: 'OPEN',
  pending_replace: 'OPEN',
  held: 'OPEN',
  calculated: 'OPEN',
  stopped: 'OPEN',
  suspended: 'OPEN',
  // Done for today; a GTC order works again tomorrow, a DAY order is told expired.
  done_for_day: 'OPEN',
  filled: 'FILLED',
  canceled: 'CANCELED',
  expired: 'EXPIRED',
  rejected: 'REJECTED',
  replaced: 'REPLACED',
};

/** Alpaca's order status as Warden's; REPLACED: this order was replaced by `replaced_by`; undefined: a status we do not know. */
export function statusOf(status: string | undefined): VenueOrderStatus['status'] | 'REPLACED' | undefined {
  return status === undefined ? undefined : STATUS[status];
}

/**
 * What Alpaca says of an order, for reconciliation and unknown-state resolution. `spec` is ours
 * when we sent it; an order we did not send (external) is described from Alpaca's figures.
 */
export function venueStatusOf(o: trading.Order, wardenId: string, instrument: Instrument, spec: OrderSpec | undefined, accountId: string): VenueOrderStatus | undefined {
  const status = statusOf(o.status);
  if (status === undefined || status === 'REPLACED') return undefined;
  const limit = alpacaOptional(o.limitPrice, 'limit_price');
  const stop = alpacaOptional(o.stopPrice, 'stop_price');
  return {
    clientOrderId: clientOrderId(wardenId),
    venueOrderId: venueOrderId(String(o.id)),
    spec: spec ?? externalSpec(o, wardenId, instrument, accountId),
    status,
    filledQty: instrument.quantity(alpacaDecimal(o.filledQty ?? '0', 'filled_qty')),
    ...(o.qty ? { quantity: instrument.quantity(alpacaDecimal(o.qty, 'qty')) } : {}),
    ...(limit !== undefined ? { price: instrument.price(limit, 'limit_price') } : {}),
    ...(stop !== undefined && o.type !== 'trailing_stop' ? { triggerPrice: instrument.price(stop, 'stop_price') } : {}),
  };
}

/** An order Alpaca has that we did not send, in Warden's terms (a trailing stop as a stop at its current level). */
function externalSpec(o: trading.Order, wardenId: string, instrument: Instrument, accountId: string): OrderSpec {
  const limit = alpacaOptional(o.limitPrice, 'limit_price');
  const stop = alpacaOptional(o.stopPrice, 'stop_price');
  const type = stop !== undefined ? (limit !== undefined ? 'STOP_LIMIT' : 'STOP_MARKET') : limit !== undefined ? 'LIMIT' : 'MARKET';
  const tif = ({ gtc: 'GTC', day: 'DAY', ioc: 'IOC', fok: 'FOK' } as const)[o.timeInForce as 'gtc'] ?? 'DAY';
  return createOrderSpec(
    {
      clientOrderId: wardenId,
      accountId,
      instrumentId: instrument.id,
      side: o.side === 'sell' ? 'SELL' : 'BUY',
      type,
      quantity: alpacaDecimal(o.qty, 'qty'),
      ...(limit !== undefined ? { price: limit } : {}),
      ...(stop !== undefined ? { triggerPrice: stop } : {}),
      timeInForce: tif,
      tags: ['EXTERNAL'],
    },
    instrument,
    epochMs(o.submittedAt ?? o.createdAt, 0),
  );
}
