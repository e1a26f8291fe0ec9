/**
 * A fake Kraken spot exchange on 127.0.0.1 that the real ccxt client (`ccxt.pro.kraken`) talks to
 * unchanged, only with `exchange.urls['api']` pointed at it (krakenClient does that): REST
 * `/0/public/*` and `/0/private/*`, the public WebSocket v2 at `/v2` and the authenticated one at
 * `/auth/v2`, matched by the shared FakeMatching core under Kraken's pair names (`XXBTZUSD`).
 *
 * Where it differs from Kraken (on purpose or for want of a source):
 * - one API key and one spot account; no margin, no positions, no `close` (conditional close) orders;
 * - trailing-stop(-limit) orders are refused with `EGeneral:Invalid arguments:ordertype`;
 * - the book is the test's quote only (one level each side, `bookQty` in size); own fills do not print
 *   in the public trades (only `matching.trade` does);
 * - rate limits happen only by fault (no counters); Kraken has no Retry-After, so retryAfterSec is unused;
 * - clockSkew is a no-op (Kraken signs with a nonce); `nonceReset()` refuses the next nonce instead;
 * - maintenance refuses trading (AddOrder, CancelOrder, CancelAll) with `EService:Unavailable`; reads work;
 * - a duplicate working cl_ord_id is refused with `EGeneral:Invalid arguments:cl_ord_id` (wording unverified);
 * - a post-only order that would cross is refused with `EOrder:Post only order` (ccxt: ExchangeError)
 *   rather than accepted and cancelled.
 */
import { Agent, createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import ccxt from 'ccxt';
import { WebSocketServer } from 'ws';
import { FakeMatching } from '../fake-venue/matching.ts';
import { TokenStore, type KrakenContext } from './context.ts';
import { KrakenFaults } from './faults.ts';
import { OrderRegistry } from './orders.ts';
import { DEFAULT_PAIRS, matchingSpec, PairDirectory, type KrakenPairSpec } from './pairs.ts';
import { route, type LoggedRequest } from './router.ts';
import { KrakenAuth, newSecret } from './signing.ts';
import { MarketTape } from './tape.ts';
import type { FakeExchangeServer } from './types.ts';
import { PrivateWs } from './ws-private.ts';
import { PublicWs } from './ws-public.ts';

export type { FakeExchangeServer, FakeFaults } from './types.ts';

export interface FakeKrakenOptions {
  /** Pairs listed (default: XXBTZUSD and XETHZUSD as Kraken describes them). */
  readonly pairs?: readonly KrakenPairSpec[];
  /** Opening balances by Kraken asset id (`ZUSD`, `XXBT`), plain decimals. */
  readonly balances?: Readonly<Record<string, string>>;
  readonly apiKey?: string;
  /** base64, as Kraken issues secrets (default: 64 random bytes). */
  readonly secret?: string;
  /** Size shown at the quoted top of book (default 1). */
  readonly bookQty?: string;
  /**
   * The key's nonce window (Kraken's API-key setting), in nonce units (ccxt's nonces are
   * milliseconds). Default 1000: ccxt signs two quick calls with the same millisecond now and
   * then, which a strict key (0) refuses just as Kraken does.
   */
  readonly nonceWindow?: number;
  /** Seconds a WebSocket token stays valid (Kraken: 900). */
  readonly tokenTtlSec?: number;
}

export interface FakeKrakenServer extends FakeExchangeServer {
  readonly faults: KrakenFaults;
  /** The matching account behind the API key (for `matching.balances(account)` and the like). */
  readonly account: string;
  readonly urls: KrakenUrls;
}

export interface KrakenUrls {
  readonly public: string;
  readonly private: string;
  readonly ws: { readonly public: string; readonly private: string; readonly publicV2: string; readonly privateV2: string };
  readonly [key: string]: unknown;
}

export const KRAKEN_ACCOUNT = 'kraken-spot';

export async function startFakeKraken(opts: FakeKrakenOptions = {}): Promise<FakeKrakenServer> {
  const pairs = new PairDirectory(opts.pairs ?? DEFAULT_PAIRS);
  const precision = matchingPrecision(pairs);
  const matching = new FakeMatching({ markets: pairs.pairs.map(matchingSpec), precision });
  matching.openAccount(KRAKEN_ACCOUNT, opts.balances ?? { ZUSD: '100000', XXBT: '0' });
  const apiKey = opts.apiKey ?? `fake-kraken-key-${Math.random().toString(36).slice(2, 10)}`;
  const secret = opts.secret ?? newSecret();
  const auth = new KrakenAuth(apiKey, secret, BigInt(opts.nonceWindow ?? 1000));
  const faults = new KrakenFaults(() => auth.nonceReset());
  const ctx: KrakenContext = {
    pairs, matching, faults, account: KRAKEN_ACCOUNT,
    tape: new MarketTape(pairs, matching),
    orders: new OrderRegistry(),
    tokens: new TokenStore(opts.tokenTtlSec ?? 900),
    bookQty: opts.bookQty ?? '1',
    now: () => Date.now(),
    timers: new Set(),
  };
  const requests: LoggedRequest[] = [];
  const held = new Set<ServerResponse>();
  const http = createServer((req, res) => {
    route({ ctx, auth, requests, held }, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const publicWs = new PublicWs(ctx);
  const privateWs = new PrivateWs(ctx);
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const target = path === '/v2' ? publicWs : path === '/auth/v2' ? privateWs : undefined;
    if (!target) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => target.accept(ws));
  });
  await listen(http);
  const { port } = http.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const wsBase = `ws://127.0.0.1:${port}`;
  return {
    urls: { public: base, private: base, ws: { public: `${wsBase}/v1`, private: `${wsBase}/auth/v1`, publicV2: `${wsBase}/v2`, privateV2: `${wsBase}/auth/v2` } },
    apiKey, secret, matching, faults, requests, account: KRAKEN_ACCOUNT,
    close: () => close(http, wss, held, ctx.timers),
  };
}

/**
 * The matching core books exact notionals, so a quote asset carries price + lot decimals
 * internally (ZUSD: 9 for XBT/USD) even though Kraken prints it with its 4 display decimals.
 */
function matchingPrecision(pairs: PairDirectory): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(pairs.assets.map((a) => [a.id, a.decimals]));
  for (const p of pairs.pairs) out[p.quote.id] = Math.max(out[p.quote.id] ?? 0, p.pairDecimals + p.lotDecimals);
  return out;
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
}

async function close(http: Server, wss: WebSocketServer, held: Set<ServerResponse>, timers: Set<NodeJS.Timeout>): Promise<void> {
  for (const t of timers) clearTimeout(t);
  for (const res of held) res.destroy();
  for (const ws of wss.clients) ws.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
}

export type KrakenClient = InstanceType<typeof ccxt.pro.kraken>;

/**
 * The real ccxt.pro kraken client, configured for the fake: its urls point at the server, the
 * credentials are the server's (unless given), ccxt's client-side throttle is off unless asked for.
 */
export function krakenClient(server: FakeExchangeServer, o: { timeout?: number; enableRateLimit?: boolean; apiKey?: string; secret?: string } = {}): KrakenClient {
  const exchange = new ccxt.pro.kraken({
    apiKey: o.apiKey ?? server.apiKey,
    secret: o.secret ?? server.secret,
    timeout: o.timeout ?? 10_000,
    enableRateLimit: o.enableRateLimit ?? false,
    // ccxt connects to plain ws:// urls only through an explicit http agent
    httpAgent: new Agent(),
  });
  exchange.urls['api'] = { ...(exchange.urls['api'] as Record<string, unknown>), ...server.urls };
  return exchange;
}
