import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StateError } from '../../src/model/errors.ts';
import { ORDER_EVENT_KINDS, type OrderEventKind } from '../../src/model/orders/events.ts';
import { Order, type OverfillPolicy } from '../../src/model/orders/order.ts';
import {
  isOpenStatus,
  ORDER_STATUSES,
  TERMINAL_STATUSES,
  transitionOf,
  TRANSITIONS,
  type OrderStatus,
  type Transition,
} from '../../src/model/orders/status.ts';
import { Quantity } from '../../src/model/values.ts';
import { applyAll, event, expectError, fill, newOrder, NOW, px, qty, snapshot } from './fixtures.ts';

const S: OrderEventKind = 'OrderSubmitted';
const A: OrderEventKind = 'OrderAccepted';

/** How to bring a fresh BUY LIMIT 1 BTC @ 30000.00 into each status (fills are 0.25 BTC each). */
const PATH_TO: Record<OrderStatus, readonly OrderEventKind[]> = {
  INITIALIZED: [],
  DENIED: ['OrderDenied'],
  SUBMITTED: [S],
  ACCEPTED: [S, A],
  REJECTED: [S, 'OrderRejected'],
  TRIGGERED: [S, A, 'OrderTriggered'],
  PENDING_UPDATE: [S, A, 'OrderPendingUpdate'],
  PENDING_CANCEL: [S, A, 'OrderPendingCancel'],
  UNKNOWN: [S, A, 'OrderStatusUnknown'],
  PARTIALLY_FILLED: [S, A, 'OrderFilled'],
  FILLED: [S, A, 'OrderFilled', 'OrderFilled', 'OrderFilled', 'OrderFilled'],
  CANCELED: [S, A, 'OrderCanceled'],
  EXPIRED: [S, A, 'OrderExpired'],
};

const orderIn = (status: OrderStatus): Order => applyAll(newOrder(), PATH_TO[status]);

/** The status the table promises after `kind` in `from`, for the orders built by PATH_TO. */
function promised(from: OrderStatus, t: Transition): OrderStatus {
  if (t === 'FILL') {
    // A 0.25 fill completes nothing except an order already FILLED (recorded overfill).
    if (from === 'FILLED') return 'FILLED';
    return from === 'PENDING_CANCEL' || from === 'PENDING_UPDATE' || from === 'UNKNOWN' ? from : 'PARTIALLY_FILLED';
  }
  if (t === 'PREVIOUS') return 'ACCEPTED'; // the pending and unknown states were entered from ACCEPTED
  if (t === 'SAME' || t === 'LATE_FILL' || t === 'BUST') return from;
  return t;
}

describe('order state machine: the TRANSITIONS table, every (status, event kind) pair', () => {
  it('PATH_TO really builds each of the 13 statuses', () => {
    for (const status of ORDER_STATUSES) expect(orderIn(status).status).toBe(status);
  });

  const pairs = ORDER_STATUSES.flatMap((status) => ORDER_EVENT_KINDS.map((kind) => [status, kind, transitionOf(status, kind)] as const));

  it(`covers all ${ORDER_STATUSES.length} x ${ORDER_EVENT_KINDS.length} pairs`, () => {
    expect(pairs).toHaveLength(13 * 16);
  });

  // Busts name a trade the order had: tested on their own below.
  it.each(pairs.filter(([, k, t]) => t !== undefined && k !== 'OrderFillBusted'))('%s + %s is accepted and goes to the table status (%s)', (status, kind, t) => {
    const order = orderIn(status);
    const count = order.eventCount;
    const e = event(kind, order, { fill: { tradeId: 'T-NEW' }, ts: NOW + 99 });
    // RECORD so that a fill on FILLED is applied as the table says (REJECT refuses it as OVERFILL).
    expect(order.apply(e, 'RECORD')).toBe('APPLIED');
    expect(order.status).toBe(promised(status, t as Transition));
    expect(order.eventCount).toBe(count + 1);
    expect(order.tsLast).toBe(NOW + 99);
  });

  it.each(pairs.filter(([, , t]) => t === undefined))('%s + %s is refused with ILLEGAL_TRANSITION and changes nothing', (status, kind) => {
    const order = orderIn(status);
    const before = snapshot(order);
    const e = event(kind, order, { fill: { tradeId: 'T-NEW' } });
    expectError(() => order.apply(e, 'RECORD'), StateError, 'ILLEGAL_TRANSITION', { status, event: kind, clientOrderId: 'O-1' });
    expect(snapshot(order)).toEqual(before);
  });

  it('accepts nothing at all on DENIED, and only a late fill on REJECTED', () => {
    expect(Object.values(TRANSITIONS.DENIED).filter((t) => t !== undefined)).toEqual([]);
    // An order given up on as never placed (NOT_AT_VENUE) may still have traded: the fill counts.
    expect(Object.entries(TRANSITIONS.REJECTED).filter(([, t]) => t !== undefined)).toEqual([
      ['OrderFilled', 'LATE_FILL'],
      ['OrderFillBusted', 'BUST'],
    ]);
  });

  it('only a fill or an informative reject is accepted on a terminal order', () => {
    for (const status of TERMINAL_STATUSES) {
      const allowed = ORDER_EVENT_KINDS.filter((k) => transitionOf(status, k) !== undefined);
      for (const k of allowed) expect(['OrderFilled', 'OrderFillBusted', 'OrderCancelRejected', 'OrderModifyRejected']).toContain(k);
    }
  });

  it('calls INITIALIZED and the terminal statuses not open, everything else open', () => {
    const open = ORDER_STATUSES.filter(isOpenStatus);
    expect(open).toEqual(['SUBMITTED', 'ACCEPTED', 'TRIGGERED', 'PENDING_UPDATE', 'PENDING_CANCEL', 'UNKNOWN', 'PARTIALLY_FILLED']);
    expect([...TERMINAL_STATUSES].sort()).toEqual(['CANCELED', 'DENIED', 'EXPIRED', 'FILLED', 'REJECTED']);
    expect(orderIn('ACCEPTED').isOpen).toBe(true);
    expect(orderIn('INITIALIZED').isOpen).toBe(false);
    expect(orderIn('CANCELED').isClosed).toBe(true);
    expect(orderIn('PENDING_CANCEL').isClosed).toBe(false);
  });
});

describe('order state machine: legal paths', () => {
  it('starts INITIALIZED with the spec quantity and price, nothing filled', () => {
    const o = newOrder();
    expect(o.status).toBe('INITIALIZED');
    expect(o.quantity.toString()).toBe('1.00000');
    expect(o.price?.toString()).toBe('30000.00');
    expect(o.triggerPrice).toBeUndefined();
    expect(o.filledQty.toString()).toBe('0.00000');
    expect(o.leavesQty.toString()).toBe('1.00000');
    expect(o.avgPx).toBeUndefined();
    expect(o.eventCount).toBe(0);
    expect(o.tsLast).toBe(NOW);
    expect(o.clientOrderId).toBe('O-1');
    expect(o.instrumentId).toBe('BTCUSDT.BINANCE');
    expect(o.side).toBe('BUY');
  });

  it('submit -> accept -> fill 0.4 @ 30000.00 -> fill 0.6 @ 30010.00: PARTIALLY_FILLED then FILLED, avg 30006', () => {
    const o = newOrder();
    o.apply(event(S, o));
    expect(o.status).toBe('SUBMITTED');
    o.apply(event(A, o));
    expect(o.status).toBe('ACCEPTED');
    expect(o.venueOrderId).toBe('V-1');

    o.apply(fill(o, { qty: '0.4', px: '30000.00', tradeId: 'T-1' }));
    expect(o.status).toBe('PARTIALLY_FILLED');
    expect(o.filledQty.toString()).toBe('0.40000');
    expect(o.leavesQty.toString()).toBe('0.60000');
    expect(o.isOpen).toBe(true);

    o.apply(fill(o, { qty: '0.6', px: '30010.00', tradeId: 'T-2' }));
    expect(o.status).toBe('FILLED');
    expect(o.filledQty.toString()).toBe('1.00000');
    expect(o.leavesQty.toString()).toBe('0.00000');
    // 40000 x 3000000 + 60000 x 3001000 units of 1e-7 USDT = 30006.0000000 USDT for 1 BTC
    expect(o.fillCostRaw).toBe(300_060_000_000n);
    expect(o.avgPx).toBe(30006);
    expect(o.hasTrade(fill(o, { tradeId: 'T-1' }).tradeId)).toBe(true);
    expect(o.isClosed).toBe(true);
    expect(o.eventCount).toBe(4);
    expect(o.overfilledQty).toBeUndefined();
  });

  it('fills straight from SUBMITTED (the ack was lost): 1 BTC at once -> FILLED', () => {
    const o = applyAll(newOrder(), [S]);
    o.apply(fill(o, { qty: '1' }));
    expect(o.status).toBe('FILLED');
  });

  it('pending cancel -> canceled: CANCELED, closed, nothing left', () => {
    const o = applyAll(newOrder(), [S, A, 'OrderPendingCancel']);
    expect(o.status).toBe('PENDING_CANCEL');
    o.apply(event('OrderCanceled', o));
    expect(o.status).toBe('CANCELED');
    expect(o.isClosed).toBe(true);
    expect(o.leavesQty.toString()).toBe('0.00000');
  });

  it('pending cancel -> cancel rejected returns to ACCEPTED', () => {
    const o = applyAll(newOrder(), [S, A, 'OrderPendingCancel', 'OrderCancelRejected']);
    expect(o.status).toBe('ACCEPTED');
  });

  it('pending cancel from PARTIALLY_FILLED -> cancel rejected returns to PARTIALLY_FILLED', () => {
    const o = applyAll(newOrder(), [S, A, 'OrderFilled', 'OrderPendingCancel', 'OrderCancelRejected']);
    expect(o.status).toBe('PARTIALLY_FILLED');
    expect(o.filledQty.toString()).toBe('0.25000');
  });

  it('pending cancel from TRIGGERED -> cancel rejected returns to TRIGGERED', () => {
    const o = applyAll(newOrder(), [S, A, 'OrderTriggered', 'OrderPendingCancel', 'OrderCancelRejected']);
    expect(o.status).toBe('TRIGGERED');
    expect(o.isTriggered).toBe(true);
  });

  it('pending update -> updated to 2 BTC @ 30100.00 returns to ACCEPTED with the new terms', () => {
    const o = applyAll(newOrder(), [S, A, 'OrderPendingUpdate']);
    expect(o.status).toBe('PENDING_UPDATE');
    o.apply(event('OrderUpdated', o, { quantity: qty('2'), price: px('30100.00') }));
    expect(o.status).toBe('ACCEPTED');
    expect(o.quantity.toString()).toBe('2.00000');
    expect(o.price?.toString()).toBe('30100.00');
    expect(o.leavesQty.toString()).toBe('2.00000');
  });

  it('pending update from PARTIALLY_FILLED -> updated returns to PARTIALLY_FILLED', () => {
    const o = applyAll(newOrder(), [S, A, 'OrderFilled', 'OrderPendingUpdate']);
    o.apply(event('OrderUpdated', o, { price: px('29900.00') }));
    expect(o.status).toBe('PARTIALLY_FILLED');
    expect(o.price?.toString()).toBe('29900.00');
    expect(o.quantity.toString()).toBe('1.00000');
  });

  it('pending update -> modify rejected returns to ACCEPTED with the old terms', () => {
    const o = applyAll(newOrder(), [S, A, 'OrderPendingUpdate', 'OrderModifyRejected']);
    expect(o.status).toBe('ACCEPTED');
    expect(o.price?.toString()).toBe('30000.00');
  });

  it('an unsolicited OrderUpdated on ACCEPTED changes the terms and keeps ACCEPTED', () => {
    const o = applyAll(newOrder(), [S, A]);
    o.apply(event('OrderUpdated', o, { quantity: qty('0.5') }));
    expect(o.status).toBe('ACCEPTED');
    expect(o.quantity.toString()).toBe('0.50000');
  });

  it('pending update -> pending cancel -> cancel rejected returns to the status before both (ACCEPTED)', () => {
    const o = applyAll(newOrder(), [S, A, 'OrderPendingUpdate', 'OrderPendingCancel']);
    expect(o.status).toBe('PENDING_CANCEL');
    o.apply(event('OrderCancelRejected', o));
    expect(o.status).toBe('ACCEPTED');
  });

  it('a partial fill during pending cancel keeps PENDING_CANCEL; the cancel then closes it with 0.25 filled', () => {
    const o = applyAll(newOrder(), [S, A, 'OrderPendingCancel']);
    o.apply(fill(o, { qty: '0.25' }));
    expect(o.status).toBe('PENDING_CANCEL');
    expect(o.filledQty.toString()).toBe('0.25000');
    expect(o.leavesQty.toString()).toBe('0.75000');
    o.apply(event('OrderCanceled', o));
    expect(o.status).toBe('CANCELED');
    expect(o.filledQty.toString()).toBe('0.25000');
  });

  it('a partial fill during pending cancel, then cancel rejected, returns to PARTIALLY_FILLED (not ACCEPTED)', () => {
    const o = applyAll(newOrder(), [S, A, 'OrderPendingCancel']);
    o.apply(fill(o, { qty: '0.25' }));
    o.apply(event('OrderCancelRejected', o));
    expect(o.status).toBe('PARTIALLY_FILLED');
  });

  it('a partial fill during pending update keeps PENDING_UPDATE; updated then returns to PARTIALLY_FILLED', () => {
    const o = applyAll(newOrder(), [S, A, 'OrderPendingUpdate']);
    o.apply(fill(o, { qty: '0.25' }));
    expect(o.status).toBe('PENDING_UPDATE');
    o.apply(event('OrderUpdated', o, { price: px('30100.00') }));
    expect(o.status).toBe('PARTIALLY_FILLED');
  });

  it('a fill completing the order during pending cancel makes it FILLED; the cancel reject then keeps FILLED', () => {
    const o = applyAll(newOrder(), [S, A, 'OrderPendingCancel']);
    o.apply(fill(o, { qty: '1' }));
    expect(o.status).toBe('FILLED');
    o.apply(event('OrderCancelRejected', o));
    expect(o.status).toBe('FILLED');
    expectError(() => o.apply(event('OrderCanceled', o)), StateError, 'ILLEGAL_TRANSITION');
  });

  it('accepted while a cancel is pending, then cancel rejected: back to ACCEPTED, not SUBMITTED', () => {
    const o = applyAll(newOrder(), [S, 'OrderPendingCancel', A]);
    expect(o.status).toBe('PENDING_CANCEL');
    expect(o.venueOrderId).toBe('V-1');
    o.apply(event('OrderCancelRejected', o));
    expect(o.status).toBe('ACCEPTED');
    // and the order can now trigger, which SUBMITTED would refuse
    o.apply(event('OrderTriggered', o));
    expect(o.status).toBe('TRIGGERED');
  });

  it('accepted while an update is pending, then modify rejected: back to ACCEPTED, not SUBMITTED', () => {
    const o = applyAll(newOrder(), [S, 'OrderPendingUpdate', A, 'OrderModifyRejected']);
    expect(o.status).toBe('ACCEPTED');
  });

  it('triggered while a cancel is pending, then cancel rejected: back to TRIGGERED', () => {
    const o = applyAll(newOrder(), [S, A, 'OrderPendingCancel', 'OrderTriggered', 'OrderCancelRejected']);
    expect(o.status).toBe('TRIGGERED');
    expect(o.isTriggered).toBe(true);
  });

  it('a stop triggers once: ACCEPTED -> TRIGGERED, a second trigger is ILLEGAL_TRANSITION', () => {
    const o = applyAll(newOrder(), [S, A, 'OrderTriggered']);
    expect(o.status).toBe('TRIGGERED');
    expect(o.isTriggered).toBe(true);
    expectError(() => o.apply(event('OrderTriggered', o)), StateError, 'ILLEGAL_TRANSITION');
    o.apply(fill(o));
    expect(o.status).toBe('PARTIALLY_FILLED');
  });

  it('takes the venue order id from a fill when no ack was seen', () => {
    const o = applyAll(newOrder(), [S]);
    expect(o.venueOrderId).toBeUndefined();
    o.apply(fill(o));
    expect(o.venueOrderId).toBe('V-1');
  });

  it('records tsInit of the last applied event in tsLast', () => {
    const o = newOrder();
    o.apply(event(S, o, { ts: NOW + 5 }));
    o.apply(event(A, o, { ts: NOW + 17 }));
    expect(o.tsLast).toBe(NOW + 17);
  });
});

describe('order state machine: UNKNOWN, a submit or modify whose outcome is not known (FAULTS 15)', () => {
  it('a timed-out submit settled by an accept goes to ACCEPTED, never back to SUBMITTED', () => {
    const o = applyAll(newOrder(), [S, 'OrderStatusUnknown']);
    expect(o.status).toBe('UNKNOWN');
    expect(o.isOpen).toBe(true); // counts as working for risk until settled
    o.apply(event(A, o));
    expect(o.status).toBe('ACCEPTED');
  });

  it('a partial fill keeps it UNKNOWN; the accept that settles it lands on PARTIALLY_FILLED', () => {
    const o = applyAll(newOrder(), [S, 'OrderStatusUnknown', 'OrderFilled']);
    expect(o.status).toBe('UNKNOWN');
    o.apply(event(A, o));
    expect(o.status).toBe('PARTIALLY_FILLED');
  });

  it('a fill that completes the order settles it as FILLED', () => {
    const o = applyAll(newOrder(), [S, 'OrderStatusUnknown']);
    o.apply(fill(o, { qty: '1', tradeId: 'T-ALL' }));
    expect(o.status).toBe('FILLED');
  });

  it('a timed-out modify settled by the update, or by a modify reject, goes back to where it was', () => {
    for (const settle of ['OrderUpdated', 'OrderModifyRejected'] as const) {
      const o = applyAll(newOrder(), [S, A, 'OrderFilled', 'OrderPendingUpdate', 'OrderStatusUnknown']);
      expect(o.status).toBe('UNKNOWN');
      o.apply(event(settle, o, { quantity: qty('2') }));
      expect(o.status).toBe('PARTIALLY_FILLED');
    }
  });

  it('an unknown order can be canceled; a cancel reject goes back to the last known status (in flight)', () => {
    const o = applyAll(newOrder(), [S, 'OrderStatusUnknown', 'OrderPendingCancel']);
    expect(o.status).toBe('PENDING_CANCEL');
    o.apply(event('OrderCancelRejected', o));
    expect(o.status).toBe('SUBMITTED');
  });
});

describe('order state machine: trade busts (FAULTS 19)', () => {
  const bust = (o: ReturnType<typeof newOrder>, tradeId: string, qty = '0.25') => event('OrderFillBusted', o, { fill: { tradeId, qty } });

  it('busting the only fill of a partially filled order puts it back to ACCEPTED with nothing filled', () => {
    const o = applyAll(newOrder(), [S, A, 'OrderFilled']);
    expect(o.status).toBe('PARTIALLY_FILLED');
    o.apply(bust(o, 'T-1'));
    expect(o.status).toBe('ACCEPTED');
    expect(o.filledQty.isZero()).toBe(true);
    expect(o.fillCostRaw).toBe(0n);
    expect(o.leavesQty.toString()).toBe('1.00000');
  });

  it('busting one of two fills keeps PARTIALLY_FILLED with the other fill only', () => {
    const o = applyAll(newOrder(), [S, A, 'OrderFilled', 'OrderFilled']);
    o.apply(bust(o, 'T-1'));
    expect(o.status).toBe('PARTIALLY_FILLED');
    expect(o.filledQty.toString()).toBe('0.25000');
  });

  it('a bust after a terminal state reverses the fill; the order stays closed', () => {
    const o = applyAll(newOrder(), PATH_TO.FILLED);
    o.apply(bust(o, 'T-2'));
    expect(o.status).toBe('FILLED');
    expect(o.isClosed).toBe(true);
    expect(o.filledQty.toString()).toBe('0.75000');
    expect(o.leavesQty.isZero()).toBe(true);
  });

  it('a bust while a cancel is pending: the cancel reject goes back to ACCEPTED, not PARTIALLY_FILLED', () => {
    const o = applyAll(newOrder(), [S, A, 'OrderFilled', 'OrderPendingCancel']);
    o.apply(bust(o, 'T-1'));
    expect(o.status).toBe('PENDING_CANCEL');
    o.apply(event('OrderCancelRejected', o));
    expect(o.status).toBe('ACCEPTED');
  });

  it('the same bust twice, or the busted fill delivered again, is DUPLICATE_FILL and changes nothing', () => {
    const o = applyAll(newOrder(), [S, A, 'OrderFilled', 'OrderFilled']);
    o.apply(bust(o, 'T-1'));
    const before = snapshot(o);
    expect(o.apply(bust(o, 'T-1'))).toBe('DUPLICATE_FILL');
    expect(o.apply(fill(o, { qty: '0.25', tradeId: 'T-1' }))).toBe('DUPLICATE_FILL');
    expect(snapshot(o)).toEqual(before);
  });

  it.each([
    ['a trade the order never had', 'T-9', '0.25'],
    ['more than the order has filled', 'T-1', '0.5'],
  ])('a bust of %s is FILL_MISMATCH and changes nothing', (_what, tradeId, qty) => {
    const o = applyAll(newOrder(), [S, A, 'OrderFilled']);
    const before = snapshot(o);
    expectError(() => o.apply(bust(o, tradeId, qty)), StateError, 'FILL_MISMATCH');
    expect(snapshot(o)).toEqual(before);
  });
});

describe('order state machine: late, duplicate and excess fills (FAULTS 17, 20)', () => {
  it('an accept arriving after a partial fill (reordered reports) is informative: PARTIALLY_FILLED stays, the venue order id is kept', () => {
    const o = applyAll(newOrder(), [S, 'OrderFilled']);
    expect(o.status).toBe('PARTIALLY_FILLED');
    expect(o.apply(event(A, o))).toBe('APPLIED');
    expect(o.status).toBe('PARTIALLY_FILLED');
    expect(o.venueOrderId).toBeDefined();
  });

  it('a duplicate accept on ACCEPTED or TRIGGERED changes nothing', () => {
    for (const from of ['ACCEPTED', 'TRIGGERED'] as const) {
      const o = orderIn(from);
      o.apply(event(A, o));
      expect(o.status).toBe(from);
    }
  });

  it('a late fill of 0.25 after CANCELED is applied, status stays CANCELED, lateFill is set', () => {
    const o = applyAll(newOrder(), [S, A, 'OrderCanceled']);
    expect(o.lateFill).toBe(false);
    expect(o.apply(fill(o, { qty: '0.25', tradeId: 'T-LATE' }))).toBe('APPLIED');
    expect(o.status).toBe('CANCELED');
    expect(o.lateFill).toBe(true);
    expect(o.filledQty.toString()).toBe('0.25000');
    expect(o.fillCostRaw).toBe(25_000n * 3_000_000n);
    expect(o.leavesQty.toString()).toBe('0.00000');
  });

  it('a late fill after EXPIRED is applied the same way', () => {
    const o = applyAll(newOrder(), [S, A, 'OrderFilled', 'OrderExpired']);
    o.apply(fill(o, { qty: '0.5', tradeId: 'T-LATE' }));
    expect(o.status).toBe('EXPIRED');
    expect(o.lateFill).toBe(true);
    expect(o.filledQty.toString()).toBe('0.75000');
  });

  it('a fill on an order rejected as never placed (NOT_AT_VENUE) still counts: status stays REJECTED, lateFill set', () => {
    const o = applyAll(newOrder(), [S, 'OrderStatusUnknown', 'OrderRejected']);
    expect(o.status).toBe('REJECTED');
    o.apply(fill(o, { qty: '0.25', tradeId: 'T-LATE' }));
    expect(o.status).toBe('REJECTED');
    expect(o.lateFill).toBe(true);
    expect(o.filledQty.toString()).toBe('0.25000');
  });

  it('a late fill that would overfill a CANCELED order is refused with OVERFILL under REJECT', () => {
    const o = applyAll(newOrder(), [S, A, 'OrderFilled', 'OrderFilled', 'OrderCanceled']);
    const before = snapshot(o);
    expectError(() => o.apply(fill(o, { qty: '0.6', tradeId: 'T-LATE' })), StateError, 'OVERFILL');
    expect(snapshot(o)).toEqual(before);
  });

  it('the same trade id twice returns DUPLICATE_FILL and changes nothing', () => {
    const o = applyAll(newOrder(), [S, A]);
    expect(o.apply(fill(o, { qty: '0.25', tradeId: 'T-9' }))).toBe('APPLIED');
    const before = snapshot(o);
    expect(o.apply(fill(o, { qty: '0.25', tradeId: 'T-9' }))).toBe('DUPLICATE_FILL');
    expect(snapshot(o)).toEqual(before);
    expect(o.filledQty.toString()).toBe('0.25000');
  });

  it('a replayed fill is a duplicate even with different numbers, and even after the order closed', () => {
    const o = applyAll(newOrder(), [S, A]);
    o.apply(fill(o, { qty: '1', tradeId: 'T-9' }));
    const before = snapshot(o);
    expect(o.apply(fill(o, { qty: '0.5', px: '1.00', tradeId: 'T-9' }))).toBe('DUPLICATE_FILL');
    expect(snapshot(o)).toEqual(before);
  });

  it('a fill of 0.5 on 0.75 filled of 1 is refused with OVERFILL and the order is unchanged', () => {
    const o = applyAll(newOrder(), [S, A, 'OrderFilled', 'OrderFilled', 'OrderFilled']);
    expect(o.filledQty.toString()).toBe('0.75000');
    const before = snapshot(o);
    expectError(() => o.apply(fill(o, { qty: '0.5', tradeId: 'T-X' })), StateError, 'OVERFILL', {
      quantity: '1.00000',
      filled: '0.75000',
      fill: '0.50000',
      tradeId: 'T-X',
    });
    expect(snapshot(o)).toEqual(before);
    // the refused trade id is not remembered: the corrected fill can still come in
    expect(o.apply(fill(o, { qty: '0.25', tradeId: 'T-X' }))).toBe('APPLIED');
    expect(o.status).toBe('FILLED');
  });

  it('any fill on a FILLED order is refused with OVERFILL under REJECT', () => {
    const o = orderIn('FILLED');
    const before = snapshot(o);
    expectError(() => o.apply(fill(o, { qty: '0.00001', tradeId: 'T-X' })), StateError, 'OVERFILL');
    expect(snapshot(o)).toEqual(before);
  });

  it('under RECORD the excess 0.25 is applied: FILLED, filled 1.25, overfilledQty 0.25', () => {
    const o = applyAll(newOrder(), [S, A, 'OrderFilled', 'OrderFilled', 'OrderFilled']);
    expect(o.apply(fill(o, { qty: '0.5', tradeId: 'T-X' }), 'RECORD')).toBe('APPLIED');
    expect(o.status).toBe('FILLED');
    expect(o.filledQty.toString()).toBe('1.25000');
    expect(o.overfilledQty?.toString()).toBe('0.25000');
    expect(o.leavesQty.toString()).toBe('0.00000');
  });

  it('under RECORD a further fill on FILLED grows overfilledQty to 0.5', () => {
    const o = orderIn('FILLED');
    o.apply(fill(o, { qty: '0.5', tradeId: 'T-X' }), 'RECORD');
    expect(o.status).toBe('FILLED');
    expect(o.overfilledQty?.toString()).toBe('0.50000');
  });
});

describe('order state machine: refused events change nothing', () => {
  it('OrderAccepted on INITIALIZED is ILLEGAL_TRANSITION', () => {
    const o = newOrder();
    const before = snapshot(o);
    expectError(() => o.apply(event(A, o)), StateError, 'ILLEGAL_TRANSITION', { status: 'INITIALIZED', event: 'OrderAccepted' });
    expect(snapshot(o)).toEqual(before);
  });

  it('a fill on INITIALIZED (never sent) is ILLEGAL_TRANSITION', () => {
    const o = newOrder();
    expectError(() => o.apply(fill(o)), StateError, 'ILLEGAL_TRANSITION');
    expect(o.filledQty.isZero()).toBe(true);
  });

  it.each(ORDER_EVENT_KINDS)('%s on DENIED, and anything but a fill on REJECTED, is ILLEGAL_TRANSITION', (kind) => {
    for (const status of kind === 'OrderFilled' || kind === 'OrderFillBusted' ? (['DENIED'] as const) : (['DENIED', 'REJECTED'] as const)) {
      const o = orderIn(status);
      const before = snapshot(o);
      expectError(() => o.apply(event(kind, o, { fill: { tradeId: 'T-NEW' } }), 'RECORD'), StateError, 'ILLEGAL_TRANSITION');
      expect(snapshot(o)).toEqual(before);
    }
  });

  it.each([
    ['the other side', { side: 'SELL' as const }],
    ['another instrument', { instrumentId: 'ETHUSDT.BINANCE' }],
    ['zero quantity', { qty: '0' }],
  ])('a fill for %s is refused with FILL_MISMATCH', (_what, o) => {
    const order = applyAll(newOrder(), [S, A]);
    const before = snapshot(order);
    expectError(() => order.apply(fill(order, { tradeId: 'T-X', ...o })), StateError, 'FILL_MISMATCH', { clientOrderId: 'O-1' });
    expect(snapshot(order)).toEqual(before);
    expect(order.apply(fill(order, { tradeId: 'T-X' }))).toBe('APPLIED');
  });

  it('an event for another client order id is refused with FILL_MISMATCH', () => {
    const o = applyAll(newOrder(), [S]);
    const other = newOrder({ clientOrderId: 'O-2' });
    const before = snapshot(o);
    expectError(() => o.apply(event(A, other)), StateError, 'FILL_MISMATCH');
    expect(snapshot(o)).toEqual(before);
  });
});

describe('order state machine: random event sequences (property)', () => {
  // Weighted so sequences live long enough to fill, overfill, repeat trade ids and get late fills:
  // fills and working-order events are common, events that end the order are rare.
  const ENDING: OrderEventKind[] = ['OrderInitialized', 'OrderDenied', 'OrderRejected', 'OrderCanceled', 'OrderExpired'];
  const kind = fc.oneof(
    { arbitrary: fc.constant<OrderEventKind>('OrderFilled'), weight: 6 },
    { arbitrary: fc.constantFrom(...ORDER_EVENT_KINDS.filter((k) => k !== 'OrderFilled' && !ENDING.includes(k))), weight: 6 },
    { arbitrary: fc.constantFrom(...ENDING), weight: 1 },
  );
  const step = fc.record({
    kind,
    // a quarter, a half, all of the 1 BTC order, or any size up to 0.6 BTC
    fillUnits: fc.oneof(fc.constantFrom(25_000n, 50_000n, 100_000n), fc.bigInt({ min: 1n, max: 60_000n })),
    tradeNo: fc.integer({ min: 1, max: 6 }), // few ids, so duplicates happen
    grow: fc.boolean(),
  });
  // Bias towards getting the order to the venue, so most sequences go beyond INITIALIZED.
  const sequence = fc.tuple(fc.boolean(), fc.array(step, { minLength: 1, maxLength: 40 }));

  type Step = { kind: OrderEventKind; fillUnits: bigint; tradeNo: number; grow: boolean };

  function play(policy: OverfillPolicy, startAtVenue: boolean, steps: Step[]): void {
    const o = applyAll(newOrder(), startAtVenue ? [S, A] : []);
    let ts = NOW + 10;
    let busted = false;
    for (const s of steps) {
      ts += 1;
      const e = event(s.kind, o, {
        ts,
        fill: { qty: Quantity.fromRaw(s.fillUnits, 5).toString(), tradeId: `T-${s.tradeNo}` },
        // Updates only ever grow the order (to 2 BTC): shrinking below the filled quantity is a separate question.
        quantity: s.grow ? qty('2') : undefined,
        price: s.grow ? undefined : px('29999.99'),
      });
      const before = snapshot(o);
      const beforeFilled = o.filledQty;
      const wasTerminal = TERMINAL_STATUSES.has(o.status);
      const t = transitionOf(o.status, s.kind);
      let result;
      try {
        result = o.apply(e, policy);
      } catch (err) {
        expect(err).toBeInstanceOf(StateError);
        expect(snapshot(o)).toEqual(before); // a thrown error never changes the order
        if (t === undefined) expect((err as StateError).code).toBe('ILLEGAL_TRANSITION');
        else expect((err as StateError).code).toBe(s.kind === 'OrderFillBusted' ? 'FILL_MISMATCH' : 'OVERFILL');
        continue;
      }
      if (result === 'DUPLICATE_FILL') {
        expect(['OrderFilled', 'OrderFillBusted']).toContain(s.kind); // a trade seen, or a bust applied, already
        expect(snapshot(o)).toEqual(before);
        continue;
      }
      // accepted exactly when the table says so, to the status it names
      expect(t).toBeDefined();
      if (t !== undefined && (ORDER_STATUSES as readonly string[]).includes(t)) expect(o.status).toBe(t);
      // filled quantity never decreases, except by exactly a busted trade
      if (e.kind === 'OrderFillBusted') expect(o.filledQty.eq(beforeFilled.sub(e.lastQty))).toBe(true);
      else expect(o.filledQty.cmp(beforeFilled)).toBeGreaterThanOrEqual(0);
      if (policy === 'REJECT') {
        expect(o.filledQty.cmp(o.quantity)).toBeLessThanOrEqual(0);
        expect(o.overfilledQty).toBeUndefined();
      } else if (o.filledQty.cmp(o.quantity) > 0) {
        expect(o.overfilledQty?.eq(o.filledQty.sub(o.quantity))).toBe(true);
      }
      // once terminal, the status never changes; only CANCELED/EXPIRED/REJECTED (late fill) or FILLED (recorded overfill) take fills
      if (e.kind === 'OrderFillBusted') busted = true;
      if (wasTerminal) {
        expect(o.status).toBe(before.status);
        if (!o.filledQty.eq(beforeFilled) && e.kind !== 'OrderFillBusted') {
          // A FILLED order takes a fill when recording overfills, or after a bust made room (a correction).
          expect(['CANCELED', 'EXPIRED', 'REJECTED', ...(policy === 'RECORD' || busted ? ['FILLED'] : [])]).toContain(o.status);
        }
      }
      if (o.status === 'FILLED') expect(o.leavesQty.isZero()).toBe(true);
      expect(o.eventCount).toBe((before.eventCount as number) + 1);
    }
    expect(o.filledQty.raw).toBeGreaterThanOrEqual(0n);
  }

  it('under REJECT: filledQty never exceeds quantity or decreases, terminal status never changes, errors change nothing', () => {
    fc.assert(
      fc.property(sequence, ([atVenue, steps]) => play('REJECT', atVenue, steps)),
      { numRuns: 500 },
    );
  });

  it('under RECORD: filledQty never decreases, overfilledQty is the excess, terminal status never changes', () => {
    fc.assert(
      fc.property(sequence, ([atVenue, steps]) => play('RECORD', atVenue, steps)),
      { numRuns: 300 },
    );
  });
});
