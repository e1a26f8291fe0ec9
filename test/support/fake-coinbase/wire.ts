/**
 * Coinbase Advanced Trade's JSON shapes for what the matching core holds: products, orders (REST
 * `orders/historical` and the WebSocket `user` channel), fills and accounts. Decimal strings
 * only; sums go through ccxt's string arithmetic (Precise), never floats.
 */
import { Precise } from 'ccxt';
import type { FakeMarketSpec, FakeOrder, FakeTrade } from '../fake-venue/matching.ts';
import { isFinal } from '../fake-venue/matching.ts';

/** How the client configured the order: the `order_configuration` key and body it sent. */
export interface OrderMeta {
  readonly uuid: string;
  readonly configKey: OrderConfigKey;
  readonly config: Record<string, unknown>;
  readonly productType: 'SPOT';
  /** A stop-limit's stop was reached (the matching core said TRIGGERED). */
  triggered: boolean;
}

export type OrderConfigKey =
  | 'market_market_ioc'
  | 'sor_limit_ioc'
  | 'limit_limit_gtc'
  | 'limit_limit_gtd'
  | 'limit_limit_fok'
  | 'stop_limit_stop_limit_gtc'
  | 'stop_limit_stop_limit_gtd';

export const ORDER_CONFIG_KEYS: readonly OrderConfigKey[] = [
  'market_market_ioc',
  'sor_limit_ioc',
  'limit_limit_gtc',
  'limit_limit_gtd',
  'limit_limit_fok',
  'stop_limit_stop_limit_gtc',
  'stop_limit_stop_limit_gtd',
];

const FIAT = new Set(['USD', 'EUR', 'GBP', 'CAD', 'SGD']);

export function isFiat(asset: string): boolean {
  return FIAT.has(asset);
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function productWire(m: FakeMarketSpec, last: string | undefined, tradingDisabled: boolean): Record<string, unknown> {
  return {
    product_id: m.symbol,
    price: last ?? '',
    price_percentage_change_24h: '0',
    volume_24h: '0',
    volume_percentage_change_24h: '0',
    base_increment: m.lotSize,
    quote_increment: m.tickSize,
    quote_min_size: m.minNotional ?? '1',
    quote_max_size: '150000000',
    base_min_size: m.minQty ?? m.lotSize,
    base_max_size: m.maxQty ?? '3400',
    base_name: m.base,
    quote_name: m.quote,
    watched: false,
    is_disabled: false,
    new: false,
    status: tradingDisabled ? 'offline' : 'online',
    cancel_only: false,
    limit_only: false,
    post_only: false,
    trading_disabled: tradingDisabled,
    auction_mode: false,
    product_type: 'SPOT',
    quote_currency_id: m.quote,
    base_currency_id: m.base,
    fcm_trading_session_details: null,
    mid_market_price: '',
    alias: '',
    alias_to: [],
    base_display_symbol: m.base,
    quote_display_symbol: m.quote,
    view_only: false,
    price_increment: m.tickSize,
    display_name: m.symbol,
    product_venue: 'CBE',
  };
}

const STATUS: Record<FakeOrder['status'], string> = {
  NEW: 'OPEN',
  PARTIALLY_FILLED: 'OPEN',
  FILLED: 'FILLED',
  CANCELED: 'CANCELLED',
  EXPIRED: 'EXPIRED',
  REJECTED: 'FAILED',
};

const TIME_IN_FORCE: Record<OrderConfigKey, string> = {
  market_market_ioc: 'IMMEDIATE_OR_CANCEL',
  sor_limit_ioc: 'IMMEDIATE_OR_CANCEL',
  limit_limit_gtc: 'GOOD_UNTIL_CANCELLED',
  limit_limit_gtd: 'GOOD_UNTIL_DATE_TIME',
  limit_limit_fok: 'FILL_OR_KILL',
  stop_limit_stop_limit_gtc: 'GOOD_UNTIL_CANCELLED',
  stop_limit_stop_limit_gtd: 'GOOD_UNTIL_DATE_TIME',
};

export function orderStatus(o: FakeOrder): string {
  return STATUS[o.status];
}

export function orderType(key: OrderConfigKey): 'MARKET' | 'LIMIT' | 'STOP_LIMIT' {
  if (key === 'market_market_ioc') return 'MARKET';
  return key.startsWith('stop_limit') ? 'STOP_LIMIT' : 'LIMIT';
}

function fills(o: FakeOrder): { avg: string; fees: string } {
  const fees = o.trades.reduce((sum, t) => Precise.stringAdd(sum, t.commission) ?? sum, '0');
  const avg = Precise.stringGt(o.executedQty, '0') ? (Precise.stringDiv(o.cumQuote, o.executedQty, 8) ?? '0') : '0';
  return { avg: trimZeros(avg), fees };
}

/** An order as `GET orders/historical/{id}` and `orders/historical/batch` list it. */
export function orderWire(o: FakeOrder, meta: OrderMeta): Record<string, unknown> {
  const { avg, fees } = fills(o);
  const leaves = Precise.stringSub(o.quantity, o.executedQty) ?? '0';
  const last = o.trades.at(-1);
  const stop = orderType(meta.configKey) === 'STOP_LIMIT';
  return {
    order_id: meta.uuid,
    product_id: o.symbol,
    user_id: 'fake-user',
    order_configuration: { [meta.configKey]: meta.config },
    side: o.side,
    client_order_id: o.clientOrderId,
    status: orderStatus(o),
    time_in_force: TIME_IN_FORCE[meta.configKey],
    created_time: iso(o.createdAt),
    completion_percentage: Precise.stringGt(o.quantity, '0') ? trimZeros(Precise.stringDiv(Precise.stringMul(o.executedQty, '100'), o.quantity, 2) ?? '0') : '0',
    filled_size: o.executedQty,
    average_filled_price: avg,
    fee: '',
    number_of_fills: String(o.trades.length),
    filled_value: o.cumQuote,
    pending_cancel: false,
    size_in_quote: false,
    total_fees: fees,
    size_inclusive_of_fees: false,
    total_value_after_fees: o.side === 'BUY' ? Precise.stringAdd(o.cumQuote, fees) : Precise.stringSub(o.cumQuote, fees),
    trigger_status: stop ? (meta.triggered ? 'STOP_TRIGGERED' : 'STOP_PENDING') : 'INVALID_ORDER_TYPE',
    order_type: orderType(meta.configKey),
    reject_reason: o.status === 'REJECTED' ? 'REJECT_REASON_UNSPECIFIED' : '',
    settled: isFinal(o.status),
    product_type: meta.productType,
    reject_message: o.status === 'REJECTED' ? (o.reason ?? '') : '',
    cancel_message: o.status === 'CANCELED' ? 'User requested cancel' : '',
    order_placement_source: 'RETAIL_ADVANCED',
    outstanding_hold_amount: isFinal(o.status) ? '0' : leaves,
    is_liquidation: false,
    last_fill_time: last ? iso(last.ts) : null,
    edit_history: [],
    leverage: '',
    margin_type: 'UNKNOWN_MARGIN_TYPE',
    retail_portfolio_id: 'fake-portfolio',
  };
}

/** An order as the WebSocket `user` channel pushes it. */
export function wsOrderWire(o: FakeOrder, meta: OrderMeta): Record<string, unknown> {
  const { avg, fees } = fills(o);
  return {
    avg_price: avg,
    cancel_reason: o.status === 'CANCELED' ? 'User requested cancel' : '',
    client_order_id: o.clientOrderId,
    completion_percentage: '',
    contract_expiry_type: 'UNKNOWN_CONTRACT_EXPIRY_TYPE',
    cumulative_quantity: o.executedQty,
    filled_value: o.cumQuote,
    leaves_quantity: isFinal(o.status) ? '0' : (Precise.stringSub(o.quantity, o.executedQty) ?? '0'),
    limit_price: typeof meta.config['limit_price'] === 'string' ? meta.config['limit_price'] : '0',
    number_of_fills: String(o.trades.length),
    order_id: meta.uuid,
    order_side: o.side,
    order_type: ({ MARKET: 'Market', LIMIT: 'Limit', STOP_LIMIT: 'StopLimit' } as const)[orderType(meta.configKey)],
    outstanding_hold_amount: '0',
    post_only: meta.config['post_only'] === true ? 'true' : 'false',
    product_id: o.symbol,
    product_type: meta.productType,
    reject_reason: o.status === 'REJECTED' ? (o.reason ?? '') : '',
    retail_portfolio_id: 'fake-portfolio',
    risk_managed_by: 'UNKNOWN_RISK_MANAGEMENT_TYPE',
    status: orderStatus(o),
    stop_price: typeof meta.config['stop_price'] === 'string' ? meta.config['stop_price'] : '',
    time_in_force: TIME_IN_FORCE[meta.configKey],
    total_fees: fees,
    total_value_after_fees: o.cumQuote,
    trigger_status: 'INVALID_ORDER_TYPE',
    creation_time: iso(o.createdAt),
    end_time: '0001-01-01T00:00:00Z',
    start_time: '0001-01-01T00:00:00Z',
  };
}

/** A fill as `orders/historical/fills` lists it. */
export function fillWire(t: FakeTrade, orderUuid: string): Record<string, unknown> {
  return {
    entry_id: `entry-${t.tradeId}`,
    trade_id: String(t.tradeId),
    order_id: orderUuid,
    trade_time: iso(t.ts),
    trade_type: 'FILL',
    price: t.price,
    size: t.qty,
    commission: t.commission,
    product_id: t.symbol,
    sequence_timestamp: iso(t.ts),
    liquidity_indicator: t.maker ? 'MAKER' : 'TAKER',
    size_in_quote: false,
    user_id: 'fake-user',
    side: t.side,
    retail_portfolio_id: 'fake-portfolio',
  };
}

export function accountWire(asset: string, free: string, locked: string, uuid: string, ms: number): Record<string, unknown> {
  return {
    uuid,
    name: `${asset} Wallet`,
    currency: asset,
    available_balance: { value: free, currency: asset },
    default: true,
    active: true,
    created_at: iso(ms),
    updated_at: iso(ms),
    deleted_at: null,
    type: isFiat(asset) ? 'ACCOUNT_TYPE_FIAT' : 'ACCOUNT_TYPE_CRYPTO',
    ready: true,
    hold: { value: locked, currency: asset },
    retail_portfolio_id: 'fake-portfolio',
    platform: 'ACCOUNT_PLATFORM_CONSUMER',
  };
}

export function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}
