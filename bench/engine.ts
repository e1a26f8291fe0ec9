import { performance } from 'node:perf_hooks';
import { Engine } from '../src/engine/engine.ts';
import { TestClock } from '../src/engine/clock.ts';
import { DiscardingJournal, MemoryJournal, type Journal } from '../src/engine/journal.ts';
import { Currencies } from '../src/model/currency.ts';
import { Money } from '../src/model/money.ts';
import { ScriptedVenue } from '../src/venues/scripted/scripted-venue.ts';
import { gc, median, recordResult } from './results.ts';

const GOAL_ORDERS_PER_SEC = 300_000;

/** An engine on a scripted venue filling market orders at once, and `one`: submit the next order of the lifecycle. */
export async function setup(journal: Journal, retainClosedOrders: number) {
  const clock = new TestClock(1_700_000_000_000);
  const engine = new Engine({ clock, journal, retainClosedOrders });
  const inst = await engine.registerInstrument({
    id: 'BTCUSDT.BINANCE', kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.00001', takerFee: '0.001',
  });
  const px = inst.price('25000.00');
  engine.addVenue(new ScriptedVenue({ id: 'BINANCE', clock, marketPrice: () => px, recordCalls: false }));
  await engine.openAccount({ id: 'A', type: 'CASH', balances: [Money.of('1000000000', Currencies.USDT)] });
  const qty = inst.quantity('0.01');
  let n = 0;
  /** One order: submit → accepted → filled → position, alternating sides so the position stays small. */
  const one = () =>
    engine.submitOrder({ clientOrderId: `C${++n}`, accountId: 'A', instrumentId: 'BTCUSDT.BINANCE', side: n % 2 ? 'BUY' : 'SELL', type: 'MARKET', quantity: qty });
  return { engine, one, clock };
}

async function throughput(orders: number, journal: Journal): Promise<{ ordersPerSec: number; eventsPerOrder: number }> {
  const { engine, one } = await setup(journal, 10_000);
  for (let i = 0; i < 20_000; i++) await one(); // warm-up
  const before = engine.lastSeq;
  const t0 = performance.now();
  for (let i = 0; i < orders; i++) await one();
  const secs = (performance.now() - t0) / 1000;
  const closed = engine.state.openOrders.size;
  if (closed !== 0) throw new Error(`expected every order closed, ${closed} open`);
  return { ordersPerSec: Math.round(orders / secs), eventsPerOrder: (engine.lastSeq - before) / orders };
}

/** Heap growth per 100k closed orders once the retention window is full. */
async function heapPer100k(journal: Journal): Promise<number> {
  const { one } = await setup(journal, 10_000);
  // Past every window (10,000 closed orders, 100,000 remembered ids) before measuring.
  for (let i = 0; i < 150_000; i++) await one();
  gc();
  const h0 = process.memoryUsage().heapUsed;
  for (let i = 0; i < 300_000; i++) await one();
  gc();
  return Math.round((process.memoryUsage().heapUsed - h0) / 3);
}

export async function runEngineBench(): Promise<Record<string, unknown>> {
  const orders = Number(process.env.BENCH_ENGINE_ORDERS ?? 300_000);
  const rounds = Number(process.env.BENCH_ENGINE_ROUNDS ?? 3);
  // Rounds of the two journals interleaved, medians reported: the machine is shared.
  const withJournal: Awaited<ReturnType<typeof throughput>>[] = [];
  const withoutJournal: Awaited<ReturnType<typeof throughput>>[] = [];
  for (let r = 0; r < rounds; r++) {
    withJournal.push(await throughput(orders, new MemoryJournal()));
    gc();
    withoutJournal.push(await throughput(orders, new DiscardingJournal()));
    gc();
  }
  const t = { ordersPerSec: median(withJournal.map((x) => x.ordersPerSec)), eventsPerOrder: withJournal[0]!.eventsPerOrder };
  const alone = { ordersPerSec: median(withoutJournal.map((x) => x.ordersPerSec)) };
  const heapEngine = await heapPer100k(new DiscardingJournal());
  const heapWithJournal = await heapPer100k(new MemoryJournal());
  const figures = {
    ordersPerSec: t.ordersPerSec,
    goalOrdersPerSec: GOAL_ORDERS_PER_SEC,
    ratioToGoal: Number((t.ordersPerSec / GOAL_ORDERS_PER_SEC).toFixed(2)),
    eventsPerOrder: t.eventsPerOrder,
    ordersPerSecWithoutJournal: alone.ordersPerSec,
    orders,
    rounds,
    ordersPerSecRounds: withJournal.map((x) => x.ordersPerSec),
    ordersPerSecWithoutJournalRounds: withoutJournal.map((x) => x.ordersPerSec),
    heapBytesPer100kClosed: heapEngine,
    heapBytesPer100kClosedWithMemoryJournal: heapWithJournal,
    retainClosedOrders: 10_000,
  };
  console.log(
    `engine: ${t.ordersPerSec.toLocaleString('en-US')} orders/s (goal ${GOAL_ORDERS_PER_SEC.toLocaleString('en-US')}, ` +
      `${figures.ratioToGoal}x), ${t.eventsPerOrder} events/order, memory journal\n` +
      `engine: ${alone.ordersPerSec.toLocaleString('en-US')} orders/s with a journal that keeps nothing (the engine alone)\n` +
      `engine: heap per 100k closed orders: ${(heapEngine / 1024).toFixed(0)} KiB engine state (retention 10,000), ` +
      `${(heapWithJournal / 1024 / 1024).toFixed(1)} MiB including the in-memory journal`,
  );
  recordResult('engine', figures);
  return figures;
}
