import { TestClock } from '../src/engine/clock.ts';
import { DiscardingJournal } from '../src/engine/journal.ts';
import { guardedStack } from '../src/execution/risk-stack.ts';
import { ManualTimer } from '../src/execution/timer.ts';
import { createStrategyContext } from '../src/backtest/context.ts';
import { mergeBars } from '../src/backtest/merge.ts';
import { BacktestRecorder } from '../src/backtest/recorder.ts';
import type { BacktestResult } from '../src/backtest/runner.ts';
import type { Strategy } from '../src/backtest/strategy.ts';
import type { Bar } from '../src/model/bar.ts';
import type { MarketItem } from '../src/node/market-data.ts';
import type { InstrumentSpec } from '../src/model/instrument.ts';
import { Money } from '../src/model/money.ts';
import type { RiskConfig } from '../src/risk/config/types.ts';
import { SimulatedExchange } from '../src/venues/sim/exchange/simulated-exchange.ts';

/**
 * The engine-only path the node is measured against: what runBacktest was before it ran the
 * TradingNode, cut to one instrument of bars and one strategy. Clock, journal that keeps
 * nothing, the risk stack (gate, breakers, chaser on a ManualTimer), one simulated exchange, the
 * strategy's context, and the same BacktestRecorder, wired by hand; per bar: the exchange walks
 * it at its open, risk control ticks at its close, the engine marks it, the strategy sees it.
 * No emulator, algorithms, strategy host or node: whatever the node costs beyond this is its cost.
 */
export async function runEngineOnly(o: { spec: InstrumentSpec; bars: Iterable<Bar>; strategy: Strategy; cash: string; risk: RiskConfig }): Promise<BacktestResult> {
  const clock = new TestClock(0);
  const journal = new DiscardingJournal();
  const timer = new ManualTimer(clock);
  const { engine, control } = await guardedStack(o.risk, { clock, journal }, { timer });
  const recorder = new BacktestRecorder({});
  recorder.attach(engine);
  // Read as the node reads it (runBacktest merges its sources): one await per bar.
  const it = mergeBars([o.bars]);
  let next = await it.next();
  const start = next.done ? 0 : next.value.ts;
  clock.set(start);
  const inst = await engine.registerInstrument(o.spec);
  const ex = new SimulatedExchange({ id: inst.venue, clock });
  engine.addVenue(ex);
  ex.list(inst);
  const cash = Money.of(o.cash, inst.settlement);
  await engine.openAccount({ id: 'BACKTEST', type: 'CASH', balances: [cash] });
  ex.accounts.openCashAccount('BACKTEST', [cash]);
  let seq = 0;
  const ctx = createStrategyContext({
    engine,
    strategyId: o.strategy.name,
    accountId: 'BACKTEST',
    instruments: [inst],
    currency: inst.settlement,
    nextOrderId: () => `${o.strategy.name}-${++seq}`,
    netRaw: (id) => engine.portfolio.position(id as never)?.signedQtyRaw ?? 0n,
    setTimer: () => undefined,
  });
  recorder.start(start, 'BACKTEST', [inst], false);
  const group: MarketItem[] = [];
  if (o.strategy.onStart) await o.strategy.onStart(ctx);
  while (!next.done) {
    const bar = next.value;
    group[0] = bar;
    clock.set(bar.ts);
    ex.onBar(bar, inst);
    const close = bar.ts + bar.durationMs;
    clock.set(close);
    await control.tick();
    timer.runDue();
    engine.updateBar(bar);
    const r = o.strategy.onBar(bar, ctx);
    if (r) await r;
    recorder.onStep(group, close);
    next = await it.next();
  }
  if (o.strategy.onEnd) await o.strategy.onEnd(ctx);
  await control.idle();
  return recorder.finish(o.strategy.name, [inst]);
}
