/**
 * Warden's orders as Binance's wire sees them: a numeric order id per client order id (Binance's
 * `orderId` is a number; Warden's id is the client's), the fills of each order as trades, and the
 * order of record printed as a WireOrder. Fed by the journal at start (so ids and trades are the
 * same after a restart: ids are given in the order the orders were first journaled) and then by
 * the engine's order events; holds no decision.
 */
import type { EmulationEvent } from '../../engine/emulation/events.ts';
import type { Order } from '../../model/orders/order.ts';
import type { OrderFilled } from '../../model/orders/events.ts';
import type { OrderStatus } from '../../model/orders/status.ts';
import type { OrderSpec, OrderType } from '../../model/orders/types.ts';
import type { Price, Quantity } from '../../model/values.ts';
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

/** A held order's spec as the wire reads it (a trailing stop's trigger and price may be unset). */
type HeldSpec = OrderSpec & { readonly triggerPrice?: Price | undefined; readonly price?: Price | undefined };

/** An order Warden holds until its trigger (src/execution/emulation), as the gateway follows it from the journal. */
export interface HeldEntry {
  readonly spec: HeldSpec;
  quantity: Quantity;
  /** When it was held (epoch ms, the engine's clock), and last changed. */
  readonly heldAt: number;
  updatedAt: number;
  state: 'HELD' | 'RELEASED' | 'CANCELED';
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
  /** Orders Warden held until their trigger, by client order id. */
  private readonly held = new Map<string, HeldEntry>();

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

  /**
   * The order of record as Binance prints it. An order Warden held until its trigger and then
   * released as a MARKET or LIMIT keeps, as Binance's stop order does, its stop type, stopPrice
   * and creation time through the trigger: the wire shows the held order's.
   */
  wireOrder(o: Order, symbol: string): WireOrder {
    const entry = this.entry(o.clientOrderId);
    const held = this.held.get(o.clientOrderId);
    const filled = o.filledQty.raw > 0n;
    return {
      orderId: entry.orderId,
      clientOrderId: o.clientOrderId,
      symbol,
      side: o.side,
      type: wireType(held ? held.spec.type : o.spec.type),
      timeInForce: held ? held.spec.timeInForce : o.spec.timeInForce,
      quantity: o.quantity.toString(),
      price: o.price?.toString(),
      triggerPrice: (held ? (held.spec.triggerPrice ?? o.triggerPrice) : o.triggerPrice)?.toString(),
      postOnly: o.spec.postOnly,
      status: wireStatus(o.status, filled),
      executedQty: o.filledQty.toString(),
      cumQuote: entry.trades.reduce((sum, t) => add(sum, mul(t.price, t.qty)), '0'),
      createdAt: held ? held.heldAt : o.tsInit,
      updatedAt: o.tsLast,
      triggered: held !== undefined,
      trades: entry.trades,
    };
  }

  /**
   * An order Warden holds (not yet triggered) or canceled before it fired: Binance's stop order
   * that is NEW and not working, or CANCELED, with nothing filled.
   */
  wireHeld(h: HeldEntry, symbol: string): WireOrder {
    const s = h.spec;
    return {
      orderId: this.entry(s.clientOrderId).orderId,
      clientOrderId: s.clientOrderId,
      symbol,
      side: s.side,
      type: wireType(s.type),
      timeInForce: s.timeInForce,
      quantity: h.quantity.toString(),
      price: s.price?.toString(),
      triggerPrice: s.triggerPrice?.toString(),
      postOnly: s.postOnly,
      status: h.state === 'CANCELED' ? 'CANCELED' : 'NEW',
      executedQty: '0',
      cumQuote: '0',
      createdAt: h.heldAt,
      updatedAt: h.updatedAt,
      triggered: false,
      trades: [],
    };
  }

  /**
   * Follows an emulation event of the journal (in journal order, each once: the rebuild's, then
   * the live ones): an order held, resized, released or canceled. Returns the held order when the
   * wire shows it changed (held, canceled before it fired), else undefined.
   */
  recordEmulation(e: EmulationEvent, mapped: (instrumentId: string) => boolean): HeldEntry | undefined {
    if (e.kind === 'EmulatedOrderHeld') {
      if (!mapped(e.spec.instrumentId)) return undefined;
      this.entry(e.clientOrderId);
      const spec = e.spec as HeldSpec;
      const h: HeldEntry = { spec, quantity: spec.quantity, heldAt: e.tsEvent, updatedAt: e.tsEvent, state: 'HELD' };
      this.held.set(e.clientOrderId, h);
      return h;
    }
    const h = 'clientOrderId' in e ? this.held.get(e.clientOrderId) : undefined;
    if (!h) return undefined;
    switch (e.kind) {
      case 'EmulatedOrderResized':
        h.quantity = e.quantity;
        h.updatedAt = e.tsEvent;
        return undefined;
      case 'EmulatedOrderReleased':
        h.state = 'RELEASED';
        h.updatedAt = e.tsEvent;
        return undefined;
      case 'EmulatedOrderCanceled':
        h.state = 'CANCELED';
        h.updatedAt = e.tsEvent;
        return h;
      default:
        return undefined;
    }
  }

  /** The order Warden holds or held under this client order id (undefined: never held). */
  heldOrder(clientOrderId: string): HeldEntry | undefined {
    return this.held.get(clientOrderId);
  }

  /** Every order held (and not released) so far, in the order they were held. */
  heldOrders(): IterableIterator<HeldEntry> {
    return this.held.values();
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
