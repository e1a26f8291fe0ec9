/**
 * Which order lists a venue can hold itself (VenueCapabilities.orderLists), as a pure decision on
 * the lists' specs. A list that fits goes to the venue as one request and its legs rest there, so
 * they protect the position while the node is down; one that does not is left to the emulator.
 *
 * The rule is what venues that hold lists take in common (Alpaca's bracket, oco and oto order
 * classes): one instrument, one quantity, one time in force (DAY or GTC, the legs live with the
 * entry), no extended hours and no flags; the exits on the side opposite the entry; the take-profit
 * a LIMIT, the stop-loss a STOP_MARKET or STOP_LIMIT; an entry a MARKET or LIMIT order.
 */
import { ValidationError } from '../model/errors.ts';
import type { OrderSpec, OrderType } from '../model/orders/types.ts';
import type { OrderListShape, Venue, VenueCapabilities } from './venue.ts';

/** What the rule looks at in each order of a list. */
export type ListLeg = Pick<OrderSpec, 'instrumentId' | 'side' | 'type' | 'quantity' | 'timeInForce' | 'extendedHours' | 'reduceOnly' | 'postOnly' | 'displayQuantity'>;

/** The role each order of a list plays, in the list's order. */
export type ListRole = 'ENTRY' | 'TAKE_PROFIT' | 'STOP_LOSS';

const STOPS: ReadonlySet<OrderType> = new Set(['STOP_MARKET', 'STOP_LIMIT']);

/** The role of each order of a list of `shape`, in order (an OTO's one exit is what its type says). */
export function rolesOf(shape: OrderListShape, legs: readonly Pick<OrderSpec, 'type'>[]): readonly ListRole[] {
  switch (shape) {
    case 'BRACKET':
      return ['ENTRY', 'TAKE_PROFIT', 'STOP_LOSS'];
    case 'OCO':
      return ['TAKE_PROFIT', 'STOP_LOSS'];
    case 'OTO':
      return ['ENTRY', legs[1] && STOPS.has(legs[1].type) ? 'STOP_LOSS' : 'TAKE_PROFIT'];
  }
}

/** Why the orders do not make a list of `shape` a venue holds; undefined when they do. */
export function venueListMisfit(shape: OrderListShape, legs: readonly ListLeg[]): string | undefined {
  const want = shape === 'BRACKET' ? 3 : 2;
  if (legs.length !== want) return `a ${shape} list has ${want} orders, not ${legs.length}`;
  const [first] = legs as [ListLeg];
  for (const l of legs) {
    if (l.instrumentId !== first.instrumentId) return `the orders of a ${shape} list trade one instrument`;
    if (!l.quantity.eq(first.quantity)) return `the orders of a ${shape} list have one quantity`;
    if (l.timeInForce !== first.timeInForce) return `the orders of a ${shape} list have one time in force`;
    if (l.timeInForce !== 'DAY' && l.timeInForce !== 'GTC') return `a ${shape} list held at the venue is DAY or GTC`;
    if (l.extendedHours || l.reduceOnly || l.postOnly || l.displayQuantity !== undefined) return `a ${shape} list held at the venue takes no flags (extended hours, reduce-only, post-only, display quantity)`;
  }
  const roles = rolesOf(shape, legs);
  const entry = roles[0] === 'ENTRY' ? legs[0] : undefined;
  if (entry && entry.type !== 'MARKET' && entry.type !== 'LIMIT') return `the entry of a ${shape} list held at the venue is a MARKET or LIMIT order`;
  const exitSide = entry ? (entry.side === 'BUY' ? 'SELL' : 'BUY') : first.side;
  for (let i = 0; i < legs.length; i++) {
    const l = legs[i]!;
    const role = roles[i]!;
    if (role === 'ENTRY') continue;
    if (l.side !== exitSide) return `the exits of a ${shape} list are ${exitSide} orders`;
    if (role === 'TAKE_PROFIT' && l.type !== 'LIMIT') return `the take-profit of a ${shape} list is a LIMIT order`;
    if (role === 'STOP_LOSS' && !STOPS.has(l.type)) return `the stop-loss of a ${shape} list is a STOP_MARKET or STOP_LIMIT order`;
  }
  return undefined;
}

/** Whether a venue with `caps` holds a list of `shape` made of these orders. */
export function venueHoldsList(caps: VenueCapabilities | undefined, shape: OrderListShape, legs: readonly ListLeg[]): boolean {
  return (caps?.orderLists.includes(shape) ?? false) && venueListMisfit(shape, legs) === undefined;
}

/**
 * A SubmitOrderList the venue is to hold (heldAtVenue): every order on one venue that holds lists
 * of the shape, and the orders fit it. Bad input otherwise (INCOMPATIBLE_ORDER_OPTIONS), before
 * anything is journaled.
 */
export function requireVenueList(shape: OrderListShape, orders: readonly { readonly spec: OrderSpec; readonly venue: Venue }[]): void {
  const venue = orders[0]?.venue;
  const misfit =
    venue === undefined || orders.some((o) => o.venue !== venue)
      ? `the orders of a ${shape} list held at the venue go to one venue`
      : !venue.capabilities.orderLists.includes(shape)
        ? `venue ${venue.id} does not hold ${shape} lists`
        : venueListMisfit(shape, orders.map((o) => o.spec));
  if (misfit !== undefined) throw new ValidationError('INCOMPATIBLE_ORDER_OPTIONS', misfit, { field: 'heldAtVenue', input: shape });
}
