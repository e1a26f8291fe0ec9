import type { Contract, Order } from '@stoqey/ib';
import type { VenueOrderStatus } from '../../engine/venue.ts';
import type { Instrument } from '../../model/instrument.ts';
import type { OrderSpec, TrailingOffset } from '../../model/orders/types.ts';
import { Price } from '../../model/values.ts';
import { toIbNumber } from './exact.ts';

/** The tag that lets one order work outside regular trading hours (IB's outsideRth). */
export const OUTSIDE_RTH_TAG = 'ibkr:outside_rth';

export type Mapped = { readonly ok: true; readonly order: Order } | { readonly ok: false; readonly reason: string };

export interface OrderContext {
  readonly account: string;
  readonly outsideRth: boolean;
}

/**
 * A Warden order as IB's: MKT, LMT, STP, STP LMT, MIT, LIT and TRAIL (an amount, or a percent
 * for an offset in basis points) are native; TIF DAY/GTC/IOC/FOK/GTD (goodTillDate in UTC).
 * `orderRef` carries Warden's client order id: it is how orders are found again after a restart.
 * What IB cannot express for an order is refused here, before anything is sent.
 */
export function toIbOrder(spec: OrderSpec, instrument: Instrument, ctx: OrderContext): Mapped {
  if (spec.postOnly) return refuse('UNSUPPORTED_AT_VENUE: IB has no post-only order for this instrument');
  if (spec.reduceOnly) return refuse('UNSUPPORTED_AT_VENUE: IB has no reduce-only flag');
  if (spec.contingency !== 'NONE') return refuse('UNSUPPORTED_AT_VENUE: contingent orders are kept by Warden, not sent as IB OCA groups');
  const base: Omit<Order, 'orderType'> = {
    action: spec.side as Order['action'],
    totalQuantity: toIbNumber(spec.quantity),
    tif: spec.timeInForce,
    orderRef: spec.clientOrderId,
    account: ctx.account,
    transmit: true,
    outsideRth: ctx.outsideRth || spec.extendedHours === true || spec.tags.includes(OUTSIDE_RTH_TAG),
    ...(spec.displayQuantity !== undefined ? { displaySize: toIbNumber(spec.displayQuantity) } : {}),
    ...(spec.timeInForce === 'GTD' && spec.expireTime !== undefined ? { goodTillDate: gtdText(spec.expireTime) } : {}),
  };
  switch (spec.type) {
    case 'MARKET':
      return ok({ ...base, orderType: 'MKT' as Order['orderType'] });
    case 'LIMIT':
      return ok({ ...base, orderType: 'LMT' as Order['orderType'], lmtPrice: toIbNumber(spec.price) });
    case 'STOP_MARKET':
      return ok({ ...base, orderType: 'STP' as Order['orderType'], auxPrice: toIbNumber(spec.triggerPrice) });
    case 'STOP_LIMIT':
      return ok({ ...base, orderType: 'STP LMT' as Order['orderType'], lmtPrice: toIbNumber(spec.price), auxPrice: toIbNumber(spec.triggerPrice) });
    case 'MARKET_IF_TOUCHED':
      return ok({ ...base, orderType: 'MIT' as Order['orderType'], auxPrice: toIbNumber(spec.triggerPrice) });
    case 'LIMIT_IF_TOUCHED':
      return ok({ ...base, orderType: 'LIT' as Order['orderType'], lmtPrice: toIbNumber(spec.price), auxPrice: toIbNumber(spec.triggerPrice) });
    case 'TRAILING_STOP_MARKET': {
      if (spec.activationPrice !== undefined) return refuse('UNSUPPORTED_AT_VENUE: IB trailing stops have no activation price');
      const trail = trailOf(spec.trailingOffset, instrument);
      return ok({ ...base, orderType: 'TRAIL' as Order['orderType'], ...trail, ...(spec.triggerPrice !== undefined ? { trailStopPrice: toIbNumber(spec.triggerPrice) } : {}) });
    }
    case 'TRAILING_STOP_LIMIT':
      return refuse('UNSUPPORTED_AT_VENUE: trailing stop-limit orders are not sent to IB through Warden');
  }
}

/** IB's trailing amount (auxPrice) or trailing percent. */
function trailOf(offset: TrailingOffset, instrument: Instrument): Pick<Order, 'auxPrice' | 'trailingPercent'> {
  switch (offset.type) {
    case 'PRICE':
      return { auxPrice: toIbNumber(offset.price) };
    case 'TICKS':
      return { auxPrice: toIbNumber(Price.fromRaw(instrument.tickSize.raw * offset.ticks, instrument.pricePrecision)) };
    case 'BASIS_POINTS':
      // 25 bps is 0.25 %: the digits with two more places, read as the double that prints so.
      return { trailingPercent: Number(`${offset.bps.digits}e-${offset.bps.scale + 2}`) };
  }
}

/** A GTD expiry as IB's UTC form, "yyyymmdd-hh:mm:ss". */
export function gtdText(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** The contract an order goes to: by conid, routed to `exchange`. */
export function contractOf(conId: number, symbol: string, exchange: string, currency: string): Contract {
  return { conId, symbol, secType: 'STK' as Contract['secType'], exchange, currency };
}

/** IB's order status as Warden's; undefined for statuses that are on the way somewhere (PendingSubmit, PendingCancel). */
export function statusOfIb(status: string | undefined): VenueOrderStatus['status'] | undefined {
  switch (status) {
    case 'PreSubmitted':
    case 'Submitted':
    case 'ApiPending':
      return 'OPEN';
    case 'Filled':
      return 'FILLED';
    case 'Cancelled':
    case 'ApiCancelled':
      return 'CANCELED';
    case 'Inactive':
      return 'REJECTED';
    default:
      return undefined;
  }
}

const ok = (order: Order): Mapped => ({ ok: true, order });
const refuse = (reason: string): Mapped => ({ ok: false, reason });
