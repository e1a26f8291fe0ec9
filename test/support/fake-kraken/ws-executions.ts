/**
 * The matching core's executions as Kraken's v2 `executions` channel reports them (spot):
 * `pending_new` then `new` when an order is accepted, `trade` per fill (then `filled` once the
 * order is complete), `canceled`, `expired`, `status` for a trigger. Each event is its own
 * message, as ccxt routes a message by the exec_type of its first entry.
 */
import type { FakeExecution, FakeOrder, FakeTrade } from '../fake-venue/matching.ts';
import type { KrakenContext } from './context.ts';
import { add, div, mul } from './decimal.ts';
import { restStatus, type OrderMeta } from './orders.ts';
import type { KrakenPairSpec } from './pairs.ts';
import { rfc3339 } from './ws-session.ts';

export type ExecItem = Record<string, unknown>;

const n = (s: string): number => Number(s);

function ids(meta: OrderMeta): Record<string, unknown> {
  return { order_id: meta.txid, order_userref: meta.userref, ...(meta.clOrdId !== undefined ? { cl_ord_id: meta.clOrdId } : {}) };
}

function wsStatus(o: FakeOrder, meta: OrderMeta): string {
  if (o.status === 'PARTIALLY_FILLED') return 'partially_filled';
  const s = restStatus(o, meta);
  return s === 'open' ? 'new' : s === 'closed' ? 'filled' : s;
}

/** The order in full, as `pending_new` and the open-orders snapshot carry it. */
export function orderItem(o: FakeOrder, meta: OrderMeta, pair: KrakenPairSpec, execType: string | undefined, ts: number): ExecItem {
  const limit = meta.ordertype === 'limit' ? meta.price : meta.ordertype.endsWith('-limit') ? meta.price2 : undefined;
  const trigger = meta.ordertype === 'limit' || meta.ordertype === 'market' ? undefined : meta.price;
  return {
    ...ids(meta),
    symbol: pair.wsV2,
    order_qty: n(o.quantity),
    cum_qty: n(o.executedQty),
    cum_cost: n(o.cumQuote),
    time_in_force: meta.timeinforce,
    ...(execType !== undefined ? { exec_type: execType } : {}),
    side: o.side === 'BUY' ? 'buy' : 'sell',
    order_type: meta.ordertype,
    ...(limit !== undefined ? { limit_price_type: 'static', limit_price: n(limit) } : {}),
    ...(trigger !== undefined ? { triggers: { reference: 'last', price: n(trigger), price_type: 'static', actual_price: n(trigger), status: 'untriggered' } } : {}),
    post_only: meta.oflags.includes('post'),
    reduce_only: o.reduceOnly,
    order_status: execType === 'pending_new' ? 'pending_new' : wsStatus(o, meta),
    fee_usd_equiv: 0,
    fee_ccy_pref: meta.oflags.includes('fcib') ? 'fcib' : 'fciq',
    timestamp: rfc3339(ts),
  };
}

export function tradeItem(ctx: KrakenContext, o: FakeOrder, t: FakeTrade, meta: OrderMeta, pair: KrakenPairSpec): ExecItem {
  return {
    ...ids(meta),
    exec_id: ctx.orders.tradeTxid(t),
    exec_type: 'trade',
    trade_id: t.tradeId,
    symbol: pair.wsV2,
    side: t.side === 'BUY' ? 'buy' : 'sell',
    last_qty: n(t.qty),
    last_price: n(t.price),
    liquidity_ind: t.maker ? 'm' : 't',
    cost: n(mul(t.price, t.qty, pair.costDecimals)),
    order_status: o.status === 'FILLED' ? 'filled' : 'partially_filled',
    order_type: meta.ordertype,
    fee_usd_equiv: n(t.commission),
    fees: [{ asset: pair.quote.wsName, qty: n(t.commission) }],
    timestamp: rfc3339(t.ts),
  };
}

function closing(o: FakeOrder, meta: OrderMeta, pair: KrakenPairSpec, execType: string, ts: number): ExecItem {
  const fee = o.trades.reduce((s, t) => add(s, t.commission, pair.costDecimals), '0');
  return {
    ...ids(meta),
    timestamp: rfc3339(ts),
    order_status: wsStatus(o, meta),
    exec_type: execType,
    cum_qty: n(o.executedQty),
    cum_cost: n(o.cumQuote),
    fee_usd_equiv: n(fee),
    avg_price: n(div(o.cumQuote, o.executedQty, pair.pairDecimals)),
    ...(execType === 'canceled' ? { cancel_reason: 'User requested', reason: 'User requested' } : {}),
    ...(execType === 'expired' ? { reason: 'Order expired' } : {}),
  };
}

/** The v2 entries one execution produces, in the order Kraken sends them. */
export function executionItems(ctx: KrakenContext, e: FakeExecution): ExecItem[] {
  const meta = ctx.orders.metaFor(e.order);
  const pair = meta ? ctx.pairs.find(meta.pairId) : undefined;
  if (!meta || !pair) return [];
  const o = e.order;
  switch (e.exec) {
    case 'NEW':
      return [orderItem(o, meta, pair, 'pending_new', o.updatedAt), { ...ids(meta), timestamp: rfc3339(o.updatedAt), order_status: 'new', exec_type: 'new' }];
    case 'TRADE':
      if (!e.trade) return [];
      return [tradeItem(ctx, o, e.trade, meta, pair), ...(o.status === 'FILLED' ? [closing(o, meta, pair, 'filled', o.updatedAt)] : [])];
    case 'CANCELED':
      return [closing(o, meta, pair, meta.expired ? 'expired' : 'canceled', o.updatedAt)];
    case 'EXPIRED':
      return [closing(o, meta, pair, 'expired', o.updatedAt)];
    case 'TRIGGERED':
      return [{ ...ids(meta), timestamp: rfc3339(o.updatedAt), order_status: 'new', exec_type: 'status', triggers: { status: 'triggered' } }];
    case 'REPLACED':
      return [{ ...ids(meta), timestamp: rfc3339(o.updatedAt), order_status: wsStatus(o, meta), exec_type: 'amended', order_qty: n(o.quantity), ...(o.price ? { limit_price: n(o.price) } : {}) }];
    case 'REJECTED':
      return [];
  }
}
