/**
 * `server`: what the HTTP API and the WebSocket stream cost the node (issue 14).
 *
 * A real paper node (simulated Binance.US, risk gate on, SQLite journal) behind the real server on
 * 127.0.0.1, with an API key of role `trader`. Order clients and WebSocket watchers run in a
 * second process (bench/server-load.ts), as real clients do, so their work never lands on the
 * node's event loop. Each order is a limit buy of its own price (never a duplicate), answered
 * once the gate passed it and its events are durable (201), the same work the in-process path
 * does through `submit` (the route's own call), so the difference is the API: HTTP, JSON,
 * validation, authentication, authorization and the audit record.
 *
 * - Latency: one order at a time, over HTTP and in-process, alternating rounds; the API adds
 *   p99(HTTP) − p99(in-process). Goal: under 1 ms. Beside it, in the same rounds, the floor: a
 *   bare node:http server in this process answering the same client (`httpFloorP99Micros`).
 * - Throughput: 32 concurrent HTTP clients, orders/s; the in-process figure with 32 concurrent
 *   submitters beside it.
 * - Fan-out: rounds of the engine's in-process throughput (32 submitters) with no watcher, then
 *   with 200 WebSocket clients streaming every event (served by the stream's fan-out process);
 *   the slowdown of the medians (0.05 = 5% slower). Goal: under 10%.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { stringify } from 'yaml';
import { operatorOrigin, type Origin } from '../src/engine/origin.ts';
import { parseNodeConfig } from '../src/node/config/index.ts';
import { TradingNode } from '../src/node/trading-node.ts';
import { createAuthService } from '../src/server/auth/index.ts';
import { submit } from '../src/server/commands.ts';
import { startServer } from '../src/server/start.ts';
import { serverConfig } from '../test/server/support.ts';
import { median, quantile, recordResult, round1 } from './results.ts';

const GOAL_API_ADDED_P99_MICROS = 1_000;
const GOAL_FANOUT_SLOWDOWN = 0.1;
// Each order rests a cent below the one before: more rounds would walk the prices out of the gate's 5% collar.
const FANOUT_ROUNDS = 5;
const WARM_STEPS = 50;
const LOAD = fileURLToPath(new URL('./server-load.ts', import.meta.url));
const DATA = fileURLToPath(new URL('../../shared/data/market/binanceus-BTCUSDT-1m-2023-03-01_21.csv', import.meta.url));

/** A paper node on one BTCUSDT replay, every gate check on and none denying: what the server benches send orders to. */
export function benchNodeConfigText(dir: string, id = 'bench-server'): string {
  return stringify({
    // Snapshots off the measured path: tens of thousands of resting orders make each one long, in both paths alike.
    node: { id, mode: 'paper', journal: { sqlite: join(dir, 'journal.sqlite') }, snapshot_every: 10_000_000 },
    venues: { BINANCEUS: { type: 'sim' } },
    // Cash enough that resting buys never run out of it: the gate's checks all run, none denies.
    accounts: [{ id: 'ACC-1', type: 'CASH', venue: 'BINANCEUS', balances: { USDT: '1000000000000' } }],
    instruments: [{ id: 'BTCUSDT.BINANCEUS', kind: 'SPOT', base: 'BTC', quote: 'USDT', tick_size: '0.01', lot_size: '0.00001' }],
    data: { speed: 'max', replay: [{ file: DATA, instrument: 'BTCUSDT.BINANCEUS', format: 'csv' }] },
    risk: { version: 1, limits: { default: { max_order_quantity: '10', max_order_notional: '1000000', max_position_quantity: '1000000', max_position_notional: '100000000000', max_open_orders: 10_000_000, price_collar_pct: 5 } } },
    logging: { level: 'silent' },
  });
}

// The bench is one client sending as fast as it can: the rate limit is set past it (a real deployment keeps its own).
const benchServerConfig = serverConfig({ rate_limit: { max: 100_000_000, window_ms: 60_000 }, lockout: { failures: 5, window_ms: 900_000, lock_ms: 900_000 } });


/** Runs the load process to its end and returns its one JSON line. */
function runLoad(args: readonly (string | number)[]): Promise<{ micros: number[]; seconds: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', LOAD, ...args.map(String)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as { micros: number[]; seconds: number }) : reject(new Error(`load exited ${String(code)}: ${err.slice(0, 500)}`))));
  });
}

/** 200 watchers in their own process: resolves once every one has its hello. */
async function startWatchers(url: string, key: string, clients: number): Promise<{ count(): Promise<number>; stop(): Promise<void> }> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', LOAD, 'watch', url, key, String(clients)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const next = async (): Promise<Record<string, number>> => {
    const r = await lines.next();
    if (r.done) throw new Error(`watchers ended: ${err.slice(0, 500)}`);
    return JSON.parse(r.value) as Record<string, number>;
  };
  await next();
  return {
    async count() {
      child.stdin.write('count\n');
      return (await next()).delivered!;
    },
    async stop() {
      child.stdin.end('stop\n');
      await new Promise((r) => child.on('exit', r));
    },
  };
}

export async function runServerBench(): Promise<Record<string, unknown>> {
  const sequential = Number(process.env.BENCH_SERVER_SEQUENTIAL ?? 2_000);
  const concurrent = Number(process.env.BENCH_SERVER_CONCURRENT ?? 8_000);
  const fanoutClients = Number(process.env.BENCH_SERVER_WATCHERS ?? 200);
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-server-'));
  const { config } = parseNodeConfig(benchNodeConfigText(dir), { env: {}, baseDir: dir });
  const node = await TradingNode.start(config);
  await node.run({ maxSteps: WARM_STEPS, keepOpen: true });
  const auth = createAuthService({ db: ':memory:', engine: node.engine });
  const { key } = await auth.keys.create('bench', ['trader']);
  const who = await auth.authenticate({ bearer: key, ip: '127.0.0.1' });
  if (!who.ok) throw new Error(`bench key refused: ${who.code}`);
  const origin: Origin = operatorOrigin(who.principal.operator);
  const server = await startServer(node, { config: benchServerConfig, auth, logger: pino({ level: 'silent' }) });
  const bare = await bareServer();
  // Every order anywhere in the run has its own price, whole cents down from just under the market.
  let used = 0;
  const firstPrice = (n: number): number => {
    const p = Math.floor(startPrice) - 1 - used / 100;
    used += n;
    return p;
  };
  const startPrice = closeOfBar(WARM_STEPS - 1);
  let seq = 0;
  const inProcess = async (price: number): Promise<void> => {
    const r = await submit(node, { clientOrderId: `b${seq++}`, instrumentId: 'BTCUSDT.BINANCEUS', accountId: 'ACC-1', side: 'BUY', type: 'LIMIT', quantity: '0.001', price: price.toFixed(2) }, origin);
    if (r.status === 'DENIED') throw new Error(`in-process order denied: ${JSON.stringify(r)}`);
  };
  const inProcessRun = async (n: number, concurrency: number): Promise<{ micros: number[]; seconds: number; busyMicrosPerOrder: number }> => {
    const p0 = firstPrice(n);
    const micros: number[] = [];
    let i = 0;
    const elu0 = performance.eventLoopUtilization();
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (i < n) {
          const price = p0 - i++ / 100;
          const t0 = process.hrtime.bigint();
          await inProcess(price);
          micros.push(Number(process.hrtime.bigint() - t0) / 1000);
        }
      }),
    );
    // The engine thread's event-loop busy time per order (its fsyncs included, and any time it
    // waited for a core while not idle): beside the throughput, where the fan-out's cost lands.
    const busyMicrosPerOrder = (performance.eventLoopUtilization(elu0).active * 1000) / n;
    return { micros, seconds: Number(process.hrtime.bigint() - started) / 1e9, busyMicrosPerOrder };
  };
  const httpRun = (n: number, concurrency: number) => runLoad(['http', server.url, key, concurrency, n, firstPrice(n)]);
  try {
    // Warm-up of both paths, then alternating rounds.
    await inProcessRun(300, 1);
    await httpRun(300, 1);
    const http: number[] = [];
    const local: number[] = [];
    const floor: number[] = [];
    const rounds = 4;
    for (let r = 0; r < rounds; r++) {
      const first = r % 2 === 0;
      if (first) local.push(...(await inProcessRun(sequential / rounds, 1)).micros);
      http.push(...(await httpRun(sequential / rounds, 1)).micros);
      floor.push(...(await runLoad(['http', bare.url, key, 1, sequential / rounds, 1])).micros);
      if (!first) local.push(...(await inProcessRun(sequential / rounds, 1)).micros);
    }
    const httpConcurrent = await httpRun(concurrent, 32);
    const localConcurrent = await inProcessRun(concurrent, 32);
    // Fan-out: rounds of the engine's own throughput without and with 200 watchers (connected
    // afresh each round); medians. One run is under a second: a single pair is mostly noise here.
    const aloneRates: number[] = [];
    const watchedRates: number[] = [];
    const aloneBusy: number[] = [];
    const watchedBusy: number[] = [];
    let delivered = 0;
    let records = 0;
    let watchedSeconds = 0;
    const aloneRun = async (): Promise<void> => {
      const alone = await inProcessRun(concurrent, 32);
      aloneRates.push(concurrent / alone.seconds);
      aloneBusy.push(alone.busyMicrosPerOrder);
    };
    const watchedRun = async (): Promise<void> => {
      const watchers = await startWatchers(server.url, key, fanoutClients);
      const before = await watchers.count();
      const recordsBefore = node.engine.lastSeq;
      const watched = await inProcessRun(concurrent, 32);
      // Let the watchers drain what was sent during the run before counting.
      await new Promise((res) => setTimeout(res, 500));
      delivered += (await watchers.count()) - before;
      records += node.engine.lastSeq - recordsBefore;
      watchedSeconds += watched.seconds;
      watchedRates.push(concurrent / watched.seconds);
      watchedBusy.push(watched.busyMicrosPerOrder);
      await watchers.stop();
    };
    // Which goes first alternates: every order rests, so each run starts with more open orders than the one before.
    for (let r = 0; r < FANOUT_ROUNDS; r++) {
      if (r % 2 === 0) {
        await aloneRun();
        await watchedRun();
      } else {
        await watchedRun();
        await aloneRun();
      }
    }
    const aloneRate = median(aloneRates);
    const watchedRate = median(watchedRates);
    const slowdown = Math.round((1 - watchedRate / aloneRate) * 1000) / 1000;
    const figures = {
      apiAddedP99Micros: round1(quantile(http, 0.99) - quantile(local, 0.99)),
      apiAddedP50Micros: round1(quantile(http, 0.5) - quantile(local, 0.5)),
      httpP50Micros: round1(quantile(http, 0.5)),
      httpP99Micros: round1(quantile(http, 0.99)),
      inProcessP50Micros: round1(quantile(local, 0.5)),
      inProcessP99Micros: round1(quantile(local, 0.99)),
      httpFloorP50Micros: round1(quantile(floor, 0.5)),
      httpFloorP99Micros: round1(quantile(floor, 0.99)),
      goalApiAddedP99Micros: GOAL_API_ADDED_P99_MICROS,
      ordersPerSecHttp: Math.round(concurrent / httpConcurrent.seconds),
      ordersPerSecInProcess: Math.round(concurrent / localConcurrent.seconds),
      httpConcurrentP99Micros: round1(quantile(httpConcurrent.micros, 0.99)),
      concurrentClients: 32,
      fanoutClients,
      fanoutEventsPerSecDelivered: Math.round(delivered / watchedSeconds),
      fanoutEventsDeliveredOfSent: records * fanoutClients > 0 ? Math.round((delivered / (records * fanoutClients)) * 1000) / 1000 : 0,
      engineOrdersPerSecAlone: Math.round(aloneRate),
      engineOrdersPerSecWatched: Math.round(watchedRate),
      fanoutEngineSlowdown: slowdown,
      fanoutRounds: { alone: aloneRates.map(Math.round), watched: watchedRates.map(Math.round) },
      engineBusyMicrosPerOrderAlone: round1(median(aloneBusy)),
      engineBusyMicrosPerOrderWatched: round1(median(watchedBusy)),
      fanout: 'live clients handed to the stream fan-out process (src/server/fanout.ts); watchers in one process of their own at normal priority',
      goalFanoutSlowdown: GOAL_FANOUT_SLOWDOWN,
      goalMet: quantile(http, 0.99) - quantile(local, 0.99) < GOAL_API_ADDED_P99_MICROS && slowdown < GOAL_FANOUT_SLOWDOWN,
      orders: { sequentialEachPath: sequential, concurrentPerRun: concurrent },
      setup: 'paper node (simulated Binance.US, risk gate on, SQLite journal) and the server on 127.0.0.1; clients in a second process (bench/server-load.ts); API key of role trader; each order a limit buy of its own price, answered when durable',
    };
    console.log(
      `server: HTTP p50 ${figures.httpP50Micros} µs p99 ${figures.httpP99Micros} µs vs in-process p50 ${figures.inProcessP50Micros} p99 ${figures.inProcessP99Micros}: API adds ${figures.apiAddedP99Micros} µs at p99 (goal < ${GOAL_API_ADDED_P99_MICROS}); ` +
        `a bare node:http server answering the same client: p50 ${figures.httpFloorP50Micros} µs p99 ${figures.httpFloorP99Micros} µs; ` +
        `${figures.ordersPerSecHttp} orders/s over HTTP with 32 clients (in-process ${figures.ordersPerSecInProcess}); ` +
        `${fanoutClients} watchers: ${figures.fanoutEventsPerSecDelivered} events/s delivered, engine ${figures.engineOrdersPerSecWatched} vs ${figures.engineOrdersPerSecAlone} orders/s alone (slowdown ${slowdown}, goal < ${GOAL_FANOUT_SLOWDOWN}); ` +
        `the engine thread busy ${figures.engineBusyMicrosPerOrderWatched} vs ${figures.engineBusyMicrosPerOrderAlone} µs per order`,
    );
    recordResult('server', figures);
    return figures;
  } finally {
    bare.server.close();
    await server.close();
    await node.stop();
    await auth.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The floor under the API's latency on this machine: a bare node:http server in this process
 * answering any POST with 201 and a small JSON body, for the same load client over the same
 * loopback. What HTTP between two processes costs here before the API does anything.
 */
function bareServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

/** The close of the file's bar `i` (0 first): the reference price the gate's collar is around after the warm-up. */
function closeOfBar(i: number): number {
  const line = readFileSync(DATA, 'utf8').split('\n', i + 2)[i + 1]!;
  return Number(line.split(',')[4]);
}
