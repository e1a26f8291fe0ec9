import type { TestClock } from '../engine/clock.ts';
import type { Engine } from '../engine/engine.ts';
import type { ManualTimer } from '../execution/timer.ts';
import type { Instrument } from '../model/instrument.ts';
import type { RiskControl } from '../risk/control/risk-control.ts';
import type { SimulatedExchange } from '../venues/sim/exchange/simulated-exchange.ts';
import { closeOf, isBar, isQuote, isTrade, type MarketItem } from './market-data.ts';
import type { StrategyHost } from './strategy-host.ts';

interface Market {
  readonly inst: Instrument;
  /** The simulated exchange listing it; undefined at a live venue (the market itself moves its orders). */
  readonly ex: SimulatedExchange | undefined;
}

export interface StepperDeps {
  readonly clock: TestClock;
  readonly engine: Engine;
  readonly host: StrategyHost;
  readonly control: RiskControl | undefined;
  /** The backtest's timer (executors and the cancel chaser), run at each step's close. */
  readonly timer: ManualTimer | undefined;
  /** The simulated exchange listing an instrument (undefined at a live venue). */
  readonly exchangeOf: (inst: Instrument) => SimulatedExchange | undefined;
  /** Whether an action decided in the step may still be queued (emulator, algorithms, risk control). */
  readonly quiet: () => boolean;
  /** Waits for every queued action to be carried out. */
  readonly settle: () => Promise<void>;
  /** After the step has settled. */
  readonly done: (items: readonly MarketItem[], close: number) => void;
}

/**
 * One step of the node (the items opening at one time): the exchanges walk them at their open,
 * the clock moves to their close, risk control's time passes, timers due fire, the engine takes
 * each price (updateBar / updateMarket) and the strategies see it; then the step settles (venue
 * calls, emulator and algorithm actions) before the next one.
 *
 * `run` returns undefined when the step completed without waiting for anything (no strategy
 * returned a promise, nothing was queued): a backtest runs millions of steps, and an await per
 * step would be a measurable part of each. Otherwise it returns the rest of the step as a promise.
 */
export class Stepper {
  /** Close time risk control's clock last ticked at (ticking twice at one time decides nothing new). */
  private ticked = -Infinity;
  private readonly markets = new Map<string, Market>();
  /** The market looked up last (a backtest of one instrument asks for the same one every step). */
  private lastId: string | undefined;
  private last: Market | undefined;

  constructor(private readonly d: StepperDeps) {}

  run(group: readonly MarketItem[]): Promise<void> | undefined {
    const close = this.walk(group);
    const control = this.d.control;
    if (control && close > this.ticked) {
      // Simulated time passed: breakers reset by themselves and trading days roll before the step is seen.
      this.ticked = close;
      const ticking = control.tick();
      if (!control.quiet) return ticking.then(() => this.afterTick(group, close));
    }
    return this.afterTick(group, close);
  }

  /** The exchanges walk the items at their open; the clock moves to the step's close. */
  private walk(group: readonly MarketItem[]): number {
    const clock = this.d.clock;
    const ts = group[0]!.ts;
    if (ts > clock.now()) clock.set(ts);
    let close = ts;
    for (let i = 0; i < group.length; i++) {
      const item = group[i]!;
      const { inst, ex } = this.market(item.instrumentId);
      if (!ex) {
        close = Math.max(close, closeOf(item));
        continue;
      }
      if (isTrade(item)) ex.onTrade(inst, inst.price(item.price), item.size);
      else if (isQuote(item)) ex.onQuote(inst, inst.price(item.bid, 'bid'), inst.price(item.ask, 'ask'));
      else ex.onBar(item, inst);
      close = Math.max(close, closeOf(item));
    }
    if (close > clock.now()) clock.set(close);
    return close;
  }

  private afterTick(group: readonly MarketItem[], close: number): Promise<void> | undefined {
    this.d.timer?.runDue();
    if (this.d.host.timerDue(close)) return this.d.host.fireTimers(close).then(() => this.items(group, 0, close));
    return this.items(group, 0, close);
  }

  private items(group: readonly MarketItem[], from: number, close: number): Promise<void> | undefined {
    for (let i = from; i < group.length; i++) {
      const r = this.see(group[i]!);
      if (r) return r.then(() => this.items(group, i + 1, close));
    }
    if (!this.d.quiet()) return this.d.settle().then(() => this.d.done(group, close));
    this.d.done(group, close);
    return undefined;
  }

  /** The engine takes the item's price and the strategies see it. */
  private see(item: MarketItem): Promise<void> | undefined {
    const { engine, host } = this.d;
    if (isBar(item)) {
      engine.updateBar(item);
      return host.onBar(item);
    }
    const { inst } = this.market(item.instrumentId);
    if (isTrade(item)) {
      engine.updateTrade(item);
      return host.onTrade(item);
    }
    engine.updateMarket(item.instrumentId, { bid: inst.price(item.bid, 'bid'), ask: inst.price(item.ask, 'ask') });
    return host.onQuote(item);
  }

  /** An item's instrument and exchange, looked up once per instrument (checking an id costs a regular expression). */
  private market(id: string): Market {
    if (id === this.lastId) return this.last!;
    let m = this.markets.get(id);
    if (!m) {
      const inst = this.d.engine.instrument(id);
      m = { inst, ex: this.d.exchangeOf(inst) };
      this.markets.set(id, m);
    }
    this.lastId = id;
    this.last = m;
    return m;
  }
}
