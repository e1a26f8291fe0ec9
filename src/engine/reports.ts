import type { PositionId } from '../model/identifiers.ts';
import type { Instrument } from '../model/instrument.ts';
import type { OrderEvent } from '../model/orders/events.ts';
import type { Order } from '../model/orders/order.ts';
import { checkedReason, checkedTradeTerms, checkedVenueOrderId, checkReportTime, type FeeCurrencyCheck } from './report-checks.ts';
import type { VenueReport } from './venue.ts';

/**
 * Translates a venue report into the order event the engine journals. A report is input: every
 * field is checked (report-checks.ts), quantities and prices against the instrument grid and, for
 * a fill, its sign, the order's limit and its commission; a report that does not hold up throws a
 * typed error for the engine to alert on, never something rounded or booked. A fill without a
 * venue commission gets the instrument's fee schedule. `feeCurrencyAllowed` says which other
 * currencies a commission may be in (those the account holds). Pure: the order's state
 * transition is validated later, by the fold.
 */
export function reportToEvent(
  r: VenueReport,
  order: Order,
  inst: Instrument,
  positionId: PositionId,
  tsInit: number,
  feeCurrencyAllowed?: FeeCurrencyCheck,
): OrderEvent {
  const clientOrderId = order.clientOrderId;
  checkReportTime(r);
  const tsEvent = r.ts;
  switch (r.kind) {
    case 'OrderAccepted':
      return { kind: r.kind, clientOrderId, tsEvent, tsInit, venueOrderId: checkedVenueOrderId(r, r.venueOrderId) };
    case 'OrderRejected':
    case 'OrderModifyRejected':
    case 'OrderCancelRejected':
      return { kind: r.kind, clientOrderId, tsEvent, tsInit, reason: checkedReason(r, r.reason) };
    case 'OrderStatusUnknown':
      return { kind: r.kind, clientOrderId, tsEvent, tsInit, request: r.request, reason: checkedReason(r, r.reason) };
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
        price: r.price === undefined ? undefined : inst.orderPrice(r.price),
        triggerPrice: r.triggerPrice === undefined ? undefined : inst.orderPrice(r.triggerPrice, 'triggerPrice'),
        venueOrderId: r.venueOrderId === undefined ? undefined : checkedVenueOrderId(r, r.venueOrderId),
      };
    case 'FillBusted':
      return { kind: 'OrderFillBusted', clientOrderId, tsEvent, tsInit, ...tradeTerms(r, order, inst, positionId, feeCurrencyAllowed), reason: checkedReason(r, r.reason) };
    case 'OrderFilled': {
      // One flat literal (no spread of a terms object): a fill per order on the hot path, and the
      // journal may keep every one, so one object of one shape.
      const venueOrderId = r.venueOrderId === undefined ? order.venueOrderId : checkedVenueOrderId(r, r.venueOrderId);
      const t = checkedTradeTerms(r, order, inst, feeCurrencyAllowed);
      const s = order.spec;
      return {
        kind: r.kind,
        clientOrderId,
        tsEvent,
        tsInit,
        venueOrderId,
        tradeId: t.tradeId,
        accountId: s.accountId,
        strategyId: s.strategyId,
        instrumentId: s.instrumentId,
        positionId,
        side: s.side,
        lastQty: t.lastQty,
        lastPx: t.lastPx,
        commission: t.commission,
        liquidity: r.liquidity,
      };
    }
  }
}

/** A trade's terms, checked, with what the portfolio needs. */
function tradeTerms(
  r: Extract<VenueReport, { kind: 'OrderFilled' | 'FillBusted' }>,
  order: Order,
  inst: Instrument,
  positionId: PositionId,
  feeCurrencyAllowed: FeeCurrencyCheck | undefined,
) {
  const t = checkedTradeTerms(r, order, inst, feeCurrencyAllowed);
  const s = order.spec;
  return {
    tradeId: t.tradeId,
    accountId: s.accountId,
    strategyId: s.strategyId,
    instrumentId: s.instrumentId,
    positionId,
    side: s.side,
    lastQty: t.lastQty,
    lastPx: t.lastPx,
    commission: t.commission,
  };
}
