import type { Order as CcxtOrder, Trade as CcxtTrade } from 'ccxt';
import type { VenueOrderStatus, VenueReport } from '../../engine/venue.ts';
import type { Currency } from '../../model/currency.ts';
import { clientOrderId, tradeId, venueOrderId } from '../../model/identifiers.ts';
import type { Instrument } from '../../model/instrument.ts';
import { Money } from '../../model/money.ts';
import { createOrderSpec } from '../../model/orders/factory.ts';
import type { OrderSpec } from '../../model/orders/types.ts';
import { exactOptional, exactText } from './exact.ts';
import type { CcxtProfile } from './profiles.ts';

/** The arguments of ccxt's unified createOrder. */
export interface CcxtOrderArgs {
  readonly symbol: string;
  readonly type: 'market' | 'limit';
  readonly side: 'buy' | 'sell';
  readonly amount: number;
  readonly price: number | undefined;
  readonly params: Record<string, unknown>;
}

export type OrderMapping = { readonly ok: true; readonly args: CcxtOrderArgs } | { readonly ok: false; readonly reason: string };

/**
 * Warden's order as ccxt's createOrder arguments, or why the exchange cannot take it natively.
 * Figures go as numbers (ccxt's API) that ccxt formats back onto the market's grid: an exact
 * value on the grid comes out as the same text. Stops are `stopLossPrice` (trigger on a move
 * against: a sell below, a buy above) and if-touched orders `takeProfitPrice`, which ccxt turns
 * into the exchange's own stop-loss and take-profit types.
 */
function unsupported(p: CcxtProfile, what: string): OrderMapping {
  return { ok: false, reason: `UNSUPPORTED_AT_VENUE: ${p.exchange} does not take ${what} natively` };
}

export function toCcxtOrder(spec: OrderSpec, symbol: string, venueClientId: string, p: CcxtProfile): OrderMapping {
  const params: Record<string, unknown> = p.clientId.unified ? { clientOrderId: venueClientId } : { [p.clientId.param]: venueClientId };
  let type: 'market' | 'limit';
  let price: number | undefined;
  switch (spec.type) {
    case 'MARKET':
      type = 'market';
      if (spec.side === 'BUY' && p.marketBuyOfBase) Object.assign(params, p.marketBuyOfBase(spec.quantity.toString()));
      break;
    case 'LIMIT':
      type = 'limit';
      price = Number(spec.price.toString());
      break;
    case 'STOP_MARKET':
    case 'STOP_LIMIT':
    case 'MARKET_IF_TOUCHED':
    case 'LIMIT_IF_TOUCHED': {
      if (!p.native.triggers) return unsupported(p, `${spec.type} orders`);
      if (spec.triggerType !== 'DEFAULT' && spec.triggerType !== 'LAST') {
        if (spec.triggerType !== 'MARK' || !p.derivatives) return unsupported(p, `a ${spec.triggerType} trigger`);
        params['workingType'] = 'MARK_PRICE';
      }
      const stop = spec.type === 'STOP_MARKET' || spec.type === 'STOP_LIMIT';
      params[stop ? 'stopLossPrice' : 'takeProfitPrice'] = Number(spec.triggerPrice.toString());
      type = spec.type === 'STOP_LIMIT' || spec.type === 'LIMIT_IF_TOUCHED' ? 'limit' : 'market';
      if (spec.type === 'STOP_LIMIT' || spec.type === 'LIMIT_IF_TOUCHED') price = Number(spec.price.toString());
      break;
    }
    case 'TRAILING_STOP_MARKET':
    case 'TRAILING_STOP_LIMIT':
      return unsupported(p, 'trailing stops');
  }
  switch (spec.timeInForce) {
    case 'GTC':
      break;
    case 'IOC':
    case 'FOK':
      if (type === 'market') break; // a market order is immediate by nature
      if (!p.native.timeInForce.includes(spec.timeInForce)) return unsupported(p, `${spec.timeInForce} orders`);
      params['timeInForce'] = spec.timeInForce;
      break;
    case 'DAY':
    case 'GTD':
      return unsupported(p, `${spec.timeInForce} orders`);
  }
  if (spec.postOnly) {
    if (!p.native.postOnly) return unsupported(p, 'post-only orders');
    params['postOnly'] = true;
  }
  // A spot exchange has no reduce-only flag: the engine's reduce-only guard keeps the order within the position.
  if (spec.reduceOnly && p.native.reduceOnly) params['reduceOnly'] = true;
  if (spec.displayQuantity !== undefined) {
    if (!p.native.icebergParam) return unsupported(p, 'icebergs');
    params[p.native.icebergParam] = Number(spec.displayQuantity.toString());
  }
  return { ok: true, args: { symbol, type, side: spec.side === 'BUY' ? 'buy' : 'sell', amount: Number(spec.quantity.toString()), price, params } };
}

/** An order that rests as a trigger at the exchange until its price is touched. */
export function isTriggerOrder(spec: OrderSpec): boolean {
  return spec.type === 'STOP_MARKET' || spec.type === 'STOP_LIMIT' || spec.type === 'MARKET_IF_TOUCHED' || spec.type === 'LIMIT_IF_TOUCHED';
}

const STATUS: Readonly<Record<string, VenueOrderStatus['status']>> = { open: 'OPEN', closed: 'FILLED', canceled: 'CANCELED', cancelled: 'CANCELED', expired: 'EXPIRED', rejected: 'REJECTED' };

/** ccxt's order status as Warden's; undefined for one ccxt could not read. */
export function statusOf(o: CcxtOrder): VenueOrderStatus['status'] | undefined {
  return o.status === undefined ? undefined : STATUS[o.status];
}

/** Looks up a currency by its code, making up a crypto currency of 8 places for one the instruments do not name (a fee in BNB). */
export type CurrencyOf = (code: string) => Currency;

/** A ccxt trade as the fill report the engine takes; figures exact, the commission as the exchange charged it. */
export function fillReport(t: CcxtTrade, wardenId: string, instrument: Instrument, currencyOf: CurrencyOf): Extract<VenueReport, { kind: 'OrderFilled' }> {
  const fee = t.fee;
  const cost = fee ? exactOptional(fee.cost, 'fee.cost') : undefined;
  return {
    kind: 'OrderFilled',
    clientOrderId: clientOrderId(wardenId),
    ts: t.timestamp ?? 0,
    tradeId: tradeId(String(t.id)),
    ...(t.order !== undefined ? { venueOrderId: venueOrderId(String(t.order)) } : {}),
    lastQty: instrument.quantity(exactText(t.amount, 'trade.amount')),
    lastPx: instrument.price(exactText(t.price, 'trade.price')),
    liquidity: t.takerOrMaker === 'maker' ? 'MAKER' : 'TAKER',
    ...(cost !== undefined && fee?.currency ? { commission: Money.of(cost, currencyOf(fee.currency)) } : {}),
  };
}

/**
 * What the exchange says of an order, for reconciliation and unknown-state resolution. `spec` is
 * ours when we sent it; an order we did not send (external) is described from the exchange's
 * figures, booked to `accountId`.
 */
export function venueStatusOf(o: CcxtOrder, wardenId: string, instrument: Instrument, spec: OrderSpec | undefined, accountId: string): VenueOrderStatus | undefined {
  const status = statusOf(o);
  if (!status) return undefined;
  const filled = instrument.quantity(exactText(o.filled ?? 0, 'order.filled'));
  return {
    clientOrderId: clientOrderId(wardenId),
    venueOrderId: venueOrderId(String(o.id)),
    spec: spec ?? externalSpec(o, wardenId, instrument, accountId),
    status,
    filledQty: filled,
    ...(o.amount !== undefined ? { quantity: instrument.quantity(exactText(o.amount, 'order.amount')) } : {}),
    ...(o.price !== undefined && o.price !== null && o.type !== 'market' ? { price: instrument.price(exactText(o.price, 'order.price')) } : {}),
  };
}

/** An order the exchange has that we did not send, in Warden's terms. */
function externalSpec(o: CcxtOrder, wardenId: string, instrument: Instrument, accountId: string): OrderSpec {
  const trigger = exactOptional(o.triggerPrice ?? o.stopPrice, 'order.triggerPrice');
  const limit = o.type !== 'market' ? exactOptional(o.price, 'order.price') : undefined;
  const type = trigger !== undefined ? (limit !== undefined ? 'STOP_LIMIT' : 'STOP_MARKET') : limit !== undefined ? 'LIMIT' : 'MARKET';
  const tif = o.timeInForce === 'IOC' || o.timeInForce === 'FOK' ? o.timeInForce : 'GTC';
  return createOrderSpec(
    {
      clientOrderId: wardenId,
      accountId,
      instrumentId: instrument.id,
      side: o.side === 'sell' ? 'SELL' : 'BUY',
      type,
      quantity: exactText(o.amount, 'order.amount'),
      ...(limit !== undefined ? { price: limit } : {}),
      ...(trigger !== undefined ? { triggerPrice: trigger } : {}),
      timeInForce: type === 'MARKET' ? 'IOC' : tif,
      postOnly: o.postOnly === true,
      reduceOnly: o.reduceOnly === true,
      tags: ['EXTERNAL'],
    },
    instrument,
    o.timestamp ?? 0,
  );
}
