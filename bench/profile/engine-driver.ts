import { performance } from 'node:perf_hooks';
import { Engine } from '../../src/engine/engine.ts';
import { TestClock } from '../../src/engine/clock.ts';
import { MemoryJournal } from '../../src/engine/journal.ts';
import { Currencies } from '../../src/model/currency.ts';
import { Money } from '../../src/model/money.ts';
import { ScriptedVenue } from '../../src/venues/scripted/scripted-venue.ts';

/**
 * Driver for profiling the engine bench's lifecycle (submit → fill → position, memory journal):
 *   node --cpu-prof --cpu-prof-dir=var/prof --import tsx bench/profile/engine-driver.ts [orders]
 *   npx tsx bench/profile/top-frames.ts var/prof/<file>.cpuprofile
 */
const orders = Number(process.argv[2] ?? 300_000);
const clock = new TestClock(1_700_000_000_000);
const engine = new Engine({ clock, journal: new MemoryJournal(), retainClosedOrders: 10_000 });
const inst = await engine.registerInstrument({
  id: 'BTCUSDT.BINANCE', kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.00001', takerFee: '0.001',
});
const px = inst.price('25000.00');
engine.addVenue(new ScriptedVenue({ id: 'BINANCE', clock, marketPrice: () => px, recordCalls: false }));
await engine.openAccount({ id: 'A', type: 'CASH', balances: [Money.of('1000000000', Currencies.USDT)] });
const qty = inst.quantity('0.01');
let n = 0;
const one = () =>
  engine.submitOrder({ clientOrderId: `C${++n}`, accountId: 'A', instrumentId: 'BTCUSDT.BINANCE', side: n % 2 ? 'BUY' : 'SELL', type: 'MARKET', quantity: qty });
for (let i = 0; i < 20_000; i++) await one();
const t0 = performance.now();
for (let i = 0; i < orders; i++) await one();
console.log(`${Math.round(orders / ((performance.now() - t0) / 1000)).toLocaleString('en-US')} orders/s`);
