import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../../src/data/bar.ts';
import { TestClock } from '../../../../src/engine/clock.ts';
import type { VenueReport } from '../../../../src/engine/venue.ts';
import { Currencies } from '../../../../src/model/currency.ts';
import { instrumentId } from '../../../../src/model/identifiers.ts';
import { Instrument } from '../../../../src/model/instrument.ts';
import { createOrderSpec, type OrderRequest } from '../../../../src/model/orders/factory.ts';
import { SimulatedExchange } from '../../../../src/venues/sim/exchange/simulated-exchange.ts';

const T0 = Date.parse('2024-03-01T00:00:00Z');
const ID = 'BTCUSDT-PERP.SIM';

/** The exchange alone, no engine: what the venue itself does with reduce-only orders. */
function venue() {
  const clock = new TestClock(T0);
  const ex = new SimulatedExchange({ id: 'SIM', clock });
  const inst = new Instrument({ id: ID, kind: 'PERPETUAL', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.1', lotSize: '0.001' });
  ex.list(inst);
  const reports: VenueReport[] = [];
  ex.connect((r) => reports.push(r));
  const submit = (o: Partial<OrderRequest> & Pick<OrderRequest, 'clientOrderId' | 'side' | 'type' | 'quantity'>) =>
    ex.submit({ spec: createOrderSpec({ accountId: 'A', instrumentId: ID, ...o }, inst, clock.now()), instrument: inst });
  const bar = (open: string, high: string, low: string, close: string) => {
    const b: Bar = { instrumentId: instrumentId(ID), ts: clock.now(), durationMs: 60_000, open, high, low, close, volume: '1000' };
    clock.set(clock.now() + 60_000);
    ex.onBar(b, inst);
  };
  /** Each report about `id`, as `kind qty` for fills and `kind reason` for rejects. */
  const of = (id: string) =>
    reports.filter((r) => r.clientOrderId === id).map((r) => (r.kind === 'OrderFilled' ? `${r.kind} ${String(r.lastQty)}` : r.kind === 'OrderRejected' ? `${r.kind} ${r.reason}` : r.kind));
  const position = async () => (await ex.queries.positions()).map((p) => `${p.side} ${p.quantity.toString()}`);
  return { ex, submit, bar, of, position };
}

describe('simulated exchange enforces reduce-only at match time (as Binance futures)', () => {
  it('long 1 with a resting reduce-only SELL 1 @ 26,000: a market sell flattens, the reduce-only order expires, a rally through 26,000 leaves the account flat', async () => {
    const v = venue();
    v.submit({ clientOrderId: 'B-1', side: 'BUY', type: 'MARKET', quantity: '1' });
    v.bar('25000.0', '25000.0', '25000.0', '25000.0');
    v.submit({ clientOrderId: 'R-1', side: 'SELL', type: 'LIMIT', price: '26000.0', quantity: '1', reduceOnly: true });
    v.submit({ clientOrderId: 'S-1', side: 'SELL', type: 'MARKET', quantity: '1' });
    v.bar('25000.0', '25000.0', '25000.0', '25000.0');
    expect(v.of('R-1')).toEqual(['OrderAccepted', 'OrderExpired']);
    v.bar('25500.0', '26500.0', '25500.0', '26400.0');
    expect(v.of('R-1')).toEqual(['OrderAccepted', 'OrderExpired']);
    expect(await v.position()).toEqual(['FLAT 0.000']);
  });

  it('long 1 with two reduce-only SELLs of 1 at 26,000: the rally fills the first, the second expires unfilled', async () => {
    const v = venue();
    v.submit({ clientOrderId: 'B-1', side: 'BUY', type: 'MARKET', quantity: '1' });
    v.bar('25000.0', '25000.0', '25000.0', '25000.0');
    v.submit({ clientOrderId: 'R-1', side: 'SELL', type: 'LIMIT', price: '26000.0', quantity: '1', reduceOnly: true });
    v.submit({ clientOrderId: 'R-2', side: 'SELL', type: 'LIMIT', price: '26000.0', quantity: '1', reduceOnly: true });
    v.bar('25500.0', '26500.0', '25500.0', '26400.0');
    expect(v.of('R-1')).toEqual(['OrderAccepted', 'OrderFilled 1.000']);
    expect(v.of('R-2')).toEqual(['OrderAccepted', 'OrderExpired']);
    expect(await v.position()).toEqual(['FLAT 0.000']);
  });

  it('long 1 reduced to 0.6 by a market sell: a reduce-only SELL 1 fills 0.6 at the rally and the rest expires', async () => {
    const v = venue();
    v.submit({ clientOrderId: 'B-1', side: 'BUY', type: 'MARKET', quantity: '1' });
    v.bar('25000.0', '25000.0', '25000.0', '25000.0');
    v.submit({ clientOrderId: 'R-1', side: 'SELL', type: 'LIMIT', price: '26000.0', quantity: '1', reduceOnly: true });
    v.submit({ clientOrderId: 'S-1', side: 'SELL', type: 'MARKET', quantity: '0.4' });
    v.bar('25000.0', '25000.0', '25000.0', '25000.0');
    v.bar('25500.0', '26500.0', '25500.0', '26400.0');
    expect(v.of('R-1')).toEqual(['OrderAccepted', 'OrderFilled 0.600', 'OrderExpired']);
    expect(await v.position()).toEqual(['FLAT 0.000']);
  });

  it('a reduce-only market SELL with no position is rejected: REDUCE_ONLY_REJECTED: -2022; a reduce-only stop with none expires when it triggers', async () => {
    const v = venue();
    v.bar('25000.0', '25000.0', '25000.0', '25000.0');
    v.submit({ clientOrderId: 'R-1', side: 'SELL', type: 'MARKET', quantity: '1', reduceOnly: true });
    expect(v.of('R-1')).toEqual([expect.stringMatching(/^OrderRejected REDUCE_ONLY_REJECTED: -2022 ReduceOnly Order is rejected\./)]);
    v.submit({ clientOrderId: 'SL-1', side: 'SELL', type: 'STOP_MARKET', triggerPrice: '24000.0', quantity: '1', reduceOnly: true });
    v.bar('24500.0', '24500.0', '23500.0', '23600.0');
    expect(v.of('SL-1')).toEqual(['OrderAccepted', 'OrderExpired']);
    expect(await v.position()).toEqual([]);
  });
});
