/**
 * A fake Coinbase Advanced Trade exchange on 127.0.0.1: REST (`/api/v3/brokerage/*` and the v2
 * endpoints ccxt's loadMarkets reads) and the Advanced Trade WebSocket on the same port, matching
 * through the shared FakeMatching. The REAL ccxt client talks to it with only `urls.api` changed.
 */
import { Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import ccxt from 'ccxt';
import type { FakeMarketSpec } from '../fake-venue/matching.ts';
import { CoinbaseFaults } from './faults.ts';
import { startHttp } from './http.ts';
import { generateCdpKey } from './jwt.ts';
import { CoinbaseMatching } from './market.ts';
import { orderRoutes } from './order-routes.ts';
import { productRoutes } from './product-routes.ts';
import { OrderRegistry } from './registry.ts';
import type { FakeExchangeServer } from './types.ts';
import { CoinbaseWs } from './ws.ts';

export interface FakeCoinbaseOptions {
  /** Products listed (Coinbase ids, `BTC-USD`). Default: BTC-USD and ETH-USD at Coinbase's increments. */
  readonly markets?: readonly FakeMarketSpec[];
  /** The account's starting balances. Default: 100000 USD, 2 BTC, 10 ETH. */
  readonly balances?: Readonly<Record<string, string>>;
  /** Size displayed at the quoted touch in books and tickers (default 1.5). */
  readonly touchSize?: string;
  /** Heartbeats channel period (default 1000 ms, as Coinbase). */
  readonly heartbeatMs?: number;
}

export interface FakeCoinbaseServer extends FakeExchangeServer {
  readonly matching: CoinbaseMatching;
  readonly faults: CoinbaseFaults;
  /** The account every API key of this fake trades in. */
  readonly account: string;
}

export const COINBASE_MARKETS: readonly FakeMarketSpec[] = [
  { symbol: 'BTC-USD', base: 'BTC', quote: 'USD', tickSize: '0.01', lotSize: '0.00000001', minQty: '0.00000001', maxQty: '3400', minNotional: '1', makerFee: '0.004', takerFee: '0.006' },
  { symbol: 'ETH-USD', base: 'ETH', quote: 'USD', tickSize: '0.01', lotSize: '0.00000001', minQty: '0.00000001', maxQty: '42000', minNotional: '1', makerFee: '0.004', takerFee: '0.006' },
];

const ACCOUNT = 'coinbase-default';

export async function startFakeCoinbase(opts: FakeCoinbaseOptions = {}): Promise<FakeCoinbaseServer> {
  const faults = new CoinbaseFaults();
  const key = generateCdpKey();
  const markets = opts.markets ?? COINBASE_MARKETS;
  const now = (): number => faults.now();
  // Coinbase books quote currencies to many places (price 0.01 × size 1e-8 must be exact).
  const precision = Object.fromEntries(markets.map((m) => [m.quote, 10]));
  const matching = new CoinbaseMatching({ markets, clock: { now }, precision }, now);
  matching.openAccount(ACCOUNT, opts.balances ?? { USD: '100000', BTC: '2', ETH: '10' });
  const registry = new OrderRegistry(matching, ACCOUNT);
  const touchSize = opts.touchSize ?? '1.5';
  const http = startHttp(
    [...orderRoutes({ matching, registry, faults, account: ACCOUNT }), ...productRoutes({ matching, faults, account: ACCOUNT, touchSize })],
    key,
    faults,
  );
  const ws = new CoinbaseWs(http.server, { matching, registry, faults, key, account: ACCOUNT, touchSize, heartbeatMs: opts.heartbeatMs ?? 1000 });
  await new Promise<void>((resolve) => http.server.listen(0, '127.0.0.1', resolve));
  const { port } = http.server.address() as AddressInfo;
  return {
    urls: { rest: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}` },
    apiKey: key.name,
    secret: key.privateKeyPem,
    matching,
    faults,
    account: ACCOUNT,
    requests: http.requests,
    close: async () => {
      ws.close();
      await http.close();
    },
  };
}

/** A real ccxt.pro coinbase client pointed at the fake (balances through the v3 accounts endpoint). */
export function coinbaseClient(server: FakeExchangeServer, extra: { timeout?: number } = {}): InstanceType<typeof ccxt.pro.coinbase> {
  const client = new ccxt.pro.coinbase({
    apiKey: server.apiKey,
    secret: server.secret,
    enableRateLimit: false,
    timeout: extra.timeout ?? 10_000,
    options: { fetchBalance: 'v3PrivateGetBrokerageAccounts' },
    // ccxt refuses plain ws:// URLs until it has an http agent (what loadHttpProxyAgent() would set).
    httpAgent: new Agent(),
  });
  client.urls['api'] = { ...(client.urls['api'] as Record<string, unknown>), ...server.urls };
  return client;
}
