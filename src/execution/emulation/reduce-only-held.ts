import type { PositionId } from '../../model/identifiers.ts';
import type { OrderEvent } from '../../model/orders/events.ts';
import type { OrderSpec } from '../../model/orders/types.ts';
import { Quantity } from '../../model/values.ts';
import { mayOverhang, reduceOnlyActions, type ReduceOnlyAction } from '../../engine/reduce-only.ts';
import type { HeldOrder } from './held.ts';

/**
 * What becomes of held reduce-only orders after a fill on their position (`net`: its signed
 * quantity after the fill): those that no longer fit are resized to the position or canceled,
 * as the engine does with its working ones (reduce-only.ts). Held orders have filled nothing.
 * `positionOf` names the position a held order's spec trades (the portfolio's rule).
 */
export function heldReduceOnlyActions(
  held: Iterable<HeldOrder>,
  fill: Extract<OrderEvent, { kind: 'OrderFilled' }>,
  net: bigint,
  positionOf: (spec: OrderSpec) => PositionId,
): ReduceOnlyAction[] {
  const before = net - (fill.side === 'BUY' ? fill.lastQty.raw : -fill.lastQty.raw);
  if (!mayOverhang(before, net)) return [];
  const mine = [];
  for (const h of held) {
    const s = h.spec;
    if (!s.reduceOnly || s.instrumentId !== fill.instrumentId || s.accountId !== fill.accountId || positionOf(s) !== fill.positionId) continue;
    mine.push({ clientOrderId: s.clientOrderId, side: s.side, quantity: s.quantity, filledQty: Quantity.zero(s.quantity.precision) });
  }
  return mine.length === 0 ? [] : reduceOnlyActions(net, mine);
}
