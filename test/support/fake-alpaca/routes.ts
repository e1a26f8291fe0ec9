/** The fake Alpaca's trading REST routes: the real paths, bodies and error answers. */
import { cmp } from '../fake-binance/decimal.ts';
import { isOpen, type FakeBook, type FakeOrder, type OrderType, type Tif } from './book.ts';
import type { ListTerms, OrderClass } from './lists.ts';
import { AlpacaError, ERR } from './errors.ts';
import { fillActivityJson, orderJson, plain, positionJson } from './wire.ts';

export interface Req {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: Record<string, unknown>;
}

export type Answer = { status: number; body: unknown } | { status: 204 };

export const assetIdOf = (symbol: string): string => `00000000-0000-4000-8000-${Buffer.from(symbol.padEnd(6, '_')).toString('hex').slice(0, 12)}`;

const DECIMAL = /^\d+(\.\d+)?$/;
const TYPES = new Set(['market', 'limit', 'stop', 'stop_limit', 'trailing_stop']);
const TIFS = new Set(['day', 'gtc', 'ioc', 'fok', 'opg', 'cls']);

function decimalField(body: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) {
    if (required) throw new AlpacaError(422, ERR.unprocessable, `${name} is required`);
    return undefined;
  }
  if (typeof v !== 'string' || !DECIMAL.test(v) || cmp(v, '0') <= 0) throw new AlpacaError(422, ERR.unprocessable, `invalid ${name}`);
  return v;
}

/** The routes of one account; `asset` describes a listed symbol as GET /v2/assets does. */
export function route(book: FakeBook, req: Req, asset: (symbol: string) => Record<string, unknown> | undefined): Answer {
  const { method, path } = req;
  const ok = (body: unknown) => ({ status: 200, body });
  if (method === 'GET' && path === '/v2/account') return ok(accountJson(book));
  if (method === 'GET' && path === '/v2/clock') return ok({ timestamp: new Date().toISOString(), is_open: true, next_open: '2026-12-08T14:30:00Z', next_close: '2026-12-07T21:00:00Z' });
  if (method === 'GET' && path === '/v2/positions') return ok([...book.positions].filter(([, q]) => cmp(q, '0') !== 0).map(([s, q]) => positionJson(s, q, assetIdOf(s))));
  if (method === 'GET' && path.startsWith('/v2/assets/')) {
    const a = asset(decodeURIComponent(path.slice('/v2/assets/'.length)));
    if (!a) throw new AlpacaError(404, ERR.notFound, 'asset not found');
    return ok(a);
  }
  if (method === 'GET' && path === '/v2/account/activities/FILL') return ok(activities(book, req.query));
  if (path === '/v2/orders' && method === 'POST') {
    const o = book.place(placeRequest(req.body));
    return ok(orderJson(o, assetIdOf(o.symbol), legsOf(book, o)));
  }
  if (path === '/v2/orders' && method === 'GET') return ok(listOrders(book, req.query));
  if (path === '/v2/orders:by_client_order_id' && method === 'GET') {
    const o = book.byClientId(req.query.get('client_order_id') ?? '');
    if (!o) throw new AlpacaError(404, ERR.notFound, 'order not found');
    return ok(orderJson(o, assetIdOf(o.symbol)));
  }
  const m = /^\/v2\/orders\/([0-9a-f-]+)$/.exec(path);
  if (m) {
    const id = m[1]!;
    if (method === 'GET') {
      const o = book.orders.get(id);
      if (!o) throw new AlpacaError(404, ERR.notFound, 'order not found');
      return ok(orderJson(o, assetIdOf(o.symbol), req.query.get('nested') === 'true' ? legsOf(book, o) : undefined));
    }
    if (method === 'DELETE') {
      book.cancel(id);
      return { status: 204 };
    }
    if (method === 'PATCH') {
      const b = req.body;
      const change = {
        ...(b['qty'] !== undefined ? { qty: decimalField(b, 'qty', true)! } : {}),
        ...(b['limit_price'] !== undefined ? { limitPrice: decimalField(b, 'limit_price', true)! } : {}),
        ...(b['stop_price'] !== undefined ? { stopPrice: decimalField(b, 'stop_price', true)! } : {}),
        ...(b['trail'] !== undefined ? { trail: decimalField(b, 'trail', true)! } : {}),
        ...(typeof b['client_order_id'] === 'string' ? { clientOrderId: b['client_order_id'] } : {}),
      };
      const o = book.replace(id, change);
      return ok(orderJson(o, assetIdOf(o.symbol)));
    }
  }
  throw new AlpacaError(404, ERR.notFound, 'endpoint not found');
}

function placeRequest(b: Record<string, unknown>) {
  const type = String(b['type']);
  const tif = String(b['time_in_force']);
  if (!TYPES.has(type)) throw new AlpacaError(422, ERR.unprocessable, `invalid order type`);
  if (!TIFS.has(tif)) throw new AlpacaError(422, ERR.unprocessable, `invalid time_in_force`);
  if (b['side'] !== 'buy' && b['side'] !== 'sell') throw new AlpacaError(422, ERR.unprocessable, 'invalid side');
  const list = listTerms(b);
  const limitPrice = decimalField(b, 'limit_price', (type === 'limit' && list.orderClass !== 'oco') || type === 'stop_limit');
  const stopPrice = decimalField(b, 'stop_price', type === 'stop' || type === 'stop_limit');
  const trailPrice = decimalField(b, 'trail_price', false);
  const trailPercent = decimalField(b, 'trail_percent', false);
  if (type === 'trailing_stop' && (trailPrice === undefined) === (trailPercent === undefined)) throw new AlpacaError(422, ERR.unprocessable, 'trailing stop needs one of trail_price and trail_percent');
  if (limitPrice !== undefined && cmp(limitPrice, '1') >= 0 && !/^\d+(\.\d{1,2})?$/.test(limitPrice)) throw new AlpacaError(422, ERR.unprocessable, 'invalid limit_price. sub-penny increment does not fulfill minimum pricing criteria');
  return {
    symbol: String(b['symbol']), side: b['side'] === 'buy' ? ('buy' as const) : ('sell' as const), type: type as OrderType, tif: tif as Tif, qty: decimalField(b, 'qty', true)!,
    ...(limitPrice ? { limitPrice } : {}), ...(stopPrice ? { stopPrice } : {}), ...(trailPrice ? { trailPrice } : {}), ...(trailPercent ? { trailPercent } : {}),
    ...(typeof b['client_order_id'] === 'string' ? { clientOrderId: b['client_order_id'] } : {}),
    list,
  };
}

const CLASSES = new Set(['simple', 'bracket', 'oco', 'oto']);

/** order_class with its take_profit and stop_loss. */
function listTerms(b: Record<string, unknown>): ListTerms {
  const raw = b['order_class'];
  const cls = raw === undefined || raw === '' ? 'simple' : typeof raw === 'string' ? raw : '?';
  if (!CLASSES.has(cls)) throw new AlpacaError(422, ERR.unprocessable, 'invalid order_class');
  const tp = b['take_profit'] as Record<string, unknown> | undefined;
  const sl = b['stop_loss'] as Record<string, unknown> | undefined;
  if (cls === 'simple' && (tp !== undefined || sl !== undefined)) throw new AlpacaError(422, ERR.unprocessable, 'take_profit and stop_loss are for bracket, oco and oto orders');
  const takeProfit = tp === undefined ? undefined : { limitPrice: decimalField(tp, 'limit_price', true)! };
  const stopPrice = sl === undefined ? undefined : decimalField(sl, 'stop_price', true)!;
  const slLimit = sl === undefined ? undefined : decimalField(sl, 'limit_price', false);
  return {
    orderClass: cls as OrderClass,
    ...(takeProfit ? { takeProfit } : {}),
    ...(stopPrice !== undefined ? { stopLoss: { stopPrice, ...(slLimit !== undefined ? { limitPrice: slLimit } : {}) } } : {}),
  };
}

function legsOf(book: FakeBook, o: FakeOrder): FakeOrder[] {
  return o.legs.map((id) => book.orders.get(id)!);
}

function listOrders(book: FakeBook, q: URLSearchParams): unknown[] {
  const status = q.get('status') ?? 'open';
  const symbols = q.get('symbols')?.split(',');
  const limit = Number(q.get('limit') ?? 50);
  // nested=true rolls a list's legs up under their parent; without it every order is listed flat.
  const nested = q.get('nested') === 'true';
  return [...book.orders.values()]
    .filter((o) => !nested || o.parentId === undefined)
    .filter((o) => (status === 'all' ? true : status === 'open' ? isOpen(o) : !isOpen(o)))
    .filter((o) => !symbols || symbols.includes(o.symbol))
    .sort((a, b) => b.createdAt - a.createdAt)
    .slice(0, limit)
    .map((o) => orderJson(o, assetIdOf(o.symbol), nested ? legsOf(book, o) : undefined));
}

function activities(book: FakeBook, q: URLSearchParams): unknown[] {
  const after = q.get('after') ? Date.parse(q.get('after')!) : 0;
  const size = Math.min(Number(q.get('page_size') ?? 100), 100);
  const rows = book.fills.filter((f) => f.ts > after).map(fillActivityJson);
  if (q.get('direction') === 'desc') rows.reverse();
  const token = q.get('page_token');
  const from = token ? rows.findIndex((r) => r['id'] === token) + 1 : 0;
  return rows.slice(from, from + size);
}

function accountJson(book: FakeBook): Record<string, unknown> {
  return {
    id: '9a1c2b3d-0000-4000-8000-000000000001', account_number: 'PA3FAKE00001', status: 'ACTIVE', crypto_status: 'ACTIVE', currency: 'USD',
    cash: plain(book.cash), buying_power: plain(book.cash), regt_buying_power: plain(book.cash), daytrading_buying_power: '0', non_marginable_buying_power: plain(book.cash),
    equity: plain(book.cash), last_equity: plain(book.cash), multiplier: '1', pattern_day_trader: false, trading_blocked: false, transfers_blocked: false, account_blocked: false,
    trade_suspended_by_user: false, shorting_enabled: false, long_market_value: '0', short_market_value: '0', initial_margin: '0', maintenance_margin: '0', daytrade_count: 0,
    created_at: '2026-01-02T15:00:00Z',
  };
}
