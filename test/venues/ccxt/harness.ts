/**
 * An engine trading through the ccxt adapter and a LIVE executor against a local fake exchange
 * (test/support), the real ccxt client in between: what a live node wires, without the node.
 */
import type { Exchange } from 'ccxt';
import { expect } from 'vitest';
import { WallClock } from '../../../src/engine/clock.ts';
import { Engine } from '../../../src/engine/engine.ts';
import { MemoryJournal } from '../../../src/engine/journal.ts';
import type { EngineAlert } from '../../../src/engine/topics.ts';
import { Executor } from '../../../src/execution/executor.ts';
import { RealTimer } from '../../../src/execution/timer.ts';
import { Money } from '../../../src/model/money.ts';
import type { OrderEvent } from '../../../src/model/orders/events.ts';
import { CcxtVenue } from '../../../src/venues/ccxt/ccxt-venue.ts';
import { createCcxtClient } from '../../../src/venues/ccxt/client.ts';
import { currenciesFor, findMarket, instrumentSpecOf } from '../../../src/venues/ccxt/markets.ts';
import { profileFor } from '../../../src/venues/ccxt/profiles.ts';
import type { FakeExchangeServer } from '../../support/fake-binance/types.ts';
import { behindLiveExecutor } from '../live-wiring.ts';

export interface Harness {
  readonly engine: Engine;
  readonly journal: MemoryJournal;
  readonly adapter: CcxtVenue;
  readonly executor: Executor;
  readonly client: Exchange;
  readonly events: OrderEvent[];
  readonly alerts: EngineAlert[];
  close(): Promise<void>;
}

/** Polls until `cond` holds (the fake answers over real sockets), failing with `what` after 5 s. */
export async function until(cond: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface HarnessOptions {
  readonly streams?: { baseBackoffMs: number; maxBackoffMs: number };
  /** The venue's name in the node (default BINANCE). */
  readonly venueId?: string;
  /** The engine account's type (default CASH; MARGIN for perpetuals). */
  readonly accountType?: 'CASH' | 'MARGIN';
  /** ccxt options over the profile's. */
  readonly options?: Readonly<Record<string, unknown>>;
  /**
   * ccxt's client-side throttle (default on). Kraken's costs (3 s for a balance or a WebSocket
   * token at the starter tier) outlast the harness's waits; the fakes limit only by fault.
   */
  readonly throttle?: boolean;
}

export async function connectHarness(server: FakeExchangeServer, exchange: string, symbols: readonly { id: string; symbol: string }[], o: HarnessOptions = {}): Promise<Harness> {
  const profile = profileFor(exchange);
  const client = await createCcxtClient(
    { exchange, sandbox: false, apiKey: server.apiKey, secret: server.secret, urls: server.urls, options: o.options ?? {}, timeoutMs: 2_000, heartbeatMs: 1_000 },
    profile,
  );
  if (o.throttle === false) client.enableRateLimit = false;
  const markets = Object.values(await client.loadMarkets()).filter((m) => m !== undefined);
  const clock = new WallClock();
  const journal = new MemoryJournal();
  const engine = new Engine({ clock, journal });
  const chosen = symbols.map((s) => ({ ...s, market: findMarket(markets, s.symbol) }));
  const currencies = currenciesFor(chosen.map((c) => c.market), 'TICK_SIZE', () => undefined);
  const timer = new RealTimer();
  const adapter = new CcxtVenue({
    id: o.venueId ?? 'BINANCE',
    exchange: client,
    profile,
    accountId: 'A',
    clock,
    currencyOf: (code) => currencies.get(code)!,
    streams: { timer, ...(o.streams ?? { baseBackoffMs: 50, maxBackoffMs: 200 }) },
    onAlert: (code, message) => engine.bus.publish('alert', { code, message, context: {}, ts: clock.now() }),
  });
  for (const c of chosen) adapter.register(await engine.registerInstrument(instrumentSpecOf(c.id, c.market, 'TICK_SIZE', currencies)), c.market.symbol);
  const balance = await client.fetchBalance();
  const totals = balance.total as unknown as Record<string, number>;
  await engine.openAccount({ id: 'A', type: o.accountType ?? 'CASH', balances: [...currencies.values()].map((c) => Money.of(String(totals[c.code] ?? 0), c)) });
  const wired = behindLiveExecutor(engine, adapter, { clock, timer });
  return { engine, journal, adapter, client, ...wired };
}

/** The order's status in the engine once it reaches `status`. */
export async function statusOf(h: Harness, id: string, status: string): Promise<void> {
  await until(() => h.engine.order(id)?.status === status, `${id} ${status} (is ${String(h.engine.order(id)?.status)})`);
  expect(h.engine.order(id)!.status).toBe(status);
}
