/**
 * Orders and own trades as Kraken's REST API prints them (OpenOrders / ClosedOrders / QueryOrders
 * entries, the AddOrder `descr`, TradesHistory entries), with Kraken's fixed decimals per pair.
 */
import type { FakeOrder, FakeTrade } from '../fake-venue/matching.ts';
import { add, div, fixed, mul } from './decimal.ts';
import { restStatus, type OrderMeta, type OrderRegistry } from './orders.ts';
import type { KrakenPairSpec } from './pairs.ts';

const sec = (ms: number): number => ms / 1000;

/** The `descr.order` sentence, e.g. `buy 0.50000000 XBTUSD @ limit 30000.0`. */
export function orderSentence(side: 'buy' | 'sell', volume: string, pair: KrakenPairSpec, meta: Pick<OrderMeta, 'ordertype' | 'price' | 'price2'>): string {
  const head = `${side} ${fixed(volume, pair.lotDecimals)} ${pair.altname} @ `;
  const px = (s: string | undefined): string => fixed(s ?? '0', pair.pairDecimals);
  switch (meta.ordertype) {
    case 'market':
      return `${head}market`;
    case 'limit':
      return `${head}limit ${px(meta.price)}`;
    case 'stop-loss':
      return `${head}stop loss ${px(meta.price)}`;
    case 'take-profit':
      return `${head}take profit ${px(meta.price)}`;
    case 'stop-loss-limit':
      return `${head}stop loss ${px(meta.price)} -> limit ${px(meta.price2)}`;
    case 'take-profit-limit':
      return `${head}take profit ${px(meta.price)} -> limit ${px(meta.price2)}`;
  }
}

export function sideOf(o: { side: 'BUY' | 'SELL' }): 'buy' | 'sell' {
  return o.side === 'BUY' ? 'buy' : 'sell';
}

/** Fees of the order's fills, in the quote asset (Kraken's default `fciq`). */
export function orderFee(o: FakeOrder, pair: KrakenPairSpec): string {
  return o.trades.reduce((s, t) => add(s, t.commission, pair.costDecimals), fixed('0', pair.costDecimals));
}

export function restOrder(o: FakeOrder, meta: OrderMeta, pair: KrakenPairSpec, reg: OrderRegistry, withTrades: boolean): Record<string, unknown> {
  const status = restStatus(o, meta);
  const side = sideOf(o);
  const out: Record<string, unknown> = {
    refid: null,
    userref: meta.userref,
    ...(meta.clOrdId !== undefined ? { cl_ord_id: meta.clOrdId } : {}),
    status,
    ...(status === 'open' ? {} : { reason: status === 'canceled' ? (o.reason ?? 'User requested') : null }),
    opentm: sec(o.createdAt),
    ...(status === 'open' ? {} : { closetm: sec(o.updatedAt) }),
    starttm: 0,
    expiretm: meta.expiretm,
    descr: {
      pair: pair.altname,
      type: side,
      ordertype: meta.ordertype,
      price: fixed(meta.price ?? '0', pair.pairDecimals),
      price2: fixed(meta.price2 ?? '0', pair.pairDecimals),
      leverage: 'none',
      order: orderSentence(side, o.quantity, pair, meta),
      close: '',
    },
    vol: fixed(o.quantity, pair.lotDecimals),
    vol_exec: fixed(o.executedQty, pair.lotDecimals),
    cost: fixed(o.cumQuote, pair.costDecimals),
    fee: orderFee(o, pair),
    price: div(o.cumQuote, o.executedQty, pair.pairDecimals),
    stopprice: fixed('0', pair.costDecimals),
    limitprice: fixed('0', pair.costDecimals),
    misc: '',
    oflags: meta.oflags.join(','),
  };
  if (withTrades && o.trades.length > 0) out['trades'] = o.trades.map((t) => reg.tradeTxid(t));
  return out;
}

/** A TradesHistory / QueryTrades entry. */
export function restTrade(t: FakeTrade, meta: OrderMeta, pair: KrakenPairSpec, reg: OrderRegistry): Record<string, unknown> {
  return {
    ordertxid: meta.txid,
    postxid: reg.tradeTxid(t),
    pair: pair.id,
    aclass: 'forex',
    time: sec(t.ts),
    type: t.side === 'BUY' ? 'buy' : 'sell',
    ordertype: meta.ordertype === 'limit' || meta.ordertype.endsWith('-limit') ? 'limit' : 'market',
    price: fixed(t.price, pair.pairDecimals),
    cost: mul(t.price, t.qty, pair.costDecimals),
    fee: fixed(t.commission, pair.costDecimals),
    vol: fixed(t.qty, pair.lotDecimals),
    margin: fixed('0', pair.costDecimals),
    leverage: '0',
    misc: '',
    trade_id: t.tradeId,
    maker: t.maker,
  };
}
