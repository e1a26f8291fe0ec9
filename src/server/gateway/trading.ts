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
import { BinanceError, err, MSG } from './wire/errors.ts';
import { cancelAnswer, myTrade, orderAck, orderQuery, SPOT_TYPES, type SpotOrderType } from './wire/spot-wire.ts';

/** Binance's client order id form. */
const CLIENT_ID = /^[A-Za-z0-9_-]{1,36}$/;
/** How long a cancel waits for the venue to confirm before answering with the order as it stands. */
const CANCEL_SETTLE_MS = 2_000;

export function required(p: Params, name: string): string {
  const v = p[name];
  if (v === undefined || v === '') throw err.mandatory(name);
  return v;
}

export class GatewayTrading {
  constructor(
    private readonly node: TradingNode,
    private readonly book: GatewayBook,
    private readonly symbols: GatewaySymbols,
  ) {}

  async place(p: Params, key: GatewayKey): Promise<Record<string, unknown>> {
    requireTrade(key);
    const req = this.orderRequest(p, key);
    const engine = this.node.engine;
    if (engine.order(req.clientOrderId) || this.node.orderEmulator.get(req.clientOrderId)) throw new BinanceError(400, -2010, MSG.duplicate);
    try {
      const { denied } = await watchDenials(engine, [req.clientOrderId], () => this.node.route(req, strategyOrigin(key.strategyId)));
      const d = denied[0];
      if (d) throw denialError(d.code, d.message);
    } catch (e) {
      if (e instanceof WardenError) throw wardenError(e);
      throw e;
    }
    const o = engine.order(req.clientOrderId);
    const typeName = p['type'] as SpotOrderType;
    const respType = p['newOrderRespType'] ?? (typeName === 'MARKET' || typeName === 'LIMIT' ? 'FULL' : 'ACK');
    // An emulated order (held until its trigger) has no order of record yet: acknowledged only.
    if (!o) return { symbol: p['symbol'], orderId: this.book.orderIdOf(req.clientOrderId), orderListId: -1, clientOrderId: req.clientOrderId, transactTime: engine.now() };
    return orderAck(this.book.wireOrder(o, this.symbols.symbolOf(o.instrumentId)), respType);
  }

  async cancel(p: Params, key: GatewayKey): Promise<Record<string, unknown>> {
    requireTrade(key);
    const o = this.own(p, key, err.unknownCancel);
    if (!o.isOpen) throw err.unknownCancel();
    try {
      await this.node.engine.cancelOrder(o.clientOrderId, strategyOrigin(key.strategyId));
    } catch (e) {
      if (e instanceof WardenError) throw wardenError(e);
      throw e;
    }
    await this.settled(o.clientOrderId, CANCEL_SETTLE_MS);
    const cancelId = p['newClientOrderId'] ?? newOrderId('cancel');
    return cancelAnswer(this.book.wireOrder(o, this.symbols.symbolOf(o.instrumentId)), cancelId);
  }

  query(p: Params, key: GatewayKey): Record<string, unknown> {
    const o = this.own(p, key, err.notFound);
    return orderQuery(this.book.wireOrder(o, this.symbols.symbolOf(o.instrumentId)));
  }

  openOrders(p: Params, key: GatewayKey): Record<string, unknown>[] {
    const instrumentId = p['symbol'] !== undefined ? this.symbols.instrumentOf(p['symbol']) : undefined;
    return [...this.node.engine.openOrders()]
      .filter((o) => this.owns(key, o) && (instrumentId === undefined || o.instrumentId === instrumentId))
      .map((o) => orderQuery(this.book.wireOrder(o, this.symbols.symbolOf(o.instrumentId))));
  }

  myTrades(p: Params, key: GatewayKey): Record<string, unknown>[] {
    const symbol = required(p, 'symbol');
    const instrumentId = this.symbols.instrumentOf(symbol);
    const orderId = p['orderId'] !== undefined ? Number(p['orderId']) : undefined;
    const trades = [...this.node.engine.state.orders.values()]
      .filter((o) => this.owns(key, o) && o.instrumentId === instrumentId)
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

  /** Whether an order is the key's: its strategy on its account, on a symbol the gateway maps. */
  owns(key: GatewayKey, o: Order): boolean {
    return o.spec.strategyId === key.strategyId && o.spec.accountId === key.accountId && this.symbols.has(o.instrumentId);
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

  /** The key's order named by orderId or origClientOrderId, else the `missing` answer. */
  private own(p: Params, key: GatewayKey, missing: () => BinanceError): Order {
    const byNumber = p['orderId'] !== undefined ? this.book.clientIdOf(Number(p['orderId'])) : undefined;
    const id = p['origClientOrderId'] ?? byNumber;
    if (p['orderId'] === undefined && p['origClientOrderId'] === undefined) throw err.mandatory('orderId');
    required(p, 'symbol');
    const o = id !== undefined ? this.node.engine.order(id) : undefined;
    if (!o || !this.owns(key, o) || this.symbols.symbolOf(o.instrumentId) !== p['symbol']) throw missing();
    return o;
  }

  /** Waits (on the engine's events, not by polling) until the order is closed, or `ms` have passed. */
  private settled(clientOrderId: string, ms: number): Promise<void> {
    const engine = this.node.engine;
    if (!engine.order(clientOrderId)?.isOpen) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        off();
        resolve();
      };
      const timer = setTimeout(done, ms);
      const off = engine.bus.subscribe('order', (e) => {
        if (e.clientOrderId === clientOrderId && !engine.order(clientOrderId)?.isOpen) done();
      });
    });
  }
}
