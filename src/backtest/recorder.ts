import type { Engine } from '../engine/engine.ts';
import type { Currency } from '../model/currency.ts';
import type { Instrument } from '../model/instrument.ts';
import { Money } from '../model/money.ts';
import type { OrderEvent } from '../model/orders/events.ts';
import { isBar, type MarketItem } from '../node/market-data.ts';
import { EquityCurveSampler } from './equity-curve.ts';
import { MetricsAccumulator } from './metrics.ts';
import { RiskLog } from './risk-log.ts';
import type { BacktestResult, FillRecord, KeptBars } from './runner.ts';
import { TradeTracker } from './trades.ts';

export interface RecorderOptions {
  readonly periodsPerYear?: number;
  readonly maxEquityPoints?: number;
  readonly keepBars?: boolean;
  readonly onProgress?: (bars: number, ts: number) => void;
  readonly progressEvery?: number;
}

/**
 * What a backtest reports, gathered while the node runs it: closed trades and fills (order
 * events), breaker trips and denials (RiskLog), and after each step the equity at its close (the
 * online metrics and the bounded equity curve), the bars for the price chart and the progress.
 *
 * Memory does not grow with the number of bars: the metrics are computed online (a
 * MetricsAccumulator fed with the equity at every step's close, giving the same figures as
 * computeMetrics on the full curve), and the equity curve kept for charts is bounded by
 * `maxEquityPoints` (default 100,000; see EquityCurveSampler). Per step it allocates nothing of
 * its own (with keepBars false). Bars kept for the price chart and the trades and fills still
 * grow with the run.
 */
export class BacktestRecorder {
  private readonly tracker = new TradeTracker();
  private readonly fills: FillRecord[] = [];
  private readonly riskLog = new RiskLog();
  private readonly acc: MetricsAccumulator;
  private readonly curve: EquityCurveSampler;
  private readonly kept = new Map<string, KeptBars>();
  private engine!: Engine;
  private account!: string;
  private currency!: Currency;
  private scale = 1;
  private initial!: Money;
  private startTime = 0;
  private lastTs = 0;
  private n = 0;
  private readonly every: number;
  /**
   * The item count of the next progress call (n % every === 0) when `every` is a whole number:
   * counted up to, so a step needs no division. Otherwise (0, negative, fractional) NaN, and the
   * remainder is taken as before.
   */
  private progressAt: number;
  // The latest point is held back: a later step closing at the same time replaces its equity.
  private pending = false;
  private pendTime = 0;
  private pendOpen = 0;
  private pendEq = 0;
  private pendExposed = false;

  constructor(private readonly o: RecorderOptions) {
    this.acc = new MetricsAccumulator(o.periodsPerYear);
    this.curve = new EquityCurveSampler(o.maxEquityPoints ?? 100_000);
    this.every = o.progressEvery ?? 10_000;
    this.progressAt = Number.isSafeInteger(this.every) && this.every > 0 ? this.every : NaN;
  }

  /** Listens to the engine before anything else does: every fill is counted before a strategy hears it. */
  attach(engine: Engine): void {
    this.engine = engine;
    this.riskLog.attach(engine.bus);
    engine.bus.subscribe('order', (e: OrderEvent) => {
      if (e.kind !== 'OrderFilled') return;
      this.tracker.onFill(e, engine.instrument(e.instrumentId));
      this.fills.push({ instrumentId: e.instrumentId, time: e.tsEvent, side: e.side, quantity: e.lastQty.toString(), price: e.lastPx.toString(), fee: e.commission.toDecimalString() });
    });
  }

  /** The run starts: its first time, its account, the starting equity (the curve's first point). */
  start(startTime: number, accountId: string, instruments: readonly Instrument[], keepBars: boolean): void {
    this.startTime = this.lastTs = startTime;
    this.account = accountId;
    this.currency = instruments[0]!.settlement;
    this.scale = 10 ** this.currency.precision;
    this.initial = this.engine.portfolio.equity(accountId as never, this.currency);
    if (keepBars) for (const i of instruments) this.kept.set(i.id, { time: [], open: [], high: [], low: [], close: [] });
    this.addPoint(startTime, this.initial.toNumber(), false, startTime);
  }

  /** After each step (the node's onStep): the bars kept, progress, and the equity at the step's close. */
  onStep(items: readonly MarketItem[], close: number): void {
    const keep = this.kept.size > 0;
    for (const item of items) {
      // Progress is said at bars only, at every `every`-th item (a trade there is passed over).
      const due = ++this.n === this.progressAt;
      if (due) this.progressAt += this.every;
      if (!isBar(item)) continue;
      if (keep) {
        const k = this.kept.get(item.instrumentId)!;
        k.time.push(item.ts);
        k.open.push(Number(item.open));
        k.high.push(Number(item.high));
        k.low.push(Number(item.low));
        k.close.push(Number(item.close));
      }
      if (due) this.o.onProgress?.(this.n, item.ts);
      else if (Number.isNaN(this.progressAt) && this.o.onProgress && this.n % this.every === 0) this.o.onProgress(this.n, item.ts);
    }
    const eq = Number(this.engine.portfolio.equityRaw(this.account as never, this.currency)) / this.scale;
    if (this.pending && this.pendTime === close) {
      this.pendEq = eq;
    } else {
      if (this.pending) this.addPoint(this.pendTime, this.pendEq, this.pendExposed, this.pendOpen);
      this.pending = true;
      this.pendTime = close;
      this.pendOpen = items[0]!.ts;
      this.pendEq = eq;
      this.pendExposed = this.tracker.openCount > 0;
    }
    this.lastTs = close;
  }

  /** The run ended (strategies stopped, everything settled): the result. */
  finish(strategy: string, instruments: readonly Instrument[]): BacktestResult {
    if (this.pending) this.addPoint(this.pendTime, this.pendEq, this.pendExposed, this.pendOpen);
    this.pending = false;
    if (this.o.onProgress) this.o.onProgress(this.n, this.lastTs);
    const { engine, currency, tracker, riskLog, acc } = this;
    const final = engine.portfolio.equity(this.account as never, currency);
    const fees = Money.fromRaw(tracker.feesRaw, currency).toDecimalString();
    const metrics = acc.result({ tradePnls: tracker.closed.map((t) => Number(t.pnl)), feesPaid: fees, breakerTrips: riskLog.trips });
    const dd = acc.drawdown;
    const equity = this.curve.finish(
      dd.depth === 0
        ? []
        : [
            { index: dd.peakIndex, time: metrics.maxDrawdownPeakTime!, value: dd.peakValue },
            { index: dd.troughIndex, time: metrics.maxDrawdownTroughTime!, value: dd.troughValue },
          ],
    );
    const openPositions = engine.portfolio.openPositions().map((p) => ({ instrumentId: p.instrumentId, quantity: p.quantity.toString() }));
    return {
      strategy,
      bars: this.n,
      startTime: this.startTime,
      endTime: this.lastTs,
      currency: currency.code,
      initialEquity: this.initial.toDecimalString(),
      finalEquity: final.toDecimalString(),
      feesPaid: fees,
      breakerTrips: riskLog.trips,
      breakerResets: riskLog.resets,
      breakerLog: riskLog.breakers,
      denied: riskLog.denied,
      deniedByCode: riskLog.deniedByCode,
      instruments,
      trades: tracker.closed,
      fills: this.fills,
      equity,
      monthlyReturns: acc.monthlyReturns(),
      bySymbol: this.kept,
      openPositions,
      metrics,
    };
  }

  private addPoint(t: number, e: number, exposed: boolean, open: number): void {
    this.acc.add(t, e, exposed, open);
    this.curve.add(t, e);
  }
}
