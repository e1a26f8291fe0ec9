// The README's simulated exchange example; test/readme-example.test.ts runs it.
import { Currencies, Engine, instrumentId, Money } from 'warden';
import { SimulatedExchange } from 'warden/sim';
import { TestClock } from 'warden/testing';

export async function simulatedExchange(): Promise<string[]> {
  const t0 = Date.parse('2024-01-01T00:00:00Z');
  const clock = new TestClock(t0);
  const engine = new Engine({ clock });
  const exchange = new SimulatedExchange({ id: 'SIM', clock });
  engine.addVenue(exchange);
  const btc = await engine.registerInstrument({
    id: 'BTCUSDT.SIM', kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT,
    tickSize: '0.01', lotSize: '0.001', makerFee: '0.0002',
  });
  exchange.list(btc);
  await engine.openAccount({ id: 'ACC-1', type: 'CASH', balances: [Money.of('100000', Currencies.USDT)] });

  // A resting limit buy: the book holds it until a bar trades through its price.
  await engine.submitOrder({
    clientOrderId: 'L-1', accountId: 'ACC-1', instrumentId: 'BTCUSDT.SIM',
    side: 'BUY', type: 'LIMIT', quantity: '0.5', price: '39900.00',
  });
  const before = engine.order('L-1')!.status;
  clock.set(t0 + 60_000);
  exchange.onBar({ instrumentId: instrumentId('BTCUSDT.SIM'), ts: t0, durationMs: 60_000,
    open: '40000.00', high: '40010.00', low: '39850.00', close: '39950.00', volume: '12' }, btc);
  const fill = engine.order('L-1')!;
  return [`L-1 ${before} then ${fill.status} at ${fill.avgPx ?? 0}`];
}
