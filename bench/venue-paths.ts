/**
 * The two ways an order makes its round trip to the fake Binance spot (test/support/fake-binance)
 * in the `venue` bench, each on its own fake server so that neither client hears the other's
 * execution reports while it is being timed:
 * - WARDEN: engine → LIVE executor → CcxtVenue → ccxt, the reports back the same way (the wiring of
 *   test/venues/ccxt/harness.ts, without vitest);
 * - RAW: the same ccxt client configuration driven directly, the reports read off watchOrders /
 *   watchMyTrades loops.
 * A round trip ends when its last message is seen: times are taken where the message arrives
 * (the engine's bus, the watch loop), not where the waiting code resumes.
 */
import type { Exchange, Order as CcxtOrder, Trade as CcxtTrade } from 'ccxt';
import { performance } from 'node:perf_hooks';
import { WallClock } from '../src/engine/clock.ts';
import { Engine } from '../src/engine/engine.ts';
import { MemoryJournal } from '../src/engine/journal.ts';
import { guardConnection } from '../src/execution/connection-guard.ts';
import { Executor } from '../src/execution/executor.ts';
import { RealTimer } from '../src/execution/timer.ts';
import { Money } from '../src/model/money.ts';
import { CcxtVenue } from '../src/venues/ccxt/ccxt-venue.ts';
import { createCcxtClient } from '../src/venues/ccxt/client.ts';
import { currenciesFor, findMarket, instrumentSpecOf } from '../src/venues/ccxt/markets.ts';
import { profileFor } from '../src/venues/ccxt/profiles.ts';
import { startFakeBinance, type FakeBinanceServer } from '../test/support/fake-binance/index.ts';

export const SYMBOL = 'BTC/USDT';
const INSTRUMENT = 'BTCUSDT.BINANCE';
const QTY = '0.01';
/** Far below the bid (30000.00): rests until canceled. */
const RESTING_PX = '29000.00';
/** How long any one answer may take (raise it for a run under a profiler such as valgrind, which slows everything ~50x). */
const WAIT_MS = Number(process.env.BENCH_VENUE_TIMEOUT_MS ?? 5_000);

/**
 * One round trip in microseconds from the submit: `total` to its end (filled; canceled), `accepted`
 * to the acceptance (Warden: OrderAccepted; raw: createOrder's answer), `atVenue` to the fake's
 * matching core acting on the last request (the order placed; the cancel done), so the way out and
 * the way back can be told apart, and `streamed` (raw only) to the stream's message, which may come
 * before the REST answer.
 */
export interface RoundTrip {
  readonly total: number;
  readonly accepted: number;
  readonly atVenue: number;
  readonly streamed?: number;
  /** A cancel's: when the cancel was asked for (the way out of the cancel is `atVenue - cancelSent`). */
  readonly cancelSent?: number;
}

/** Submit → filled (a market order), and submit → accepted → cancel → canceled (a resting limit). */
export interface OrderPath {
  readonly name: 'WARDEN' | 'RAW';
  readonly server: FakeBinanceServer;
  fill(n: number): Promise<RoundTrip>;
  cancel(n: number): Promise<RoundTrip>;
  close(): Promise<void>;
}

/**
 * Resolves once the client's user stream delivers: the subscription is signed and confirmed over
 * the WebSocket API some time after the first watch call, and reports before it are not pushed.
 * Probe orders (sides alternating) go until the stream brings one's trade; an order the adapter
 * did not send is looked up once and ignored.
 */
async function streamLive(client: Exchange): Promise<void> {
  let seen = false;
  const trade = client.watchMyTrades().then(() => void (seen = true));
  for (let k = 0; !seen; k++) {
    if (k === 60) throw new Error('venue bench: the user stream delivered nothing in 60 probes');
    await client.createOrder(SYMBOL, 'market', k % 2 ? 'sell' : 'buy', Number(QTY), undefined, { clientOrderId: `probe-${k}` });
    await Promise.race([trade, new Promise((r) => setTimeout(r, 1_000))]);
  }
}

/**
 * First arrival time (performance.now()) of each key; a waiter gets it whether it came before or
 * after it asked. A wait costs no timer of its own: one sweep a second fails those past WAIT_MS
 * (a timer per wait would be set up inside the timed span, on the way out for Warden's waits, which
 * are asked for right after the submit, and after the answer for raw ccxt's).
 */
class Arrivals {
  private readonly seen = new Map<string, number>();
  private readonly waiting = new Map<string, { resolve: (t: number) => void; reject: (e: Error) => void; until: number }>();
  private readonly sweep = setInterval(() => {
    const now = performance.now();
    for (const [key, w] of this.waiting) {
      if (w.until > now) continue;
      this.waiting.delete(key);
      w.reject(new Error(`venue bench: no ${key} within ${WAIT_MS} ms`));
    }
  }, 1_000).unref();

  mark(key: string): void {
    const at = performance.now();
    const w = this.waiting.get(key);
    if (w) {
      this.waiting.delete(key);
      w.resolve(at);
    } else if (!this.seen.has(key)) this.seen.set(key, at);
  }

  when(key: string): Promise<number> {
    const at = this.seen.get(key);
    if (at !== undefined) {
      this.seen.delete(key);
      return Promise.resolve(at);
    }
    return new Promise((resolve, reject) => this.waiting.set(key, { resolve, reject, until: performance.now() + WAIT_MS }));
  }

  /** Stops the sweep (the path is closed). */
  stop(): void {
    clearInterval(this.sweep);
  }

  /** Forgets arrivals nobody waited for (an order's other messages): called between round trips, it keeps the table small. */
  clear(): void {
    this.seen.clear();
  }
}

/** A fake Binance with enough of both assets for thousands of round trips (sides alternate so neither runs out), and when its matching core acted on each order (`<client id> <NEW|TRADE|CANCELED>`). */
async function startServer(): Promise<{ server: FakeBinanceServer; venue: Arrivals }> {
  const server = await startFakeBinance({ kind: 'spot', balances: { USDT: '10000000', BTC: '100' } });
  server.matching.quote('BTCUSDT', '30000.00', '30001.00');
  const venue = new Arrivals();
  server.matching.onExecution((e) => venue.mark(`${e.order.clientOrderId} ${e.exec}`));
  return { server, venue };
}

/**
 * The client both paths use: the adapter's own factory and profile. ccxt's request throttle is
 * off on both: Binance's 50 ms spacing would time ccxt's limiter, not the round trip. The
 * keepalive is relaxed: on a loaded machine a pong late by two seconds would drop the stream
 * mid-run (the bench times round trips, not the keepalive).
 */
async function clientFor(server: FakeBinanceServer): Promise<Exchange> {
  const client = await createCcxtClient(
    { exchange: 'binance', sandbox: false, apiKey: server.apiKey, secret: server.secret, urls: server.urls, options: {}, timeoutMs: WAIT_MS, heartbeatMs: Math.max(30_000, 6 * WAIT_MS) },
    profileFor('binance'),
  );
  client.enableRateLimit = false;
  return client;
}

const side = (n: number): 'BUY' | 'SELL' => (n % 2 ? 'SELL' : 'BUY');

export async function wardenPath(): Promise<OrderPath> {
  const { server, venue } = await startServer();
  const client = await clientFor(server);
  const profile = profileFor('binance');
  const markets = Object.values(await client.loadMarkets()).filter((m) => m !== undefined);
  const clock = new WallClock();
  const engine = new Engine({ clock, journal: new MemoryJournal() });
  const market = findMarket(markets, SYMBOL);
  const currencies = currenciesFor([market], 'TICK_SIZE', () => undefined);
  const timer = new RealTimer();
  const adapter = new CcxtVenue({
    id: 'BINANCE',
    exchange: client,
    profile,
    accountId: 'A',
    clock,
    currencyOf: (code) => currencies.get(code)!,
    streams: { timer, baseBackoffMs: 50, maxBackoffMs: 200 },
    onAlert: (code, message) => engine.bus.publish('alert', { code, message, context: {}, ts: clock.now() }),
  });
  adapter.register(await engine.registerInstrument(instrumentSpecOf(INSTRUMENT, market, 'TICK_SIZE', currencies)), market.symbol);
  const totals = (await client.fetchBalance()).total as unknown as Record<string, number>;
  await engine.openAccount({ id: 'A', type: 'CASH', balances: [...currencies.values()].map((c) => Money.of(String(totals[c.code] ?? 0), c)) });
  const executor = new Executor(adapter, { mode: 'LIVE', clock, timer, callTimeoutMs: WAIT_MS, reportTimeoutMs: WAIT_MS, retry: { baseDelayMs: 20, maxDelayMs: 200, queryRoundDelayMs: 200, notFoundGraceMs: 100 } });
  const arrivals = new Arrivals();
  engine.bus.subscribe('order', (e) => arrivals.mark(`${e.clientOrderId} ${e.kind}`));
  engine.bus.subscribe('alert', (a) => console.error(`venue bench: alert ${a.code}: ${a.message}`));
  engine.addVenue(executor);
  guardConnection(engine, executor);
  await streamLive(client);

  const forgetAll = () => {
    arrivals.clear();
    venue.clear();
  };
  /**
   * Until nothing of the last round trip is still under way (untimed). Warden's round trip ends
   * when the engine has its report, often off the stream before the REST answer of the same call
   * is back; raw ccxt's ends only once its REST call has answered. Left running, that answer's
   * reading (HTTP, ccxt's parsing, the adapter) would be timed into the next order's way out, and
   * its connection would still be busy when the next request is to go on it.
   */
  const quiet = async () => {
    await executor.idle();
    await adapter.settled();
  };
  const submit = async (order: Parameters<Engine['submitOrder']>[0]) => {
    const r = await engine.submitOrder(order);
    if (r.denied.length) throw new Error(`venue bench: ${order.clientOrderId} denied: ${JSON.stringify(r.denied)}`);
  };
  return {
    name: 'WARDEN',
    server,
    async fill(n) {
      const id = `wf-${n}`;
      forgetAll();
      const t0 = performance.now();
      await submit({ clientOrderId: id, accountId: 'A', instrumentId: INSTRUMENT, side: side(n), type: 'MARKET', quantity: QTY });
      const [accepted, filled, traded] = await Promise.all([arrivals.when(`${id} OrderAccepted`), arrivals.when(`${id} OrderFilled`), venue.when(`${id} TRADE`)]);
      if (engine.order(id)?.status !== 'FILLED') throw new Error(`venue bench: ${id} is ${String(engine.order(id)?.status)}`);
      await quiet();
      return { total: (filled - t0) * 1000, accepted: (accepted - t0) * 1000, atVenue: (traded - t0) * 1000 };
    },
    async cancel(n) {
      const id = `wc-${n}`;
      forgetAll();
      const t0 = performance.now();
      await submit({ clientOrderId: id, accountId: 'A', instrumentId: INSTRUMENT, side: 'BUY', type: 'LIMIT', quantity: QTY, price: RESTING_PX });
      const accepted = await arrivals.when(`${id} OrderAccepted`);
      const cancelSent = performance.now();
      await engine.cancelOrder(id);
      const [canceled, done] = await Promise.all([arrivals.when(`${id} OrderCanceled`), venue.when(`${id} CANCELED`)]);
      await quiet();
      return { total: (canceled - t0) * 1000, accepted: (accepted - t0) * 1000, atVenue: (done - t0) * 1000, cancelSent: (cancelSent - t0) * 1000 };
    },
    async close() {
      arrivals.stop();
      venue.stop();
      await adapter.close();
      await executor.idle();
      await server.close();
    },
  };
}

/** Watches a ccxt.pro stream until stopped, handing each batch on. */
async function watchLoop<T>(running: () => boolean, watch: () => Promise<T[]>, take: (items: T[]) => void): Promise<void> {
  while (running()) {
    try {
      take(await watch());
    } catch (e) {
      if (running()) throw e;
    }
  }
}

export async function rawPath(): Promise<OrderPath> {
  const { server, venue } = await startServer();
  const client = await clientFor(server);
  await client.loadMarkets();
  const arrivals = new Arrivals();
  let running = true;
  const loops = [
    watchLoop(() => running, () => client.watchOrders(), (orders: CcxtOrder[]) => orders.forEach((o) => arrivals.mark(`${String(o.id)} ${String(o.status)}`))),
    watchLoop(() => running, () => client.watchMyTrades(), (trades: CcxtTrade[]) => trades.forEach((t) => arrivals.mark(`${String(t.order)} trade`))),
  ];
  const failed = Promise.all(loops).catch((e: unknown) => console.error(`venue bench: raw stream failed: ${(e as Error).message}`));
  await streamLive(client);
  const forgetAll = () => {
    arrivals.clear();
    venue.clear();
  };
  return {
    name: 'RAW',
    server,
    async fill(n) {
      const id = `rf-${n}`;
      forgetAll();
      const t0 = performance.now();
      const o = await client.createOrder(SYMBOL, 'market', side(n) === 'BUY' ? 'buy' : 'sell', Number(QTY), undefined, { clientOrderId: id });
      const answered = performance.now();
      if (o.status !== 'closed') throw new Error(`venue bench: raw market order ${String(o.id)} is ${String(o.status)}`);
      const [filled, traded] = await Promise.all([arrivals.when(`${String(o.id)} trade`), venue.when(`${id} TRADE`)]);
      return { total: (Math.max(filled, answered) - t0) * 1000, accepted: (answered - t0) * 1000, atVenue: (traded - t0) * 1000, streamed: (filled - t0) * 1000 };
    },
    async cancel(n) {
      const id = `rc-${n}`;
      forgetAll();
      const t0 = performance.now();
      const o = await client.createOrder(SYMBOL, 'limit', 'buy', Number(QTY), Number(RESTING_PX), { clientOrderId: id });
      const accepted = performance.now();
      if (o.status !== 'open' || o.id === undefined) throw new Error(`venue bench: raw limit order ${String(o.id)} is ${String(o.status)}`);
      const cancelSent = performance.now();
      await client.cancelOrder(o.id, SYMBOL);
      const answered = performance.now();
      const [canceled, done] = await Promise.all([arrivals.when(`${String(o.id)} canceled`), venue.when(`${id} CANCELED`)]);
      return { total: (Math.max(canceled, answered) - t0) * 1000, accepted: (accepted - t0) * 1000, atVenue: (done - t0) * 1000, streamed: (canceled - t0) * 1000, cancelSent: (cancelSent - t0) * 1000 };
    },
    async close() {
      running = false;
      arrivals.clear();
      arrivals.stop();
      venue.stop();
      await client.close();
      await failed;
      await server.close();
    },
  };
}
