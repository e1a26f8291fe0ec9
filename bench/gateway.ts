/**
 * `gateway`: what the risk gateway adds to an order's round trip (issue 17).
 *
 * One real paper node (simulated Binance.US, risk gate on, SQLite journal) with both doors open on
 * 127.0.0.1: Warden's REST API (POST /api/orders, an API key of role `trader`) and the gateway
 * (POST /api/v3/order, HMAC-signed as Binance clients sign). Each order is a resting limit buy at
 * its own price (never a duplicate), answered once the gate passed it and its events are durable.
 * One order at a time, the two paths in alternating rounds from the same client process, so the
 * difference is the gateway's: Binance parsing, signature and timestamp checks, the wire answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { parseNodeConfig } from '../src/node/config/index.ts';
import { TradingNode } from '../src/node/trading-node.ts';
import { createAuthService } from '../src/server/auth/index.ts';
import { startGateway } from '../src/server/gateway/gateway.ts';
import { hmacHex } from '../src/server/gateway/wire/signing.ts';
import { startServer } from '../src/server/start.ts';
import { serverConfig } from '../test/server/support.ts';
import { quantile, recordResult, round1 } from './results.ts';
import { benchNodeConfigText } from './server.ts';

const WARM_STEPS = 50;
const KEY = 'benchGatewayKey0123456789';
const SECRET = 'bench-gateway-secret-0123456789abcdefghij';

const summary = (xs: readonly number[]) => ({ p50: round1(quantile(xs, 0.5)), p99: round1(quantile(xs, 0.99)) });

export async function runGatewayBench(): Promise<Record<string, unknown>> {
  const perPath = Number(process.env.BENCH_GATEWAY_ORDERS ?? 1_000);
  const rounds = 4;
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-gateway-'));
  const { config } = parseNodeConfig(benchNodeConfigText(dir, 'bench-gateway'), { env: {}, baseDir: dir });
  const node = await TradingNode.start(config);
  await node.run({ maxSteps: WARM_STEPS, keepOpen: true });
  const auth = createAuthService({ db: ':memory:', engine: node.engine });
  const { key: apiKey } = await auth.keys.create('bench', ['trader']);
  const server = await startServer(node, { config: serverConfig({ rate_limit: { max: 100_000_000, window_ms: 60_000 } }), auth, logger: pino({ level: 'silent' }) });
  const gateway = await startGateway(node, { host: '127.0.0.1', port: 0, keys: [{ api_key: KEY, secret: SECRET, account: 'ACC-1', strategy: 'bench-gw', role: 'trade' }], symbols: { BTCUSDT: 'BTCUSDT.BINANCEUS' } });
  const last = Number(node.engine.portfolio.quote('BTCUSDT.BINANCEUS' as never)?.last?.toString());
  let cents = 0;
  const nextPrice = (): string => (Math.floor(last) - 1 - cents++ / 100).toFixed(2);
  let seq = 0;

  const viaGateway = async (): Promise<void> => {
    const query = new URLSearchParams({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: nextPrice(), newClientOrderId: `g${seq++}`, newOrderRespType: 'ACK', timestamp: String(Date.now()) }).toString();
    const res = await fetch(`${gateway.url}/api/v3/order`, { method: 'POST', headers: { 'X-MBX-APIKEY': KEY, 'Content-Type': 'application/x-www-form-urlencoded' }, body: `${query}&signature=${hmacHex(SECRET, query)}` });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`gateway order refused: ${res.status} ${text}`);
  };
  const viaApi = async (): Promise<void> => {
    const body = JSON.stringify({ clientOrderId: `a${seq++}`, instrumentId: 'BTCUSDT.BINANCEUS', side: 'BUY', type: 'LIMIT', quantity: '0.001', price: nextPrice() });
    const res = await fetch(`${server.url}/api/orders`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`API order refused: ${res.status} ${text}`);
  };
  const timed = async (n: number, one: () => Promise<void>, into: number[]): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const t0 = process.hrtime.bigint();
      await one();
      into.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
  };
  try {
    await timed(200, viaGateway, []);
    await timed(200, viaApi, []);
    const gw: number[] = [];
    const api: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const first = r % 2 === 0;
      await timed(perPath / rounds, first ? viaGateway : viaApi, first ? gw : api);
      await timed(perPath / rounds, first ? viaApi : viaGateway, first ? api : gw);
    }
    const g = summary(gw);
    const a = summary(api);
    const figures = { orders: perPath, rounds, gatewayP50Micros: g.p50, gatewayP99Micros: g.p99, apiP50Micros: a.p50, apiP99Micros: a.p99, addedP99Micros: round1(g.p99 - a.p99) };
    console.log(`gateway: p50 ${g.p50} µs p99 ${g.p99} µs | REST API: p50 ${a.p50} µs p99 ${a.p99} µs | added p99 ${figures.addedP99Micros} µs (${perPath} orders each)`);
    recordResult('gateway', figures);
    return figures;
  } finally {
    await gateway.close();
    await server.close();
    await node.stop();
    await auth.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
