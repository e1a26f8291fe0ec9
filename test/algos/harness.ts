/**
 * A real Engine on a TestClock with a real SimulatedExchange, BTC/USDT (tick 0.01, lot 0.001,
 * min 0.01) and an ExecutionAlgorithms runner. Bars go to the exchange first, then to the engine
 * (updateBar), as the backtest runner does; `bar()` waits until the algorithms have acted, and
 * records what was on the exchange's book after each bar.
 */
import { ExecutionAlgorithms, type ExecutionAlgorithmsOptions } from '../../src/algos/runner.ts';
import { TestClock } from '../../src/engine/clock.ts';
import { Engine } from '../../src/engine/engine.ts';
import type { PreTradeGate } from '../../src/engine/gate.ts';
import { MemoryJournal } from '../../src/engine/journal.ts';
import type { EngineAlert } from '../../src/engine/topics.ts';
import type { VenueOrderStatus } from '../../src/engine/venue.ts';
import type { Bar } from '../../src/model/bar.ts';
import { Currencies } from '../../src/model/currency.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import { Money } from '../../src/model/money.ts';
import type { OrderEvent, OrderFilled } from '../../src/model/orders/events.ts';
import { SimulatedExchange, type SimulatedExchangeOptions } from '../../src/venues/sim/exchange/simulated-exchange.ts';

export const T0 = Date.parse('2023-03-01T00:00:00Z');
export const MIN = 60_000;
export const BTC = 'BTCUSDT.SIM';
export const BTC_SPEC = {
  id: BTC, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.001', minQuantity: '0.01', makerFee: '0', takerFee: '0',
} as const;

export interface AlgoSetup {
  readonly gate?: PreTradeGate;
  readonly exchange?: Partial<SimulatedExchangeOptions>;
  readonly algos?: ExecutionAlgorithmsOptions;
}

export async function algoSetup(opts: AlgoSetup = {}) {
  const clock = new TestClock(T0);
  const engine = new Engine({ clock, journal: new MemoryJournal(), ...(opts.gate ? { gate: opts.gate } : {}) });
  const ex = new SimulatedExchange({ id: 'SIM', clock, ...opts.exchange });
  engine.addVenue(ex);
  const inst = await engine.registerInstrument(BTC_SPEC);
  await engine.openAccount({ id: 'A', type: 'CASH', balances: [Money.of('10000000', Currencies.USDT), Money.of('100', Currencies.BTC)] });
  const algos = new ExecutionAlgorithms(engine, opts.algos);
  const fills: OrderFilled[] = [];
  const events: OrderEvent[] = [];
  const alerts: EngineAlert[] = [];
  engine.bus.subscribe('order', (e) => {
    events.push(e);
    if (e.kind === 'OrderFilled') fills.push(e);
  });
  engine.bus.subscribe('alert', (a) => alerts.push(a));
  /** What the exchange had working after each bar (and after start, via `book()`). */
  const books: (readonly VenueOrderStatus[])[] = [];
  const book = async (): Promise<readonly VenueOrderStatus[]> => {
    const open = await ex.queries.openOrders();
    books.push(open);
    return open;
  };
  let minute = 0;
  /** The next 1-minute bar: the exchange walks it, then the engine (and so the algorithms) sees it at its close. */
  const bar = async (open: string, high = open, low = open, close = open, volume = '1000'): Promise<void> => {
    const b: Bar = { instrumentId: instrumentId(BTC), ts: T0 + minute * MIN, durationMs: MIN, open, high, low, close, volume };
    minute++;
    clock.set(T0 + minute * MIN);
    ex.onBar(b, inst);
    engine.updateBar(b);
    await algos.idle();
    await book();
  };
  /** Fills of a child as `qty@px`. */
  const px = (id: string) => fills.filter((f) => f.clientOrderId === id).map((f) => `${f.lastQty.toString()}@${f.lastPx.toString()}`);
  /** Each child's quantity as sent, in order. */
  const sent = () => events.flatMap((e) => (e.kind === 'OrderInitialized' ? [`${e.clientOrderId}:${e.spec.quantity.toString()}@${(e.tsEvent - T0) / MIN}m`] : []));
  return { clock, engine, ex, inst, algos, fills, events, alerts, books, book, bar, px, sent };
}
