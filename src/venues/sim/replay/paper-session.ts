import { SMA } from 'trading-signals';
import type { Bar } from '../../../data/bar.ts';
import type { Engine } from '../../../engine/engine.ts';
import type { Instrument } from '../../../model/instrument.ts';
import type { SimulatedExchange } from '../exchange/simulated-exchange.ts';
import type { ReplayClock } from './replay-clock.ts';

/** What a paper strategy sees on each bar. The full strategy API comes with the backtest runner. */
export interface PaperContext {
  readonly engine: Engine;
  readonly instrument: Instrument;
  readonly accountId: string;
  nextOrderId(): string;
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
    await ctx.engine.submitOrder({
      clientOrderId: ctx.nextOrderId(),
      accountId: ctx.accountId,
      strategyId: this.name,
      instrumentId: ctx.instrument.id,
      side: up ? 'BUY' : 'SELL',
      type: 'MARKET',
      quantity: this.quantity,
    });
  }
}

export interface PaperRunOptions {
  readonly engine: Engine;
  readonly exchange: SimulatedExchange;
  readonly clock: ReplayClock;
  readonly instrument: Instrument;
  readonly accountId: string;
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
 * orders go through the same engine and pre-trade gate as live ones.
 */
export async function runPaper(o: PaperRunOptions): Promise<{ bars: number }> {
  let n = 0;
  let ids = 0;
  const ctx: PaperContext = { engine: o.engine, instrument: o.instrument, accountId: o.accountId, nextOrderId: () => `PAPER-${++ids}` };
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
  return { bars: n };
}
