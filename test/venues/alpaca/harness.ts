/**
 * An engine trading through the Alpaca adapter and a LIVE executor against the local fake Alpaca
 * (test/support/fake-alpaca), the real @alpacahq/alpaca-trade-api client in between: what a
 * live node wires, without the node. A second harness can be recovered from a first one's journal
 * (a node restart).
 */
import type { EngineAlert } from '../../../src/engine/topics.ts';
import { WallClock } from '../../../src/engine/clock.ts';
import { Engine } from '../../../src/engine/engine.ts';
import { MemoryJournal } from '../../../src/engine/journal.ts';
import { OrderEmulator } from '../../../src/execution/emulation/emulator.ts';
import { Executor } from '../../../src/execution/executor.ts';
import type { VenueCapabilities } from '../../../src/engine/venue.ts';
import { RealTimer } from '../../../src/execution/timer.ts';
import { Currencies } from '../../../src/model/currency.ts';
import { Money } from '../../../src/model/money.ts';
import type { OrderEvent } from '../../../src/model/orders/events.ts';
import type { AlpacaVenue } from '../../../src/venues/alpaca/alpaca-venue.ts';
import { createAlpacaVenue, type AlpacaVenueConfig } from '../../../src/venues/alpaca/index.ts';
import type { FakeAlpacaServer } from '../../support/fake-alpaca/index.ts';
import { until } from '../ccxt/harness.ts';
import { behindLiveExecutor } from '../live-wiring.ts';

export { until };

export const AAPL = 'AAPL.ALPACA';

export interface AlpacaHarness {
  readonly engine: Engine;
  readonly journal: MemoryJournal;
  readonly adapter: AlpacaVenue;
  readonly executor: Executor;
  readonly events: OrderEvent[];
  readonly alerts: EngineAlert[];
  /** The order emulator, told the adapter's capabilities (or `emulator.capabilities`). */
  readonly emulator: OrderEmulator;
  close(): Promise<void>;
}

export function configFor(server: FakeAlpacaServer, over: Partial<AlpacaVenueConfig> = {}): AlpacaVenueConfig {
  return { type: 'alpaca', api_key: server.keyId, secret: server.secret, base_url: server.baseUrl, stream_url: server.streamUrl, data_stream_url: server.dataStreamUrl, timeout_ms: 1_000, reconnect_base_ms: 50, reconnect_max_ms: 200, ...over };
}

export interface HarnessOptions {
  readonly symbols?: readonly { id: string; symbol: string }[];
  /** Recover the engine from this journal (a restart) instead of opening the account afresh. */
  readonly journal?: MemoryJournal;
  readonly config?: Partial<AlpacaVenueConfig>;
  /** What the emulator is told Alpaca holds, in place of the adapter's capabilities (a venue without lists). */
  readonly capabilities?: Partial<VenueCapabilities>;
}

export async function connectAlpaca(server: FakeAlpacaServer, o: HarnessOptions = {}): Promise<AlpacaHarness> {
  const clock = new WallClock();
  const timer = new RealTimer();
  const journal = o.journal ?? new MemoryJournal();
  const engine = o.journal ? await Engine.fromJournal(o.journal, { clock }) : new Engine({ clock, journal });
  const adapter = createAlpacaVenue(configFor(server, o.config), {
    name: 'ALPACA',
    accountId: 'A',
    clock,
    timer,
    onAlert: (code, message) => engine.bus.publish('alert', { code, message, context: {}, ts: clock.now() }),
  }) as AlpacaVenue;
  const symbols = o.symbols ?? [{ id: AAPL, symbol: 'AAPL' }];
  for (const s of symbols) {
    const spec = await adapter.instrumentSpec(s.id, s.symbol);
    adapter.register(o.journal ? engine.instrument(s.id) : await engine.registerInstrument(spec), s.symbol);
  }
  if (!o.journal) await engine.openAccount({ id: 'A', type: 'CASH', balances: [Money.of(server.book.cash, Currencies.USD)] });
  adapter.remember([...engine.openOrders()].map((x) => ({ spec: x.spec, venueOrderId: x.venueOrderId })));
  await adapter.open();
  const wired = behindLiveExecutor(engine, adapter, { clock, timer });
  const emulator = new OrderEmulator(engine, { capabilities: [{ id: 'ALPACA', capabilities: { ...adapter.capabilities, ...o.capabilities } }] });
  if (o.journal) await emulator.recover();
  emulator.start();
  return {
    engine,
    journal,
    adapter,
    executor: wired.executor,
    events: wired.events,
    alerts: wired.alerts,
    emulator,
    close: async () => {
      emulator.stop();
      await wired.close();
    },
  };
}

/** Waits until the order is `status` in the engine. */
export async function statusOf(h: AlpacaHarness, id: string, status: string, ms = 5_000): Promise<void> {
  await until(() => h.engine.order(id)?.status === status, `${id} ${status} (is ${String(h.engine.order(id)?.status)})`, ms);
}

type Filled = Extract<OrderEvent, { kind: 'OrderFilled' }>;

/** The fills the engine booked, of one order or all, in order. */
export const fillsOf = (h: AlpacaHarness, id?: string): Filled[] => h.events.filter((e): e is Filled => e.kind === 'OrderFilled' && (id === undefined || e.clientOrderId === id));
