import type { VenueCapabilities } from '../../engine/venue.ts';

/** Which order types an exchange takes natively through ccxt's unified createOrder. */
export interface NativeOrders {
  /** STOP_MARKET, STOP_LIMIT (ccxt `stopLossPrice`) and MARKET_IF_TOUCHED, LIMIT_IF_TOUCHED (`takeProfitPrice`). */
  readonly triggers: boolean;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  /** Time in force the exchange takes (GTC is always there). */
  readonly timeInForce: readonly ('IOC' | 'FOK')[];
  /** The ccxt parameter carrying a display quantity, when the exchange has icebergs. */
  readonly icebergParam: string | undefined;
}

/** What the client order id may look like at the exchange; Warden's ids that do not fit are mapped (client-ids.ts). */
export interface ClientIdRule {
  /** The exchange's own name for the field, for documentation and the raw parameter when ccxt does not map `clientOrderId`. */
  readonly param: string;
  /** Whether ccxt maps the unified `clientOrderId` parameter to it; otherwise the raw param is sent. */
  readonly unified: boolean;
  readonly pattern: RegExp;
  readonly maxLength: number;
  /**
   * How an order is found by its client id: ccxt's fetchOrder with `clientOrderId` (the default
   * where `unified`), or a search of open and closed orders (Coinbase has no look-up by client
   * id), `filteredSearch` where the exchange narrows those lists by it (ccxt's `clientOrderId`
   * param: Kraken's `cl_ord_id` on OpenOrders and ClosedOrders; its QueryOrders takes only txids).
   */
  readonly lookup?: 'fetchOrder' | 'search' | 'filteredSearch';
}

/**
 * What the adapter needs to know of one exchange beyond ccxt's unified API. `tested`: proven
 * against a local server speaking the exchange's protocol (test/support); any other ccxt exchange
 * runs on the generic profile, everything beyond plain market and limit orders emulated.
 */
export interface CcxtProfile {
  readonly exchange: string;
  readonly tested: boolean;
  readonly capabilities: VenueCapabilities;
  readonly native: NativeOrders;
  readonly clientId: ClientIdRule;
  /**
   * Where fills come from: `trades` (watchMyTrades, each with the exchange's trade id) or
   * `orders` (the order stream only: a rise in an order's filled quantity is fetched as trades over REST).
   */
  readonly fills: 'trades' | 'orders';
  /** Derivatives with positions the exchange reports (fetchPositions). */
  readonly derivatives: boolean;
  /**
   * The exchange's words for an order it does not have where ccxt raises something other than
   * OrderNotFound (Kraken's QueryOrders: InvalidOrder; Coinbase: ExchangeError, BadRequest): read
   * as ORDER_NOT_FOUND, so a look-up finds nothing and a cancel settles by query.
   */
  readonly unknownOrder?: RegExp;
  /**
   * The exchange's reason for refusing to cancel this order, read from its last answer, where
   * ccxt's error leaves it out (Coinbase's batch_cancel `failure_reason`: ccxt throws a bare
   * BadRequest). The answer is matched by the order id, so another call's answer is never read.
   */
  readonly cancelRefusalReason?: (lastResponse: string, venueOrderId: string) => string | undefined;
  /**
   * Raw parameters for a market buy of a base quantity, where ccxt would send a quote amount
   * instead (Coinbase: ccxt's market buy is `quote_size`; Warden's quantity is `base_size`).
   */
  readonly marketBuyOfBase?: (quantity: string) => Record<string, unknown>;
  /** fetchMyTrades parameters that narrow it to one order's trades, where the exchange filters by order (profile `fills: 'orders'`). */
  readonly orderTradesFilter?: (venueOrderId: string) => Record<string, unknown>;
  /** ccxt options the exchange needs to trade only what Warden uses (no margin or currency endpoints). */
  readonly options: Readonly<Record<string, unknown>>;
  /**
   * ccxt params that address a conditional order the exchange keeps apart until it triggers
   * (binanceusdm: `{ trigger: true }`, its algo order endpoints); absent where one endpoint serves all.
   */
  readonly triggerParams?: Readonly<Record<string, unknown>>;
  /**
   * Whether ccxt's balance total counts the open positions' unrealized PnL (binanceusdm: the margin
   * balance). Warden's MARGIN ledger holds the wallet (deposits, realized PnL, fees), so the
   * unrealized PnL fetchPositions reports is taken off before balances are compared.
   */
  readonly totalIncludesUnrealized?: boolean;
}

const NO_MODIFY_NO_LISTS = { orderLists: [], modify: false, trailingStops: false } as const;

const PROFILES: Readonly<Record<string, CcxtProfile>> = {
  binance: {
    exchange: 'binance',
    tested: true,
    capabilities: { ...NO_MODIFY_NO_LISTS, stopOrders: true, postOnly: true, iceberg: true },
    native: { triggers: true, postOnly: true, reduceOnly: false, timeInForce: ['IOC', 'FOK'], icebergParam: 'icebergQty' },
    clientId: { param: 'newClientOrderId', unified: true, pattern: /^[.A-Z:/a-z0-9_-]{1,36}$/, maxLength: 36 },
    fills: 'trades',
    derivatives: false,
    options: { defaultType: 'spot', fetchMargins: false, fetchCurrencies: false, fetchMarkets: { types: ['spot'] }, warnOnFetchOpenOrdersWithoutSymbol: false },
  },
  binanceusdm: {
    exchange: 'binanceusdm',
    tested: true,
    capabilities: { ...NO_MODIFY_NO_LISTS, stopOrders: true, postOnly: true, iceberg: false },
    native: { triggers: true, postOnly: true, reduceOnly: true, timeInForce: ['IOC', 'FOK'], icebergParam: undefined },
    clientId: { param: 'newClientOrderId', unified: true, pattern: /^[.A-Z:/a-z0-9_-]{1,36}$/, maxLength: 36 },
    fills: 'trades',
    derivatives: true,
    // listenKeyRefreshRate: ccxt ignores Binance's listenKeyExpired push and learns of a lapsed key only when its keepalive is refused (-1125); every minute instead of every 20.
    options: { defaultType: 'future', fetchMargins: false, fetchCurrencies: false, fetchMarkets: { types: ['linear'] }, warnOnFetchOpenOrdersWithoutSymbol: false, listenKeyRefreshRate: 60_000 },
    triggerParams: { trigger: true },
    totalIncludesUnrealized: true,
  },
  kraken: {
    exchange: 'kraken',
    tested: true,
    capabilities: { ...NO_MODIFY_NO_LISTS, stopOrders: true, postOnly: true, iceberg: false },
    native: { triggers: true, postOnly: true, reduceOnly: false, timeInForce: ['IOC'], icebergParam: undefined },
    // Kraken's cl_ord_id: a UUID, or free text of up to 18 characters.
    clientId: { param: 'cl_ord_id', unified: true, pattern: /^[A-Za-z0-9_-]{1,18}$/, maxLength: 18, lookup: 'filteredSearch' },
    fills: 'trades',
    derivatives: false,
    // QueryOrders of an unknown txid: EOrder:Invalid order; CancelOrder: EOrder:Unknown order (ccxt: InvalidOrder unless it reads the body).
    unknownOrder: /EOrder:(?:Unknown|Invalid) order/,
    options: {},
  },
  coinbase: {
    exchange: 'coinbase',
    tested: true,
    // Coinbase Advanced has stop-limit but no stop-market order: every trigger is emulated, so a stop never rests at a price the strategy did not ask for.
    capabilities: { ...NO_MODIFY_NO_LISTS, stopOrders: false, postOnly: true, iceberg: false },
    native: { triggers: false, postOnly: true, reduceOnly: false, timeInForce: ['IOC', 'FOK'], icebergParam: undefined },
    // ccxt makes up its own client_order_id unless the raw field is given.
    clientId: { param: 'client_order_id', unified: false, pattern: /^[A-Za-z0-9_.:-]{1,64}$/, maxLength: 64, lookup: 'search' },
    fills: 'orders',
    derivatives: false,
    // GET orders/historical/{id}: 404 NOT_FOUND (ccxt: ExchangeError); batch_cancel: UNKNOWN_CANCEL_ORDER (ccxt: BadRequest).
    unknownOrder: /order with this orderID was not found|UNKNOWN_CANCEL_ORDER/,
    cancelRefusalReason: batchCancelFailure,
    // createMarketBuyOrderRequiresPrice off only gets past ccxt's price check; the raw order_configuration replaces its quote_size.
    marketBuyOfBase: (quantity) => ({ createMarketBuyOrderRequiresPrice: false, order_configuration: { market_market_ioc: { base_size: quantity } } }),
    // List Fills takes `order_ids` (an array; ccxt repeats it in the query), ccxt's fetchMyTrades passes it through.
    orderTradesFilter: (id) => ({ order_ids: [id] }),
    options: { fetchCurrencies: false },
  },
};

/** Coinbase's `results[].failure_reason` for one order in a batch_cancel answer. */
function batchCancelFailure(lastResponse: string, venueOrderId: string): string | undefined {
  try {
    const body = JSON.parse(lastResponse) as { results?: { order_id?: unknown; success?: unknown; failure_reason?: unknown }[] };
    const r = body.results?.find((x) => x.order_id === venueOrderId);
    return r && r.success !== true && typeof r.failure_reason === 'string' ? r.failure_reason : undefined;
  } catch {
    return undefined;
  }
}

/** The generic profile of an untested exchange: market and limit orders only, the rest emulated. */
function genericProfile(exchange: string): CcxtProfile {
  return {
    exchange,
    tested: false,
    capabilities: { ...NO_MODIFY_NO_LISTS, stopOrders: false, postOnly: false, iceberg: false },
    native: { triggers: false, postOnly: false, reduceOnly: false, timeInForce: [], icebergParam: undefined },
    clientId: { param: 'clientOrderId', unified: true, pattern: /^[A-Za-z0-9_-]{1,32}$/, maxLength: 32 },
    fills: 'trades',
    derivatives: false,
    options: {},
  };
}

export const TESTED_EXCHANGES = Object.keys(PROFILES);

export function profileFor(exchange: string): CcxtProfile {
  return PROFILES[exchange] ?? genericProfile(exchange);
}
