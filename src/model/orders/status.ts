import type { OrderEventKind } from './events.ts';

export const ORDER_STATUSES = [
  'INITIALIZED',
  'DENIED',
  'SUBMITTED',
  'ACCEPTED',
  'REJECTED',
  'TRIGGERED',
  'PENDING_UPDATE',
  'PENDING_CANCEL',
  'UNKNOWN',
  'PARTIALLY_FILLED',
  'FILLED',
  'CANCELED',
  'EXPIRED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(['DENIED', 'REJECTED', 'FILLED', 'CANCELED', 'EXPIRED']);

/**
 * What an event does to the status:
 * - a status: go there;
 * - FILL: PARTIALLY_FILLED or FILLED by the remaining quantity; while PENDING_* a partial fill
 *   keeps the pending status (the venue has yet to answer the request);
 * - PREVIOUS: back to the status before the pending request (modify/cancel answered);
 * - SAME: informative, the status stays (a cancel rejected because the order already filled);
 * - BUST: a trade busted by the venue is reversed; an open order whose fills are all busted is
 *   working again, unfilled; a closed one stays closed.
 * - LATE_FILL: a fill on a canceled, expired or rejected order; applied and reported, status stays
 *   (a venue fill is real money: an order we gave up on as never placed may still have traded).
 *
 * UNKNOWN (a submit or modify whose outcome is not known) is left like a pending request: what
 * settles it (accepted, updated, modify rejected) goes back to the status before it, a fill keeps
 * it unknown unless it completes the order; a cancel may be sent meanwhile.
 */
export type Transition = OrderStatus | 'FILL' | 'BUST' | 'PREVIOUS' | 'SAME' | 'LATE_FILL';

type Row = Partial<Record<OrderEventKind, Transition>>;

const WORKING: Row = {
  // A duplicate accept, or one that arrives after a fill (reordered reports, FAULTS 20): informative.
  OrderAccepted: 'SAME',
  OrderTriggered: 'TRIGGERED',
  OrderFilled: 'FILL',
  OrderFillBusted: 'BUST',
  OrderPendingUpdate: 'PENDING_UPDATE',
  OrderPendingCancel: 'PENDING_CANCEL',
  OrderStatusUnknown: 'UNKNOWN',
  OrderUpdated: 'SAME',
  OrderModifyRejected: 'SAME',
  OrderCancelRejected: 'SAME',
  OrderCanceled: 'CANCELED',
  OrderExpired: 'EXPIRED',
  OrderRejected: 'REJECTED',
};

/** The order state machine: the one table. Anything not here is an illegal transition. */
export const TRANSITIONS: Readonly<Record<OrderStatus, Row>> = {
  INITIALIZED: { OrderDenied: 'DENIED', OrderSubmitted: 'SUBMITTED', OrderCanceled: 'CANCELED', OrderExpired: 'EXPIRED' },
  SUBMITTED: {
    OrderAccepted: 'ACCEPTED',
    OrderRejected: 'REJECTED',
    OrderFilled: 'FILL',
    OrderFillBusted: 'BUST',
    OrderPendingUpdate: 'PENDING_UPDATE',
    // A modify the gate denies before the venue has accepted the order: nothing changes.
    OrderModifyRejected: 'SAME',
    OrderPendingCancel: 'PENDING_CANCEL',
    OrderStatusUnknown: 'UNKNOWN',
    OrderCanceled: 'CANCELED',
    OrderExpired: 'EXPIRED',
  },
  ACCEPTED: WORKING,
  TRIGGERED: { ...WORKING, OrderTriggered: undefined },
  PARTIALLY_FILLED: { ...WORKING, OrderTriggered: undefined, OrderRejected: undefined },
  PENDING_UPDATE: {
    OrderAccepted: 'SAME',
    OrderUpdated: 'PREVIOUS',
    OrderModifyRejected: 'PREVIOUS',
    OrderTriggered: 'SAME',
    OrderFilled: 'FILL',
    OrderFillBusted: 'BUST',
    OrderPendingUpdate: 'SAME',
    OrderPendingCancel: 'PENDING_CANCEL',
    OrderStatusUnknown: 'UNKNOWN',
    OrderCanceled: 'CANCELED',
    OrderExpired: 'EXPIRED',
    OrderRejected: 'REJECTED',
  },
  UNKNOWN: {
    OrderAccepted: 'PREVIOUS',
    OrderUpdated: 'PREVIOUS',
    OrderModifyRejected: 'PREVIOUS',
    OrderTriggered: 'SAME',
    OrderFilled: 'FILL',
    OrderFillBusted: 'BUST',
    OrderStatusUnknown: 'SAME',
    OrderPendingCancel: 'PENDING_CANCEL',
    OrderCanceled: 'CANCELED',
    OrderExpired: 'EXPIRED',
    OrderRejected: 'REJECTED',
  },
  PENDING_CANCEL: {
    OrderAccepted: 'SAME',
    OrderCanceled: 'CANCELED',
    OrderCancelRejected: 'PREVIOUS',
    OrderFilled: 'FILL',
    OrderFillBusted: 'BUST',
    OrderTriggered: 'SAME',
    OrderPendingCancel: 'SAME',
    OrderUpdated: 'SAME',
    OrderModifyRejected: 'SAME',
    OrderExpired: 'EXPIRED',
    OrderRejected: 'REJECTED',
  },
  // A fill on a FILLED order is an overfill: refused with OVERFILL, or recorded when so configured.
  FILLED: { OrderFilled: 'FILL', OrderFillBusted: 'BUST', OrderCancelRejected: 'SAME', OrderModifyRejected: 'SAME' },
  CANCELED: { OrderFilled: 'LATE_FILL', OrderFillBusted: 'BUST', OrderCancelRejected: 'SAME', OrderModifyRejected: 'SAME' },
  EXPIRED: { OrderFilled: 'LATE_FILL', OrderFillBusted: 'BUST', OrderCancelRejected: 'SAME', OrderModifyRejected: 'SAME' },
  DENIED: {},
  REJECTED: { OrderFilled: 'LATE_FILL', OrderFillBusted: 'BUST' },
};

export function transitionOf(status: OrderStatus, kind: OrderEventKind): Transition | undefined {
  return TRANSITIONS[status][kind];
}

/** Open = may still trade at the venue. */
export function isOpenStatus(s: OrderStatus): boolean {
  return !TERMINAL_STATUSES.has(s) && s !== 'INITIALIZED';
}
