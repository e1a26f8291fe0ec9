import type { PositionId } from '../model/identifiers.ts';
import type { Instrument } from '../model/instrument.ts';
import type { OrderEvent } from '../model/orders/events.ts';
import type { Order } from '../model/orders/order.ts';
import type { VenueReport } from './venue.ts';

/**
 * Translates a venue report into the order event the engine journals. Quantities and prices are
 * checked against the instrument grid (a venue sending an off-grid fill is an error to alert on,
 * not something to round); a fill without a venue commission gets the instrument's fee schedule.
 * Pure: the order's state transition is validated later, by the fold.
 */
export function reportToEvent(r: VenueReport, order: Order, inst: Instrument, positionId: PositionId, tsInit: number): OrderEvent {
  const clientOrderId = order.clientOrderId;
  const tsEvent = r.ts;
  switch (r.kind) {
    case 'OrderAccepted':
      return { kind: r.kind, clientOrderId, tsEvent, tsInit, venueOrderId: r.venueOrderId };
    case 'OrderRejected':
    case 'OrderModifyRejected':
    case 'OrderCancelRejected':
      return { kind: r.kind, clientOrderId, tsEvent, tsInit, reason: r.reason };
    case 'OrderStatusUnknown':
      return { kind: r.kind, clientOrderId, tsEvent, tsInit, request: r.request, reason: r.reason };
    case 'OrderTriggered':
    case 'OrderCanceled':
    case 'OrderExpired':
      return { kind: r.kind, clientOrderId, tsEvent, tsInit };
    case 'OrderUpdated':
      return {
        kind: r.kind,
        clientOrderId,
        tsEvent,
        tsInit,
        quantity: r.quantity === undefined ? undefined : inst.quantity(r.quantity),
        price: r.price === undefined ? undefined : inst.price(r.price),
        triggerPrice: r.triggerPrice === undefined ? undefined : inst.price(r.triggerPrice, 'triggerPrice'),
        venueOrderId: r.venueOrderId,
      };
    case 'FillBusted':
      return { kind: 'OrderFillBusted', clientOrderId, tsEvent, tsInit, ...tradeTerms(r, order, inst, positionId), reason: r.reason };
    case 'OrderFilled':
      return {
        kind: r.kind,
        clientOrderId,
        tsEvent,
        tsInit,
        venueOrderId: r.venueOrderId ?? order.venueOrderId,
        ...tradeTerms(r, order, inst, positionId),
        liquidity: r.liquidity,
      };
  }
}

/** A trade's terms on the grid, with what the portfolio needs; the fee schedule's commission when the venue gave none. */
function tradeTerms(r: Extract<VenueReport, { kind: 'OrderFilled' | 'FillBusted' }>, order: Order, inst: Instrument, positionId: PositionId) {
  const lastQty = inst.quantity(r.lastQty, 'lastQty');
  const lastPx = inst.price(r.lastPx, 'lastPx');
  const s = order.spec;
  return {
    tradeId: r.tradeId,
    accountId: s.accountId,
    strategyId: s.strategyId,
    instrumentId: s.instrumentId,
    positionId,
    side: s.side,
    lastQty,
    lastPx,
    commission: r.commission ?? inst.fee(lastQty, lastPx, r.liquidity),
  };
}
