import type { OrderFillBusted, OrderFilled } from './events.ts';

/**
 * A bust booked as the exact reversing entry of the busted fill: the other side, same quantity and
 * price, its commission refunded. Quantity, balances and total PnL come back exactly; when other
 * fills came in between, the realized/unrealized split is that of the reversal (as in accounting,
 * where a busted trade is reversed, not erased).
 */
export function reversalOf(b: OrderFillBusted): OrderFilled {
  return {
    kind: 'OrderFilled',
    clientOrderId: b.clientOrderId,
    tsEvent: b.tsEvent,
    tsInit: b.tsInit,
    tradeId: b.tradeId,
    venueOrderId: undefined,
    accountId: b.accountId,
    strategyId: b.strategyId,
    instrumentId: b.instrumentId,
    positionId: b.positionId,
    side: b.side === 'BUY' ? 'SELL' : 'BUY',
    lastQty: b.lastQty,
    lastPx: b.lastPx,
    commission: b.commission.neg(),
    liquidity: 'TAKER',
  };
}
