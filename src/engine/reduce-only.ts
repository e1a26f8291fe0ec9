import type { ClientOrderId } from '../model/identifiers.ts';
import type { OrderStatus } from '../model/orders/status.ts';
import type { OrderSide } from '../model/orders/types.ts';
import { Quantity } from '../model/values.ts';

/**
 * Reduce-only after submit. The gate checks a reduce-only order against the position when it is
 * submitted; the position may shrink afterwards (another order closes it), and an order that no
 * longer fits would increase exposure on the other side if it filled. These pure decisions keep
 * every working reduce-only order within its position, whether or not the venue enforces it.
 */

/** What to do with one reduce-only order whose position shrank under it. */
export type ReduceOnlyAction =
  | { readonly do: 'modify'; readonly clientOrderId: ClientOrderId; readonly quantity: Quantity }
  | { readonly do: 'cancel'; readonly clientOrderId: ClientOrderId };

/** A working reduce-only order (engine order or held one), as the decision needs it. */
export interface ReduceOnlyOrder {
  readonly clientOrderId: ClientOrderId;
  readonly side: OrderSide;
  readonly quantity: Quantity;
  readonly filledQty: Quantity;
}

/**
 * The quantity (raw, at the position's size precision) an order of `side` may still trade
 * against a position of signed raw quantity `net` (positive long): towards flat, never past it.
 */
export function reducibleRaw(side: OrderSide, net: bigint): bigint {
  const room = side === 'SELL' ? net : -net;
  return room > 0n ? room : 0n;
}

/**
 * Whether a move of a position's signed quantity from `before` to `net` can leave a reduce-only
 * order with less to reduce: any change but growing further on the same side.
 */
export function mayOverhang(before: bigint, net: bigint): boolean {
  if (net === before) return false;
  const grew = before !== 0n && net > 0n === before > 0n && (net < 0n ? -net : net) > (before < 0n ? -before : before);
  return !grew;
}

/**
 * Each order whose open quantity exceeds what it may still reduce is shrunk to filled + that
 * room (a modify), or canceled when there is none. Orders are judged one by one, as venues do: a
 * take-profit and a stop-loss over the same position both stay as long as each fits it.
 */
export function reduceOnlyActions(net: bigint, orders: Iterable<ReduceOnlyOrder>): ReduceOnlyAction[] {
  const out: ReduceOnlyAction[] = [];
  for (const o of orders) {
    const room = reducibleRaw(o.side, net);
    const leaves = o.quantity.raw - o.filledQty.raw;
    if (leaves <= room) continue;
    if (room === 0n) out.push({ do: 'cancel', clientOrderId: o.clientOrderId });
    else out.push({ do: 'modify', clientOrderId: o.clientOrderId, quantity: Quantity.fromRaw(o.filledQty.raw + room, o.quantity.precision) });
  }
  return out;
}

/** Statuses in which an order is at the venue with no request of ours pending: the ones the engine may shrink or cancel now. */
export function isSettledWorking(status: OrderStatus): boolean {
  return status === 'ACCEPTED' || status === 'TRIGGERED' || status === 'PARTIALLY_FILLED';
}

/**
 * A reduce-only fill booked against its position: the part that reduces it is kept, the rest
 * (what would flip it or open it the other way) is refused. `keep` is 0 when the position was
 * already flat or on the order's side.
 */
export function clipReduceOnlyFill(side: OrderSide, net: bigint, lastQty: Quantity): { keep: Quantity; excess: Quantity } {
  const room = reducibleRaw(side, net);
  const keep = lastQty.raw < room ? lastQty.raw : room;
  return { keep: Quantity.fromRaw(keep, lastQty.precision), excess: Quantity.fromRaw(lastQty.raw - keep, lastQty.precision) };
}
