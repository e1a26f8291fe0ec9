/**
 * Warden's orders as Binance's wire sees them: a numeric order id per client order id (Binance's
 * `orderId` is a number; Warden's id is the client's), the fills of each order as trades, and the
 * order of record printed as a WireOrder. Fed by the journal at start (so ids and trades are the
 * same after a restart: ids are given in the order the orders were first journaled) and then by
 * the engine's order events; holds no decision.
 */
import type { Order } from '../../model/orders/order.ts';
import type { OrderFilled } from '../../model/orders/events.ts';
import type { OrderStatus } from '../../model/orders/status.ts';
import type { OrderType } from '../../model/orders/types.ts';
import { add, mul } from './wire/decimal.ts';
import type { WireOrder, WireOrderType, WireTrade } from './wire/spot-wire.ts';

/** Warden's order status as Binance's (the transient ones are NEW or PARTIALLY_FILLED by what filled). */
export function wireStatus(status: OrderStatus, filled: boolean): WireOrder['status'] {
  switch (status) {
    case 'INITIALIZED':
    case 'SUBMITTED':
    case 'ACCEPTED':
    case 'TRIGGERED':
    case 'PENDING_UPDATE':
    case 'PENDING_CANCEL':
    case 'UNKNOWN':
      return filled ? 'PARTIALLY_FILLED' : 'NEW';
    case 'PARTIALLY_FILLED':
    case 'FILLED':
    case 'CANCELED':
    case 'EXPIRED':
    case 'REJECTED':
      return status;
    case 'DENIED':
      return 'REJECTED';
  }
}

/** Trailing stops have no spot wire type: the gateway never places one, but a strategy's may show. */
function wireType(t: OrderType): WireOrderType {
  switch (t) {
    case 'TRAILING_STOP_MARKET':
      return 'STOP_MARKET';
    case 'TRAILING_STOP_LIMIT':
      return 'STOP_LIMIT';
    default:
      return t;
  }
}

interface Entry {
  readonly orderId: number;
  readonly trades: WireTrade[];
}

export class GatewayBook {
  private readonly byClientId = new Map<string, Entry>();
  private readonly byOrderId = new Map<number, string>();
  private nextOrderId = 1;
  private nextTradeId = 1;
  /** Warden's (order, trade id) pairs already recorded: a fill seen both in the journal and live counts once. */
  private readonly seenTrades = new Set<string>();

  /** The numeric id of a client order id, given on first sight. */
  orderIdOf(clientOrderId: string): number {
    return this.entry(clientOrderId).orderId;
  }

  clientIdOf(orderId: number): string | undefined {
    return this.byOrderId.get(orderId);
  }

  /** Records a fill as a wire trade; undefined when this fill was recorded already. */
  recordFill(e: OrderFilled, symbol: string): WireTrade | undefined {
    const seen = `${e.clientOrderId}\u0000${e.tradeId}`;
    if (this.seenTrades.has(seen)) return undefined;
    this.seenTrades.add(seen);
    const entry = this.entry(e.clientOrderId);
    const trade: WireTrade = {
      tradeId: this.nextTradeId++,
      orderId: entry.orderId,
      symbol,
      side: e.side,
      price: e.lastPx.toString(),
      qty: e.lastQty.toString(),
      commission: e.commission.toDecimalString(),
      commissionAsset: e.commission.currency.code,
      maker: e.liquidity === 'MAKER',
      ts: e.tsEvent,
    };
    entry.trades.push(trade);
    return trade;
  }

  trades(clientOrderId: string): readonly WireTrade[] {
    return this.byClientId.get(clientOrderId)?.trades ?? [];
  }

  /** The order of record as Binance prints it. */
  wireOrder(o: Order, symbol: string): WireOrder {
    const entry = this.entry(o.clientOrderId);
    const filled = o.filledQty.raw > 0n;
    return {
      orderId: entry.orderId,
      clientOrderId: o.clientOrderId,
      symbol,
      side: o.side,
      type: wireType(o.spec.type),
      timeInForce: o.spec.timeInForce,
      quantity: o.quantity.toString(),
      price: o.price?.toString(),
      triggerPrice: o.triggerPrice?.toString(),
      postOnly: o.spec.postOnly,
      status: wireStatus(o.status, filled),
      executedQty: o.filledQty.toString(),
      cumQuote: entry.trades.reduce((sum, t) => add(sum, mul(t.price, t.qty)), '0'),
      createdAt: o.tsInit,
      updatedAt: o.tsLast,
      trades: entry.trades,
    };
  }

  private entry(clientOrderId: string): Entry {
    let e = this.byClientId.get(clientOrderId);
    if (!e) {
      e = { orderId: this.nextOrderId++, trades: [] };
      this.byClientId.set(clientOrderId, e);
      this.byOrderId.set(e.orderId, clientOrderId);
    }
    return e;
  }
}
