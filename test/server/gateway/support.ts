/**
 * A real paper node (test/server/support.ts: simulated Binance.US, the full risk stack, the API
 * server) with the risk gateway on a free port in front of it, and the real ccxt.pro binance client
 * pointed at the gateway (REST and the WebSocket API user stream).
 */
import { Agent } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import ccxt from 'ccxt';
import type { GatewayConfig, NodeConfig } from '../../../src/node/config/index.ts';
import { hmacHex } from '../../../src/server/gateway/wire/signing.ts';
import { startGateway, type RunningGateway } from '../../../src/server/gateway/gateway.ts';
import { testServer, type TestServer } from '../support.ts';

export const KEY = 'wardenGatewayKey0123456789';
export const SECRET = 'wardenGatewaySecret-0123456789abcdefghij';
export const READ_KEY = 'wardenGatewayReadKey012345';
export const READ_SECRET = 'wardenGatewayReadSecret-0123456789abcdef';
export const STRATEGY = 'gw-bot';
export const OTHER_KEY = 'wardenGatewayOtherKey01234';
export const OTHER_SECRET = 'wardenGatewayOtherSecret-0123456789abcde';
export const INST = 'BTCUSDT.BINANCEUS';

export type BinanceClient = InstanceType<typeof ccxt.pro.binance>;

export interface GatewayHarness {
  readonly s: TestServer;
  readonly gateway: RunningGateway;
  /** Every line the gateway logged. */
  readonly gatewayLogs: string[];
  /** The gateway's clock skew (ms added to the wall clock), to push a request outside recvWindow. */
  readonly skew: { ms: number };
  /** A ccxt.pro binance client on the gateway with these credentials. */
  client(apiKey?: string, secret?: string): BinanceClient;
  /** A limit buy price 3% under the last price of BTCUSDT (rests, inside the 5% collar). */
  restingBuy(): number;
  close(): Promise<void>;
}

export const gatewayConfig = (): GatewayConfig => ({
  host: '127.0.0.1',
  port: 0,
  keys: [
    { api_key: KEY, secret: SECRET, account: 'ACC-1', strategy: STRATEGY, role: 'trade' },
    { api_key: READ_KEY, secret: READ_SECRET, account: 'ACC-1', strategy: STRATEGY, role: 'read' },
    { api_key: OTHER_KEY, secret: OTHER_SECRET, account: 'ACC-1', strategy: 'other-bot', role: 'trade' },
  ],
  symbols: { BTCUSDT: INST },
});

/**
 * The paper config with the price collar at 5% only (no 500-tick bound): a resting order 3% below
 * the market is accepted and does not fill while the replay moves.
 */
function wideCollar(c: NodeConfig): NodeConfig {
  const risk = c.risk!;
  const { price_collar_ticks: _ticks, ...rest } = risk.limits.default ?? {};
  return { ...c, risk: { ...risk, limits: { ...risk.limits, default: rest } } };
}

/** The simulated venue declaring no stop orders of its own: Warden holds stops and take-profits (emulation). */
function withoutNativeStops(c: NodeConfig): NodeConfig {
  const venues = Object.fromEntries(Object.entries(c.venues).map(([name, v]) => [name, v.type === 'sim' ? { ...v, native_stops: false } : v]));
  return { ...c, venues };
}

export interface GatewayHarnessOptions {
  /** false: the paper venue has no native stops, so the gateway's stop orders are held by Warden. */
  readonly nativeStops?: false;
}

export async function gatewayHarness(o: GatewayHarnessOptions = {}): Promise<GatewayHarness> {
  // The replay runs in the background (10 data minutes per wall second), as a paper venue trades.
  const configure = o.nativeStops === false ? (c: NodeConfig) => withoutNativeStops(wideCollar(c)) : wideCollar;
  const s = await testServer({ bars: 3000, speed: 60, configure });
  await until(() => s.node.engine.portfolio.quote(INST as never)?.last !== undefined, 'a first price');
  const skew = { ms: 0 };
  const gatewayLogs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      gatewayLogs.push(chunk.toString('utf8'));
      cb();
    },
  });
  const gateway = await startGateway(s.node, gatewayConfig(), { now: () => Date.now() + skew.ms, logger: pino({ level: 'debug' }, sink) });
  const clients: BinanceClient[] = [];
  return {
    s,
    gateway,
    gatewayLogs,
    skew,
    client(apiKey = KEY, secret = SECRET) {
      const ex = new ccxt.pro.binance({
        apiKey,
        secret,
        timeout: 5_000,
        // What loadHttpProxyAgent() would set: ccxt refuses ws:// urls without an http agent.
        httpAgent: new Agent(),
        options: { fetchMargins: false, fetchCurrencies: false, fetchMarkets: { types: ['spot'] } },
      });
      ex.urls['api'] = gateway.ccxtUrls;
      clients.push(ex);
      return ex;
    },
    restingBuy: () => Math.round(Number(s.node.engine.portfolio.quote(INST as never)?.last?.toString()) * 97) / 100,
    async close() {
      for (const c of clients) await c.close();
      await gateway.close();
      await s.close();
    },
  };
}

/** A raw signed Binance request (what any Binance client sends): query signed with HMAC-SHA256, key in X-MBX-APIKEY. */
export async function signedCall(url: string, method: string, path: string, params: Record<string, string>, key = KEY, secret = SECRET): Promise<{ status: number; body: { code?: number; msg?: string } & Record<string, unknown> }> {
  const query = new URLSearchParams({ ...params, timestamp: String(Date.now()) }).toString();
  const res = await fetch(`${url}${path}?${query}&signature=${hmacHex(secret, query)}`, { method, headers: { 'X-MBX-APIKEY': key } });
  return { status: res.status, body: (await res.json()) as { code?: number; msg?: string } & Record<string, unknown> };
}

/** Polls until `cond` holds, failing with `what` after `ms`. */
export async function until(cond: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
