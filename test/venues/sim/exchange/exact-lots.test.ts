import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../../src/data/bar.ts';
import { TestClock } from '../../../../src/engine/clock.ts';
import { Engine } from '../../../../src/engine/engine.ts';
import { MemoryJournal } from '../../../../src/engine/journal.ts';
import { Currencies } from '../../../../src/model/currency.ts';
import { instrumentId } from '../../../../src/model/identifiers.ts';
import { Money } from '../../../../src/model/money.ts';
import { SimulatedExchange } from '../../../../src/venues/sim/exchange/simulated-exchange.ts';

const T0 = Date.parse('2023-03-13T00:00:00Z');
const ID = 'BIGUSDT.SIM';
// One lot is 10^-8 units: 2^53 − 1 lots is 90,071,992.54740991 units, 2^53 + 1 lots ends in ...93.
const MAX_LOTS_QTY = '90071992.54740991';
const BEYOND_QTY = '90071992.54740993';

async function setup() {
  const clock = new TestClock(T0);
  const engine = new Engine({ clock, journal: new MemoryJournal() });
  const ex = new SimulatedExchange({ id: 'SIM', clock });
  engine.addVenue(ex);
  const inst = await engine.registerInstrument({ id: ID, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '1', lotSize: '0.00000001' });
  ex.list(inst);
  // Prices the other way round: a tick of 10^-8, whole lots.
  await engine.registerInstrument({ id: 'FINE.SIM', kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.00000001', lotSize: '1' });
  await engine.openAccount({ id: 'A', type: 'MARGIN', balances: [Money.of('1000000000000', Currencies.USDT)] });
  const alerts: string[] = [];
  engine.bus.subscribe('alert', (a) => alerts.push(a.code));
  const bar = (open: string, high: string, low: string, close: string, volume: string): void => {
    const b: Bar = { instrumentId: instrumentId(ID), ts: clock.now(), durationMs: 60_000, open, high, low, close, volume };
    clock.set(clock.now() + 60_000);
    ex.onBar(b, inst);
  };
  return { engine, ex, bar, alerts };
}

describe('simulated exchange: lots and ticks stay exact (the book keeps them as numbers up to 2^53 − 1)', () => {
  it(`refuses a sell of ${BEYOND_QTY} (2^53 + 1 lots) with QUANTITY_OUT_OF_RANGE instead of booking 2^53 lots`, async () => {
    const h = await setup();
    const r = await h.engine.submitOrder({ clientOrderId: 'BIG', accountId: 'A', instrumentId: ID, side: 'SELL', type: 'LIMIT', price: '100', quantity: BEYOND_QTY });
    const order = r.orders[0]!;
    expect(order.status).toBe('REJECTED');
    expect(h.ex.workingOrders()).toHaveLength(0);
    expect(h.engine.order('BIG')?.filledQty.toString()).toBe('0.00000000');
  });

  it('the reject reason starts with the stable code and the Binance filter text', async () => {
    const h = await setup();
    const reasons: string[] = [];
    h.engine.bus.subscribe('order', (e) => {
      if (e.kind === 'OrderRejected') reasons.push(e.reason);
    });
    await h.engine.submitOrder({ clientOrderId: 'BIG', accountId: 'A', instrumentId: ID, side: 'BUY', type: 'MARKET', quantity: BEYOND_QTY });
    await h.engine.submitOrder({ clientOrderId: 'FAR', accountId: 'A', instrumentId: 'FINE.SIM', side: 'BUY', type: 'LIMIT', price: BEYOND_QTY, quantity: '1' });
    expect(reasons).toEqual([
      expect.stringMatching(/^QUANTITY_OUT_OF_RANGE: -1013 Filter failure: LOT_SIZE \(90071992\.54740993 is 9007199254740993 lots/),
      expect.stringMatching(/^PRICE_OUT_OF_RANGE: -1013 Filter failure: PRICE_FILTER \(90071992\.54740993 is beyond 9007199254740991 ticks/),
    ]);
  });

  it('fills 2^53 − 1 lots exactly: the engine books 90,071,992.54740991, no overfill, no mismatch', async () => {
    const h = await setup();
    await h.engine.submitOrder({ clientOrderId: 'MAX', accountId: 'A', instrumentId: ID, side: 'SELL', type: 'LIMIT', price: '100', quantity: MAX_LOTS_QTY });
    h.bar('101', '102', '99', '101', '100000000');
    const o = h.engine.order('MAX')!;
    expect(o.status).toBe('FILLED');
    expect(o.filledQty.toString()).toBe(MAX_LOTS_QTY);
    expect(h.alerts).toEqual([]);
  });

  it('a second sell at the same price that would take the level past 2^53 − 1 lots is refused; the first fills exactly', async () => {
    const h = await setup();
    await h.engine.submitOrder({ clientOrderId: 'S-1', accountId: 'A', instrumentId: ID, side: 'SELL', type: 'LIMIT', price: '100', quantity: MAX_LOTS_QTY });
    const second = await h.engine.submitOrder({ clientOrderId: 'S-2', accountId: 'A', instrumentId: ID, side: 'SELL', type: 'LIMIT', price: '100', quantity: '0.00000002' });
    expect(second.orders[0]!.status).toBe('REJECTED');
    h.bar('101', '102', '99', '101', '100000000');
    expect(h.engine.order('S-1')!.filledQty.toString()).toBe(MAX_LOTS_QTY);
    expect(h.engine.order('S-2')!.filledQty.toString()).toBe('0.00000000');
    expect(h.alerts).toEqual([]);
  });

  it('once the first has filled, its lots are free again: the same 0.00000002 is accepted', async () => {
    const h = await setup();
    await h.engine.submitOrder({ clientOrderId: 'S-1', accountId: 'A', instrumentId: ID, side: 'SELL', type: 'LIMIT', price: '100', quantity: MAX_LOTS_QTY });
    h.bar('101', '102', '99', '101', '100000000');
    const again = await h.engine.submitOrder({ clientOrderId: 'S-2', accountId: 'A', instrumentId: ID, side: 'SELL', type: 'LIMIT', price: '100', quantity: '0.00000002' });
    expect(again.orders[0]!.status).toBe('ACCEPTED');
  });

  it('the venue position after fills of 2^53 − 1 lots and 2 lots is exactly 2^53 + 1 lots short (a sum past the safe range)', async () => {
    const h = await setup();
    await h.engine.submitOrder({ clientOrderId: 'S-1', accountId: 'A', instrumentId: ID, side: 'SELL', type: 'LIMIT', price: '100', quantity: MAX_LOTS_QTY });
    h.bar('101', '102', '99', '101', '100000000');
    await h.engine.submitOrder({ clientOrderId: 'S-2', accountId: 'A', instrumentId: ID, side: 'SELL', type: 'LIMIT', price: '100', quantity: '0.00000002' });
    h.bar('101', '102', '99', '101', '100000000');
    const positions = await h.ex.queries.positions();
    expect(positions.map((p) => `${p.side} ${p.quantity.toString()}`)).toEqual([`SHORT ${BEYOND_QTY}`]);
  });
});
