/**
 * An engine trading through the IBKR adapter and a LIVE executor against the fake TWS
 * (test/support/fake-ibkr), the real @stoqey/ib client in between: what a live node wires,
 * without the node. `restart` builds a second engine from the first one's journal and a new
 * adapter, as a node restarted after a crash would.
 */
import { expect } from 'vitest';
import { WallClock } from '../../../src/engine/clock.ts';
import { Engine } from '../../../src/engine/engine.ts';
import { MemoryJournal } from '../../../src/engine/journal.ts';
import type { EngineAlert } from '../../../src/engine/topics.ts';
import type { VenueReport } from '../../../src/engine/venue.ts';
import { Executor } from '../../../src/execution/executor.ts';
import { RealTimer } from '../../../src/execution/timer.ts';
import { Money } from '../../../src/model/money.ts';
import type { OrderEvent } from '../../../src/model/orders/events.ts';
import { IbkrVenueConfigSchema, type IbkrVenueConfig } from '../../../src/venues/ibkr/config.ts';
import { IbkrVenue } from '../../../src/venues/ibkr/ibkr-venue.ts';
import type { FakeTws } from '../../support/fake-ibkr/server.ts';
import { until } from '../ccxt/harness.ts';
import { behindLiveExecutor } from '../live-wiring.ts';

export { until };

export const AAPL = 'AAPL.IBKR';
export const MSFT = 'MSFT.IBKR';

export interface Harness {
  readonly engine: Engine;
  readonly journal: MemoryJournal;
  readonly adapter: IbkrVenue;
  readonly executor: Executor;
  readonly events: OrderEvent[];
  readonly alerts: EngineAlert[];
  /** Every report the adapter gave, before the executor and the engine (which would drop a duplicate fill). */
  readonly reports: VenueReport[];
  close(): Promise<void>;
}

export function ibkrConfig(tws: FakeTws, over: Partial<Record<keyof IbkrVenueConfig, unknown>> = {}): IbkrVenueConfig {
  return IbkrVenueConfigSchema.parse({
    type: 'ibkr',
    host: '127.0.0.1',
    port: tws.port,
    client_id: 7,
    connect_timeout_ms: 3_000,
    ack_timeout_ms: 1_000,
    query_timeout_ms: 2_000,
    commission_wait_ms: 500,
    reconnect_base_ms: 50,
    reconnect_max_ms: 400,
    ...over,
  });
}

const SYMBOLS = [
  { id: AAPL, symbol: 'AAPL' },
  { id: MSFT, symbol: 'MSFT' },
];

/** A fresh engine (or one recovered from `journal`) trading at the fake TWS through a new adapter. */
export async function connectHarness(tws: FakeTws, o: { journal?: MemoryJournal; config?: Partial<Record<keyof IbkrVenueConfig, unknown>> } = {}): Promise<Harness> {
  const clock = new WallClock();
  const timer = new RealTimer();
  const recovering = o.journal !== undefined;
  const journal = o.journal ?? new MemoryJournal();
  const engine = recovering ? await Engine.fromJournal(journal, { clock }) : new Engine({ clock, journal });
  const alerts: EngineAlert[] = [];
  const events: OrderEvent[] = [];
  engine.bus.subscribe('order', (e) => events.push(e));
  engine.bus.subscribe('alert', (a) => alerts.push(a));
  const adapter = new IbkrVenue(ibkrConfig(tws, o.config), {
    name: 'IBKR',
    accountId: 'A',
    clock,
    timer,
    onAlert: (code, message) => engine.bus.publish('alert', { code, message, context: {}, ts: clock.now() }),
  });
  await adapter.open();
  for (const s of SYMBOLS) {
    const instrument = recovering ? engine.instrument(s.id) : await engine.registerInstrument(await adapter.instrumentSpec(s.id, s.symbol));
    adapter.register(instrument, s.symbol);
  }
  if (!recovering) await engine.openAccount({ id: 'A', type: 'CASH', balances: [Money.of('100000', engine.instrument(AAPL).quote)] });
  else adapter.remember([...engine.openOrders()].map((x) => ({ spec: x.spec, venueOrderId: x.venueOrderId })));
  const reports: VenueReport[] = [];
  const connect = adapter.connect.bind(adapter);
  adapter.connect = (sink) => connect((r) => {
    reports.push(r);
    sink(r);
  });
  const wired = behindLiveExecutor(engine, adapter, { clock, timer });
  return { engine, journal, adapter, reports, ...wired };
}

/** The order's status in the engine once it reaches `status`. */
export async function statusOf(h: Harness, id: string, status: string, ms = 5_000): Promise<void> {
  await until(() => h.engine.order(id)?.status === status, `${id} ${status} (is ${String(h.engine.order(id)?.status)})`, ms);
  expect(h.engine.order(id)!.status).toBe(status);
}

/** The fills the engine applied, as [order, qty, price]. */
export function fills(h: Harness): [string, string, string][] {
  return h.events.flatMap((e) => (e.kind === 'OrderFilled' ? [[e.clientOrderId as string, e.lastQty.toString(), e.lastPx.toString()] as [string, string, string]] : []));
}

/** The fills the engine busted, as [order, qty, price, trade id]. */
export function busts(h: Harness): [string, string, string, string][] {
  return h.events.flatMap((e) => (e.kind === 'OrderFillBusted' ? [[e.clientOrderId as string, e.lastQty.toString(), e.lastPx.toString(), e.tradeId as string] as [string, string, string, string]] : []));
}

/** The trade ids of the fills the adapter reported, in order (a duplicate shows twice). */
export function reportedTrades(h: Harness): string[] {
  return h.reports.flatMap((r) => (r.kind === 'OrderFilled' ? [r.tradeId as string] : []));
}

/** A position's signed quantity in the engine, in shares (lot 1: raw units are shares). */
export function position(h: Harness, instrumentId = AAPL): string {
  const p = h.engine.portfolio.openPositions().find((x) => x.instrumentId === instrumentId);
  return p ? String(p.signedQtyRaw) : '0';
}
