/**
 * USDⓈ-M wire shapes: exchangeInfo symbols, orders (/fapi/v1/order) and conditional algo orders
 * (/fapi/v1/algoOrder, where Binance moved STOP/TAKE_PROFIT/TRAILING in 2025), user trades, and
 * the user stream's ORDER_TRADE_UPDATE / ALGO_UPDATE / ACCOUNT_UPDATE. Prices print with the
 * tick's decimals and quantities with the step's, as Binance futures does.
 */
import type { FakeExecution, FakeMarketSpec, FakeOrder, FakeOrderType, FakeTrade } from '../fake-venue/matching.ts';
import { cmp, decimalsOf, fixed, mul, quantityForQuote } from './decimal.ts';
import type { FuturesPosition, FuturesWallet } from './futures-ledger.ts';

export type FuturesOrderType = 'MARKET' | 'LIMIT' | 'STOP' | 'STOP_MARKET' | 'TAKE_PROFIT' | 'TAKE_PROFIT_MARKET' | 'TRAILING_STOP_MARKET';

/** Binance's futures type → the matching core's (TRAILING_STOP_MARKET is not served: the core has no trailing stop). */
export const FUTURES_TYPES: Readonly<Partial<Record<FuturesOrderType, { type: FakeOrderType; algo: boolean; needs: readonly string[] }>>> = {
  MARKET: { type: 'MARKET', algo: false, needs: ['quantity'] },
  LIMIT: { type: 'LIMIT', algo: false, needs: ['quantity', 'price', 'timeInForce'] },
  STOP: { type: 'STOP_LIMIT', algo: true, needs: ['quantity', 'price', 'triggerPrice'] },
  STOP_MARKET: { type: 'STOP_MARKET', algo: true, needs: ['quantity', 'triggerPrice'] },
  TAKE_PROFIT: { type: 'LIMIT_IF_TOUCHED', algo: true, needs: ['quantity', 'price', 'triggerPrice'] },
  TAKE_PROFIT_MARKET: { type: 'MARKET_IF_TOUCHED', algo: true, needs: ['quantity', 'triggerPrice'] },
};

export function futuresType(o: FakeOrder, trailing: boolean): FuturesOrderType {
  if (trailing) return 'TRAILING_STOP_MARKET';
  switch (o.type) {
    case 'MARKET': return 'MARKET';
    case 'LIMIT': return 'LIMIT';
    case 'STOP_MARKET': return 'STOP_MARKET';
    case 'STOP_LIMIT': return 'STOP';
    case 'MARKET_IF_TOUCHED': return 'TAKE_PROFIT_MARKET';
    case 'LIMIT_IF_TOUCHED': return 'TAKE_PROFIT';
  }
}

export interface Grid {
  readonly px: (s: string | undefined) => string;
  readonly qty: (s: string | undefined) => string;
}

export function grid(m: FakeMarketSpec): Grid {
  const pd = decimalsOf(m.tickSize);
  const qd = decimalsOf(m.lotSize);
  return { px: (s) => fixed(s, pd), qty: (s) => fixed(s, qd) };
}

export function futuresSymbol(m: FakeMarketSpec, status: string): Record<string, unknown> {
  const g = grid(m);
  return {
    symbol: m.symbol, pair: m.symbol, contractType: 'PERPETUAL', deliveryDate: 4133404800000, onboardDate: 1569398400000, status,
    maintMarginPercent: '2.5000', requiredMarginPercent: '5.0000', baseAsset: m.base, quoteAsset: m.quote, marginAsset: m.quote,
    pricePrecision: decimalsOf(m.tickSize), quantityPrecision: decimalsOf(m.lotSize), baseAssetPrecision: 8, quotePrecision: 8,
    underlyingType: 'COIN', underlyingSubType: ['PoW'], triggerProtect: '0.0500', liquidationFee: '0.012500', marketTakeBound: '0.05', maxMoveOrderLimit: 10000,
    filters: [
      { minPrice: g.px(m.tickSize), maxPrice: g.px('4529764'), filterType: 'PRICE_FILTER', tickSize: g.px(m.tickSize) },
      { stepSize: g.qty(m.lotSize), filterType: 'LOT_SIZE', maxQty: g.qty(m.maxQty ?? '1000'), minQty: g.qty(m.minQty ?? m.lotSize) },
      { stepSize: g.qty(m.lotSize), filterType: 'MARKET_LOT_SIZE', maxQty: g.qty(m.maxQty ?? '1000'), minQty: g.qty(m.minQty ?? m.lotSize) },
      { limit: 200, filterType: 'MAX_NUM_ORDERS' },
      { limit: 10, filterType: 'MAX_NUM_ALGO_ORDERS' },
      { notional: m.minNotional ?? '5', filterType: 'MIN_NOTIONAL' },
      { multiplierDown: '0.9500', multiplierUp: '1.0500', multiplierDecimal: '4', filterType: 'PERCENT_PRICE' },
    ],
    orderTypes: ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'],
    timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
    permissionSets: ['GRID', 'COPY'],
  };
}

function avgPrice(o: FakeOrder, g: Grid): string {
  return cmp(o.executedQty, '0') === 0 ? g.px('0') : fixed(quantityForQuote(o.cumQuote, o.executedQty, '0.00000001'), 8);
}

/** IOC/FOK/market leftovers end EXPIRED on Binance (the matching core says CANCELED). */
export function futuresStatus(o: FakeOrder): string {
  return o.status === 'CANCELED' && (o.timeInForce !== 'GTC' || o.type === 'MARKET') ? 'EXPIRED' : o.status;
}

/** /fapi/v1/order answers (POST with RESULT, GET, DELETE) and openOrders rows. */
export function futuresOrder(o: FakeOrder, g: Grid, extra: { postOnly: boolean; withTime: boolean }): Record<string, unknown> {
  const type = futuresType(o, false);
  return {
    orderId: o.orderId, symbol: o.symbol, status: futuresStatus(o), clientOrderId: o.clientOrderId,
    price: g.px(o.price ?? '0'), avgPrice: avgPrice(o, g), origQty: g.qty(o.quantity), executedQty: g.qty(o.executedQty), cumQty: g.qty(o.executedQty),
    cumQuote: fixed(o.cumQuote, 8), timeInForce: extra.postOnly ? 'GTX' : o.type === 'MARKET' ? 'GTC' : o.timeInForce, type, reduceOnly: o.reduceOnly, closePosition: false,
    side: o.side, positionSide: 'BOTH', stopPrice: g.px(o.triggerPrice ?? '0'), workingType: 'CONTRACT_PRICE', priceProtect: false, origType: type,
    priceMatch: 'NONE', selfTradePreventionMode: 'EXPIRE_MAKER', goodTillDate: 0, updateTime: o.updatedAt, ...(extra.withTime ? { time: o.createdAt } : {}),
  };
}

/** Binance's algo status for a conditional: NEW until triggered, FINISHED once its order is done. */
export function algoStatus(o: FakeOrder, triggered: boolean): string {
  if (o.status === 'CANCELED' && !triggered) return 'CANCELED';
  if (o.status === 'REJECTED' || o.status === 'EXPIRED') return o.status;
  return triggered ? (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED' ? 'TRIGGERED' : 'FINISHED') : 'NEW';
}

export function algoOrder(o: FakeOrder, g: Grid, a: { triggered: boolean; trailing: { callbackRate: string; activatePrice: string } | undefined }): Record<string, unknown> {
  return {
    algoId: o.orderId, clientAlgoId: o.clientOrderId, algoType: 'CONDITIONAL', orderType: futuresType(o, a.trailing !== undefined), symbol: o.symbol, side: o.side,
    positionSide: 'BOTH', timeInForce: o.timeInForce, quantity: g.qty(o.quantity), algoStatus: algoStatus(o, a.triggered), triggerPrice: g.px(o.triggerPrice ?? '0'),
    price: g.px(o.price ?? '0'), icebergQuantity: null, selfTradePreventionMode: 'EXPIRE_MAKER', workingType: 'CONTRACT_PRICE', priceMatch: 'NONE',
    closePosition: false, priceProtect: false, reduceOnly: o.reduceOnly, activatePrice: a.trailing?.activatePrice ?? '', callbackRate: a.trailing?.callbackRate ?? '',
    createTime: o.createdAt, updateTime: o.updatedAt, triggerTime: a.triggered ? o.updatedAt : 0, goodTillDate: 0,
  };
}

export function userTrade(t: FakeTrade, g: Grid, realized: string): Record<string, unknown> {
  return {
    buyer: t.side === 'BUY', commission: fixed(t.commission), commissionAsset: t.commissionAsset, id: t.tradeId, maker: t.maker, orderId: t.orderId,
    price: g.px(t.price), qty: g.qty(t.qty), quoteQty: fixed(mul(t.price, t.qty)), realizedPnl: fixed(realized), side: t.side, positionSide: 'BOTH', symbol: t.symbol, time: t.ts,
  };
}

const EXEC: Readonly<Record<FakeExecution['exec'], string>> = { NEW: 'NEW', TRADE: 'TRADE', CANCELED: 'CANCELED', REJECTED: 'REJECTED', EXPIRED: 'EXPIRED', TRIGGERED: 'NEW', REPLACED: 'AMENDMENT' };

export function orderTradeUpdate(e: FakeExecution, g: Grid, now: number, realized: string): Record<string, unknown> {
  const o = e.order;
  const t = e.trade;
  const status = futuresStatus(o);
  const type = futuresType(o, false);
  return {
    e: 'ORDER_TRADE_UPDATE', E: now, T: t?.ts ?? o.updatedAt,
    o: {
      s: o.symbol, c: o.clientOrderId, S: o.side, o: type, f: o.timeInForce, q: g.qty(o.quantity), p: g.px(o.price ?? '0'), ap: avgPrice(o, g),
      sp: g.px(o.triggerPrice ?? '0'), x: status === 'EXPIRED' && e.exec === 'CANCELED' ? 'EXPIRED' : EXEC[e.exec], X: status, i: o.orderId,
      l: g.qty(t?.qty ?? '0'), z: g.qty(o.executedQty), L: g.px(t?.price ?? '0'), N: t?.commissionAsset ?? 'USDT', n: fixed(t?.commission ?? '0'),
      T: t?.ts ?? o.updatedAt, t: t?.tradeId ?? 0, b: '0', a: '0', m: t?.maker ?? false, R: o.reduceOnly, wt: 'CONTRACT_PRICE', ot: type, ps: 'BOTH',
      cp: false, rp: fixed(realized), pP: false, si: 0, ss: 0, V: 'EXPIRE_MAKER', pm: 'NONE', gtd: 0,
    },
  };
}

export function algoUpdate(o: FakeOrder, g: Grid, now: number, a: { triggered: boolean; trailing: boolean }): Record<string, unknown> {
  return {
    e: 'ALGO_UPDATE', T: now, E: now,
    o: {
      caid: o.clientOrderId, aid: o.orderId, at: 'CONDITIONAL', o: futuresType(o, a.trailing), s: o.symbol, S: o.side, ps: 'BOTH', f: o.timeInForce, q: g.qty(o.quantity),
      X: algoStatus(o, a.triggered), ai: a.triggered ? String(o.orderId) : '', ap: avgPrice(o, g), aq: g.qty(o.executedQty), act: a.triggered ? futuresType(o, false) : '0',
      tp: g.px(o.triggerPrice ?? '0'), p: g.px(o.price ?? '0'), V: 'EXPIRE_MAKER', wt: 'CONTRACT_PRICE', pm: 'NONE', cp: false, pP: false, R: o.reduceOnly, tt: a.triggered ? now : 0, gtd: 0,
    },
  };
}

export function accountUpdate(w: FuturesWallet, changed: readonly { p: FuturesPosition; upnl: string; g: Grid }[], now: number): Record<string, unknown> {
  return {
    e: 'ACCOUNT_UPDATE', E: now, T: now,
    a: {
      m: 'ORDER',
      B: [{ a: w.asset, wb: w.walletBalance, cw: w.walletBalance, bc: '0' }],
      P: changed.map(({ p, upnl, g }) => ({ s: p.symbol, pa: g.qty(p.qty), ep: fixed(p.entryPrice), bep: fixed(p.entryPrice), cr: fixed(p.realized), up: fixed(upnl), mt: 'cross', iw: '0', ps: 'BOTH' })),
    },
  };
}
