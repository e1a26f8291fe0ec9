/**
 * /0/private/AddOrder: Kraken's parameters (pair, type, ordertype, volume, price, price2, oflags
 * post/fcib/fciq/viqc, timeinforce GTC/IOC/GTD with expiretm, cl_ord_id or userref, reduce_only,
 * validate) checked in Kraken's words, then placed on the shared matching core.
 */
import { FakeReject, type FakeOrderType, type FakePlaceRequest } from '../fake-venue/matching.ts';
import { KrakenError, pairOrThrow, type KrakenContext } from './context.ts';
import { cmp, decimalsOf, div, fixed, isDecimal } from './decimal.ts';
import { orderSentence } from './order-view.ts';
import type { KrakenOrderType, OrderMeta } from './orders.ts';
import type { KrakenPairSpec } from './pairs.ts';

const TYPES: Readonly<Record<KrakenOrderType, FakeOrderType>> = {
  market: 'MARKET',
  limit: 'LIMIT',
  'stop-loss': 'STOP_MARKET',
  'take-profit': 'MARKET_IF_TOUCHED',
  'stop-loss-limit': 'STOP_LIMIT',
  'take-profit-limit': 'LIMIT_IF_TOUCHED',
};
const FLAGS = new Set(['post', 'fcib', 'fciq', 'nompp', 'viqc']);
const INT32_MAX = 2 ** 31 - 1;

const invalid = (field?: string): KrakenError => new KrakenError(field ? `EGeneral:Invalid arguments:${field}` : 'EGeneral:Invalid arguments');

export function addOrder(ctx: KrakenContext, p: Record<string, string>): Record<string, unknown> {
  const pair = pairOrThrow(ctx, p['pair']);
  const side = p['type'];
  if (side !== 'buy' && side !== 'sell') throw invalid('type');
  const ordertype = p['ordertype'] as KrakenOrderType;
  if (!(ordertype in TYPES)) throw invalid('ordertype');
  const oflags = (p['oflags'] ?? '').split(',').filter((f) => f !== '');
  if (oflags.some((f) => !FLAGS.has(f))) throw invalid('oflags');
  if (oflags.includes('post') && ordertype !== 'limit') throw invalid('oflags');
  checkTradingStatus(ctx, pair, oflags.includes('post'));
  const price = priceParam(p['price'], pair, ordertype !== 'market', 'price');
  const price2 = priceParam(p['price2'], pair, ordertype.endsWith('-limit'), 'price2');
  const volume = volumeParam(ctx, pair, p['volume'], ordertype, oflags.includes('viqc') && side === 'buy');
  const { userref, clOrdId } = ids(p);
  const { timeinforce, expiretm } = timeInForce(ctx, p);
  const txid = ctx.orders.newTxid();
  const meta: OrderMeta = {
    txid, orderId: undefined, account: ctx.account, pairId: pair.id, ordertype, userref, clOrdId,
    oflags: oflags.includes('fcib') || oflags.includes('fciq') ? oflags : [...oflags, 'fciq'],
    price, price2, timeinforce, expiretm, expired: false, matchingClientId: clOrdId ?? txid,
  };
  const descr = { order: orderSentence(side, volume, pair, meta) };
  if (p['validate'] === 'true' || p['validate'] === '1') return { descr };
  place(ctx, meta, {
    account: ctx.account, symbol: pair.id, side: side === 'buy' ? 'BUY' : 'SELL', type: TYPES[ordertype], quantity: volume,
    ...(ordertype === 'limit' ? { price } : {}),
    ...(ordertype.endsWith('-limit') ? { price: price2, triggerPrice: price } : {}),
    ...(ordertype === 'stop-loss' || ordertype === 'take-profit' ? { triggerPrice: price } : {}),
    timeInForce: timeinforce === 'IOC' ? 'IOC' : 'GTC',
    postOnly: oflags.includes('post'),
    reduceOnly: p['reduce_only'] === 'true',
    clientOrderId: meta.matchingClientId,
  });
  if (timeinforce === 'GTD') scheduleExpiry(ctx, meta);
  return { descr, txid: [txid] };
}

/** Maintenance and the restricted modes, system-wide or for the pair. */
function checkTradingStatus(ctx: KrakenContext, pair: KrakenPairSpec, postOnly: boolean): void {
  const s = ctx.faults.status;
  if (s === 'maintenance') throw new KrakenError('EService:Unavailable');
  if (s === 'cancel_only' || pair.status === 'cancel_only') throw new KrakenError('EService:Market in cancel_only mode');
  if ((s === 'post_only' || pair.status === 'post_only') && !postOnly) throw new KrakenError('EService:Market in post_only mode');
}

function priceParam(v: string | undefined, pair: KrakenPairSpec, required: boolean, field: string): string | undefined {
  if (v === undefined) {
    if (required) throw invalid(field);
    return undefined;
  }
  if (!isDecimal(v) || cmp(v, '0') <= 0 || decimalsOf(v) > pair.pairDecimals) throw invalid(field);
  return fixed(v, pair.pairDecimals);
}

/** The volume in base units; with viqc (market buys) it is given in quote and converted at the ask. */
function volumeParam(ctx: KrakenContext, pair: KrakenPairSpec, v: string | undefined, ordertype: KrakenOrderType, inQuote: boolean): string {
  if (v === undefined || !isDecimal(v) || cmp(v, '0') <= 0) throw invalid('volume');
  if (inQuote) {
    const ask = ctx.tape.quote(pair.id)?.ask;
    if (ordertype !== 'market' || ask === undefined) throw invalid('viqc');
    const base = div(v, ask, pair.lotDecimals + 4);
    return fixed(base, pair.lotDecimals); // truncated to the lot: never spends more than asked
  }
  if (decimalsOf(v) > pair.lotDecimals) throw invalid('volume');
  if (cmp(v, pair.ordermin) < 0) throw new KrakenError('EOrder:Order minimum not met');
  return fixed(v, pair.lotDecimals);
}

function ids(p: Record<string, string>): { userref: number; clOrdId: string | undefined } {
  const clOrdId = p['cl_ord_id'];
  const rawRef = p['userref'];
  if (clOrdId !== undefined && rawRef !== undefined) throw invalid('cl_ord_id');
  if (clOrdId !== undefined && (clOrdId.length === 0 || clOrdId.length > 36)) throw invalid('cl_ord_id');
  if (rawRef === undefined) return { userref: 0, clOrdId };
  const userref = Number(rawRef);
  if (!Number.isInteger(userref) || Math.abs(userref) > INT32_MAX) throw invalid('userref');
  return { userref, clOrdId };
}

function timeInForce(ctx: KrakenContext, p: Record<string, string>): { timeinforce: 'GTC' | 'IOC' | 'GTD'; expiretm: number } {
  const tif = p['timeinforce'] ?? 'GTC';
  if (tif !== 'GTC' && tif !== 'IOC' && tif !== 'GTD') throw invalid('timeinforce');
  if (tif !== 'GTD') return { timeinforce: tif, expiretm: 0 };
  const raw = p['expiretm'];
  if (raw === undefined) throw invalid('expiretm');
  // `+<n>` is relative to now, as Kraken allows.
  const expiretm = raw.startsWith('+') ? Math.floor(ctx.now() / 1000) + Number(raw.slice(1)) : Number(raw);
  if (!Number.isFinite(expiretm) || expiretm * 1000 <= ctx.now()) throw invalid('expiretm');
  return { timeinforce: 'GTD', expiretm };
}

function place(ctx: KrakenContext, meta: OrderMeta, req: FakePlaceRequest): void {
  ctx.orders.expect(meta);
  try {
    ctx.orders.settle(ctx.matching.place(req));
  } catch (e) {
    ctx.orders.settle(undefined);
    if (e instanceof FakeReject) throw new KrakenError(krakenReason(e));
    throw e;
  }
}

function krakenReason(e: FakeReject): string {
  switch (e.code) {
    case 'INSUFFICIENT_BALANCE': return 'EOrder:Insufficient funds';
    case 'POST_ONLY_WOULD_CROSS': return 'EOrder:Post only order';
    case 'DUPLICATE_CLIENT_ORDER_ID': return 'EGeneral:Invalid arguments:cl_ord_id';
    case 'REDUCE_ONLY_REJECTED': return 'EOrder:Reduce only:No position exists';
    case 'UNKNOWN_SYMBOL': return 'EQuery:Unknown asset pair';
    case 'UNKNOWN_ORDER': return 'EOrder:Unknown order';
    case 'INVALID_ORDER':
      if (/LOT_SIZE/.test(e.message)) return 'EOrder:Order minimum not met';
      if (/NOTIONAL/.test(e.message)) return 'EOrder:Cost minimum not met';
      return 'EGeneral:Invalid arguments';
  }
}

/** GTD: at expiretm the order leaves the book; Kraken then reports it `expired`. */
function scheduleExpiry(ctx: KrakenContext, meta: OrderMeta): void {
  const t = setTimeout(() => {
    ctx.timers.delete(t);
    if (meta.orderId === undefined) return;
    const o = ctx.matching.find(meta.account, { orderId: meta.orderId });
    if (!o || o.status === 'FILLED' || o.status === 'CANCELED' || o.status === 'EXPIRED' || o.status === 'REJECTED') return;
    meta.expired = true;
    ctx.matching.cancel(meta.account, { orderId: meta.orderId });
  }, meta.expiretm * 1000 - ctx.now());
  t.unref();
  ctx.timers.add(t);
}
