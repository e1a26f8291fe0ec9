import type { ClientOrderId, TradeId, VenueId } from '../model/identifiers.ts';
import type { OrderEvent } from '../model/orders/events.ts';
import type { OrderStatus } from '../model/orders/status.ts';
import type { Quantity } from '../model/values.ts';

/**
 * An order our books hold as closed without having filled (canceled, expired, rejected as never
 * having reached the venue, denied) is dead to us. A venue report that it is working (accepted,
 * triggered, updated, filled in part) means the venue has a live order we no longer watch: it
 * can trade at any time, and the engine cannot cancel it through its state machine (the order
 * is closed: ORDER_NOT_OPEN). What such a report means is decided here, purely; the engine
 * alerts and publishes it (topic `deadOrder`), and the CancelChaser (src/execution) cancels the
 * order straight at the venue until the venue confirms it dead.
 */
export type DeadOrderVerdict =
  /** Not a dead order (open or filled in our books), or a report that says nothing either way: handled as any report. */
  | { readonly do: 'NONE' }
  /** Working at the venue: kill it. `apply`: the report is still booked (a fill is real money: a late fill). */
  | { readonly do: 'KILL'; readonly what: string; readonly apply: boolean }
  /** The venue confirms it dead (canceled, expired, rejected, or a fill that completes it); `apply` as for KILL. */
  | { readonly do: 'GONE'; readonly what: string; readonly apply: boolean }
  /** The venue refused a cancel of it; applied as today (the state machine takes it or alerts). */
  | { readonly do: 'CANCEL_REFUSED'; readonly reason: string };

/** What the engine publishes on its bus for a report about a dead order. */
export interface DeadOrderReport {
  readonly venue: VenueId;
  readonly clientOrderId: ClientOrderId;
  readonly verdict: Exclude<DeadOrderVerdict, { do: 'NONE' }>;
  readonly ts: number;
}

/** Closed in our books without having filled. FILLED is not dead in this sense: a report after it is a reordered one. */
const DEAD: ReadonlySet<OrderStatus> = new Set(['CANCELED', 'EXPIRED', 'REJECTED', 'DENIED']);

export function isDeadStatus(s: OrderStatus): boolean {
  return DEAD.has(s);
}

/** What the verdict needs of the order. */
export interface DeadOrderView {
  readonly status: OrderStatus;
  readonly filledQty: Quantity;
  readonly quantity: Quantity;
  hasTrade(id: TradeId): boolean;
}

/** What a report (as its checked order event) about an order in `order`'s state means, if the order is dead to us. */
export function deadOrderVerdict(order: DeadOrderView, e: OrderEvent): DeadOrderVerdict {
  if (!DEAD.has(order.status)) return { do: 'NONE' };
  switch (e.kind) {
    case 'OrderAccepted':
    case 'OrderTriggered':
    case 'OrderUpdated':
      return { do: 'KILL', what: e.kind, apply: false };
    case 'OrderFilled': {
      // A fill seen already (re-sent) says nothing new about the order; it is dropped as any duplicate.
      if (order.hasTrade(e.tradeId)) return { do: 'NONE' };
      const what = `filled ${e.lastQty.toString()} at ${e.lastPx.toString()}`;
      const complete = order.filledQty.add(e.lastQty).cmp(order.quantity) >= 0;
      return complete ? { do: 'GONE', what: `${what}, completing it`, apply: true } : { do: 'KILL', what, apply: true };
    }
    case 'OrderCanceled':
    case 'OrderExpired':
    case 'OrderRejected':
      // Already closed here: nothing to book, and no illegal-transition alert for the venue agreeing with us.
      return { do: 'GONE', what: e.kind, apply: false };
    case 'OrderCancelRejected':
      return { do: 'CANCEL_REFUSED', reason: e.reason };
    default:
      return { do: 'NONE' };
  }
}
