import type { OrderSide } from '../../../model/orders/types.ts';

/**
 * Lots a reduce-only order of `side` may trade against the account's net position in lots
 * (positive long, negative short): what brings it towards flat, never past it. 0 when the
 * position is flat or on the order's own side: the order has nothing left to reduce, and a venue
 * expires it (Binance futures: "the reduceOnly open order is expired due to current position has
 * been closed").
 */
export function reducibleLots(side: OrderSide, net: bigint): bigint {
  const room = side === 'SELL' ? net : -net;
  return room > 0n ? room : 0n;
}
