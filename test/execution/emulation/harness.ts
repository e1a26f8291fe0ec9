/**
 * A real Engine, SimulatedExchange and TestClock for the emulation tests, with an OrderEmulator
 * started on the engine's bus. Bars go to the exchange first, then to the engine (updateBar), as
 * the backtest runner does; `bar()` waits until the emulator has acted.
 */
import { TestClock } from '../../../src/engine/clock.ts';
import { Engine } from '../../../src/engine/engine.ts';
import { OrderEmulator, type OrderEmulatorOptions } from '../../../src/execution/emulation/emulator.ts';
import { MemoryJournal } from '../../../src/engine/journal.ts';
import type { EngineAlert } from '../../../src/engine/topics.ts';
import type { VenueCapabilities } from '../../../src/engine/venue.ts';
import type { Bar } from '../../../src/model/bar.ts';
import { Currencies } from '../../../src/model/currency.ts';
import { instrumentId } from '../../../src/model/identifiers.ts';
import { Money } from '../../../src/model/money.ts';
import type { OrderFilled } from '../../../src/model/orders/events.ts';
import type { OrderRequest } from '../../../src/model/orders/factory.ts';
import { SimulatedExchange, type SimulatedExchangeOptions } from '../../../src/venues/sim/exchange/simulated-exchange.ts';

export const T0 = Date.parse('2024-03-01T00:00:00Z');
export const ID = 'SOLUSDT.SIM';

/**
 * `native` overrides what the emulator is told the exchange supports (e.g. `{ stopOrders: false }`
 * to have stops held engine-side); the exchange itself is unchanged.
 */
export async function emulationSetup(exOpts: Partial<SimulatedExchangeOptions> = {}, emOpts: OrderEmulatorOptions = {}, native: Partial<VenueCapabilities> = {}) {
  const clock = new TestClock(T0);
  const engine = new Engine({ clock, journal: new MemoryJournal() });
  const ex = new SimulatedExchange({ id: 'SIM', clock, ...exOpts });
  engine.addVenue(ex);
  const inst = await engine.registerInstrument({
    id: ID, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.001', makerFee: '0', takerFee: '0',
  });
  await engine.openAccount({ id: 'A', type: 'CASH', balances: [Money.of('1000000', Currencies.USDT)] });
  const emulator = new OrderEmulator(engine, { capabilities: [{ id: ex.id, capabilities: { ...ex.capabilities, ...native } }], ...emOpts });
  emulator.start();
  const fills: OrderFilled[] = [];
  const alerts: EngineAlert[] = [];
  engine.bus.subscribe('order', (e) => {
    if (e.kind === 'OrderFilled') fills.push(e);
  });
  engine.bus.subscribe('alert', (a) => alerts.push(a));
  let minute = 0;
  /** The next 1-minute bar: the exchange walks it, then the engine (and so the emulator) sees it at its close. */
  const bar = async (open: string, high: string, low: string, close: string, volume = '1000'): Promise<void> => {
    const b: Bar = { instrumentId: instrumentId(ID), ts: T0 + minute * 60_000, durationMs: 60_000, open, high, low, close, volume };
    minute++;
    clock.set(T0 + minute * 60_000);
    ex.onBar(b, inst);
    engine.updateBar(b);
    await emulator.idle();
  };
  /** A top of book a second later: the exchange sees it first, then the engine (and so the emulator). */
  const quote = async (bid: string, ask: string): Promise<void> => {
    clock.set(clock.now() + 1_000);
    ex.onQuote(inst, inst.price(bid), inst.price(ask));
    engine.updateMarket(ID, { bid: inst.price(bid), ask: inst.price(ask) });
    await emulator.idle();
  };
  /** A trade a second later, exchange first, then the engine. */
  const trade = async (price: string, size = '1000'): Promise<void> => {
    clock.set(clock.now() + 1_000);
    ex.onTrade(inst, inst.price(price), size);
    engine.updateMarket(ID, { last: inst.price(price) });
    await emulator.idle();
  };
  const order = (o: Partial<OrderRequest> & Pick<OrderRequest, 'clientOrderId' | 'side' | 'type'>) =>
    engine.submitOrder({ accountId: 'A', instrumentId: ID, quantity: '1', ...o });
  const px = (id: string) => fills.filter((f) => f.clientOrderId === id).map((f) => `${f.lastQty.toString()}@${f.lastPx.toString()}`);
  /** Net position (signed quantity text) for the account on the instrument, '0' when flat. */
  const position = (): string => {
    const p = [...engine.portfolio.openPositions()].find((x) => x.instrumentId === ID);
    if (!p) return '0';
    return `${p.side === 'SHORT' ? '-' : ''}${p.quantity.toString()}`;
  };
  return { clock, engine, ex, inst, emulator, fills, alerts, bar, quote, trade, order, px, position };
}
