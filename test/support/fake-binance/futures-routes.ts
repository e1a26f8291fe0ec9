/**
 * Binance USDⓈ-M REST (/fapi): market data, orders (/fapi/v1/order for MARKET and LIMIT), the
 * conditional algo orders (/fapi/v1/algoOrder), trades, account/balance and positionRisk (v2 and
 * v3, as ccxt 4.5.84 calls v3), leverage brackets, and the listenKey lifecycle.
 */
import type { FakeOrder } from '../fake-venue/matching.ts';
import { BinanceError, err } from './errors.ts';
import { positionOf, positions, markPrice, unrealized, wallet } from './futures-ledger.ts';
import { algoOrder, FUTURES_TYPES, futuresOrder, futuresSymbol, grid, userTrade, type FuturesOrderType } from './futures-wire.ts';
import { fixed, mul, sub } from './decimal.ts';
import type { BinanceRequest, Route } from './http.ts';
import { marketRoutes } from './market-routes.ts';
import { cancelOrThrow, checkGrid, findOrder, listedMarket, placeOrThrow, required, side, timeInForce, window } from './orders.ts';
import type { BinanceVenue } from './venue.ts';
import type { FuturesUserStream } from './ws-user-futures.ts';

type Params = Readonly<Record<string, string>>;

export function futuresRoutes(venue: BinanceVenue, user: FuturesUserStream): Map<string, Route> {
  const pub = (handle: (p: Params) => unknown, weight = 1): Route => ({ security: 'NONE', weight, handle: (r: BinanceRequest) => handle(r.params) });
  const signed = (handle: (p: Params) => unknown, weight = 1): Route => ({ security: 'SIGNED', weight, handle: (r: BinanceRequest) => handle(r.params) });
  const keyed = (handle: (p: Params) => unknown): Route => ({ security: 'KEY', handle: (r: BinanceRequest) => handle(r.params) });
  const orders = new FuturesOrders(venue, user);
  return new Map<string, Route>([
    ...marketRoutes(venue, '/fapi/v1'),
    ['GET /fapi/v1/ping', pub(() => ({}))],
    ['GET /fapi/v1/time', pub(() => ({ serverTime: venue.now() }))],
    ['GET /fapi/v1/exchangeInfo', pub(() => exchangeInfo(venue))],
    ['POST /fapi/v1/order', { security: 'SIGNED', placement: true, handle: (r) => orders.place(r.params, false) }],
    ['GET /fapi/v1/order', signed((p) => orders.query(p, false))],
    ['DELETE /fapi/v1/order', signed((p) => orders.cancel(p, false))],
    ['GET /fapi/v1/openOrders', signed((p) => orders.open(p, false))],
    ['GET /fapi/v1/allOrders', signed((p) => orders.all(p), 5)],
    ['POST /fapi/v1/algoOrder', { security: 'SIGNED', placement: true, handle: (r) => orders.place(r.params, true) }],
    ['GET /fapi/v1/algoOrder', signed((p) => orders.query(p, true))],
    ['DELETE /fapi/v1/algoOrder', signed((p) => orders.cancel(p, true))],
    ['GET /fapi/v1/openAlgoOrders', signed((p) => orders.open(p, true))],
    ['GET /fapi/v1/userTrades', signed((p) => userTrades(venue, p), 5)],
    ['GET /fapi/v2/account', signed(() => account(venue), 5)],
    ['GET /fapi/v3/account', signed(() => account(venue), 5)],
    ['GET /fapi/v2/balance', signed(() => balance(venue), 5)],
    ['GET /fapi/v3/balance', signed(() => balance(venue), 5)],
    ['GET /fapi/v2/positionRisk', signed((p) => positionRisk(venue, p), 5)],
    ['GET /fapi/v3/positionRisk', signed((p) => positionRisk(venue, p), 5)],
    ['GET /fapi/v1/leverageBracket', signed(() => leverageBrackets(venue))],
    ['POST /fapi/v1/listenKey', keyed(() => user.create())],
    ['PUT /fapi/v1/listenKey', keyed((p) => user.keepAlive(p['listenKey']))],
    ['DELETE /fapi/v1/listenKey', keyed((p) => user.remove(p['listenKey']))],
  ]);
}

function exchangeInfo(venue: BinanceVenue): Record<string, unknown> {
  return {
    timezone: 'UTC',
    serverTime: venue.now(),
    futuresType: 'U_MARGINED',
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 },
      { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: 1200 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 300 },
    ],
    exchangeFilters: [],
    assets: [{ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' }],
    symbols: venue.matching.markets().map((m) => futuresSymbol(m, venue.status(m.symbol))),
  };
}

/** Order entry and queries; conditional types live behind the algo endpoints, as on Binance since 2025. */
class FuturesOrders {
  constructor(
    private readonly venue: BinanceVenue,
    private readonly user: FuturesUserStream,
  ) {}

  place(p: Params, algo: boolean): Record<string, unknown> {
    const m = listedMarket(this.venue, required(p, 'symbol'));
    const typeName = required(p, 'type') as FuturesOrderType;
    const type = FUTURES_TYPES[typeName];
    if (!type) throw new BinanceError(400, -1116, 'Invalid orderType.');
    if (type.algo !== algo) {
      if (algo) throw new BinanceError(400, -1116, 'Invalid orderType.');
      throw new BinanceError(400, -4120, 'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.');
    }
    if (algo && p['algoType'] !== 'CONDITIONAL') throw err.mandatory('algoType');
    for (const need of type.needs) required(p, need);
    if (p['positionSide'] !== undefined && p['positionSide'] !== 'BOTH') throw new BinanceError(400, -4061, "Order's position side does not match user's setting.");
    const quantity = required(p, 'quantity');
    checkGrid(m, [p['price'], p['triggerPrice']], quantity);
    const postOnly = p['timeInForce'] === 'GTX';
    const clientOrderId = algo ? p['clientAlgoId'] : p['newClientOrderId'];
    const order = placeOrThrow(this.venue, {
      account: this.venue.account,
      symbol: m.symbol,
      side: side(p),
      type: type.type,
      quantity,
      ...(p['price'] !== undefined && type.type !== 'MARKET' ? { price: p['price'] } : {}),
      ...(p['triggerPrice'] !== undefined ? { triggerPrice: p['triggerPrice'] } : {}),
      ...(timeInForce(p) !== undefined ? { timeInForce: timeInForce(p)! } : {}),
      postOnly,
      reduceOnly: p['reduceOnly'] === 'true',
      ...(clientOrderId !== undefined ? { clientOrderId } : {}),
    });
    if (algo) this.user.algos.add(order.orderId);
    return this.shape(order, algo);
  }

  query(p: Params, algo: boolean): Record<string, unknown> {
    return this.shape(this.find(p, algo, err.notFound), algo, true);
  }

  cancel(p: Params, algo: boolean): Record<string, unknown> {
    const o = this.find(p, algo, err.unknownCancel);
    if (algo && this.user.algos.triggered(o.orderId)) throw err.unknownCancel();
    const canceled = cancelOrThrow(this.venue, { symbol: o.symbol, orderId: String(o.orderId) });
    return algo ? { algoId: canceled.orderId, clientAlgoId: canceled.clientOrderId, code: '200', msg: 'success' } : this.shape(canceled, false);
  }

  open(p: Params, algo: boolean): unknown[] {
    return this.venue.matching
      .openOrders(this.venue.account, p['symbol'])
      .filter((o) => this.isAlgoView(o) === algo)
      .map((o) => this.shape(o, algo, true));
  }

  all(p: Params): unknown[] {
    const list = this.venue.matching.allOrders(this.venue.account, required(p, 'symbol')).filter((o) => !this.isAlgoView(o));
    return window(list, p, (o) => o.orderId, (o) => o.createdAt).map((o) => this.shape(o, false, true));
  }

  /** An untriggered conditional is an algo order; once triggered it is a regular order too. */
  private isAlgoView(o: FakeOrder): boolean {
    return this.user.algos.has(o.orderId) && !this.user.algos.triggered(o.orderId);
  }

  /** Untriggered conditionals are found only through the algo endpoints, the rest only through /order. */
  private find(p: Params, algo: boolean, missing: () => BinanceError): FakeOrder {
    const ref = algo ? { symbol: p['symbol'] ?? '', ...algoRef(p) } : p;
    const o = findOrder(this.venue, ref, missing);
    const isAlgo = this.user.algos.has(o.orderId);
    if (algo ? !isAlgo : isAlgo && !this.user.algos.triggered(o.orderId)) throw missing();
    return o;
  }

  private shape(o: FakeOrder, algo: boolean, withTime = false): Record<string, unknown> {
    const g = grid(this.venue.matching.market(o.symbol)!);
    if (algo) return algoOrder(o, g, { triggered: this.user.algos.triggered(o.orderId), trailing: undefined });
    return futuresOrder(o, g, { postOnly: o.postOnly, withTime });
  }
}

function algoRef(p: Params): Record<string, string> {
  if (p['algoId'] !== undefined) return { orderId: p['algoId'] };
  if (p['clientAlgoId'] !== undefined) return { origClientOrderId: p['clientAlgoId'] };
  throw new BinanceError(400, -1102, "Param 'algoId' or 'clientAlgoId' must be sent, but both were empty/null!");
}

function userTrades(venue: BinanceVenue, p: Params): unknown[] {
  const symbol = required(p, 'symbol');
  const g = grid(listedMarket(venue, symbol));
  const all = venue.matching.trades(venue.account, symbol);
  let list = all;
  if (p['orderId'] !== undefined) list = list.filter((t) => t.orderId === Number(p['orderId']));
  return window(list, p, (t) => t.tradeId, (t) => t.ts).map((t) => {
    const before = positionOf(symbol, all.filter((x) => x.tradeId < t.tradeId));
    const after = positionOf(symbol, all.filter((x) => x.tradeId <= t.tradeId));
    return userTrade(t, g, sub(after.realized, before.realized));
  });
}

function account(venue: BinanceVenue): Record<string, unknown> {
  const w = wallet(venue);
  const now = venue.now();
  return {
    totalInitialMargin: fixed('0'), totalMaintMargin: fixed('0'), totalWalletBalance: w.walletBalance, totalUnrealizedProfit: w.unrealizedProfit,
    totalMarginBalance: w.marginBalance, totalPositionInitialMargin: fixed('0'), totalOpenOrderInitialMargin: w.locked, totalCrossWalletBalance: w.walletBalance,
    totalCrossUnPnl: w.unrealizedProfit, availableBalance: w.availableBalance, maxWithdrawAmount: w.availableBalance,
    assets: [{
      asset: w.asset, walletBalance: w.walletBalance, unrealizedProfit: w.unrealizedProfit, marginBalance: w.marginBalance, maintMargin: fixed('0'),
      initialMargin: w.locked, positionInitialMargin: fixed('0'), openOrderInitialMargin: w.locked, crossWalletBalance: w.walletBalance,
      crossUnPnl: w.unrealizedProfit, availableBalance: w.availableBalance, maxWithdrawAmount: w.availableBalance, updateTime: now,
    }],
    positions: positions(venue).filter((p) => p.qty !== '0' && !/^-?0(\.0+)?$/.test(p.qty)).map((p) => ({
      symbol: p.symbol, positionSide: 'BOTH', positionAmt: p.qty, unrealizedProfit: fixed(unrealized(venue, p)), isolatedMargin: '0',
      notional: fixed(mul(p.qty, markPrice(venue, p.symbol, p.entryPrice))), isolatedWallet: '0', initialMargin: '0', maintMargin: '0', updateTime: p.updateTime,
    })),
  };
}

function balance(venue: BinanceVenue): unknown[] {
  const w = wallet(venue);
  return [{ accountAlias: 'SgsR', asset: w.asset, balance: w.walletBalance, crossWalletBalance: w.walletBalance, crossUnPnl: w.unrealizedProfit, availableBalance: w.availableBalance, maxWithdrawAmount: w.availableBalance, marginAvailable: true, updateTime: venue.now() }];
}

/** positionRisk: every symbol with a position (v3 omits flat ones; so does this fake for both). */
function positionRisk(venue: BinanceVenue, p: Params): unknown[] {
  return positions(venue)
    .filter((pos) => !/^-?0(\.0+)?$/.test(pos.qty) && (p['symbol'] === undefined || pos.symbol === p['symbol']))
    .map((pos) => {
      const g = grid(venue.matching.market(pos.symbol)!);
      const mark = markPrice(venue, pos.symbol, pos.entryPrice);
      return {
        symbol: pos.symbol, positionSide: 'BOTH', positionAmt: g.qty(pos.qty), entryPrice: fixed(pos.entryPrice), breakEvenPrice: fixed(pos.entryPrice),
        markPrice: fixed(mark), unRealizedProfit: fixed(unrealized(venue, pos)), liquidationPrice: '0', isolatedMargin: '0', notional: fixed(mul(pos.qty, mark)),
        marginAsset: 'USDT', isolatedWallet: '0', initialMargin: '0', maintMargin: '0', positionInitialMargin: '0', openOrderInitialMargin: '0', adl: 0,
        bidNotional: '0', askNotional: '0', updateTime: pos.updateTime,
      };
    });
}

function leverageBrackets(venue: BinanceVenue): unknown[] {
  return venue.matching.markets().map((m) => ({
    symbol: m.symbol, notionalCoef: 1.0,
    brackets: [{ bracket: 1, initialLeverage: 20, notionalCap: 1_000_000_000, notionalFloor: 0, maintMarginRatio: 0.004, cum: 0.0 }],
  }));
}
