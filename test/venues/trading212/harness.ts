/**
 * An engine trading through the Trading 212 adapter and a LIVE executor against the local fake
 * Trading 212 (test/support/fake-trading212), the adapter's own HTTP client in between: what a
 * live node wires, without the node. Rate limits are the documented ones scaled down in time
 * (the same table for the fake and the client), so a test runs in seconds.
 */
import { WallClock } from '../../../src/engine/clock.ts';
import { Engine } from '../../../src/engine/engine.ts';
import { MemoryJournal } from '../../../src/engine/journal.ts';
import type { EngineAlert } from '../../../src/engine/topics.ts';
import { Executor } from '../../../src/execution/executor.ts';
import { RealTimer } from '../../../src/execution/timer.ts';
import { Money } from '../../../src/model/money.ts';
import type { OrderEvent } from '../../../src/model/orders/events.ts';
import { createTrading212Venue } from '../../../src/venues/trading212/index.ts';
import type { RateLimit, T212Endpoint } from '../../../src/venues/trading212/rate-limits.ts';
import type { Trading212Venue } from '../../../src/venues/trading212/venue.ts';
import { startFakeTrading212, type FakeTrading212 } from '../../support/fake-trading212/index.ts';
import { text } from '../../support/fake-trading212/decimal.ts';
import { behindLiveExecutor } from '../live-wiring.ts';

export { until } from '../ccxt/harness.ts';

export const AAPL = 'AAPL.T212';
export const KEY = '35839398ZFVKUxpHzPiVsxKdOtZdaDJSrvyPF-test';
export const SECRET = 'not-a-real-secret-7MOz';

/** The documented limits, periods scaled down 20× (a minute is 3 s). */
export const TEST_LIMITS: Readonly<Record<T212Endpoint, RateLimit>> = {
  ORDER_MARKET: { limit: 50, periodMs: 3_000 },
  ORDER_LIMIT: { limit: 1, periodMs: 100 },
  ORDER_STOP: { limit: 1, periodMs: 100 },
  ORDER_STOP_LIMIT: { limit: 1, periodMs: 100 },
  ORDER_CANCEL: { limit: 50, periodMs: 3_000 },
  ORDERS: { limit: 1, periodMs: 250 },
  ORDER_BY_ID: { limit: 1, periodMs: 50 },
  POSITIONS: { limit: 1, periodMs: 50 },
  ACCOUNT_SUMMARY: { limit: 1, periodMs: 250 },
  HISTORY_ORDERS: { limit: 6, periodMs: 3_000 },
  INSTRUMENTS: { limit: 1, periodMs: 2_500 },
};

export async function startFake(cash = '10000'): Promise<FakeTrading212> {
  return startFakeTrading212({
    apiKey: KEY,
    secret: SECRET,
    currency: 'USD',
    cash,
    sellTax: '0.01',
    tickers: ['AAPL_US_EQ'],
    limits: TEST_LIMITS,
    instruments: [
      { ticker: 'AAPL_US_EQ', currencyCode: 'USD', type: 'STOCK', name: 'Apple', shortName: 'AAPL', isin: 'US0378331005', maxOpenQuantity: 5000, minTradeQuantity: 0.01, addedOn: '2018-07-06T00:00:00.000+03:00', workingScheduleId: 71 },
      { ticker: 'BTCE_XX_EQ', currencyCode: 'EUR', type: 'CRYPTOCURRENCY' },
    ],
  });
}

export interface Harness {
  readonly engine: Engine;
  readonly journal: MemoryJournal;
  readonly adapter: Trading212Venue;
  readonly executor: Executor;
  readonly events: OrderEvent[];
  readonly alerts: EngineAlert[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly journal?: MemoryJournal;
  readonly requestTimeoutMs?: number;
  readonly maxQueueMs?: number;
}

/** An engine (new, or recovered from `journal`) trading the fake through a fresh adapter. */
export async function connectHarness(fake: FakeTrading212, o: HarnessOptions = {}): Promise<Harness> {
  const clock = new WallClock();
  const timer = new RealTimer();
  const journal = o.journal ?? new MemoryJournal();
  const engine = o.journal ? await Engine.fromJournal(journal, { clock }) : new Engine({ clock, journal });
  const adapter = createTrading212Venue(
    { type: 'trading212', environment: 'demo', api_key: KEY, secret: SECRET, base_url: fake.baseUrl, poll_interval_ms: 50, down_after_failures: 3, request_timeout_ms: o.requestTimeoutMs ?? 1_500, max_queue_ms: o.maxQueueMs ?? 1_000, rate_guard_ms: 20, tick_size: '0.01', quantity_step: '0.0001' },
    { name: 'T212', accountId: 'A', clock, timer, onAlert: (code, message) => engine.bus.publish('alert', { code, message, context: {}, ts: clock.now() }) },
    TEST_LIMITS,
  ) as Trading212Venue;
  await adapter.open();
  const spec = await adapter.instrumentSpec(AAPL, 'AAPL_US_EQ');
  const inst = o.journal ? engine.instrument(AAPL) : await engine.registerInstrument(spec);
  adapter.register(inst, 'AAPL_US_EQ');
  if (!o.journal) await engine.openAccount({ id: 'A', type: 'CASH', balances: [Money.of(text(fake.book.cash), spec.quote)] });
  else adapter.remember([...engine.openOrders()].map((x) => ({ spec: x.spec, venueOrderId: x.venueOrderId })));
  const wired = behindLiveExecutor(engine, adapter, { clock, timer, retry: { baseDelayMs: 50, maxDelayMs: 400, queryRoundDelayMs: 300, notFoundGraceMs: 300 } });
  return { engine, journal, adapter, ...wired };
}
