/**
 * A real Engine and SimulatedExchange with a FaultInjectingVenue between them and an Executor in
 * PAPER mode on top, all on one TestClock; the executor waits on a ManualTimer, which `settle()`
 * runs until nothing is waiting (moving the clock to each timer).
 */
import type { LimitsConfig } from '../../src/risk/config/types.ts';
import { TestClock } from '../../src/engine/clock.ts';
import { Engine } from '../../src/engine/engine.ts';
import { MemoryJournal } from '../../src/engine/journal.ts';
import type { PreTradeGate } from '../../src/engine/gate.ts';
import type { EngineAlert } from '../../src/engine/topics.ts';
import { Executor, type ExecutorAlert, type ExecutorOptions } from '../../src/execution/executor.ts';
import { ManualTimer } from '../../src/execution/timer.ts';
import type { Bar } from '../../src/model/bar.ts';
import { Currencies } from '../../src/model/currency.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import { Money } from '../../src/model/money.ts';
import type { OrderEvent } from '../../src/model/orders/events.ts';
import type { OrderRequest } from '../../src/model/orders/factory.ts';
import { SimulatedExchange } from '../../src/venues/sim/exchange/simulated-exchange.ts';
import { FaultInjectingVenue, type FaultInjectingVenueOptions } from '../../src/venues/sim/faults/index.ts';

export const T0 = Date.parse('2024-03-01T00:00:00Z');
export const ID = 'SOLUSDT.SIM';

/** Risk limits wide enough for the rig's orders, for tests that need the real RiskGate (trading states). */
export const GUARD_LIMITS: LimitsConfig = {
  instruments: { [ID]: { max_order_quantity: '100', max_order_notional: '100000', max_position_quantity: '100', max_position_notional: '100000' } },
  accounts: {},
  firm: {},
  reference_price_max_age_ms: 10 * 60_000,
  price_collar_pct: 20,
  duplicate_window_ms: 0,
  restricted_instruments: [],
  self_trade_prevention: false,
  throttles: { submit: {}, modify: {}, cancel: {}, hard_limit_multiple: 3 },
};

export async function executionSetup(execOpts: Partial<ExecutorOptions> = {}, faultOpts: FaultInjectingVenueOptions = {}, gate?: PreTradeGate) {
  const clock = new TestClock(T0);
  const timer = new ManualTimer(clock);
  const engine = new Engine({ clock, journal: new MemoryJournal(), ...(gate ? { gate } : {}) });
  const ex = new SimulatedExchange({ id: 'SIM', clock });
  const faults = new FaultInjectingVenue(ex, faultOpts);
  const alerts: (EngineAlert | ExecutorAlert)[] = [];
  const executor = new Executor(faults, {
    mode: 'PAPER',
    clock,
    timer,
    arrivalPrice: (id) => engine.portfolio.quote(instrumentId(id))?.last,
    onAlert: (a) => alerts.push(a),
    ...execOpts,
  });
  engine.addVenue(executor);
  const inst = await engine.registerInstrument({
    id: ID, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.001', makerFee: '0', takerFee: '0',
  });
  ex.list(inst);
  await engine.openAccount({ id: 'A', type: 'CASH', balances: [Money.of('1000000', Currencies.USDT)] });
  const events: OrderEvent[] = [];
  engine.bus.subscribe('order', (e) => events.push(e));
  engine.bus.subscribe('alert', (a) => alerts.push(a));

  /** Lets the executor finish everything it started, firing its timers in order. */
  const settle = () => timer.runUntilIdle();
  /** A 1-minute bar at the current time: the exchange walks it, the engine marks at its close. */
  const bar = async (open: string, high: string, low: string, close: string): Promise<void> => {
    const b: Bar = { instrumentId: instrumentId(ID), ts: clock.now(), durationMs: 60_000, open, high, low, close, volume: '1000' };
    clock.advance(60_000);
    ex.onBar(b, inst);
    engine.updateBar(b);
    await settle();
  };
  /** Bid and ask at the exchange (market orders fill at once) and a last price for the engine. */
  const quote = (bid: string, ask: string, last = bid) => {
    ex.onQuote(inst, inst.price(bid), inst.price(ask));
    engine.updateMarket(ID, { last: inst.price(last) });
  };
  const submit = async (o: Partial<OrderRequest> & Pick<OrderRequest, 'clientOrderId' | 'side' | 'type'>) => {
    const r = await engine.submitOrder({ accountId: 'A', instrumentId: ID, quantity: '1', ...o });
    return r;
  };
  const kinds = (id: string) => events.filter((e) => e.clientOrderId === id).map((e) => e.kind);
  /** Our net position, signed text, '0' when flat. */
  const position = (): string => {
    const p = [...engine.portfolio.openPositions()].find((x) => x.instrumentId === ID);
    return p ? `${p.side === 'SHORT' ? '-' : ''}${p.quantity.toString()}` : '0';
  };
  /** The venue's net position, same form. */
  const venuePosition = async (): Promise<string> => {
    const p = (await ex.queries.positions()).find((x) => x.instrumentId === ID);
    return !p || p.side === 'FLAT' ? '0' : `${p.side === 'SHORT' ? '-' : ''}${inst.quantity(p.quantity).toString()}`;
  };
  return { clock, timer, engine, ex, faults, executor, inst, alerts, events, settle, bar, quote, submit, kinds, position, venuePosition };
}

export type ExecutionRig = Awaited<ReturnType<typeof executionSetup>>;
