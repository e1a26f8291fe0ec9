/**
 * An engine trading through the MT5 adapter and a LIVE executor against the fake DWX bridge (real
 * ZeroMQ sockets on 127.0.0.1, the zeromq client in between): what a live node wires, without the node.
 */
import { WallClock } from '../../../src/engine/clock.ts';
import { Engine } from '../../../src/engine/engine.ts';
import { MemoryJournal } from '../../../src/engine/journal.ts';
import type { EngineAlert } from '../../../src/engine/topics.ts';
import { Executor } from '../../../src/execution/executor.ts';
import { RealTimer } from '../../../src/execution/timer.ts';
import { Money } from '../../../src/model/money.ts';
import type { OrderEvent } from '../../../src/model/orders/events.ts';
import { Mt5VenueConfigSchema } from '../../../src/venues/mt5/config.ts';
import { Mt5Venue } from '../../../src/venues/mt5/mt5-venue.ts';
import type { FakeMt5Bridge } from '../../support/fake-mt5/fake-bridge.ts';
import { until } from '../ccxt/harness.ts';
import { behindLiveExecutor } from '../live-wiring.ts';

export { until };

export const EURUSD = 'EURUSD.MT5';

export const EURUSD_SPEC = { symbol: 'EURUSD', digits: 5, point: '0.00001', volumeMin: '0.01', volumeMax: '50', volumeStep: '0.01', contractSize: '100000', base: 'EUR', profit: 'USD' };

export interface Harness {
  readonly engine: Engine;
  readonly journal: MemoryJournal;
  readonly adapter: Mt5Venue;
  readonly executor: Executor;
  readonly events: OrderEvent[];
  readonly alerts: EngineAlert[];
  readonly venueAlerts: string[];
  close(): Promise<void>;
}

/** The adapter's config for the fake's ports, quick timings for tests. */
export function configFor(bridge: FakeMt5Bridge, over: Record<string, unknown> = {}) {
  const p = bridge.endpoints;
  return Mt5VenueConfigSchema.parse({ type: 'mt5', host: '127.0.0.1', command_port: p.commandPort, reply_port: p.replyPort, price_port: p.pricePort, call_timeout_ms: 1_000, heartbeat_ms: 200, poll_ms: 150, ...over });
}

/** A harness on a fresh journal, or on `journal` (a node restarted: the engine recovered from it and the adapter told its orders). */
export async function connectHarness(bridge: FakeMt5Bridge, journal?: MemoryJournal): Promise<Harness> {
  const clock = new WallClock();
  const timer = new RealTimer();
  const venueAlerts: string[] = [];
  const j = journal ?? new MemoryJournal();
  const engine = journal ? await Engine.fromJournal(j, { clock }) : new Engine({ clock, journal: j });
  const adapter = new Mt5Venue(configFor(bridge), {
    name: 'MT5',
    accountId: 'A',
    clock,
    timer,
    onAlert: (code, message) => {
      venueAlerts.push(`${code}: ${message}`);
      engine.bus.publish('alert', { code, message, context: {}, ts: clock.now() });
    },
  });
  await adapter.open();
  if (!journal) {
    const spec = await adapter.instrumentSpec(EURUSD, 'EURUSD');
    const instrument = await engine.registerInstrument(spec);
    await engine.openAccount({ id: 'A', type: 'MARGIN', balances: [Money.of('10000', instrument.settlement)] });
  }
  adapter.register(engine.instrument(EURUSD), 'EURUSD');
  adapter.remember([...engine.openOrders()].map((o) => ({ spec: o.spec, venueOrderId: o.venueOrderId })));
  const wired = behindLiveExecutor(engine, adapter, { clock, timer });
  return { engine, journal: j, adapter, venueAlerts, ...wired };
}

/** The order's status in the engine once it reaches `status`. */
export async function statusOf(h: Harness, id: string, status: string): Promise<void> {
  await until(() => h.engine.order(id)?.status === status, `${id} ${status} (is ${String(h.engine.order(id)?.status)})`);
}

/** The fills the engine booked: [order, qty, price]. */
export function fills(h: Harness): string[][] {
  return h.events.filter((e) => e.kind === 'OrderFilled').map((f) => [f.clientOrderId, f.lastQty.toString(), f.lastPx.toString(), f.tradeId]);
}
