/**
 * Kraken's /0/private/* endpoints that ccxt's kraken uses for spot trading: balances, orders,
 * own trades and the WebSocket token. Authentication happened before (router); each handler
 * returns the `result` object or throws a KrakenError.
 */
import { isFinal, type FakeOrder } from '../fake-venue/matching.ts';
import { addOrder } from './add-order.ts';
import { KrakenError, type KrakenContext } from './context.ts';
import { add, fixed } from './decimal.ts';
import { restOrder, restTrade } from './order-view.ts';
import type { OrderMeta } from './orders.ts';

type Handler = (ctx: KrakenContext, p: Record<string, string>) => Record<string, unknown>;

export const PRIVATE_ROUTES: Readonly<Record<string, Handler>> = {
  Balance: (ctx) => mapAssets(ctx, (b, d) => add(b.free, b.locked, d)),
  BalanceEx: (ctx) => mapAssets(ctx, (b, d) => ({ balance: add(b.free, b.locked, d), hold_trade: fixed(b.locked, d) })),
  AddOrder: addOrder,
  CancelOrder: cancelOrder,
  CancelAll: (ctx) => {
    refuseDuringMaintenance(ctx);
    const open = ctx.matching.openOrders(ctx.account);
    for (const o of open) ctx.matching.cancel(ctx.account, { orderId: o.orderId });
    return { count: open.length };
  },
  OpenOrders: (ctx, p) => ({ open: ordersView(ctx, p, (o) => !isFinal(o.status)) }),
  ClosedOrders: (ctx, p) => {
    const closed = ordersView(ctx, p, (o) => isFinal(o.status) && inWindow(o.updatedAt, p));
    return { closed, count: Object.keys(closed).length };
  },
  QueryOrders: queryOrders,
  TradesHistory: (ctx, p) => {
    const trades = tradesView(ctx, (t) => inWindow(t.ts, p));
    return { trades, count: Object.keys(trades).length };
  },
  QueryTrades: (ctx, p) => {
    const wanted = txids(p['txid']);
    const found = tradesView(ctx, (_t, id) => wanted.includes(id));
    if (Object.keys(found).length !== new Set(wanted).size) throw new KrakenError('EQuery:Invalid query');
    return Object.fromEntries(wanted.map((id) => [id, found[id]])); // in the order asked
  },
  GetWebSocketsToken: (ctx) => ctx.tokens.issue(ctx.account, ctx.now()),
};

function mapAssets<T>(ctx: KrakenContext, f: (b: { free: string; locked: string }, decimals: number) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [asset, b] of Object.entries(ctx.matching.balances(ctx.account))) out[asset] = f(b, ctx.pairs.asset(asset)?.decimals ?? 8);
  return out;
}

function refuseDuringMaintenance(ctx: KrakenContext): void {
  if (ctx.faults.status === 'maintenance') throw new KrakenError('EService:Unavailable');
}

function txids(s: string | undefined): string[] {
  return (s ?? '').split(',').map((x) => x.trim()).filter((x) => x !== '');
}

/** CancelOrder: `txid` is an order txid or a userref (every order carrying it); `cl_ord_id` names the client's id. */
function cancelOrder(ctx: KrakenContext, p: Record<string, string>): Record<string, unknown> {
  refuseDuringMaintenance(ctx);
  const ref = p['txid'];
  const clOrdId = p['cl_ord_id'];
  let metas: OrderMeta[];
  if (clOrdId !== undefined) metas = ctx.orders.byClOrdId(ctx.account, clOrdId);
  else if (ref !== undefined && /^-?\d+$/.test(ref)) metas = ctx.orders.byUserref(ctx.account, Number(ref));
  else if (ref !== undefined && /^O[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{6}$/.test(ref)) metas = [ctx.orders.byTx(ref)].filter((m) => m !== undefined);
  else throw new KrakenError('EOrder:Invalid order');
  const open = metas.filter((m) => {
    const o = m.orderId === undefined ? undefined : ctx.matching.find(ctx.account, { orderId: m.orderId });
    return o !== undefined && !isFinal(o.status);
  });
  if (open.length === 0) throw new KrakenError('EOrder:Unknown order');
  for (const m of open) ctx.matching.cancel(ctx.account, { orderId: m.orderId! });
  return { count: open.length };
}

function queryOrders(ctx: KrakenContext, p: Record<string, string>): Record<string, unknown> {
  const ids = txids(p['txid']);
  if (ids.length === 0 || ids.length > 50) throw new KrakenError('EGeneral:Invalid arguments');
  const out: Record<string, unknown> = {};
  for (const id of ids) {
    const entry = orderEntry(ctx, ctx.orders.byTx(id), p['trades'] === 'true');
    if (!entry) throw new KrakenError('EOrder:Invalid order');
    out[id] = entry;
  }
  return out;
}

function orderEntry(ctx: KrakenContext, meta: OrderMeta | undefined, withTrades: boolean): Record<string, unknown> | undefined {
  if (!meta || meta.orderId === undefined || meta.account !== ctx.account) return undefined;
  const o = ctx.matching.find(ctx.account, { orderId: meta.orderId });
  const pair = ctx.pairs.find(meta.pairId);
  return o && pair ? restOrder(o, meta, pair, ctx.orders, withTrades) : undefined;
}

/** Orders keyed by txid, newest first, filtered by Kraken's userref / cl_ord_id parameters. */
function ordersView(ctx: KrakenContext, p: Record<string, string>, keep: (o: FakeOrder) => boolean): Record<string, unknown> {
  const userref = p['userref'] === undefined ? undefined : Number(p['userref']);
  const clOrdId = p['cl_ord_id'];
  const out: Record<string, unknown> = {};
  const orders = ctx.matching.allOrders(ctx.account).filter(keep).sort((a, b) => b.createdAt - a.createdAt || b.orderId - a.orderId);
  for (const o of orders) {
    const meta = ctx.orders.metaFor(o);
    if (!meta || (userref !== undefined && meta.userref !== userref) || (clOrdId !== undefined && meta.clOrdId !== clOrdId)) continue;
    const entry = orderEntry(ctx, meta, p['trades'] === 'true');
    if (entry) out[meta.txid] = entry;
  }
  return out;
}

function tradesView(ctx: KrakenContext, keep: (t: { ts: number }, txid: string) => boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const t of [...ctx.matching.trades(ctx.account)].reverse()) {
    const meta = ctx.orders.byId(t.orderId);
    const pair = meta ? ctx.pairs.find(meta.pairId) : undefined;
    const id = ctx.orders.tradeTxid(t);
    if (meta && pair && keep(t, id)) out[id] = restTrade(t, meta, pair, ctx.orders);
  }
  return out;
}

/** Kraken's `start` / `end` (unix seconds, exclusive / inclusive). */
function inWindow(tsMs: number, p: Record<string, string>): boolean {
  const s = tsMs / 1000;
  if (p['start'] !== undefined && !(s > Number(p['start']))) return false;
  if (p['end'] !== undefined && !(s <= Number(p['end']))) return false;
  return true;
}
