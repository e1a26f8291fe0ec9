import { Engine } from '../engine/engine.ts';
import { TestClock } from '../engine/clock.ts';
import { DiscardingJournal, type Journal } from '../engine/journal.ts';
import { guardedStack } from '../execution/risk-stack.ts';
import { ManualTimer } from '../execution/timer.ts';
import type { Bar } from '../model/bar.ts';
import type { Trade } from '../model/trade.ts';
import type { Quote } from '../model/quote.ts';
import { ValidationError } from '../model/errors.ts';
import type { Instrument, InstrumentSpec } from '../model/instrument.ts';
import { Money } from '../model/money.ts';
import type { OrderEvent } from '../model/orders/events.ts';
import type { RiskConfig } from '../risk/config/types.ts';
import { exchangeModels, type ExchangeModelConfig } from '../venues/sim/exchange/configured-models.ts';
import type { IntrabarPath } from '../model/intrabar.ts';
import { SimAccounts } from '../venues/sim/exchange/balances.ts';
import { SimulatedExchange } from '../venues/sim/exchange/simulated-exchange.ts';
import { mergeBars } from './merge.ts';
import { EquityCurveSampler } from './equity-curve.ts';
import { MetricsAccumulator, type Metrics, type MonthlyReturn } from './metrics.ts';
import { createStrategyContext, stopStrategy } from '../strategy/context.ts';
import type { Strategy, StrategyContext } from '../strategy/strategy.ts';
import { OrderEmulator } from '../engine/emulation/emulator.ts';
import { ExecutionAlgorithms } from '../algos/runner.ts';
import { TradeTracker, type ClosedTrade } from './trades.ts';
import { backtestRiskConfig, RiskLog, type BreakerLogEntry } from './risk-log.ts';

/** What drives a backtest: bars, individual trades (prints), or top-of-book quotes. */
export type MarketItem = Bar | Trade | Quote;

export interface BacktestSource {
  readonly instrument: InstrumentSpec;
  /** Bars or trades of this instrument in time order; their instrumentId must be the instrument's id. */
  readonly bars: AsyncIterable<MarketItem> | Iterable<MarketItem>;
}

const isTrade = (m: MarketItem): m is Trade => 'tradeId' in m;
const isQuote = (m: MarketItem): m is Quote => 'bid' in m;

export interface BacktestOptions {
  readonly sources: readonly BacktestSource[];
  readonly strategy: Strategy;
  /** More strategies trading the same account alongside `strategy`, each under its own name. */
  readonly alsoRun?: readonly Strategy[];
  /** Starting cash in the instruments' settlement currency (decimal text). */
  readonly cash: string;
  /** Exchange models by name (slippage, fees, latency, limit fills); default none: the instrument's fees, no slippage. */
  readonly models?: ExchangeModelConfig;
  /** Seed for the seeded models (given to the limit-fill and latency configs that name none). Default 1. */
  readonly seed?: number;
  readonly intrabar?: IntrabarPath;
  readonly maxBarVolumeShare?: number;
  /** Pre-trade gate and circuit breakers from a risk config; default none (every order goes through). */
  readonly risk?: RiskConfig;
  /** Post risk alerts to the risk config's webhook (default false: a backtest never calls out). */
  readonly webhooks?: boolean;
  /** Only bars with from ≤ open time < to (epoch ms). */
  readonly from?: number;
  readonly to?: number;
  /** Bars per year for annualising; default inferred from the data (see metrics.ts). */
  readonly periodsPerYear?: number;
  /**
   * Most points kept in `BacktestResult.equity` (default 100,000; Infinity keeps every bar): past
   * it the curve is thinned (see runBacktest). Metrics are computed over every bar regardless.
   */
  readonly maxEquityPoints?: number;
  /** Keep the bars for the report's price chart (default true). */
  readonly keepBars?: boolean;
  readonly accountId?: string;
  /** The event journal; default one that keeps nothing (memory stays flat). */
  readonly journal?: Journal;
  /** Called every `progressEvery` bars (default 10,000) and at the end. */
  readonly onProgress?: (bars: number, ts: number) => void;
  readonly progressEvery?: number;
}

/** Bars kept for the report: parallel arrays, numbers. */
export interface KeptBars {
  readonly time: number[];
  readonly open: number[];
  readonly high: number[];
  readonly low: number[];
  readonly close: number[];
}

export interface FillRecord {
  readonly instrumentId: string;
  readonly time: number;
  readonly side: 'BUY' | 'SELL';
  readonly quantity: string;
  readonly price: string;
  readonly fee: string;
}

export interface BacktestResult {
  readonly strategy: string;
  readonly bars: number;
  readonly startTime: number;
  readonly endTime: number;
  readonly currency: string;
  readonly initialEquity: string;
  readonly finalEquity: string;
  readonly feesPaid: string;
  readonly breakerTrips: number;
  readonly breakerResets: number;
  /** Every breaker trip and reset, in time order. */
  readonly breakerLog: readonly BreakerLogEntry[];
  readonly denied: number;
  readonly deniedByCode: Readonly<Record<string, number>>;
  readonly instruments: readonly Instrument[];
  readonly trades: readonly ClosedTrade[];
  readonly fills: readonly FillRecord[];
  /**
   * Equity at each bar close, preceded by the start (numbers, for charts and equity.csv), when the
   * run has at most `maxEquityPoints` points (bars + 1); else a thinned curve of at most
   * maxEquityPoints + 3 points: every stride-th point (stride a power of two), plus the latest point
   * and the max-drawdown peak and trough. `metrics` and `monthlyReturns` never depend on it.
   */
  readonly equity: { readonly times: number[]; readonly values: number[] };
  /** Month-by-month returns over every bar close (UTC months; see MonthlyReturns in metrics.ts). */
  readonly monthlyReturns: readonly MonthlyReturn[];
  readonly bySymbol: ReadonlyMap<string, KeptBars>;
  readonly openPositions: readonly { instrumentId: string; quantity: string }[];
  readonly metrics: Metrics;
}

/**
 * Runs a strategy over historical bars: data → simulated exchange → engine → strategy, on a
 * TestClock. For each bar, in time order across instruments:
 *   1. the clock is set to the bar's open and the exchange walks the bar (orders sent at the
 *      previous close fill at this open, plus slippage; resting orders fill along the bar);
 *   2. the clock is set to the bar's close and risk control's tick runs on it (breakers reset by
 *      themselves, trading days roll), then the engine marks at the close (breakers see the bar);
 *   3. the strategy's onBar runs; its orders go through the engine (and gate) to the exchange.
 * Nothing reads the system time or an unseeded random source, so the same inputs and seed give
 * the same result.
 *
 * Memory does not grow with the number of bars: the metrics are computed online (a
 * MetricsAccumulator fed with the equity at every bar close, giving the same figures as
 * computeMetrics on the full curve), and the equity curve kept for charts is bounded by
 * `maxEquityPoints` (default 100,000): up to that many points it is every bar close, as is; when
 * full, every other point is dropped and from then on only every 2nd, 4th, … point is kept (the
 * stride doubles each time), the first point always staying; at the end the latest point and the
 * max-drawdown peak and trough are added back if they were dropped. Per bar the loop allocates
 * nothing of its own (with keepBars false). Bars kept for the price chart (keepBars, default true)
 * and the trades and fills still grow with the run.
 */
export async function runBacktest(o: BacktestOptions): Promise<BacktestResult> {
  if (o.sources.length === 0) throw new ValidationError('INVALID_FIELD', 'a backtest needs at least one data source', { field: 'sources' });
  const clock = new TestClock(0);
  const journal = o.journal ?? new DiscardingJournal();
  // Risk cancels are chased on simulated time: a retry falls due at the first bar close at or after it.
  const chaseTimer = new ManualTimer(clock);
  const guarded = o.risk ? await guardedStack(backtestRiskConfig(o.risk, o.webhooks ?? false), { clock, journal }, { timer: chaseTimer }) : undefined;
  const engine = guarded?.engine ?? new Engine({ clock, journal });
  const seed = o.seed ?? 1;
  const models = withSeed(o.models ?? {}, seed);
  const exchanges = new Map<string, SimulatedExchange>();
  // One ledger for every exchange of the run: the account is one, whichever venue it trades on.
  const venueAccounts = new SimAccounts();
  const accountId = o.accountId ?? 'BACKTEST';
  const strategy = o.strategy;
  const strategyId = strategy.name;
  const all = [strategy, ...(o.alsoRun ?? [])];
  const names = new Set<string>();
  for (const st of all) {
    if (names.has(st.name)) throw new ValidationError('INVALID_FIELD', `two strategies in one run are both named ${st.name}`, { field: 'strategies', input: st.name });
    names.add(st.name);
  }

  // Open the data first: the clock starts at the first bar.
  const bars = mergeBars(o.sources.map((s) => s.bars));
  let next = await firstInRange(bars, o.from, o.to);
  const startTime = next?.ts ?? o.from ?? 0;
  clock.set(startTime);

  const instruments: Instrument[] = [];
  const byId = new Map<string, Instrument>();
  for (const s of o.sources) {
    const inst = await engine.registerInstrument(s.instrument);
    let ex = exchanges.get(inst.venue);
    if (!ex) {
      ex = new SimulatedExchange({
        id: inst.venue,
        clock,
        accounts: venueAccounts,
        ...exchangeModels(models, clock),
        ...(o.intrabar ? { intrabar: o.intrabar } : {}),
        ...(o.maxBarVolumeShare !== undefined ? { maxBarVolumeShare: o.maxBarVolumeShare } : {}),
      });
      exchanges.set(inst.venue, ex);
      engine.addVenue(ex);
    }
    ex.list(inst);
    instruments.push(inst);
    byId.set(inst.id, inst);
  }
  const currency = instruments[0]!.settlement;
  for (const i of instruments) {
    if (i.settlement.code !== currency.code) {
      throw new ValidationError('INVALID_FIELD', `all instruments must settle in one currency: ${i.id} settles in ${i.settlement.code}, not ${currency.code}`, { field: 'sources' });
    }
  }
  const initial = Money.of(o.cash, currency, 'cash');
  await engine.openAccount({ id: accountId, type: 'CASH', balances: [initial] });
  venueAccounts.openCashAccount(accountId, [initial]);
  const account = engine.portfolio.account(accountId as never);

  const tracker = new TradeTracker();
  const fills: FillRecord[] = [];
  let orderSeq = 0;
  const riskLog = new RiskLog();
  riskLog.attach(engine.bus);
  /** Timers strategies set, earliest first: fired at the first bar close at or after their time. */
  const timers: { at: number; seq: number; owner: Strategy; ctx: StrategyContext }[] = [];
  let timerSeq = 0;

  // The emulator and algorithms are built when a strategy first asks for a list, trailing or algorithm command (then settled every step).
  let emulation: { emulator: OrderEmulator; algos: ExecutionAlgorithms } | undefined;
  const emulationOf = () => {
    if (!emulation) {
      const emulator = new OrderEmulator(engine, { capabilities: [...exchanges].map(([id, ex]) => ({ id, capabilities: ex.capabilities })), ...(o.intrabar ? { intrabar: o.intrabar } : {}) });
      emulator.start();
      emulation = { emulator, algos: new ExecutionAlgorithms(engine) };
    }
    return emulation;
  };
  const contextFor = (owner: Strategy): StrategyContext => {
    const sid = owner.name;
    const ctx: StrategyContext = createStrategyContext({
      engine,
      strategyId: sid,
      accountId,
      instruments,
      currency,
      nextOrderId: () => `${sid}-${++orderSeq}`,
      netRaw: (positionId) => tracker.netRaw(positionId),
      emulation: emulationOf,
      setTimer(at: number): void {
        if (!Number.isSafeInteger(at)) throw new ValidationError('INVALID_FIELD', `timer time must be epoch ms, got ${at}`, { field: 'at' });
        const t = { at, seq: ++timerSeq, owner, ctx };
        let i = timers.length;
        while (i > 0 && (timers[i - 1]!.at > at || (timers[i - 1]!.at === at && timers[i - 1]!.seq > t.seq))) i--;
        timers.splice(i, 0, t);
      },
    });
    return ctx;
  };
  const contexts = new Map<string, { strategy: Strategy; ctx: StrategyContext }>();
  for (const st of all) contexts.set(st.name, { strategy: st, ctx: contextFor(st) });
  const ctx = contexts.get(strategyId)!.ctx;

  engine.bus.subscribe('order', (e: OrderEvent) => {
    if (e.kind === 'OrderFilled') {
      const inst = byId.get(e.instrumentId)!;
      tracker.onFill(e, inst);
      fills.push({ instrumentId: e.instrumentId, time: e.tsEvent, side: e.side, quantity: e.lastQty.toString(), price: e.lastPx.toString(), fee: e.commission.toDecimalString() });
    }
    // Each strategy hears only its own orders.
    const sid = e.kind === 'OrderFilled' ? e.strategyId : e.kind === 'OrderInitialized' ? e.spec.strategyId : engine.order(e.clientOrderId)?.spec.strategyId;
    const own = sid === undefined ? undefined : contexts.get(sid);
    if (!own) return;
    // The event is the journal's own object (a store may encode it later): a strategy reads it, never edits it.
    Object.freeze(e);
    if (own.strategy.onOrderEvent) own.strategy.onOrderEvent(e, own.ctx);
    if (e.kind === 'OrderFilled' && own.strategy.onFill) own.strategy.onFill(e, own.ctx);
  });

  const keep = o.keepBars ?? true;
  const kept = new Map<string, KeptBars>();
  if (keep) for (const i of instruments) kept.set(i.id, { time: [], open: [], high: [], low: [], close: [] });
  const acc = new MetricsAccumulator(o.periodsPerYear);
  const curve = new EquityCurveSampler(o.maxEquityPoints ?? 100_000);
  const addPoint = (t: number, e: number, exposed: boolean, open: number): void => {
    acc.add(t, e, exposed, open);
    curve.add(t, e);
  };
  addPoint(startTime, initial.toNumber(), false, startTime);
  // The latest point is held back: a later step closing at the same time replaces its equity.
  let pending = false;
  let pendTime = 0;
  let pendOpen = 0;
  let pendEq = 0;
  let pendExposed = false;
  const scale = 10 ** currency.precision;
  const every = o.progressEvery ?? 10_000;
  let n = 0;
  let lastTs = startTime;
  let ticked = -Infinity;

  for (const { strategy: st, ctx: c } of contexts.values()) if (st.onStart) await st.onStart(c);
  // Bars that open at the same time (several instruments) are one step: every exchange walks its
  // bar at the open, then, at the close, the engine marks and the strategy sees each bar. So a fill
  // on any instrument is stamped at its own bar's open, whatever the order of the sources.
  const group: MarketItem[] = [];
  while (next) {
    group.length = 0;
    const ts = next.ts;
    while (next && next.ts === ts) {
      group.push(next);
      const it = await bars.next();
      next = it.done || (o.to !== undefined && it.value.ts >= o.to) ? undefined : it.value;
    }
    if (ts > clock.now()) clock.set(ts);
    for (const item of group) {
      const inst = byId.get(item.instrumentId);
      if (!inst) throw new ValidationError('INVALID_FIELD', `data of ${item.instrumentId} does not belong to any source instrument`, { field: 'instrumentId' });
      if (isTrade(item)) exchanges.get(inst.venue)!.onTrade(inst, inst.price(item.price), item.size);
      else if (isQuote(item)) exchanges.get(inst.venue)!.onQuote(inst, inst.price(item.bid, 'bid'), inst.price(item.ask, 'ask'));
      else exchanges.get(inst.venue)!.onBar(item, inst);
    }
    let close = ts;
    for (const item of group) if (!isTrade(item) && !isQuote(item) && item.ts + item.durationMs > close) close = item.ts + item.durationMs;
    if (close > clock.now()) clock.set(close);
    // Simulated time passed: auto-resets and day boundaries happen now, before the bar is seen.
    if (guarded && clock.now() > ticked) {
      ticked = clock.now();
      await guarded.control.tick();
      chaseTimer.runDue();
    }
    while (timers.length > 0 && timers[0]!.at <= close) {
      const t = timers.shift()!;
      if (t.owner.onTimer) {
        const r = t.owner.onTimer(t.at, t.ctx);
        if (r) await r;
      }
    }
    for (const bar of group) {
      if (isTrade(bar)) {
        // A print: the market price moves; strategies that listen to trades hear it.
        engine.updateMarket(bar.instrumentId, { last: byId.get(bar.instrumentId)!.price(bar.price) });
        for (const st of all) {
          if (!st.onTrade) continue;
          const r = st.onTrade(bar, contexts.get(st.name)!.ctx);
          if (r) await r;
        }
        n++;
        continue;
      }
      if (isQuote(bar)) {
        const inst = byId.get(bar.instrumentId)!;
        engine.updateMarket(bar.instrumentId, { bid: inst.price(bar.bid, 'bid'), ask: inst.price(bar.ask, 'ask') });
        for (const st of all) {
          if (!st.onQuote) continue;
          const r = st.onQuote(bar, contexts.get(st.name)!.ctx);
          if (r) await r;
        }
        n++;
        continue;
      }
      engine.updateBar(bar);
      for (let i = 0; i < all.length; i++) {
        const st = all[i]!;
        const r = st.onBar(bar, i === 0 ? ctx : contexts.get(st.name)!.ctx);
        if (r) await r;
      }
      if (keep) {
        const k = kept.get(bar.instrumentId)!;
        k.time.push(bar.ts);
        k.open.push(Number(bar.open));
        k.high.push(Number(bar.high));
        k.low.push(Number(bar.low));
        k.close.push(Number(bar.close));
      }
      n++;
      if (o.onProgress && n % every === 0) o.onProgress(n, bar.ts);
    }
    if (emulation) {
      await emulation.emulator.idle();
      await emulation.algos.idle();
    }
    const eq = Number(engine.portfolio.equityRaw(account.id, currency)) / scale;
    if (pending && pendTime === close) {
      pendEq = eq;
    } else {
      if (pending) addPoint(pendTime, pendEq, pendExposed, pendOpen);
      pending = true;
      pendTime = close;
      pendOpen = ts;
      pendEq = eq;
      pendExposed = tracker.openCount > 0;
    }
    lastTs = close;
  }
  if (pending) addPoint(pendTime, pendEq, pendExposed, pendOpen);
  if (next === undefined) await bars.return(undefined);
  for (const { strategy: st, ctx: c } of contexts.values()) await stopStrategy(st, c);
  if (emulation) {
    await emulation.emulator.idle();
    await emulation.algos.idle();
    emulation.emulator.stop();
    emulation.algos.dispose();
  }
  if (o.onProgress) o.onProgress(n, lastTs);
  if (guarded) {
    await guarded.control.idle();
    await guarded.webhook?.idle();
  }

  const final = engine.portfolio.equity(account.id, currency);
  const fees = Money.fromRaw(tracker.feesRaw, currency).toDecimalString();
  const metrics = acc.result({ tradePnls: tracker.closed.map((t) => Number(t.pnl)), feesPaid: fees, breakerTrips: riskLog.trips });
  const dd = acc.drawdown;
  const equity = curve.finish(
    dd.depth === 0
      ? []
      : [
          { index: dd.peakIndex, time: metrics.maxDrawdownPeakTime!, value: dd.peakValue },
          { index: dd.troughIndex, time: metrics.maxDrawdownTroughTime!, value: dd.troughValue },
        ],
  );
  const openPositions = engine.portfolio.openPositions().map((p) => ({ instrumentId: p.instrumentId, quantity: p.quantity.toString() }));
  return {
    strategy: strategyId,
    bars: n,
    startTime,
    endTime: lastTs,
    currency: currency.code,
    initialEquity: initial.toDecimalString(),
    finalEquity: final.toDecimalString(),
    feesPaid: fees,
    breakerTrips: riskLog.trips,
    breakerResets: riskLog.resets,
    breakerLog: riskLog.breakers,
    denied: riskLog.denied,
    deniedByCode: riskLog.deniedByCode,
    instruments,
    trades: tracker.closed,
    fills,
    equity,
    monthlyReturns: acc.monthlyReturns(),
    bySymbol: kept,
    openPositions,
    metrics,
  };
}

async function firstInRange(bars: AsyncGenerator<MarketItem>, from: number | undefined, to: number | undefined): Promise<MarketItem | undefined> {
  for (;;) {
    const it = await bars.next();
    if (it.done) return undefined;
    if (from !== undefined && it.value.ts < from) continue;
    if (to !== undefined && it.value.ts >= to) return undefined;
    return it.value;
  }
}

/** Seeds the seeded models (limit fills at touch, random latency) that do not name a seed. */
function withSeed(models: ExchangeModelConfig, seed: number): ExchangeModelConfig {
  const seeded = (c: ExchangeModelConfig['latency']) => (c && (c.model === 'random' || c.model === 'fill_at_touch') && c.seed === undefined ? { ...c, seed } : c);
  const out: { -readonly [K in keyof ExchangeModelConfig]: ExchangeModelConfig[K] } = { ...models };
  if (models.latency) out.latency = seeded(models.latency);
  if (models.limitFill) out.limitFill = seeded(models.limitFill);
  return out;
}
