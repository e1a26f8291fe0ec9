/**
 * GET /api/v3/exchangeInfo as Binance prints it: one symbol entry per market with the filters
 * ccxt reads its precisions and limits from (PRICE_FILTER tick, LOT_SIZE step, NOTIONAL).
 */
import { fixed } from './decimal.ts';

/** A market as the wire describes it (exact decimal text). */
export interface WireMarket {
  /** The exchange's own symbol (`BTCUSDT`). */
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly tickSize: string;
  readonly lotSize: string;
  readonly minQty?: string;
  readonly maxQty?: string;
  readonly minNotional?: string;
}

export const SPOT_RATE_LIMITS = [
  { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
  { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
  { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
  { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
];

export function exchangeInfo(markets: readonly { readonly market: WireMarket; readonly status: string }[], serverTime: number): Record<string, unknown> {
  return { timezone: 'UTC', serverTime, rateLimits: SPOT_RATE_LIMITS, exchangeFilters: [], symbols: markets.map((m) => spotSymbol(m.market, m.status)) };
}

export function spotSymbol(m: WireMarket, status: string): Record<string, unknown> {
  return {
    symbol: m.symbol,
    status,
    baseAsset: m.base,
    baseAssetPrecision: 8,
    quoteAsset: m.quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'],
    icebergAllowed: true,
    ocoAllowed: true,
    otoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    amendAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: fixed(m.tickSize), maxPrice: '1000000.00000000', tickSize: fixed(m.tickSize) },
      { filterType: 'LOT_SIZE', minQty: fixed(m.minQty ?? m.lotSize), maxQty: fixed(m.maxQty ?? '9000'), stepSize: fixed(m.lotSize) },
      { filterType: 'ICEBERG_PARTS', limit: 10 },
      { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: fixed(m.maxQty ?? '9000'), stepSize: '0.00000000' },
      { filterType: 'TRAILING_DELTA', minTrailingAboveDelta: 10, maxTrailingAboveDelta: 2000, minTrailingBelowDelta: 10, maxTrailingBelowDelta: 2000 },
      { filterType: 'NOTIONAL', minNotional: fixed(m.minNotional ?? '0'), applyMinToMarket: true, maxNotional: '9000000.00000000', applyMaxToMarket: false, avgPriceMins: 5 },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
    allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH', 'DECREMENT'],
  };
}
