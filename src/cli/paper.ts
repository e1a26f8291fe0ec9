import { setTimeout as sleep } from 'node:timers/promises';
import { readCsvBars } from '../data/csv-bars.ts';
import { Engine } from '../engine/engine.ts';
import { MemoryJournal } from '../engine/journal.ts';
import { Currencies } from '../model/currency.ts';
import { instrumentId } from '../model/identifiers.ts';
import { Money } from '../model/money.ts';
import { SimulatedExchange } from '../venues/sim/exchange/simulated-exchange.ts';
import { ReplayClock } from '../venues/sim/replay/replay-clock.ts';
import { runPaper, SmaCrossDemo } from '../venues/sim/replay/paper-session.ts';

export interface PaperCliOptions {
  data: string;
  speed: string;
  instrument: string;
  bars?: string;
  balance: string;
  fast: string;
  slow: string;
  quantity: string;
}

/** First bar time of a file, to start the replay clock there. */
async function firstBarTime(file: string, id: string): Promise<number> {
  for await (const bar of readCsvBars(file, { instrumentId: instrumentId(id) })) return bar.ts;
  throw new Error(`${file} has no bars`);
}

/**
 * `warden paper --data FILE --speed 60`: paper trading on the wall clock against the simulated
 * exchange, fed by a replayed bar file `speed` times faster than real time.
 */
export async function runPaperCli(o: PaperCliOptions, print: (line: string) => void = console.log): Promise<void> {
  const speed = Number(o.speed);
  if (!(speed > 0)) throw new Error(`--speed must be a positive number, got ${o.speed}`);
  const start = await firstBarTime(o.data, o.instrument);
  const clock = new ReplayClock(start, speed, () => Date.now());
  const engine = new Engine({ clock, journal: new MemoryJournal() });
  const exchange = new SimulatedExchange({ id: instrumentId(o.instrument).split('.').pop()!, clock });
  engine.addVenue(exchange);
  const instrument = await engine.registerInstrument({
    id: o.instrument, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT,
    tickSize: '0.01', lotSize: '0.00001', makerFee: '0.001', takerFee: '0.001',
  });
  exchange.list(instrument);
  await engine.openAccount({ id: 'PAPER', type: 'CASH', balances: [Money.of(o.balance, Currencies.USDT)] });
  engine.bus.subscribe('order', (e) => {
    if (e.kind === 'OrderFilled') {
      print(`${new Date(e.tsEvent).toISOString()} ${e.side} ${e.lastQty.toString()} @ ${e.lastPx.toString()} fee ${e.commission.toString()}`);
    }
  });
  engine.bus.subscribe('alert', (a) => print(`ALERT ${a.code}: ${a.message}`));
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  print(`paper: ${o.data} at ${speed}x from ${new Date(start).toISOString()}; Ctrl-C stops`);
  const { bars } = await runPaper({
    engine,
    exchange,
    clock,
    instrument,
    accountId: 'PAPER',
    bars: readCsvBars(o.data, { instrumentId: instrument.id }),
    strategy: new SmaCrossDemo(Number(o.fast), Number(o.slow), o.quantity),
    ...(o.bars ? { maxBars: Number(o.bars) } : {}),
    sleep: (ms) => sleep(ms, undefined, { signal: controller.signal }).catch(() => undefined),
    signal: controller.signal,
  });
  process.off('SIGINT', stop);
  const pf = engine.portfolio;
  print(`paper: ${bars} bars replayed`);
  for (const p of pf.allPositions()) print(`  position ${p.id} ${p.side} ${p.quantity.toString()} realized ${p.realizedPnl.toString()} unrealized ${pf.unrealizedPnl(p).toString()}`);
  print(`  equity ${pf.equity(pf.allAccounts()[0]!.id, Currencies.USDT).toString()}`);
}
