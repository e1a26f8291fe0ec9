/**
 * The executor's cost in BACKTEST mode: the same bar loop (exchange walks each bar, the engine
 * marks it, a market order every 5 bars) with the SimulatedExchange added to the engine directly
 * and wrapped in an Executor. Alternating runs, median of each. `npx tsx bench/executor.ts`
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { TestClock } from '../src/engine/clock.ts';
import { Engine } from '../src/engine/engine.ts';
import { DiscardingJournal } from '../src/engine/journal.ts';
import type { Venue } from '../src/engine/venue.ts';
import { Executor } from '../src/execution/executor.ts';
import type { Bar } from '../src/model/bar.ts';
import { Currencies } from '../src/model/currency.ts';
import { instrumentId } from '../src/model/identifiers.ts';
import { Money } from '../src/model/money.ts';
import { SimulatedExchange } from '../src/venues/sim/exchange/simulated-exchange.ts';

const FILE = fileURLToPath(new URL('../../shared/data/market/binanceus-BTCUSDT-1m-2023-03-01_21.csv', import.meta.url));
const ID = 'BTCUSDT.BINANCEUS';
const lines = readFileSync(FILE, 'utf8').trim().split('\n').slice(1);
const bars: Bar[] = lines.map((line) => {
  const [t, open, high, low, close, volume] = line.split(',');
  return { instrumentId: instrumentId(ID), ts: Date.parse(t!.replace(' ', 'T') + 'Z'), durationMs: 60_000, open: open!, high: high!, low: low!, close: close!, volume: volume! };
});

async function run(wrap: boolean): Promise<{ barsPerSec: number; orders: number }> {
  const clock = new TestClock(bars[0]!.ts);
  const engine = new Engine({ clock, journal: new DiscardingJournal() });
  const ex = new SimulatedExchange({ id: 'BINANCEUS', clock });
  const venue: Venue = wrap ? new Executor(ex, { mode: 'BACKTEST', clock }) : ex;
  engine.addVenue(venue);
  const inst = await engine.registerInstrument({ id: ID, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.00001' });
  ex.list(inst);
  await engine.openAccount({ id: 'A', type: 'MARGIN', balances: [Money.of('100000000', Currencies.USDT)] });
  let orders = 0;
  const t0 = performance.now();
  for (let i = 0; i < bars.length; i++) {
    const b = bars[i]!;
    clock.set(b.ts + 60_000);
    ex.onBar(b, inst);
    engine.updateBar(b);
    if (i % 5 === 0) {
      await engine.submitOrder({ clientOrderId: `B-${orders}`, accountId: 'A', instrumentId: ID, side: orders % 2 === 0 ? 'BUY' : 'SELL', type: 'MARKET', quantity: '0.01' });
      orders++;
    }
  }
  const s = (performance.now() - t0) / 1000;
  return { barsPerSec: bars.length / s, orders };
}

const direct: number[] = [];
const wrapped: number[] = [];
for (let i = 0; i < 11; i++) {
  direct.push((await run(false)).barsPerSec);
  wrapped.push((await run(true)).barsPerSec);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const line = (what: string, d: number, w: number) =>
  console.log(`${what}: direct ${Math.round(d).toLocaleString('en')} bars/s, Executor(BACKTEST) ${Math.round(w).toLocaleString('en')} bars/s (${(((w - d) / d) * 100).toFixed(1)}%)`);
console.log(`${bars.length} bars, a market order every 5 bars, 11 alternating runs each`);
// The best run is the least disturbed by other work on the machine; the median for reference.
line('best  ', Math.max(...direct), Math.max(...wrapped));
line('median', median(direct), median(wrapped));
