import { Engine } from '../src/engine/engine.ts';
import { TestClock } from '../src/engine/clock.ts';
import { DiscardingJournal } from '../src/engine/journal.ts';
import { Currencies } from '../src/model/currency.ts';
import { Money } from '../src/model/money.ts';
import type { Venue, VenueReport, SubmitRequest } from '../src/engine/venue.ts';
import { venueId, venueOrderId, tradeId } from '../src/model/identifiers.ts';
const mode = process.argv[2] ?? 'fill';
const clock = new TestClock(1_700_000_000_000);
const engine = new Engine({ clock, journal: new DiscardingJournal() });
const inst = await engine.registerInstrument({ id: 'BTCUSDT.BINANCE', kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.00001', takerFee: '0.001' });
const px = inst.price('25000.00');
let sink: (r: VenueReport) => void = () => {};
let k = 0;
const vid = venueOrderId('V1');
const venue: Venue = { id: venueId('BINANCE'), capabilities: { stopOrders: true, trailingStops: true, postOnly: true, iceberg: true, oco: false, modify: true },
  connect(s) { sink = s; },
  submit(req: SubmitRequest) {
    if (mode === 'none') return;
    sink({ kind: 'OrderAccepted', clientOrderId: req.spec.clientOrderId, venueOrderId: vid, ts: 0 });
    if (mode === 'fill') sink({ kind: 'OrderFilled', clientOrderId: req.spec.clientOrderId, tradeId: ('T' + (++k)) as never, lastQty: req.spec.quantity, lastPx: px, liquidity: 'TAKER', ts: 0 });
  },
  modify() {}, cancel() {} };
engine.addVenue(venue);
await engine.openAccount({ id: 'A', type: 'CASH', balances: [Money.of('1000000000', Currencies.USDT)] });
const qty = inst.quantity('0.01');
let n = 0;
for (let w = 0; w < 2; w++) {
const t0 = performance.now();
for (let i = 0; i < 200000; i++) await engine.submitOrder({ clientOrderId: `C${++n}`, accountId: 'A', instrumentId: 'BTCUSDT.BINANCE', side: n % 2 ? 'BUY' : 'SELL', type: 'MARKET', quantity: qty });
console.log(mode, Math.round(200000 / ((performance.now() - t0) / 1000)), 'orders/s', ((performance.now() - t0) * 1000 / 200000).toFixed(2), 'us');
}
