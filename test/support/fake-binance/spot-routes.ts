/**
 * Binance spot REST (/api/v3): general and market-data endpoints, order entry and queries, and the
 * account, answering in Binance's shapes from the matching core.
 */
import type { FakeMarketSpec } from '../fake-venue/matching.ts';
import { exchangeInfo as wireExchangeInfo } from '../../../src/server/gateway/wire/exchange-info.ts';
import { fixed, quantityForQuote } from './decimal.ts';
import { BinanceError, err } from './errors.ts';
import type { BinanceRequest, Route } from './http.ts';
import { marketRoutes } from './market-routes.ts';
import { cancelOrThrow, checkGrid, findOrder, listedMarket, placeOrThrow, required, side, timeInForce, window } from './orders.ts';
import { cancelAnswer, myTrade, orderAck, orderQuery, SPOT_TYPES, type SpotOrderType } from '../../../src/server/gateway/wire/spot-wire.ts';
import type { BinanceVenue } from './venue.ts';

type Params = Readonly<Record<string, string>>;

export function spotRoutes(venue: BinanceVenue): Map<string, Route> {
  const pub = (handle: (p: Params) => unknown, weight = 1): Route => ({ security: 'NONE', weight, handle: (r: BinanceRequest) => handle(r.params) });
  const signed = (handle: (p: Params) => unknown, weight = 1): Route => ({ security: 'SIGNED', weight, handle: (r: BinanceRequest) => handle(r.params) });
  const base = '/api/v3';
  return new Map<string, Route>([
    ...marketRoutes(venue, base),
    [`GET ${base}/ping`, pub(() => ({}))],
    [`GET ${base}/time`, pub(() => ({ serverTime: venue.now() }))],
    [`GET ${base}/exchangeInfo`, pub(() => exchangeInfo(venue), 20)],
    [`POST ${base}/order`, { security: 'SIGNED', placement: true, handle: (r) => placeSpot(venue, r.params) }],
    [`GET ${base}/order`, signed((p) => orderQuery(findOrder(venue, p, err.notFound)), 4)],
    [`DELETE ${base}/order`, signed((p) => cancelSpot(venue, p))],
    [`GET ${base}/openOrders`, signed((p) => venue.matching.openOrders(venue.account, p['symbol']).map(orderQuery), 6)],
    [`GET ${base}/allOrders`, signed((p) => allOrders(venue, p), 20)],
    [`GET ${base}/myTrades`, signed((p) => myTrades(venue, p), 20)],
    [`GET ${base}/account`, signed((p) => account(venue, p), 20)],
  ]);
}

function exchangeInfo(venue: BinanceVenue): Record<string, unknown> {
  return wireExchangeInfo(venue.matching.markets().map((m) => ({ market: m, status: venue.status(m.symbol) })), venue.now());
}

function placeSpot(venue: BinanceVenue, p: Params): Record<string, unknown> {
  const m = listedMarket(venue, required(p, 'symbol'));
  const typeName = required(p, 'type') as SpotOrderType;
  const type = SPOT_TYPES[typeName];
  if (!type) throw new BinanceError(400, -1116, 'Invalid orderType.');
  for (const need of type.needs) required(p, need);
  const s = side(p);
  const quantity = typeName === 'MARKET' && p['quoteOrderQty'] !== undefined ? marketQuantity(venue, m, s, p['quoteOrderQty']) : required(p, 'quantity');
  checkGrid(m, [p['price'], p['stopPrice']], quantity);
  const order = placeOrThrow(venue, {
    account: venue.account,
    symbol: m.symbol,
    side: s,
    type: type.type,
    quantity,
    ...(p['price'] !== undefined && typeName !== 'MARKET' ? { price: p['price'] } : {}),
    ...(p['stopPrice'] !== undefined ? { triggerPrice: p['stopPrice'] } : {}),
    ...(timeInForce(p) !== undefined ? { timeInForce: timeInForce(p)! } : {}),
    postOnly: type.postOnly ?? false,
    ...(p['newClientOrderId'] !== undefined ? { clientOrderId: p['newClientOrderId'] } : {}),
  });
  const defaultResp = typeName === 'MARKET' || typeName === 'LIMIT' ? 'FULL' : 'ACK';
  return orderAck(order, p['newOrderRespType'] ?? defaultResp);
}

/** A quoteOrderQty market order: the quantity the quote amount buys (or sells) at the touch, on the lot grid. */
function marketQuantity(venue: BinanceVenue, m: FakeMarketSpec, s: 'BUY' | 'SELL', quote: string): string {
  const b = venue.matching.book(m.symbol);
  const px = s === 'BUY' ? b.ask : b.bid;
  if (px === undefined) throw new BinanceError(400, -2010, 'Order would trigger immediately.');
  return quantityForQuote(quote, px, m.lotSize);
}

function cancelSpot(venue: BinanceVenue, p: Params): Record<string, unknown> {
  const o = cancelOrThrow(venue, p);
  return cancelAnswer(o, venue.cancelIds.get(o.orderId)!);
}

function allOrders(venue: BinanceVenue, p: Params): unknown[] {
  const symbol = required(p, 'symbol');
  let orders = venue.matching.allOrders(venue.account, symbol);
  if (p['orderId'] !== undefined) orders = orders.filter((o) => o.orderId >= Number(p['orderId']));
  return window(orders, p, (o) => o.orderId, (o) => o.createdAt).map(orderQuery);
}

function myTrades(venue: BinanceVenue, p: Params): unknown[] {
  const symbol = required(p, 'symbol');
  let trades = venue.matching.trades(venue.account, symbol);
  if (p['orderId'] !== undefined) trades = trades.filter((t) => t.orderId === Number(p['orderId']));
  return window(trades, p, (t) => t.tradeId, (t) => t.ts).map(myTrade);
}

function account(venue: BinanceVenue, p: Params): Record<string, unknown> {
  const balances = Object.entries(venue.matching.balances(venue.account))
    .map(([asset, b]) => ({ asset, free: fixed(b.free), locked: fixed(b.locked) }))
    .filter((b) => p['omitZeroBalances'] !== 'true' || b.free !== fixed('0') || b.locked !== fixed('0'));
  return {
    makerCommission: 10,
    takerCommission: 10,
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: { maker: '0.00100000', taker: '0.00100000', buyer: '0.00000000', seller: '0.00000000' },
    canTrade: true,
    canWithdraw: true,
    canDeposit: true,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: venue.now(),
    accountType: 'SPOT',
    balances,
    permissions: ['SPOT'],
    uid: 354937868,
  };
}
