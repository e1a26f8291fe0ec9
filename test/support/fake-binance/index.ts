/**
 * A fake Binance that the real ccxt client (ccxt.pro.binance for spot, ccxt.pro.binanceusdm for
 * USDⓈ-M futures) talks to unchanged once `exchange.urls.api` points at it: one HTTP server on
 * 127.0.0.1 serving REST and the WebSocket streams, matching through the shared FakeMatching.
 *
 * One server is one venue: `kind: 'spot'` serves /api/v3, market streams and the spot WebSocket
 * API; `kind: 'usdm'` serves /fapi, futures market streams and the listenKey user stream (the
 * same exchange symbol cannot be both a spot and a perpetual market in one matching core).
 */
import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import ccxt from 'ccxt';
import { WebSocketServer, type WebSocket } from 'ws';
import { binanceSpotUrls } from '../../../src/server/gateway/wire/ccxt-urls.ts';
import type { FakeMarketSpec } from '../fake-venue/matching.ts';
import { futuresRoutes } from './futures-routes.ts';
import { HttpLayer } from './http.ts';
import { SocketRegistry } from './sockets.ts';
import { spotRoutes } from './spot-routes.ts';
import type { FakeExchangeServer } from './types.ts';
import { BinanceVenue, type BinanceMarketKind } from './venue.ts';
import { FuturesUserStream } from './ws-user-futures.ts';
import { MarketStreams } from './ws-market.ts';
import { SpotUserStream } from './ws-user-spot.ts';

export type { FakeExchangeServer, FakeFaults } from './types.ts';

export interface FakeBinanceOptions {
  readonly kind?: BinanceMarketKind;
  readonly markets?: readonly FakeMarketSpec[];
  /** The account's starting balances (asset → plain decimal). */
  readonly balances?: Readonly<Record<string, string>>;
  readonly apiKey?: string;
  readonly secret?: string;
  readonly bookQty?: string;
  readonly listenKeyTtlMs?: number;
  /** Server ping frames (Binance: every 20 s on spot, 3 min on futures). */
  readonly pingIntervalMs?: number;
}

export interface FakeBinanceServer extends FakeExchangeServer {
  readonly kind: BinanceMarketKind;
  /** Binance-specific: the live futures listenKeys, and expiring one now (sends listenKeyExpired). */
  readonly listenKeys: { readonly live: () => string[]; readonly expire: (key: string) => void };
  /** Binance-specific: put one symbol in BREAK (orders refused with -1013 "Market is closed."). */
  halt(symbol: string, on: boolean): void;
}

export const SPOT_MARKETS: readonly FakeMarketSpec[] = [
  { symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', tickSize: '0.01', lotSize: '0.00001', minQty: '0.00001', maxQty: '9000', minNotional: '5' },
  { symbol: 'ETHUSDT', base: 'ETH', quote: 'USDT', tickSize: '0.01', lotSize: '0.0001', minQty: '0.0001', maxQty: '9000', minNotional: '5' },
];

export const USDM_MARKETS: readonly FakeMarketSpec[] = [
  { symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', kind: 'PERPETUAL', tickSize: '0.10', lotSize: '0.001', minQty: '0.001', maxQty: '1000', minNotional: '100', makerFee: '0.0002', takerFee: '0.0005' },
  { symbol: 'ETHUSDT', base: 'ETH', quote: 'USDT', kind: 'PERPETUAL', tickSize: '0.01', lotSize: '0.001', minQty: '0.001', maxQty: '10000', minNotional: '20', makerFee: '0.0002', takerFee: '0.0005' },
];

export async function startFakeBinance(opts: FakeBinanceOptions = {}): Promise<FakeBinanceServer> {
  const kind = opts.kind ?? 'spot';
  const venue = new BinanceVenue({
    kind,
    markets: opts.markets ?? (kind === 'spot' ? SPOT_MARKETS : USDM_MARKETS),
    balances: opts.balances ?? (kind === 'spot' ? { USDT: '100000', BTC: '1', ETH: '10' } : { USDT: '100000' }),
    apiKey: opts.apiKey ?? 'fakeBinanceKey0123456789',
    secret: opts.secret ?? 'fakeBinanceSecret9876543210',
    bookQty: opts.bookQty ?? '10',
    listenKeyTtlMs: opts.listenKeyTtlMs ?? 60 * 60_000,
  });
  const futuresUser = kind === 'usdm' ? new FuturesUserStream(venue) : undefined;
  const http = new HttpLayer(venue, kind === 'spot' ? spotRoutes(venue) : futuresRoutes(venue, futuresUser!));
  const sockets = new SocketRegistry(venue.faults, opts.pingIntervalMs ?? (kind === 'spot' ? 20_000 : 180_000));
  const market = new MarketStreams(venue);
  const spotUser = kind === 'spot' ? new SpotUserStream(venue) : undefined;
  const server = createServer((req, res) => void http.handle(req, res).catch((e: unknown) => res.destroy(e as Error)));
  const wss = new WebSocketServer({ noServer: true, autoPong: false });
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const url = new URL(req.url ?? '/', 'ws://127.0.0.1');
      const s = sockets.add(ws);
      if (spotUser && url.pathname.startsWith('/ws-api/')) return spotUser.attach(s);
      if (futuresUser?.claims(url)) return futuresUser.attach(s, url);
      market.attach(s, url);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    kind,
    urls: binanceUrls(`127.0.0.1:${port}`),
    apiKey: venue.o.apiKey,
    secret: venue.o.secret,
    matching: venue.matching,
    faults: venue.faults,
    requests: http.requests,
    listenKeys: { live: () => futuresUser?.liveKeys() ?? [], expire: (key) => futuresUser?.expire(key) },
    halt: (symbol, on) => void (on ? venue.halted.add(symbol) : venue.halted.delete(symbol)),
    close: async () => {
      futuresUser?.close();
      http.close();
      sockets.closeAll();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** ccxt's `urls.api` for binance/binanceusdm, every REST and WebSocket key pointed at the fake: the spot keys as the gateway's, and futures. */
function binanceUrls(host: string): Record<string, unknown> {
  const spot = binanceSpotUrls(host);
  const http = `http://${host}`;
  const ws = `ws://${host}`;
  return {
    ...spot,
    sapiV2: `${http}/sapi/v2`,
    sapiV3: `${http}/sapi/v3`,
    sapiV4: `${http}/sapi/v4`,
    fapiPublic: `${http}/fapi/v1`,
    fapiPublicV2: `${http}/fapi/v2`,
    fapiPublicV3: `${http}/fapi/v3`,
    fapiPrivate: `${http}/fapi/v1`,
    fapiPrivateV2: `${http}/fapi/v2`,
    fapiPrivateV3: `${http}/fapi/v3`,
    fapiData: `${http}/futures/data`,
    ws: {
      ...spot.ws,
      margin: `${ws}/ws`,
      future: `${ws}/ws`,
      'ws-api': { ...spot.ws['ws-api'], future: `${ws}/ws-fapi/v1` },
    },
  };
}

export type BinanceClient = InstanceType<typeof ccxt.pro.binance>;

/**
 * The real ccxt.pro client configured for the fake: urls, credentials, and the options that keep
 * ccxt off endpoints the fake does not serve (margin pairs, currencies, the other market types).
 */
export function binanceClient(server: FakeExchangeServer & { kind?: BinanceMarketKind }, o: { futures?: boolean; options?: Record<string, unknown> } = {}): BinanceClient {
  const futures = o.futures ?? server.kind === 'usdm';
  const config = {
    apiKey: server.apiKey,
    secret: server.secret,
    timeout: 5_000,
    // What loadHttpProxyAgent() would set: ccxt refuses ws:// urls without an http agent.
    httpAgent: new Agent(),
    options: {
      fetchMargins: false,
      fetchCurrencies: false,
      fetchMarkets: { types: [futures ? 'linear' : 'spot'] },
      ...o.options,
    },
  };
  const exchange: BinanceClient = futures ? new ccxt.pro.binanceusdm(config) : new ccxt.pro.binance(config);
  exchange.urls['api'] = server.urls;
  return exchange;
}
