/**
 * Journaled emulation events: what the OrderEmulator holds engine-side (stops, if-touched and
 * trailing orders for venues that lack them) and the contingent orders it watches (bracket, OTO,
 * OCO, OUO). They are folded into EmulationState like any engine event, so held orders and their
 * contingencies survive a restart by replay or snapshot.
 */
import type { ClientOrderId } from '../../model/identifiers.ts';
import type { OrderSpec } from '../../model/orders/types.ts';
import type { Price, Quantity } from '../../model/values.ts';

interface Base<K extends string> {
  readonly kind: K;
  readonly tsEvent: number;
  readonly tsInit: number;
}

/**
 * An order held engine-side until its trigger: never at the venue until released. `origin`: who
 * placed it (originText), which its release is sent as; absent in older journals (then SYSTEM).
 */
export type EmulatedOrderHeld = Base<'EmulatedOrderHeld'> & { readonly clientOrderId: ClientOrderId; readonly spec: OrderSpec; readonly origin?: string };

/**
 * A trailing stop moved (activated or ratcheted). Journaled only when the stop itself changes, so
 * a restart resumes from the stop it had, never from a looser one.
 */
export type EmulatedOrderMoved = Base<'EmulatedOrderMoved'> & {
  readonly clientOrderId: ClientOrderId;
  readonly activated: boolean;
  readonly extreme: Price | undefined;
  readonly stop: Price | undefined;
};

/** A held order's quantity changed before it fired (an OUO leg shrunk by the other's fill). */
export type EmulatedOrderResized = Base<'EmulatedOrderResized'> & { readonly clientOrderId: ClientOrderId; readonly quantity: Quantity };

/** Triggered and released to the venue (as a market or limit order with the same client order id). */
export type EmulatedOrderReleased = Base<'EmulatedOrderReleased'> & { readonly clientOrderId: ClientOrderId; readonly triggerPrice: Price | undefined };

export type EmulatedOrderCanceled = Base<'EmulatedOrderCanceled'> & { readonly clientOrderId: ClientOrderId; readonly reason: string };

export type ContingencyKind = 'BRACKET' | 'OTO' | 'OCO' | 'OUO';

/**
 * A contingent group placed: `request` is its request as canonical JSON text (numbers as decimal
 * strings), so the group is rebuilt exactly as asked after a restart. `origin`: who placed it
 * (originText), which its orders are sent as; absent in older journals (then SYSTEM).
 */
export type ContingencyRegistered = Base<'ContingencyRegistered'> & {
  readonly groupId: string;
  readonly contingency: ContingencyKind;
  readonly request: string;
  readonly origin?: string;
};

/** Nothing more can happen in the group (every order in it is done): it is forgotten. */
export type ContingencyCompleted = Base<'ContingencyCompleted'> & { readonly groupId: string };

export type EmulationEvent = EmulatedOrderHeld | EmulatedOrderMoved | EmulatedOrderResized | EmulatedOrderReleased | EmulatedOrderCanceled | ContingencyRegistered | ContingencyCompleted;
export type EmulationEventKind = EmulationEvent['kind'];
