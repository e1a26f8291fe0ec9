/**
 * Reads a `POST /orders` body the way Coinbase does: exactly one `order_configuration` variant,
 * sizes and prices as decimal strings, stop direction checked against the last trade. Returns the
 * matching-core request, or the refusal Coinbase would answer (`error_response`).
 */
import { Precise } from 'ccxt';
import type { FakeMatching, FakePlaceRequest, FakeReject } from '../fake-venue/matching.ts';
import { ORDER_CONFIG_KEYS, type OrderConfigKey } from './wire.ts';

export interface Refusal {
  readonly error: string;
  readonly message: string;
  readonly preview: string;
}

export type Parsed =
  | { ok: true; request: FakePlaceRequest; configKey: OrderConfigKey; config: Record<string, unknown> }
  | { ok: false; refusal: Refusal; config: Record<string, unknown> };

const refuse = (error: string, message: string, preview: string): Refusal => ({ error, message, preview });

export function parseOrderBody(body: Readonly<Record<string, unknown>>, account: string, matching: FakeMatching): Parsed {
  const configs = (body['order_configuration'] ?? {}) as Record<string, Record<string, unknown>>;
  const keys = Object.keys(configs);
  const configKey = keys.find((k): k is OrderConfigKey => (ORDER_CONFIG_KEYS as readonly string[]).includes(k));
  const config = configKey ? (configs[configKey] ?? {}) : {};
  const fail = (r: Refusal): Parsed => ({ ok: false, refusal: r, config: configs });
  if (keys.length !== 1 || configKey === undefined) return fail(refuse('UNSUPPORTED_ORDER_CONFIGURATION', 'Unsupported order configuration', 'PREVIEW_INVALID_ORDER_CONFIG'));
  const productId = typeof body['product_id'] === 'string' ? body['product_id'] : '';
  const market = matching.market(productId);
  if (!market) return fail(refuse('UNKNOWN_FAILURE_REASON', 'Invalid product_id', 'PREVIEW_INVALID_PRODUCT_ID'));
  const side = body['side'];
  if (side !== 'BUY' && side !== 'SELL') return fail(refuse('INVALID_ARGUMENT', 'Invalid side', 'PREVIEW_INVALID_SIDE'));
  const clientOrderId = typeof body['client_order_id'] === 'string' && body['client_order_id'] !== '' ? body['client_order_id'] : undefined;
  const base = { account, symbol: productId, side, ...(clientOrderId !== undefined ? { clientOrderId } : {}) } as const;
  const str = (k: string): string | undefined => (typeof config[k] === 'string' && config[k] !== '' ? config[k] : undefined);

  if (configKey === 'market_market_ioc') {
    const baseSize = str('base_size');
    const quoteSize = str('quote_size');
    let quantity = baseSize;
    if (quantity === undefined && quoteSize !== undefined) {
      // A quote-sized market order buys what the quote size pays for at the touch, on the lot grid.
      const t = matching.ticker(productId);
      const px = side === 'BUY' ? t.ask : t.bid;
      if (px === undefined) return fail(refuse('UNKNOWN_FAILURE_REASON', 'No liquidity', 'PREVIEW_INSUFFICIENT_LIQUIDITY'));
      quantity = floorTo(Precise.stringDiv(quoteSize, px, 18) ?? '0', market.lotSize);
    }
    if (quantity === undefined) return fail(refuse('INVALID_ARGUMENT', 'base_size or quote_size required', 'PREVIEW_INVALID_BASE_SIZE_TOO_SMALL'));
    return { ok: true, configKey, config, request: { ...base, type: 'MARKET', quantity, timeInForce: 'IOC' } };
  }
  const quantity = str('base_size');
  const price = str('limit_price');
  if (quantity === undefined) return fail(refuse('INVALID_ARGUMENT', 'base_size required', 'PREVIEW_INVALID_BASE_SIZE_TOO_SMALL'));
  if (price === undefined) return fail(refuse('INVALID_ARGUMENT', 'limit_price required', 'PREVIEW_INVALID_LIMIT_PRICE'));
  if (configKey === 'stop_limit_stop_limit_gtc' || configKey === 'stop_limit_stop_limit_gtd') {
    const stop = str('stop_price');
    const direction = config['stop_direction'];
    if (stop === undefined || (direction !== 'STOP_DIRECTION_STOP_UP' && direction !== 'STOP_DIRECTION_STOP_DOWN')) {
      return fail(refuse('INVALID_ARGUMENT', 'stop_price and stop_direction required', 'PREVIEW_INVALID_STOP_PRICE'));
    }
    const last = matching.ticker(productId).last;
    if (last !== undefined && direction === 'STOP_DIRECTION_STOP_DOWN' && !Precise.stringLt(stop, last)) {
      return fail(refuse('UNKNOWN_FAILURE_REASON', 'Stop price is above last trade price', 'PREVIEW_STOP_PRICE_ABOVE_LAST_TRADE_PRICE'));
    }
    if (last !== undefined && direction === 'STOP_DIRECTION_STOP_UP' && !Precise.stringGt(stop, last)) {
      return fail(refuse('UNKNOWN_FAILURE_REASON', 'Stop price is below last trade price', 'PREVIEW_STOP_PRICE_BELOW_LAST_TRADE_PRICE'));
    }
    // Coinbase names the direction the market must move; the matching core names the order kind.
    const stopUp = direction === 'STOP_DIRECTION_STOP_UP';
    const type = (side === 'BUY') === stopUp ? 'STOP_LIMIT' : 'LIMIT_IF_TOUCHED';
    return { ok: true, configKey, config, request: { ...base, type, quantity, price, triggerPrice: stop, timeInForce: 'GTC' } };
  }
  const timeInForce = configKey === 'sor_limit_ioc' ? 'IOC' : configKey === 'limit_limit_fok' ? 'FOK' : 'GTC';
  const postOnly = config['post_only'] === true;
  return { ok: true, configKey, config, request: { ...base, type: 'LIMIT', quantity, price, timeInForce, postOnly } };
}

/** How Coinbase words what the matching core refuses at entry. */
export function refusalFor(e: FakeReject): Refusal {
  switch (e.code) {
    case 'INSUFFICIENT_BALANCE':
      return refuse('INSUFFICIENT_FUND', 'Insufficient balance in source account', 'PREVIEW_INSUFFICIENT_FUND');
    case 'POST_ONLY_WOULD_CROSS':
      return refuse('INVALID_LIMIT_PRICE_POST_ONLY', 'Limit price for post only order would cross the book', 'PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY');
    case 'UNKNOWN_SYMBOL':
      return refuse('UNKNOWN_FAILURE_REASON', 'Invalid product_id', 'PREVIEW_INVALID_PRODUCT_ID');
    case 'INVALID_ORDER':
      if (/LOT_SIZE/.test(e.message)) return refuse('INVALID_ARGUMENT', 'Base size outside the allowed range', 'PREVIEW_INVALID_BASE_SIZE_TOO_SMALL');
      if (/NOTIONAL/.test(e.message)) return refuse('INVALID_ARGUMENT', 'Quote size too small', 'PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL');
      return refuse('INVALID_ARGUMENT', e.message, 'PREVIEW_INVALID_ORDER_CONFIG');
    case 'DUPLICATE_CLIENT_ORDER_ID':
    case 'UNKNOWN_ORDER':
    case 'REDUCE_ONLY_REJECTED':
      return refuse('UNKNOWN_FAILURE_REASON', e.message, 'UNKNOWN_PREVIEW_FAILURE_REASON');
  }
}

/** `value` rounded down to a multiple of `step` (exact decimal strings). */
function floorTo(value: string, step: string): string {
  const steps = Precise.stringDiv(value, step, 0) ?? '0';
  return Precise.stringMul(steps, step) ?? '0';
}
