import { createStrategyContext, stopStrategy } from '../strategy/context.ts';
import type { StrategyEmulation } from '../strategy/commands.ts';
import { strategyLogger, type PinoLike } from '../strategy/logger.ts';
import type { Strategy, StrategyContext, StrategyFactory, StrategyResult, StrategyServices } from '../strategy/strategy.ts';
import type { CommandResult, Engine } from '../engine/engine.ts';
import type { Origin } from '../engine/origin.ts';
import { LookupError, StateError, ValidationError } from '../model/errors.ts';
import type { Bar } from '../model/bar.ts';
import type { Instrument } from '../model/instrument.ts';
import type { OrderEvent } from '../model/orders/events.ts';
import type { MarketStatusChanged } from '../engine/markets/events.ts';
import { instrumentId, venueOf } from '../model/identifiers.ts';
import type { OrderRequest } from '../model/orders/factory.ts';
import type { Quote } from '../model/quote.ts';
import type { Trade } from '../model/trade.ts';
import { STRATEGIES } from '../strategies/index.ts';
import type { StrategyConfig } from './config/index.ts';

/**
 * Whether a strategy is fed: `running` gets data, timers and may send orders; `paused` gets no
 * data callbacks or timers and its new orders are refused (STRATEGY_NOT_RUNNING) but keeps its
 * working orders; `stopped` had its onStop and is refused too, until started again.
 */
export type StrategyRunState = 'running' | 'paused' | 'stopped';

/** One hosted strategy as an operator sees it (GET /api/strategies). */
export interface StrategyInfo {
  readonly id: string;
  readonly name: string;
  readonly state: StrategyRunState;
  readonly parameters: Readonly<Record<string, string>>;
  readonly instruments: readonly string[];
  readonly account: string;
}

interface Hosted {
  readonly id: string;
  readonly config: StrategyConfig;
  strategy: Strategy;
  readonly ctx: StrategyContext;
  readonly instruments: ReadonlySet<string>;
  state: StrategyRunState;
  params: Record<string, string>;
}

export interface StrategyHostOptions {
  readonly engine: Engine;
  readonly configs: readonly StrategyConfig[];
  /** Built-in strategies by name (src/strategies/index.ts) and any more a caller adds. */
  readonly factories?: Readonly<Record<string, StrategyFactory>>;
  /** Where a new order goes (the node's emulator-aware router). */
  readonly route: (order: OrderRequest, origin: Origin) => Promise<StrategyResult>;
  /** The node's order emulator and execution algorithms, for the context's bracket, OCO, OTO, trailing stop, TWAP, VWAP and iceberg. */
  readonly emulation?: StrategyEmulation;
  /** The node's logger: each strategy's ctx.log is a child of it bound to its id. */
  readonly logger?: PinoLike;
  /** What the node lends factories beyond the context (the advisor's news scorer), when it has it. */
  readonly services?: StrategyServices;
  /**
   * Distinguishes this run's client order ids from every earlier run's in the same journal (the
   * journal's last seq at start): a restarted strategy never reuses an id.
   */
  readonly runTag: string;
}

/** A StrategyResult from a command's result. */
export function strategyResult(r: CommandResult): StrategyResult {
  return Object.freeze({ clientOrderIds: Object.freeze(r.orders.map((o) => o.clientOrderId as string)), denied: Object.freeze(r.denied.map((x) => Object.freeze({ ...x }))) });
}

/**
 * The node's strategies: each built by name from the config with its parameters, given the narrow
 * StrategyContext (createStrategyContext, its STRATEGY origin, its account and instruments), fed
 * the bars, trades and quotes of its instruments, its own order events and fills, and its timers,
 * exactly as the backtest runner does (src/backtest/runner.ts).
 */
export class StrategyHost {
  private readonly hosted: Hosted[] = [];
  private readonly byId = new Map<string, Hosted>();
  /** The strategies of each instrument, in order; the last one asked for is held (a backtest asks per bar). */
  private readonly byInstrument = new Map<string, readonly Hosted[]>();
  private lastInstrument: string | undefined;
  private lastHosted: readonly Hosted[] = [];
  private readonly timers: { at: number; seq: number; h: Hosted }[] = [];
  private timerSeq = 0;
  private unsubscribe: (() => void) | undefined;

  private readonly factories: Readonly<Record<string, StrategyFactory>>;

  constructor(private readonly o: StrategyHostOptions) {
    const factories = (this.factories = { ...STRATEGIES, ...(o.factories ?? {}) });
    for (const c of o.configs) {
      const factory = factories[c.name];
      if (!factory) throw new ValidationError('INVALID_FIELD', `unknown strategy ${c.name} (${Object.keys(factories).join(', ')})`, { field: 'strategies.name', input: c.name });
      const params = Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, String(v)]));
      this.add(c, factory.create(params, o.services), params);
    }
  }

  /** Each strategy, its state and parameters. */
  list(): StrategyInfo[] {
    return this.hosted.map((h) => ({ id: h.id, name: h.config.name, state: h.state, parameters: { ...h.params }, instruments: [...h.instruments], account: h.config.account }));
  }

  private hostedOf(id: string): Hosted {
    const h = this.byId.get(id);
    if (!h) throw new LookupError('UNKNOWN_STRATEGY', `no strategy ${id} in this node (${this.ids.join(', ') || 'none'})`, { strategyId: id });
    return h;
  }

  /** Stops feeding a running strategy (no data, no timers) and refuses its new orders; its working orders stay. */
  pause(id: string): StrategyInfo {
    const h = this.hostedOf(id);
    if (h.state !== 'running') throw new StateError('STRATEGY_NOT_RUNNING', `strategy ${id} is ${h.state}: only a running strategy can be paused`, { strategyId: id, state: h.state });
    h.state = 'paused';
    return this.info(h);
  }

  /** Feeds a paused strategy again. */
  resume(id: string): StrategyInfo {
    const h = this.hostedOf(id);
    if (h.state !== 'paused') throw new StateError('STRATEGY_NOT_RUNNING', `strategy ${id} is ${h.state}: only a paused strategy can be resumed`, { strategyId: id, state: h.state });
    h.state = 'running';
    return this.info(h);
  }

  /** The strategy's onStop (onEnd for one without); then it gets nothing and may send nothing until started. */
  async stopOne(id: string): Promise<StrategyInfo> {
    const h = this.hostedOf(id);
    if (h.state === 'stopped') return this.info(h);
    h.state = 'stopped';
    this.dropTimers(h);
    await stopStrategy(h.strategy, h.ctx);
    return this.info(h);
  }

  /** Starts a stopped strategy again: built anew from its factory with its current parameters, then its onStart. */
  async startOne(id: string): Promise<StrategyInfo> {
    const h = this.hostedOf(id);
    if (h.state !== 'stopped') throw new StateError('STRATEGY_NOT_RUNNING', `strategy ${id} is ${h.state}: only a stopped strategy can be started`, { strategyId: id, state: h.state });
    h.strategy = this.factories[h.config.name]!.create({ ...h.params }, this.o.services);
    h.state = 'running';
    if (h.strategy.onStart) await h.strategy.onStart(h.ctx);
    return this.info(h);
  }

  /**
   * New parameters, merged over the current ones: taken only while the strategy is stopped (a
   * strategy reads its parameters when built), checked by building it (the factory refuses bad ones).
   */
  setParameters(id: string, changes: Readonly<Record<string, string>>): StrategyInfo {
    const h = this.hostedOf(id);
    if (h.state !== 'stopped') throw new StateError('STRATEGY_NOT_RUNNING', `strategy ${id} is ${h.state}: stop it before changing its parameters`, { strategyId: id, state: h.state });
    const params = { ...h.params, ...changes };
    h.strategy = this.factories[h.config.name]!.create(params, this.o.services);
    h.params = params;
    return this.info(h);
  }

  private info(h: Hosted): StrategyInfo {
    return this.list().find((x) => x.id === h.id)!;
  }

  private dropTimers(h: Hosted): void {
    for (let i = this.timers.length - 1; i >= 0; i--) if (this.timers[i]!.h === h) this.timers.splice(i, 1);
  }

  get ids(): string[] {
    return this.hosted.map((h) => h.id);
  }

  /** Calls each strategy's onStart, then routes order events to their owners and market status changes to the strategies they concern. */
  async start(): Promise<void> {
    const engine = this.o.engine;
    const offOrders = engine.bus.subscribe('order', (e: OrderEvent) => this.onOrderEvent(e));
    const offMarkets = engine.bus.subscribe('marketStatus', (e: MarketStatusChanged) => this.onMarketStatus(e));
    this.unsubscribe = () => {
      offOrders();
      offMarkets();
    };
    for (const h of this.hosted) if (h.strategy.onStart) await h.strategy.onStart(h.ctx);
  }

  /** Whether a timer is due by `now` (a step without one skips fireTimers and its await). */
  timerDue(now: number): boolean {
    return this.timers.length > 0 && this.timers[0]!.at <= now;
  }

  /** Fires the timers due by `now`, earliest first. */
  async fireTimers(now: number): Promise<void> {
    while (this.timers.length > 0 && this.timers[0]!.at <= now) {
      const t = this.timers.shift()!;
      if (t.h.state === 'running' && t.h.strategy.onTimer) await t.h.strategy.onTimer(t.at, t.h.ctx);
    }
  }

  /**
   * The bar to each strategy of its instrument, in order, each after the one before has finished.
   * Undefined when every strategy answered at once: the per-bar path of a backtest awaits nothing
   * it does not have to (and so onTrade and onQuote).
   */
  onBar(bar: Bar): Promise<void> | undefined {
    const hosted = this.of(bar.instrumentId);
    for (let i = 0; i < hosted.length; i++) {
      const h = hosted[i]!;
      if (h.state !== 'running') continue;
      const r = h.strategy.onBar(bar, h.ctx);
      if (r) return r.then(() => this.each(hosted, i + 1, (x) => (x.state === 'running' ? x.strategy.onBar(bar, x.ctx) : undefined)));
    }
    return undefined;
  }

  onTrade(t: Trade): Promise<void> | undefined {
    return this.each(this.of(t.instrumentId), 0, (h) => h.strategy.onTrade?.(t, h.ctx));
  }

  onQuote(q: Quote): Promise<void> | undefined {
    return this.each(this.of(q.instrumentId), 0, (h) => h.strategy.onQuote?.(q, h.ctx));
  }

  private each(hosted: readonly Hosted[], from: number, call: (h: Hosted) => void | Promise<void>): Promise<void> | undefined {
    for (let i = from; i < hosted.length; i++) {
      const h = hosted[i]!;
      if (h.state !== 'running') continue;
      const r = call(h);
      if (r) return r.then(() => this.each(hosted, i + 1, call));
    }
    return undefined;
  }

  /** The strategies trading an instrument, in the order they were configured. */
  private of(instrumentId: string): readonly Hosted[] {
    if (instrumentId === this.lastInstrument) return this.lastHosted;
    let hosted = this.byInstrument.get(instrumentId);
    if (!hosted) {
      hosted = this.hosted.filter((h) => h.instruments.has(instrumentId));
      this.byInstrument.set(instrumentId, hosted);
    }
    this.lastInstrument = instrumentId;
    this.lastHosted = hosted;
    return hosted;
  }

  /** Each strategy's onStop (onEnd for one without); then no more events reach them. */
  async stop(): Promise<void> {
    for (const h of this.hosted) {
      if (h.state === 'stopped') continue;
      h.state = 'stopped';
      await stopStrategy(h.strategy, h.ctx);
    }
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private add(c: StrategyConfig, strategy: Strategy, params: Record<string, string>): void {
    const engine = this.o.engine;
    const instruments: Instrument[] = c.instruments.map((id) => engine.instrument(id));
    let seq = 0;
    const sid = c.id;
    // A paused or stopped strategy's new orders (plain, lists, trailing stops, algorithms) are refused here, before they reach the engine or the emulator.
    const admit = (what: string): void => {
      if (h.state !== 'running') throw new StateError('STRATEGY_NOT_RUNNING', `strategy ${sid} is ${h.state}: ${what} refused`, { strategyId: sid, state: h.state });
    };
    const route = async (order: OrderRequest, origin: Origin): Promise<StrategyResult> => {
      admit(`order ${order.clientOrderId}`);
      return this.o.route(order, origin);
    };
    const h: Hosted = {
      id: sid,
      config: c,
      state: 'running',
      params,
      strategy,
      instruments: new Set(instruments.map((i) => i.id)),
      ctx: createStrategyContext({
        engine,
        strategyId: sid,
        accountId: c.account,
        instruments,
        currency: instruments[0]!.settlement,
        nextOrderId: () => `${sid}-${this.o.runTag}-${++seq}`,
        netRaw: (positionId) => engine.portfolio.position(positionId as never)?.signedQtyRaw ?? 0n,
        setTimer: (at) => this.setTimer(h, at),
        route,
        admit: () => admit('a new order list, trailing stop or algorithm'),
        ...(this.o.emulation ? { emulation: () => this.o.emulation! } : {}),
        log: strategyLogger(this.o.logger, sid),
      }),
    };
    if (this.byId.has(sid)) throw new ValidationError('INVALID_FIELD', `two strategies are both named ${sid}`, { field: 'strategies.id', input: sid });
    this.hosted.push(h);
    this.byId.set(sid, h);
    this.byInstrument.clear();
    this.lastInstrument = undefined;
  }

  private setTimer(h: Hosted, at: number): void {
    if (!Number.isSafeInteger(at)) throw new ValidationError('INVALID_FIELD', `timer time must be epoch ms, got ${at}`, { field: 'at' });
    const t = { at, seq: ++this.timerSeq, h };
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1]!.at > at) i--;
    this.timers.splice(i, 0, t);
  }

  /**
   * A venue or market changed status (FAULTS 34): each strategy with an instrument there is told,
   * in order, each after the one before has finished. Nobody waits on it (the engine published
   * it once durable); a strategy whose handler fails has it logged on its own logger, and the
   * strategies after it are still told.
   */
  private onMarketStatus(e: MarketStatusChanged): void {
    Object.freeze(e);
    const concerned = this.hosted.filter((h) => (e.instrumentId === undefined ? [...h.instruments].some((id) => venueOf(instrumentId(id)) === e.venue) : h.instruments.has(e.instrumentId)));
    const failed = (h: Hosted) => (err: unknown): void => h.ctx.log.error('onMarketStatus failed', { error: String(err), venue: e.venue, status: e.status });
    const tell = (h: Hosted): Promise<void> | undefined => {
      try {
        return h.strategy.onMarketStatus?.(e, h.ctx)?.catch(failed(h));
      } catch (err) {
        failed(h)(err);
        return undefined;
      }
    };
    void this.each(concerned, 0, tell);
  }

  private onOrderEvent(e: OrderEvent): void {
    const engine = this.o.engine;
    const sid = e.kind === 'OrderFilled' ? e.strategyId : e.kind === 'OrderInitialized' ? e.spec.strategyId : engine.order(e.clientOrderId)?.spec.strategyId;
    const own = sid === undefined ? undefined : this.byId.get(sid);
    if (!own) return;
    const st = own.strategy;
    // Frozen only when handed to the strategy: freezing moves the event to another hidden class (a
    // runtime call per event), work for nothing when its owner has no handler for it.
    if (!st.onOrderEvent && !(e.kind === 'OrderFilled' && st.onFill)) return;
    Object.freeze(e);
    if (st.onOrderEvent) st.onOrderEvent(e, own.ctx);
    if (e.kind === 'OrderFilled' && st.onFill) st.onFill(e, own.ctx);
  }
}
