import { streaming, trading } from '@alpacahq/alpaca-trade-api';
import type { AlpacaUrls } from './config.ts';

/** The SDK's trading APIs, each on one Configuration (credentials, base path, timeout). */
export interface AlpacaApis {
  readonly orders: trading.OrdersApi;
  readonly accounts: trading.AccountsApi;
  readonly positions: trading.PositionsApi;
  readonly assets: trading.AssetsApi;
  readonly clock: trading.ClockApi;
  readonly activities: trading.AccountActivitiesApi;
}

export interface AlpacaCredentialsAndUrls {
  readonly keyId: string;
  readonly secret: string;
  readonly urls: AlpacaUrls;
  readonly timeoutMs: number;
  readonly reconnectBaseMs: number;
  readonly reconnectMaxMs: number;
}

/**
 * The SDK's REST APIs against the configured base path. No SDK retry and no client-side throttle:
 * the executor owns retries (a non-idempotent call is never resent blindly, FAULTS 21) and a 429
 * reaches it with Alpaca's Retry-After. Redirects stay refused (the SDK's default), so the key
 * headers never follow one off-host.
 */
export function alpacaApis(c: AlpacaCredentialsAndUrls): AlpacaApis {
  const config = new trading.Configuration({ basePath: c.urls.trading, keyId: c.keyId, secret: c.secret, timeoutMs: c.timeoutMs });
  return {
    orders: new trading.OrdersApi(config),
    accounts: new trading.AccountsApi(config),
    positions: new trading.PositionsApi(config),
    assets: new trading.AssetsApi(config),
    clock: new trading.ClockApi(config),
    activities: new trading.AccountActivitiesApi(config),
  };
}

/** Stream options shared by the trade_updates and market data sockets: reconnect for ever, with backoff. */
function streamOptions(c: AlpacaCredentialsAndUrls) {
  return {
    credentials: { keyId: c.keyId, secret: c.secret },
    reconnect: true,
    maxReconnectAttempts: streaming.UNLIMITED_RECONNECT_ATTEMPTS,
    initialReconnectMs: c.reconnectBaseMs,
    maxReconnectMs: c.reconnectMaxMs,
  };
}

/** The SDK's trade_updates stream (JSON: authenticate, listen) at the configured URL. */
export function tradingStream(c: AlpacaCredentialsAndUrls): streaming.TradingStream {
  return new streaming.TradingStream({ ...streamOptions(c), url: c.urls.tradingStream });
}

/** The SDK's stock market data stream (msgpack: auth, subscribe) at the configured feed URL. */
export function stockStream(c: AlpacaCredentialsAndUrls): streaming.StockDataStream {
  return new streaming.StockDataStream({ ...streamOptions(c), url: c.urls.dataStream });
}
