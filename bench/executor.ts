/**
 * The Executor's cost, against the same loop without it (or in the other mode) in the same run:
 * (a) backtest bars/s with the SimulatedExchange given to the engine directly vs behind an
 *     Executor in BACKTEST mode; the limit: the executor costs at most 5%;
 * (b) orders/s through engine -> executor -> exchange in BACKTEST mode vs PAPER mode (the paper
 *     node's executor, RealTimer, no fault injection), market orders filling at once on a quote.
 * Runs alternate and each side takes its median: this machine is shared, and a burst of other work
 * would otherwise land on one side only.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { TestClock, WallClock, type Clock } from '../src/engine/clock.ts';
import { Engine } from '../src/engine/engine.ts';
import { DiscardingJournal } from '../src/engine/journal.ts';
import type { Venue } from '../src/engine/venue.ts';
import { Executor } from '../src/execution/executor.ts';
import { RealTimer } from '../src/execution/timer.ts';
import type { Bar } from '../src/model/bar.ts';
import { Currencies } from '../src/model/currency.ts';
import { instrumentId } from '../src/model/identifiers.ts';
import { Money } from '../src/model/money.ts';
import { addPaperExecutor } from '../src/node/venues.ts';
import { SimulatedExchange } from '../src/venues/sim/exchange/simulated-exchange.ts';
import { gc, median, recordResult } from './results.ts';

const FILE = fileURLToPath(new URL('../../shared/data/market/binanceus-BTCUSDT-1m-2023-03-01_21.csv', import.meta.url));
const ID = 'BTCUSDT.BINANCEUS';
const MINUTE = 60_000;
/** The most the executor may cost a backtest: BACKTEST mode is meant to be a pass-through. */
const LIMIT_COST = 0.05;
const ORDER_EVERY_BARS = 5;

/** The bundled file `passes` times over, times continuing minute by minute, made before any timing. */
function readBars(passes: number): { bars: Bar[]; fileBars: number } {
  const lines = readFileSync(FILE, 'utf8').trim().split('\n').slice(1);
  const once: Bar[] = lines.map((line) => {
    const [t, open, high, low, close, volume] = line.split(',');
    return { instrumentId: instrumentId(ID), ts: Date.parse(`${t!.replace(' ', 'T')}Z`), durationMs: MINUTE, open: open!, high: high!, low: low!, close: close!, volume: volume!.trim() };
  });
  const span = once.length * MINUTE;
  const bars: Bar[] = [];
  for (let p = 0; p < passes; p++) for (const b of once) bars.push({ ...b, ts: b.ts + p * span });
  return { bars, fileBars: once.length };
}

type Wiring = 'DIRECT' | 'BACKTEST' | 'PAPER';

/** An engine trading on a fresh exchange, given to it as `wiring` says. */
async function setup(wiring: Wiring, clock: Clock) {
  const engine = new Engine({ clock, journal: new DiscardingJournal() });
  const exchange = new SimulatedExchange({ id: 'BINANCEUS', clock });
  let executor: Executor | undefined;
  // PAPER: the executor a paper node puts in front of each venue (the TradingNode's venue registry wires it so), so the figure is paper trading's cost.
  if (wiring === 'PAPER') executor = addPaperExecutor(engine, exchange, { clock, timer: new RealTimer() });
  else {
    if (wiring === 'BACKTEST') executor = new Executor(exchange, { mode: 'BACKTEST', clock });
    const venue: Venue = executor ?? exchange;
    engine.addVenue(venue);
  }
  const inst = await engine.registerInstrument({ id: ID, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.00001' });
  exchange.list(inst);
  await engine.openAccount({ id: 'A', type: 'MARGIN', balances: [Money.of('100000000', Currencies.USDT)] });
  let n = 0;
  /** A market order, sides alternating so the position stays small. */
  const order = () => engine.submitOrder({ clientOrderId: `B-${++n}`, accountId: 'A', instrumentId: ID, side: n % 2 ? 'BUY' : 'SELL', type: 'MARKET', quantity: '0.01' });
  return { engine, exchange, executor, inst, order };
}

/** (a) The bar loop of a backtest: the exchange walks each bar, the engine marks it, a market order every few bars. */
async function barsPerSec(wiring: 'DIRECT' | 'BACKTEST', bars: readonly Bar[]): Promise<number> {
  const clock = new TestClock(bars[0]!.ts);
  const { engine, exchange, inst, order } = await setup(wiring, clock);
  const t0 = performance.now();
  for (let i = 0; i < bars.length; i++) {
    const bar = bars[i]!;
    clock.set(bar.ts + MINUTE);
    exchange.onBar(bar, inst);
    engine.updateBar(bar);
    if (i % ORDER_EVERY_BARS === 0) await order();
  }
  return bars.length / ((performance.now() - t0) / 1000);
}

/** (b) Orders one after another, each filled at once at the standing quote. */
async function ordersPerSec(wiring: 'BACKTEST' | 'PAPER', orders: number): Promise<number> {
  // One clock for both modes (the wall clock paper trading runs on), so only the mode differs.
  const { engine, exchange, executor, inst, order } = await setup(wiring, new WallClock());
  exchange.onQuote(inst, inst.price('25000.00'), inst.price('25000.01'));
  engine.portfolio.mark(inst.id, { last: inst.price('25000.00') });
  const t0 = performance.now();
  for (let i = 0; i < orders; i++) await order();
  await executor!.idle();
  const secs = (performance.now() - t0) / 1000;
  if (engine.state.openOrders.size !== 0) throw new Error(`${wiring}: ${engine.state.openOrders.size} orders still open`);
  const st = executor!.statistics();
  if (wiring === 'PAPER' && (st.executions.SUBMIT !== orders || st.bySettlement.ACK !== orders)) {
    throw new Error(`PAPER: ${st.executions.SUBMIT} submits, ${st.bySettlement.ACK} acknowledged of ${orders}`);
  }
  return orders / secs;
}

const int = (x: number) => Math.round(x).toLocaleString('en-US');

/** Runs `a` and `b` alternately `rounds` times after one warm-up each; the median of each. */
async function alternate(rounds: number, a: () => Promise<number>, b: () => Promise<number>): Promise<{ a: number; b: number }> {
  await a();
  await b();
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    gc();
    as.push(await a());
    gc();
    bs.push(await b());
  }
  return { a: median(as), b: median(bs) };
}

export async function runExecutorBench(): Promise<Record<string, unknown>> {
  const passes = Number(process.env.BENCH_EXECUTOR_PASSES ?? 3);
  const orders = Number(process.env.BENCH_EXECUTOR_ORDERS ?? 20_000);
  const rounds = Number(process.env.BENCH_EXECUTOR_ROUNDS ?? 11);
  const { bars, fileBars } = readBars(passes);

  const bt = await alternate(rounds, () => barsPerSec('DIRECT', bars), () => barsPerSec('BACKTEST', bars));
  const barsRatio = bt.b / bt.a;
  const om = await alternate(rounds, () => ordersPerSec('BACKTEST', orders), () => ordersPerSec('PAPER', orders));
  const paperRatio = om.b / om.a;

  const figures = {
    directBarsPerSec: Math.round(bt.a),
    executorBacktestBarsPerSec: Math.round(bt.b),
    barsRatio: Number(barsRatio.toFixed(3)),
    limitRatio: 1 - LIMIT_COST,
    limitMet: barsRatio >= 1 - LIMIT_COST,
    backtestOrdersPerSec: Math.round(om.a),
    paperOrdersPerSec: Math.round(om.b),
    paperToBacktestRatio: Number(paperRatio.toFixed(3)),
    paperOverheadMicrosPerOrder: Number((1e6 / om.b - 1e6 / om.a).toFixed(2)),
    bars: bars.length,
    ordersPerBar: 1 / ORDER_EVERY_BARS,
    orders,
    rounds,
    source: `binanceus-BTCUSDT-1m-2023-03-01_21.csv (${fileBars.toLocaleString('en-US')} bars) x ${passes}, a market order every ${ORDER_EVERY_BARS} bars; orders: market at a standing quote, discarding journal`,
  };
  console.log(
    `executor: backtest ${int(bt.b)} bars/s behind Executor(BACKTEST) vs ${int(bt.a)} direct: ${figures.barsRatio}x ` +
      `(limit >= ${figures.limitRatio}: ${figures.limitMet ? 'met' : 'NOT met'}); ` +
      `orders ${int(om.b)}/s PAPER vs ${int(om.a)}/s BACKTEST: ${figures.paperToBacktestRatio}x, +${figures.paperOverheadMicrosPerOrder} µs/order ` +
      `(medians of ${rounds} alternating runs)`,
  );
  recordResult('executor', figures);
  return figures;
}
