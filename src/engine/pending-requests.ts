import type { Order } from '../model/orders/order.ts';
import { limitPriceOf, triggerPriceOf } from '../model/orders/types.ts';
import type { VenueOrderStatus, VenueReport } from './venue.ts';

/**
 * What to do, after a restart, with an order still PENDING_CANCEL or PENDING_UPDATE that the venue
 * says is working (issue 11 item 13): its request was journaled, but the call may never have been
 * made (a crash in between) or its answer lost. Pure; reconcile() performs it.
 *
 * - A pending cancel is sent again: a cancel is idempotent, and it only takes risk off.
 * - A pending modify is never sent again. A cancel/replace is not idempotent in effect (FIX
 *   treats an unanswered replace as not applied until the venue says otherwise), the terms it
 *   asked for are not journaled (OrderPendingUpdate carries none), the strategy that wanted them
 *   died with the process, and the market and the gate's figures have moved since. Instead the
 *   venue's terms decide: if they differ from ours the replace reached it and is settled as
 *   applied (OrderUpdated with the venue's terms); if not, it is rolled back (OrderModifyRejected)
 *   and an alert goes out, so the strategy can ask again against today's figures.
 */
export type PendingResolution =
  | { readonly do: 'NOTHING' }
  | { readonly do: 'RESEND_CANCEL' }
  | { readonly do: 'SETTLE_MODIFY'; readonly outcome: 'APPLIED' | 'ROLLED_BACK'; readonly report: VenueReport };

export function resolvePending(order: Order, status: VenueOrderStatus, ts: number): PendingResolution {
  if (status.status !== 'OPEN') return { do: 'NOTHING' }; // closed at the venue: its terminal report settles it
  const id = order.clientOrderId;
  switch (order.status) {
    case 'PENDING_CANCEL':
      return { do: 'RESEND_CANCEL' };
    case 'PENDING_UPDATE': {
      const terms = termsThatDiffer(order, status);
      if (terms === undefined) {
        return {
          do: 'SETTLE_MODIFY',
          outcome: 'ROLLED_BACK',
          report: { kind: 'OrderModifyRejected', clientOrderId: id, reason: 'MODIFY_NOT_CONFIRMED: the venue still has the old terms after a restart; the modify is not resent', ts },
        };
      }
      return { do: 'SETTLE_MODIFY', outcome: 'APPLIED', report: { kind: 'OrderUpdated', clientOrderId: id, venueOrderId: status.venueOrderId, ts, ...terms } };
    }
    default:
      return { do: 'NOTHING' };
  }
}

/** The venue's terms that differ from ours (fields absent from the status are as in the venue's spec); undefined when none does. */
function termsThatDiffer(order: Order, status: VenueOrderStatus): Partial<Pick<VenueOrderStatus, 'quantity' | 'price' | 'triggerPrice'>> | undefined {
  const quantity = status.quantity ?? status.spec.quantity;
  const price = status.price ?? limitPriceOf(status.spec);
  const trigger = status.triggerPrice ?? triggerPriceOf(status.spec);
  const out: { quantity?: VenueOrderStatus['quantity']; price?: VenueOrderStatus['price']; triggerPrice?: VenueOrderStatus['triggerPrice'] } = {};
  if (!quantity.eq(order.quantity)) out.quantity = quantity;
  if (price && !(order.price && price.eq(order.price))) out.price = price;
  if (trigger && !(order.triggerPrice && trigger.eq(order.triggerPrice))) out.triggerPrice = trigger;
  return Object.keys(out).length === 0 ? undefined : out;
}
