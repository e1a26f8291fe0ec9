import { SMA } from 'trading-signals';
import type { Bar } from '../../../data/bar.ts';
import type { Clock } from '../../../engine/clock.ts';
import { Engine } from '../../../engine/engine.ts';
import { MemoryJournal, type Journal } from '../../../engine/journal.ts';
import { strategyOrigin } from '../../../engine/origin.ts';
import { guardConnection } from '../../../execution/connection-guard.ts';
import type { CancelChaser } from '../../../execution/cancel-chaser.ts';
import { guardedStack, type RiskStack } from '../../../execution/risk-stack.ts';
import type { RiskConfig } from '../../../risk/config/types.ts';
import type { StrategyOrder, StrategyResult } from '../../../strategy/strategy.ts';
import { Executor } from '../../../execution/executor.ts';
import type { Timer } from '../../../execution/timer.ts';
import { Currencies } from '../../../model/currency.ts';
import { instrumentId } from '../../../model/identifiers.ts';
import type { Instrument } from '../../../model/instrument.ts';
import { Money } from '../../../model/money.ts';
import { SimulatedExchange } from '../exchange/simulated-exchange.ts';
import type { ReplayClock } from './replay-clock.ts';

/**
 * What a paper strategy sees on each bar: its instrument and account, and a submit that sends its
 * orders under its own strategy id and STRATEGY origin. Never the engine (README "What a strategy
 * may and may not do"). The full strategy API comes with the backtest runner.
 */
export interface PaperContext {
  readonly instrument: Instrument;
  readonly accountId: string;
  /** Account and strategy are filled in (and any given replaced); the client order id unless given. */
  submit(order: StrategyOrder): Promise<StrategyResult>;
}

export interface PaperStrategy {
  readonly name: string;
  onBar(bar: Bar, ctx: PaperContext): Promise<void>;
}

/**
 * A small built-in strategy for the paper demo: long when SMA(fast) is above SMA(slow), flat
 * otherwise, trading a fixed quantity with market orders.
 */
export class SmaCrossDemo implements PaperStrategy {
  readonly name = 'sma-cross-demo';
  private readonly fast: SMA;
  private readonly slow: SMA;
  private long = false;

  constructor(
    fast: number,
    slow: number,
    private readonly quantity: string,
  ) {
    this.fast = new SMA(fast);
    this.slow = new SMA(slow);
  }

  async onBar(bar: Bar, ctx: PaperContext): Promise<void> {
    const close = Number(bar.close);
    this.fast.add(close);
    this.slow.add(close);
    if (!this.fast.isStable || !this.slow.isStable) return;
    const up = Number(this.fast.getResult()) > Number(this.slow.getResult());
    if (up === this.long) return;
    this.long = up;
    await ctx.submit({
      instrumentId: ctx.instrument.id,
      side: up ? 'BUY' : 'SELL',
      type: 'MARKET',
      quantity: this.quantity,
    });
  }
}

export interface PaperVenueOptions {
  readonly clock: Clock;
  /** What the executor waits on (report timeouts, backoff): a RealTimer on the wall clock, a ManualTimer in tests. */
  readonly timer: Timer;
  /** Sees risk cancels through, those reconciliation resends on a reconnect included. */
  readonly chaser?: CancelChaser;
}

/**
 * Puts the simulated exchange behind an Executor in PAPER mode and gives the executor to the
 * engine as the venue, so paper orders take the path a live venue's will (timed, logged calls;
 * reports matched by client order id; an unanswered order settled by queries; statistics), and
 * guards it as a live venue is guarded (a venue that reports a disconnect makes its scope
 * REDUCING until reconciled; the simulated exchange itself never does).
 */
export function addPaperVenue(engine: Engine, exchange: SimulatedExchange, o: PaperVenueOptions): Executor {
  const executor = new Executor(exchange, {
    mode: 'PAPER',
    clock: o.clock,
    timer: o.timer,
    // As a live venue would be configured; the in-process exchange answers at once, so it never fires.
    callTimeoutMs: 5_000,
    arrivalPrice: (id) => engine.portfolio.quote(instrumentId(id))?.last,
    onAlert: (a) => engine.bus.publish('alert', a),
  });
  engine.addVenue(executor);
  guardConnection(engine, executor, o.chaser ? { chaser: o.chaser } : {});
  return executor;
}

export interface PaperSessionOptions extends PaperVenueOptions {
  /** SYMBOL.VENUE of a BTC/USDT spot pair; the exchange is named after VENUE. */
  readonly instrumentId: string;
  readonly accountId: string;
  /** Starting USDT balance. */
  readonly balance: string;
  /** Default: an in-memory journal. */
  readonly journal?: Journal;
  /** The pre-trade gate, breakers and kill switch from a risk file, their cancels chased on `timer`. Default: none. */
  readonly risk?: RiskConfig;
}

/** What runPaper trades through: an engine whose venue is the executor in front of the exchange. */
export interface PaperSession {
  readonly engine: Engine;
  readonly exchange: SimulatedExchange;
  readonly executor: Executor;
  readonly instrument: Instrument;
  readonly accountId: string;
  /** With `risk`: the gate, risk control and cancel chaser around the engine. */
  readonly risk: RiskStack | undefined;
}

/** The engine (with the risk stack when `risk` is given), the simulated exchange behind a PAPER executor, the instrument listed and a cash account opened at both. */
export async function openPaperSession(o: PaperSessionOptions): Promise<PaperSession> {
  const journal = o.journal ?? new MemoryJournal();
  const exchange = new SimulatedExchange({ id: instrumentId(o.instrumentId).split('.').pop()!, clock: o.clock });
  // The chaser asks the executor (placed below) about an order it did not know before canceling it.
  const queries = () => executor.queries;
  const risk = o.risk ? await guardedStack(o.risk, { clock: o.clock, journal }, { timer: o.timer, queries: (v) => (v === exchange.id ? queries() : undefined) }) : undefined;
  const engine = risk?.engine ?? new Engine({ clock: o.clock, journal });
  const executor = addPaperVenue(engine, exchange, { ...o, ...(risk ? { chaser: risk.chaser } : {}) });
  const instrument = await engine.registerInstrument({
    id: o.instrumentId, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT,
    tickSize: '0.01', lotSize: '0.00001', makerFee: '0.001', takerFee: '0.001',
  });
  exchange.list(instrument);
  const balances = [Money.of(o.balance, Currencies.USDT)];
  await engine.openAccount({ id: o.accountId, type: 'CASH', balances });
  // The venue keeps the account's balances too, as a real one does: it refuses what the account cannot pay for.
  exchange.accounts.openCashAccount(o.accountId, balances);
  return { engine, exchange, executor, instrument, accountId: o.accountId, risk };
}

export interface PaperRunOptions extends PaperSession {
  readonly clock: ReplayClock;
  readonly bars: AsyncIterable<Bar>;
  readonly strategy: PaperStrategy;
  /** Stop after this many bars. */
  readonly maxBars?: number;
  /** Waits wall time; injected so tests can run at full speed. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly signal?: AbortSignal;
}

/**
 * Paper trading on a replayed file: each bar is released when the replay clock reaches its close,
 * fed to the simulated exchange (which fills what is working), then shown to the strategy, whose
 * orders go through the same engine, pre-trade gate and executor as live ones. Returns once the
 * executor has nothing in flight, so its log and statistics cover every order placed.
 */
export async function runPaper(o: PaperRunOptions): Promise<{ bars: number }> {
  let n = 0;
  let ids = 0;
  const engine = o.engine;
  const strategyId = o.strategy.name;
  const origin = strategyOrigin(strategyId);
  const ctx: PaperContext = Object.freeze({
    instrument: o.instrument,
    accountId: o.accountId,
    async submit(order: StrategyOrder): Promise<StrategyResult> {
      const r = await engine.submitOrder({ ...order, clientOrderId: order.clientOrderId ?? `PAPER-${++ids}`, accountId: o.accountId, strategyId }, origin);
      return Object.freeze({ clientOrderIds: Object.freeze(r.orders.map((x) => x.clientOrderId as string)), denied: Object.freeze(r.denied.map((d) => Object.freeze({ ...d }))) });
    },
  });
  for await (const bar of o.bars) {
    if (o.signal?.aborted || (o.maxBars !== undefined && n >= o.maxBars)) break;
    const closeTime = bar.ts + bar.durationMs;
    const wait = o.clock.wallMsUntil(closeTime);
    if (wait > 0) await o.sleep(wait);
    o.exchange.onBar(bar, o.instrument);
    o.engine.portfolio.mark(o.instrument.id, { last: o.instrument.price(bar.close) });
    await o.strategy.onBar(bar, ctx);
    n++;
  }
  await o.executor.idle();
  return { bars: n };
}
