/**
 * The gateway's trading endpoints over the node: a Binance order becomes a Warden order from the
 * key's strategy on the key's account, sent the way a strategy's goes (TradingNode.route: the gate,
 * then the venue or the order emulator); cancels and queries see only the key's own orders.
 */
import { strategyOrigin } from '../../engine/origin.ts';
import { WardenError } from '../../model/errors.ts';
import type { Order } from '../../model/orders/order.ts';
import type { OrderRequest } from '../../model/orders/factory.ts';
import type { TradingNode } from '../../node/trading-node.ts';
import { newOrderId, watchDenials } from '../commands.ts';
import type { GatewayBook } from './book.ts';
import { denialError, wardenError } from './denials.ts';
import type { Params } from './http.ts';
import { requireTrade, type GatewayKey } from './keys.ts';
import type { GatewaySymbols } from './symbols.ts';
import type { KeyOrders } from './key-orders.ts';
import { BinanceError, err, MSG } from './wire/errors.ts';
import { cancelAnswer, myTrade, orderAck, orderQuery, SPOT_TYPES, type SpotOrderType } from './wire/spot-wire.ts';

/** Binance's client order id form. */
const CLIENT_ID = /^[A-Za-z0-9_-]{1,36}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

export function required(p: Params, name: string): string {
  const v = p[name];
  if (v === undefined || v === '') throw err.mandatory(name);
  return v;
}

/** An optional whole-number parameter; -1100 when it is not one. */
export function optionalInt(p: Params, name: string): number | undefined {
  const v = p[name];
  if (v === undefined) return undefined;
  if (!/^\d{1,16}$/.test(v)) throw new BinanceError(400, -1100, `Illegal characters found in parameter '${name}'; legal range is '^[0-9]{1,20}$'.`);
  return Number(v);
}

export class GatewayTrading {
  constructor(
    private readonly node: TradingNode,
    private readonly book: GatewayBook,
    private readonly symbols: GatewaySymbols,
    readonly orders: KeyOrders,
  ) {}

  /** Whether an order is the key's: its strategy on its account, on a symbol the gateway maps. */
  owns(key: GatewayKey, o: Order): boolean {
    return this.orders.owns(key, o);
  }

  async place(p: Params, key: GatewayKey): Promise<Record<string, unknown>> {
    requireTrade(key);
    const req = this.orderRequest(p, key);
    const engine = this.node.engine;
    if (this.orders.byClientId(req.clientOrderId) || this.node.orderEmulator.get(req.clientOrderId)) throw new BinanceError(400, -2010, MSG.duplicate);
    try {
      const { denied } = await watchDenials(engine, [req.clientOrderId], () => this.node.route(req, strategyOrigin(key.strategyId)));
      const d = denied[0];
      if (d) throw denialError(d.code, d.message);
    } catch (e) {
      if (e instanceof WardenError) throw wardenError(e);
      throw e;
    }
    const typeName = p['type'] as SpotOrderType;
    const respType = p['newOrderRespType'] ?? (typeName === 'MARKET' || typeName === 'LIMIT' ? 'FULL' : 'ACK');
    const k = this.orders.byClientId(req.clientOrderId);
    // Held and journaled by now (route awaits it); the fallback is for a journal not yet caught up.
    if (!k) return { symbol: p['symbol'], orderId: this.book.orderIdOf(req.clientOrderId), orderListId: -1, clientOrderId: req.clientOrderId, transactTime: engine.now() };
    return orderAck(this.orders.wire(k), respType);
  }

  async cancel(p: Params, key: GatewayKey): Promise<Record<string, unknown>> {
    requireTrade(key);
    const k = await this.orders.cancel(this.orders.find(p, key, err.unknownCancel), key);
    return cancelAnswer(this.orders.wire(k), p['newClientOrderId'] ?? newOrderId('cancel'));
  }

  /** DELETE /api/v3/openOrders: every working order of the key on the symbol (held ones too); -2011 when there is none. */
  async cancelAll(p: Params, key: GatewayKey): Promise<Record<string, unknown>[]> {
    requireTrade(key);
    const instrumentId = this.symbols.instrumentOf(required(p, 'symbol'));
    const open = this.orders.open(key, instrumentId);
    if (open.length === 0) throw err.unknownCancel();
    const done = await Promise.all(open.map((k) => this.orders.cancel(k, key).catch(() => k)));
    return done.map((k) => cancelAnswer(this.orders.wire(k), newOrderId('cancel')));
  }

  query(p: Params, key: GatewayKey): Record<string, unknown> {
    return orderQuery(this.orders.wire(this.orders.find(p, key, err.notFound)));
  }

  openOrders(p: Params, key: GatewayKey): Record<string, unknown>[] {
    const instrumentId = p['symbol'] !== undefined ? this.symbols.instrumentOf(p['symbol']) : undefined;
    return this.orders.open(key, instrumentId).map((k) => orderQuery(this.orders.wire(k)));
  }

  /** GET /api/v3/allOrders: the key's orders on the symbol by order id, from `orderId` on, within startTime..endTime (by creation), at most `limit` (500, at most 1000). */
  allOrders(p: Params, key: GatewayKey): Record<string, unknown>[] {
    const instrumentId = this.symbols.instrumentOf(required(p, 'symbol'));
    const from = optionalInt(p, 'orderId');
    const start = optionalInt(p, 'startTime');
    const end = optionalInt(p, 'endTime');
    if (start !== undefined && end !== undefined && end - start > DAY_MS) throw new BinanceError(400, -1127, 'More than 24 hours between startTime and endTime.');
    const limit = Math.min(optionalInt(p, 'limit') ?? 500, 1000);
    const rows = this.orders
      .all(key, instrumentId)
      .map((k) => this.orders.wire(k))
      .filter((w) => (from === undefined || w.orderId >= from) && (start === undefined || w.createdAt >= start) && (end === undefined || w.createdAt <= end));
    // From an orderId: the first `limit` from it; otherwise the most recent `limit`.
    const window = from !== undefined ? rows.slice(0, limit) : rows.slice(-limit);
    return window.map(orderQuery);
  }

  myTrades(p: Params, key: GatewayKey): Record<string, unknown>[] {
    const symbol = required(p, 'symbol');
    const instrumentId = this.symbols.instrumentOf(symbol);
    const orderId = p['orderId'] !== undefined ? Number(p['orderId']) : undefined;
    const trades = [...this.node.engine.state.orders.values()]
      .filter((o) => this.orders.owns(key, o) && o.instrumentId === instrumentId)
      .flatMap((o) => this.book.trades(o.clientOrderId))
      .filter((t) => orderId === undefined || t.orderId === orderId)
      .sort((a, b) => a.tradeId - b.tradeId);
    const limit = Math.min(Number(p['limit'] ?? 500) || 500, 1000);
    return trades.slice(-limit).map(myTrade);
  }

  account(key: GatewayKey): Record<string, unknown> {
    const balances = this.node.engine.portfolio
      .account(key.accountId as never)
      .balances()
      .map((b) => ({ asset: b.currency.code, free: b.free.toDecimalString(), locked: b.locked.toDecimalString() }));
    return {
      makerCommission: 0,
      takerCommission: 0,
      buyerCommission: 0,
      sellerCommission: 0,
      canTrade: key.role === 'trade',
      canWithdraw: false,
      canDeposit: false,
      brokered: false,
      requireSelfTradePrevention: false,
      updateTime: this.node.engine.now(),
      accountType: 'SPOT',
      balances,
      permissions: ['SPOT'],
    };
  }

  /** Checks a new order's parameters as place() will (Binance's -11xx answers), placing nothing. */
  checkOrder(p: Params, key: GatewayKey): void {
    this.orderRequest(p, key);
  }

  private orderRequest(p: Params, key: GatewayKey): OrderRequest {
    const instrumentId = this.symbols.instrumentOf(required(p, 'symbol'));
    const typeName = required(p, 'type') as SpotOrderType;
    const type = Object.hasOwn(SPOT_TYPES, typeName) ? SPOT_TYPES[typeName] : undefined;
    if (!type) throw new BinanceError(400, -1116, 'Invalid orderType.');
    for (const need of type.needs) required(p, need);
    const side = required(p, 'side');
    if (side !== 'BUY' && side !== 'SELL') throw new BinanceError(400, -1117, 'Invalid side.');
    if (p['quoteOrderQty'] !== undefined) throw new BinanceError(400, -1013, 'Warden UNSUPPORTED: quoteOrderQty is not supported by the gateway; send quantity.');
    const tif = p['timeInForce'];
    if (tif !== undefined && tif !== 'GTC' && tif !== 'IOC' && tif !== 'FOK') throw new BinanceError(400, -1115, 'Invalid timeInForce.');
    const clientOrderId = p['newClientOrderId'] ?? newOrderId('gw');
    if (!CLIENT_ID.test(clientOrderId)) throw new BinanceError(400, -1100, "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[a-zA-Z0-9-_]{1,36}$'.");
    return {
      clientOrderId,
      accountId: key.accountId,
      strategyId: key.strategyId,
      instrumentId,
      side,
      type: type.type,
      quantity: required(p, 'quantity'),
      ...(p['price'] !== undefined && typeName !== 'MARKET' ? { price: p['price'] } : {}),
      ...(p['stopPrice'] !== undefined ? { triggerPrice: p['stopPrice'] } : {}),
      ...(tif !== undefined && typeName !== 'MARKET' ? { timeInForce: tif } : {}),
      ...(type.postOnly ? { postOnly: true } : {}),
    };
  }
}
