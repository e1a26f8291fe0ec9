/**
 * Market data and metadata: `/api/v3/brokerage/market/*` (public) and their private twins
 * (`products`, `product_book`, `best_bid_ask`, candles, ticker), `time`, `transaction_summary`,
 * and the v2 endpoints ccxt's loadMarkets reads for currencies (`/v2/currencies`,
 * `/v2/currencies/crypto`, `/v2/exchange-rates`, `/v2/time`).
 */
import type { CoinbaseFaults } from './faults.ts';
import { bookOf, candlesOf, GRANULARITY_SEC } from './book.ts';
import { cbError, ok, type CbRequest, type Reply, type Route } from './http.ts';
import type { CoinbaseMatching } from './market.ts';
import { isFiat, iso, productWire } from './wire.ts';

export interface ProductRouteDeps {
  readonly matching: CoinbaseMatching;
  readonly faults: CoinbaseFaults;
  readonly account: string;
  /** Size shown at the quoted touch (quotes carry no size). */
  readonly touchSize: string;
}

const V3 = '/api/v3/brokerage';

export function productRoutes(d: ProductRouteDeps): Route[] {
  const both = (path: string, handle: (r: CbRequest) => Reply): Route[] => [
    { method: 'GET', path: `${V3}/market/${path}`, auth: 'public', handle },
    { method: 'GET', path: `${V3}/${path}`, auth: 'private', handle },
  ];
  return [
    ...both('products', (r) => listProducts(d, r.query)),
    ...both('products/{product_id}', (r) => oneProduct(d, r.params['product_id']!)),
    ...both('products/{product_id}/candles', (r) => candles(d, r)),
    ...both('products/{product_id}/ticker', (r) => marketTrades(d, r)),
    ...both('product_book', (r) => productBook(d, r.query)),
    { method: 'GET', path: `${V3}/best_bid_ask`, auth: 'private', handle: (r) => bestBidAsk(d, r.queryAll('product_ids')) },
    { method: 'GET', path: `${V3}/time`, auth: 'public', handle: () => time(d) },
    { method: 'GET', path: `${V3}/transaction_summary`, auth: 'private', handle: () => transactionSummary(d) },
    { method: 'GET', path: '/v2/time', auth: 'public', handle: () => ok({ data: { iso: iso(d.faults.now()), epoch: Math.floor(d.faults.now() / 1000) } }) },
    { method: 'GET', path: '/v2/currencies', auth: 'public', handle: () => ok({ data: assets(d).filter(isFiat).map(fiatWire) }) },
    { method: 'GET', path: '/v2/currencies/crypto', auth: 'public', handle: () => ok({ data: assets(d).filter((a) => !isFiat(a)).map(cryptoWire) }) },
    { method: 'GET', path: '/v2/exchange-rates', auth: 'public', handle: (r) => exchangeRates(d, r.query['currency'] ?? 'USD') },
  ];
}

function listProducts(d: ProductRouteDeps, q: Readonly<Record<string, string>>): Reply {
  // The fake lists spot products only: a FUTURE listing is empty, as for an account without derivatives.
  const type = q['product_type'];
  const products = type !== undefined && type !== 'SPOT' ? [] : d.matching.markets().map((m) => productWire(m, d.matching.ticker(m.symbol).last, d.faults.inMaintenance));
  return ok({ products, num_products: products.length });
}

function oneProduct(d: ProductRouteDeps, productId: string): Reply {
  const m = d.matching.market(productId);
  if (!m) return cbError(404, 'NOT_FOUND', 'ProductID is invalid');
  return ok(productWire(m, d.matching.ticker(productId).last, d.faults.inMaintenance));
}

function productBook(d: ProductRouteDeps, q: Readonly<Record<string, string>>): Reply {
  const productId = q['product_id'] ?? '';
  if (!d.matching.market(productId)) return cbError(404, 'NOT_FOUND', 'ProductID is invalid');
  const book = bookOf(d.matching, d.account, productId, d.touchSize);
  const limit = q['limit'] !== undefined ? Number(q['limit']) : undefined;
  const cut = <T>(xs: T[]): T[] => (limit !== undefined ? xs.slice(0, limit) : xs);
  const t = d.matching.ticker(productId);
  return ok({
    pricebook: { product_id: productId, bids: cut(book.bids), asks: cut(book.asks), time: iso(d.faults.now()) },
    last: t.last ?? '',
    mid_market: t.bid !== undefined && t.ask !== undefined ? String((Number(t.bid) + Number(t.ask)) / 2) : '',
    spread_bps: '',
    spread_absolute: '',
  });
}

function bestBidAsk(d: ProductRouteDeps, productIds: string[]): Reply {
  const ids = productIds.length > 0 ? productIds : d.matching.markets().map((m) => m.symbol);
  const pricebooks = ids
    .filter((id) => d.matching.market(id))
    .map((id) => {
      const book = bookOf(d.matching, d.account, id, d.touchSize);
      return { product_id: id, bids: book.bids.slice(0, 1), asks: book.asks.slice(0, 1), time: iso(d.faults.now()) };
    });
  return ok({ pricebooks });
}

function marketTrades(d: ProductRouteDeps, r: CbRequest): Reply {
  const productId = r.params['product_id']!;
  if (!d.matching.market(productId)) return cbError(404, 'NOT_FOUND', 'ProductID is invalid');
  const limit = Number(r.query['limit'] ?? 100);
  const t = d.matching.ticker(productId);
  const trades = d.matching.prints(productId, limit).map((p) => ({
    trade_id: String(p.tradeId),
    product_id: productId,
    price: p.price,
    size: p.size,
    time: iso(p.ts),
    side: p.side,
    bid: '',
    ask: '',
    exchange: 'CBE',
  }));
  return ok({ trades, best_bid: t.bid ?? '', best_ask: t.ask ?? '' });
}

function candles(d: ProductRouteDeps, r: CbRequest): Reply {
  const productId = r.params['product_id']!;
  if (!d.matching.market(productId)) return cbError(404, 'NOT_FOUND', 'ProductID is invalid');
  const granularity = GRANULARITY_SEC[r.query['granularity'] ?? ''];
  if (granularity === undefined) return cbError(400, 'INVALID_ARGUMENT', 'granularity is invalid');
  const start = Number(r.query['start'] ?? 0);
  const end = Number(r.query['end'] ?? Math.floor(d.faults.now() / 1000) + 1);
  return ok({ candles: candlesOf(d.matching, productId, granularity, start, end) });
}

function time(d: ProductRouteDeps): Reply {
  const now = d.faults.now();
  return ok({ iso: iso(now), epochSeconds: String(Math.floor(now / 1000)), epochMillis: String(now) });
}

function transactionSummary(d: ProductRouteDeps): Reply {
  const first = d.matching.markets()[0];
  return ok({
    total_volume: 0,
    total_fees: 0,
    fee_tier: {
      pricing_tier: 'Advanced 1',
      usd_from: '0',
      usd_to: '10000',
      taker_fee_rate: first?.takerFee ?? '0.006',
      maker_fee_rate: first?.makerFee ?? '0.004',
      aop_from: '',
      aop_to: '',
    },
    margin_rate: null,
    goods_and_services_tax: null,
    advanced_trade_only_volume: 0,
    advanced_trade_only_fees: 0,
    coinbase_pro_volume: 0,
    coinbase_pro_fees: 0,
    total_balance: '',
    has_promo_fee: false,
  });
}

function assets(d: ProductRouteDeps): string[] {
  return [...new Set(d.matching.markets().flatMap((m) => [m.base, m.quote]))];
}

function fiatWire(code: string): Record<string, unknown> {
  return { id: code, name: code === 'USD' ? 'US Dollar' : code, min_size: '0.01' };
}

function cryptoWire(code: string, i: number): Record<string, unknown> {
  return { asset_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, code, name: code, color: '#000000', sort_index: String(i), exponent: 8, type: 'crypto', address_regex: '' };
}

function exchangeRates(d: ProductRouteDeps, currency: string): Reply {
  const rates: Record<string, string> = { [currency]: '1' };
  for (const m of d.matching.markets()) {
    const last = d.matching.ticker(m.symbol).last;
    if (m.quote === currency && last !== undefined) rates[m.base] = String(1 / Number(last));
    else if (!(m.base in rates)) rates[m.base] = '0';
  }
  return ok({ data: { currency, rates } });
}
