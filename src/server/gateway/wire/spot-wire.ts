/**
 * Spot wire shapes: orders, fills and balances as Binance's /api/v3 REST answers and the user
 * stream's executionReport / outboundAccountPosition print them. One codec for the fake Binance
 * (its matching core's orders) and the gateway (Warden's orders seen as Binance's).
 */
import { fixed, mul } from './decimal.ts';

/** The order types the wire speaks, in the venue-neutral names the matching core and Warden use. */
export type WireOrderType = 'MARKET' | 'LIMIT' | 'STOP_MARKET' | 'STOP_LIMIT' | 'MARKET_IF_TOUCHED' | 'LIMIT_IF_TOUCHED';

/** A fill as the wire prints it (figures as plain decimal text). */
export interface WireTrade {
  readonly tradeId: number;
  readonly orderId: number;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly price: string;
  readonly qty: string;
  readonly commission: string;
  readonly commissionAsset: string;
  readonly maker: boolean;
  readonly ts: number;
}

/** An order as the wire prints it: Binance's numeric order id, the client's id, exact decimal text. */
export interface WireOrder {
  readonly orderId: number;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly type: WireOrderType;
  readonly timeInForce: string;
  readonly quantity: string;
  readonly price: string | undefined;
  readonly triggerPrice: string | undefined;
  readonly postOnly: boolean;
  readonly status: 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED';
  readonly executedQty: string;
  readonly cumQuote: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** A stop or if-touched order whose trigger was reached: working on the book (Binance's isWorking). */
  readonly triggered?: boolean;
  readonly trades: readonly WireTrade[];
}

/** One execution of an order: the order as it now stands, and the trade when one happened. */
export interface WireExecution {
  readonly exec: 'NEW' | 'TRADE' | 'CANCELED' | 'REJECTED' | 'EXPIRED' | 'TRIGGERED' | 'REPLACED';
  readonly order: WireOrder;
  readonly trade?: WireTrade;
}

export type SpotOrderType = 'MARKET' | 'LIMIT' | 'LIMIT_MAKER' | 'STOP_LOSS' | 'STOP_LOSS_LIMIT' | 'TAKE_PROFIT' | 'TAKE_PROFIT_LIMIT';

/** Binance's spot type → the matching core's type (and post-only for LIMIT_MAKER). */
export const SPOT_TYPES: Readonly<Record<SpotOrderType, { type: WireOrderType; postOnly?: boolean; needs: readonly ('price' | 'stopPrice' | 'timeInForce')[] }>> = {
  MARKET: { type: 'MARKET', needs: [] },
  LIMIT: { type: 'LIMIT', needs: ['price', 'timeInForce'] },
  LIMIT_MAKER: { type: 'LIMIT', postOnly: true, needs: ['price'] },
  STOP_LOSS: { type: 'STOP_MARKET', needs: ['stopPrice'] },
  STOP_LOSS_LIMIT: { type: 'STOP_LIMIT', needs: ['price', 'stopPrice', 'timeInForce'] },
  TAKE_PROFIT: { type: 'MARKET_IF_TOUCHED', needs: ['stopPrice'] },
  TAKE_PROFIT_LIMIT: { type: 'LIMIT_IF_TOUCHED', needs: ['price', 'stopPrice', 'timeInForce'] },
};

export function spotType(o: WireOrder): SpotOrderType {
  switch (o.type) {
    case 'MARKET': return 'MARKET';
    case 'LIMIT': return o.postOnly ? 'LIMIT_MAKER' : 'LIMIT';
    case 'STOP_MARKET': return 'STOP_LOSS';
    case 'STOP_LIMIT': return 'STOP_LOSS_LIMIT';
    case 'MARKET_IF_TOUCHED': return 'TAKE_PROFIT';
    case 'LIMIT_IF_TOUCHED': return 'TAKE_PROFIT_LIMIT';
  }
}

/** MARKET and LIMIT_MAKER print timeInForce GTC on Binance whatever was matched internally. */
function tif(o: WireOrder): string {
  return o.type === 'MARKET' || o.postOnly ? 'GTC' : o.timeInForce;
}

/**
 * Binance's status: an IOC/FOK or market order the book could not (fully) fill ends EXPIRED on
 * Binance, where the matching core says CANCELED (nobody can cancel one, it ends at once).
 */
export function status(o: WireOrder): string {
  return o.status === 'CANCELED' && (o.timeInForce !== 'GTC' || o.type === 'MARKET') ? 'EXPIRED' : o.status;
}

function common(o: WireOrder) {
  return {
    symbol: o.symbol,
    orderId: o.orderId,
    orderListId: -1,
    clientOrderId: o.clientOrderId,
    price: fixed(o.price),
    origQty: fixed(o.quantity),
    executedQty: fixed(o.executedQty),
    cummulativeQuoteQty: fixed(o.cumQuote),
    status: status(o),
    timeInForce: tif(o),
    type: spotType(o),
    side: o.side,
  };
}

/** GET /api/v3/order, openOrders, allOrders. */
export function orderQuery(o: WireOrder): Record<string, unknown> {
  const working = o.triggerPrice === undefined || o.trades.length > 0 || o.triggered === true;
  return {
    ...common(o),
    stopPrice: fixed(o.triggerPrice),
    icebergQty: fixed('0'),
    time: o.createdAt,
    updateTime: o.updatedAt,
    isWorking: working,
    workingTime: working ? o.createdAt : -1,
    origQuoteOrderQty: fixed('0'),
    selfTradePreventionMode: 'EXPIRE_MAKER',
  };
}

/** POST /api/v3/order answers by newOrderRespType (ACK, RESULT, FULL). */
export function orderAck(o: WireOrder, respType: string): Record<string, unknown> {
  const ack = { symbol: o.symbol, orderId: o.orderId, orderListId: -1, clientOrderId: o.clientOrderId, transactTime: o.createdAt };
  if (respType === 'ACK') return ack;
  const result = {
    ...ack,
    ...common(o),
    ...(o.triggerPrice !== undefined ? { stopPrice: fixed(o.triggerPrice) } : {}),
    origQuoteOrderQty: fixed('0'),
    workingTime: o.triggerPrice === undefined ? o.createdAt : -1,
    selfTradePreventionMode: 'EXPIRE_MAKER',
  };
  if (respType === 'RESULT') return result;
  return { ...result, fills: o.trades.map(fill) };
}

function fill(t: WireTrade): Record<string, unknown> {
  return { price: fixed(t.price), qty: fixed(t.qty), commission: fixed(t.commission), commissionAsset: t.commissionAsset, tradeId: t.tradeId };
}

/** DELETE /api/v3/order. */
export function cancelAnswer(o: WireOrder, cancelClientId: string): Record<string, unknown> {
  return { ...common(o), origClientOrderId: o.clientOrderId, clientOrderId: cancelClientId, transactTime: o.updatedAt, selfTradePreventionMode: 'EXPIRE_MAKER' };
}

/** GET /api/v3/myTrades. */
export function myTrade(t: WireTrade): Record<string, unknown> {
  return {
    symbol: t.symbol,
    id: t.tradeId,
    orderId: t.orderId,
    orderListId: -1,
    price: fixed(t.price),
    qty: fixed(t.qty),
    quoteQty: fixed(mul(t.price, t.qty)),
    commission: fixed(t.commission),
    commissionAsset: t.commissionAsset,
    time: t.ts,
    isBuyer: t.side === 'BUY',
    isMaker: t.maker,
    isBestMatch: true,
  };
}

const EXEC_TYPE: Readonly<Record<WireExecution['exec'], string>> = {
  NEW: 'NEW', TRADE: 'TRADE', CANCELED: 'CANCELED', REJECTED: 'REJECTED', EXPIRED: 'EXPIRED', TRIGGERED: 'NEW', REPLACED: 'REPLACED',
};

/** The user stream's executionReport for one execution (fields as Binance documents them). */
export function executionReport(e: WireExecution, eventTime: number, cancelClientId: string | undefined): Record<string, unknown> {
  const o = e.order;
  const t = e.trade;
  const expired = status(o) === 'EXPIRED';
  const canceled = e.exec === 'CANCELED' && !expired;
  return {
    e: 'executionReport',
    E: eventTime,
    s: o.symbol,
    c: canceled && cancelClientId ? cancelClientId : o.clientOrderId,
    S: o.side,
    o: spotType(o),
    f: tif(o),
    q: fixed(o.quantity),
    p: fixed(o.price),
    P: fixed(o.triggerPrice),
    F: fixed('0'),
    g: -1,
    C: canceled ? o.clientOrderId : '',
    x: e.exec === 'CANCELED' && expired ? 'EXPIRED' : EXEC_TYPE[e.exec],
    X: status(o),
    r: e.exec === 'REJECTED' ? 'INSUFFICIENT_BALANCE' : 'NONE',
    i: o.orderId,
    l: fixed(t?.qty),
    z: fixed(o.executedQty),
    L: fixed(t?.price),
    n: fixed(t?.commission),
    N: t ? t.commissionAsset : null,
    T: t?.ts ?? o.updatedAt,
    t: t ? t.tradeId : -1,
    I: o.orderId * 10 + o.trades.length,
    w: o.status === 'NEW' || o.status === 'PARTIALLY_FILLED' ? o.triggerPrice === undefined || o.triggered === true || e.exec !== 'NEW' : false,
    m: t ? t.maker : false,
    M: false,
    O: o.createdAt,
    Z: fixed(o.cumQuote),
    Y: fixed(t ? mul(t.price, t.qty) : '0'),
    Q: fixed('0'),
    W: o.createdAt,
    V: 'EXPIRE_MAKER',
  };
}

/** outboundAccountPosition: the assets the execution touched, free and locked. */
export function accountPosition(balances: Readonly<Record<string, { free: string; locked: string }>>, assets: readonly string[], eventTime: number): Record<string, unknown> {
  return {
    e: 'outboundAccountPosition',
    E: eventTime,
    u: eventTime,
    B: assets.filter((a) => balances[a]).map((a) => ({ a, f: fixed(balances[a]!.free), l: fixed(balances[a]!.locked) })),
  };
}
