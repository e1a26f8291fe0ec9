/**
 * Interactive Brokers order lifecycle end to end: an engine and a LIVE executor in front of the
 * IBKR adapter, the real @stoqey/ib client talking the TWS socket protocol to the fake TWS.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeIbkr, type FakeTws } from '../../support/fake-ibkr/server.ts';
import { AAPL, connectHarness, fills, position, statusOf, until, type Harness } from './harness.ts';

let tws: FakeTws;
let h: Harness;

beforeEach(async () => {
  tws = await startFakeIbkr();
  tws.book.quote('AAPL', 150.24, 150.26);
  h = await connectHarness(tws);
});

afterEach(async () => {
  // The real decoder complains of any message not laid out as at server version 176.
  expect(h.alerts.filter((a) => /Decoding error|Underrun|unprocessed data/.test(a.message))).toEqual([]);
  await h.close();
  await tws.close();
  expect(tws.malformed).toEqual([]);
});

const order = (id: string, o: Record<string, unknown>) => h.engine.submitOrder({ clientOrderId: id, accountId: 'A', instrumentId: AAPL, quantity: '10', ...o } as never);

describe('IBKR order lifecycle through @stoqey/ib', () => {
  it('resolves the instrument from reqContractDetails: tick from minTick, lot 1, USD', () => {
    const i = h.engine.instrument(AAPL);
    expect([i.tickSize.toString(), i.lotSize.toString(), i.quote.code]).toEqual(['0.01', '1', 'USD']);
  });

  it('a sub-penny tick sent as Java writes it (1.0E-4) is read exactly; an unknown symbol is INVALID_INSTRUMENT (IB 200)', async () => {
    const spec = await h.adapter.instrumentSpec('PENNY.IBKR', 'PENNY');
    expect([spec.tickSize, spec.lotSize, spec.quote.code, spec.quote.precision]).toEqual(['0.0001', '1', 'USD', 4]);
    await expect(h.adapter.instrumentSpec('NOPE.IBKR', 'NOPE')).rejects.toMatchObject({ code: 'INVALID_INSTRUMENT' });
    const probe = await h.adapter.probe();
    expect(probe.detail).toMatch(/TWS server version 176, account DU1234567/);
  });

  it('a market order fills at the ask with IB commission; orderRef carries the client order id', async () => {
    await order('m-1', { side: 'BUY', type: 'MARKET', timeInForce: 'IOC' });
    await statusOf(h, 'm-1', 'FILLED');
    expect(fills(h)).toEqual([['m-1', '10', '150.26']]);
    const placed = [...tws.book.orders.values()][0]!;
    expect([placed.orderRef, placed.orderType, placed.tif, placed.clientId]).toEqual(['m-1', 'MKT', 'IOC', 7]);
    const f = h.events.find((e) => e.kind === 'OrderFilled')!;
    expect(f.kind === 'OrderFilled' && f.commission?.toString()).toContain('1.00');
    expect(position(h)).toBe('10');
    expect(h.engine.order('m-1')!.venueOrderId).toBe(String(placed.orderId));
  });

  it('a limit order rests, fills partly then fully at its price; one report per execution', async () => {
    await order('l-1', { side: 'BUY', type: 'LIMIT', price: '150.10', quantity: '300', timeInForce: 'GTC' });
    await statusOf(h, 'l-1', 'ACCEPTED');
    tws.book.trade('AAPL', 150.1, 120);
    await statusOf(h, 'l-1', 'PARTIALLY_FILLED');
    tws.book.trade('AAPL', 150.05, 500);
    await statusOf(h, 'l-1', 'FILLED');
    expect(fills(h)).toEqual([['l-1', '120', '150.10'], ['l-1', '180', '150.05']]);
    expect(position(h)).toBe('300');
  });

  it.each([
    ['STOP_MARKET', { triggerPrice: '151.00' }, 'STP', undefined, 151],
    ['STOP_LIMIT', { triggerPrice: '151.00', price: '151.50' }, 'STP LMT', 151.5, 151],
    ['MARKET_IF_TOUCHED', { triggerPrice: '149.00' }, 'MIT', undefined, 149],
    ['LIMIT_IF_TOUCHED', { triggerPrice: '149.00', price: '149.20' }, 'LIT', 149.2, 149],
  ] as const)('%s goes native as IB %s and triggers at IB', async (type, prices, ibType, lmt, aux) => {
    await order('t-1', { side: 'BUY', type, timeInForce: 'GTC', ...prices });
    await statusOf(h, 't-1', 'ACCEPTED');
    const placed = [...tws.book.orders.values()][0]!;
    expect([placed.orderType, placed.lmtPrice, placed.auxPrice]).toEqual([ibType, lmt, aux]);
    tws.book.trade('AAPL', aux, 1_000);
    await statusOf(h, 't-1', 'FILLED');
    expect(fills(h)).toHaveLength(1);
  });

  it('a trailing stop goes as IB TRAIL with a trailing amount, or a trailing percent for basis points', async () => {
    await h.engine.submitOrder({ clientOrderId: 'tr-1', accountId: 'A', instrumentId: AAPL, side: 'SELL', type: 'TRAILING_STOP_MARKET', quantity: '5', trailingOffset: '0.30', trailingOffsetType: 'PRICE', timeInForce: 'GTC' });
    await h.engine.submitOrder({ clientOrderId: 'tr-2', accountId: 'A', instrumentId: AAPL, side: 'SELL', type: 'TRAILING_STOP_MARKET', quantity: '5', trailingOffset: '100', trailingOffsetType: 'BASIS_POINTS', timeInForce: 'GTC' });
    await statusOf(h, 'tr-1', 'ACCEPTED');
    await statusOf(h, 'tr-2', 'ACCEPTED');
    const [a, b] = [...tws.book.orders.values()];
    expect([a!.orderType, a!.auxPrice, a!.trailingPercent]).toEqual(['TRAIL', 0.3, undefined]);
    expect([b!.orderType, b!.auxPrice, b!.trailingPercent]).toEqual(['TRAIL', undefined, 1]);
    tws.book.trade('AAPL', 152, 0); // ratchets the stops up: 151.70 and 150.48
    tws.book.trade('AAPL', 151.6, 5); // through the first only
    await statusOf(h, 'tr-1', 'FILLED');
    expect(h.engine.order('tr-2')!.status).toBe('ACCEPTED');
  });

  it.each(['IOC', 'FOK'] as const)('%s that cannot fill is canceled by IB at once', async (tif) => {
    await order('x-1', { side: 'BUY', type: 'LIMIT', price: '150.00', timeInForce: tif });
    await statusOf(h, 'x-1', 'CANCELED');
    expect(fills(h)).toEqual([]);
    expect([...tws.book.orders.values()][0]!.tif).toBe(tif);
  });

  it('GTD goes with goodTillDate in UTC; outsideRth from the order tag', async () => {
    const expire = Date.UTC(2030, 0, 2, 15, 30, 0);
    await order('g-1', { side: 'BUY', type: 'LIMIT', price: '140.00', timeInForce: 'GTD', expireTime: expire, tags: ['ibkr:outside_rth'] });
    await statusOf(h, 'g-1', 'ACCEPTED');
    const placed = [...tws.book.orders.values()][0]!;
    expect([placed.tif, placed.goodTillDate, placed.outsideRth]).toEqual(['GTD', '20300102-15:30:00', true]);
  });

  it('a display quantity goes as IB displaySize (iceberg, native)', async () => {
    await order('ice-1', { side: 'BUY', type: 'LIMIT', price: '149.00', quantity: '500', displayQuantity: '100', timeInForce: 'DAY' });
    await statusOf(h, 'ice-1', 'ACCEPTED');
    expect([...tws.book.orders.values()][0]!.displaySize).toBe(100);
  });

  it('partly filled, then canceled: the cancel is told after its fill, the position is the fill', async () => {
    await order('pc-1', { side: 'BUY', type: 'LIMIT', price: '150.00', quantity: '300', timeInForce: 'DAY' });
    await statusOf(h, 'pc-1', 'ACCEPTED');
    tws.book.trade('AAPL', 150, 100);
    await h.engine.cancelOrder('pc-1');
    await statusOf(h, 'pc-1', 'CANCELED');
    expect(h.reports.map((r) => r.kind).filter((k) => k !== 'OrderAccepted')).toEqual(['OrderFilled', 'OrderCanceled']);
    expect(position(h)).toBe('100');
  });

  it('FAULTS 18: a fill during a modify whose answer is lost is applied to the order, which ends with the new terms', async () => {
    await order('fm-1', { side: 'BUY', type: 'LIMIT', price: '150.00', quantity: '100', timeInForce: 'DAY' });
    await statusOf(h, 'fm-1', 'ACCEPTED');
    tws.faults.hideReports(true);
    tws.book.trade('AAPL', 150, 30);
    await h.engine.modifyOrder('fm-1', { quantity: '200' });
    await until(() => h.engine.order('fm-1')!.quantity.toString() === '200' && h.engine.order('fm-1')!.filledQty.toString() === '30', 'the modify and the fill settled', 10_000);
    tws.faults.hideReports(false);
    expect(h.engine.order('fm-1')!.status).toBe('PARTIALLY_FILLED');
    expect(fills(h)).toEqual([['fm-1', '30', '150.00']]);
    expect([...tws.book.orders.values()][0]!.totalQuantity).toBe(200);
  }, 15_000);

  it('modify is placeOrder again under the same IB order id; cancel is cancelOrder', async () => {
    await order('mod-1', { side: 'BUY', type: 'LIMIT', price: '149.00', timeInForce: 'DAY' });
    await statusOf(h, 'mod-1', 'ACCEPTED');
    await h.engine.modifyOrder('mod-1', { price: '149.50', quantity: '20' });
    await until(() => h.engine.order('mod-1')!.price?.toString() === '149.50', 'the modify applied');
    const placed = [...tws.book.orders.values()];
    expect(placed).toHaveLength(1);
    expect([placed[0]!.lmtPrice, placed[0]!.totalQuantity]).toEqual([149.5, 20]);
    expect(h.engine.order('mod-1')!.quantity.toString()).toBe('20');
    await h.engine.cancelOrder('mod-1');
    await statusOf(h, 'mod-1', 'CANCELED');
    expect(placed[0]!.status).toBe('Cancelled');
    expect(h.events.filter((e) => e.kind === 'OrderCanceled')).toHaveLength(1);
  });

  it('IB error 201 rejects the order with its reason; nothing is at IB', async () => {
    // TWS refuses an account it does not manage: send to another.
    await h.close();
    h = await connectHarness(tws, { config: { account: 'DU9999999' } });
    await order('r-2', { side: 'BUY', type: 'LIMIT', price: '150.00', timeInForce: 'DAY' });
    await statusOf(h, 'r-2', 'REJECTED');
    const rejected = h.events.find((e) => e.kind === 'OrderRejected');
    expect(rejected && 'reason' in rejected ? rejected.reason : '').toMatch(/^REJECTED: .*account code DU9999999 is invalid.*\(IB 201\)/);
  });

  it('a modify IB refuses (104: filled meanwhile) is a modify rejected; the order is as it was', async () => {
    await order('q-1', { side: 'BUY', type: 'LIMIT', price: '150.00', timeInForce: 'DAY' });
    await statusOf(h, 'q-1', 'ACCEPTED');
    [...tws.book.orders.values()][0]!.status = 'Filled'; // filled at IB, its report not out yet
    await h.engine.modifyOrder('q-1', { price: '149.00' });
    await until(() => h.events.some((e) => e.kind === 'OrderModifyRejected'), 'the modify rejected');
    const r = h.events.find((e) => e.kind === 'OrderModifyRejected');
    expect(r && 'reason' in r ? r.reason : '').toMatch(/ORDER_FILLED: .*\(IB 104\)/);
    expect(h.engine.order('q-1')!.price?.toString()).toBe('150.00');
  });

  it('IB connectivity lost (1100) and restored (1102): the fill made meanwhile is fetched by reqExecutions, once', async () => {
    await order('f-1', { side: 'BUY', type: 'LIMIT', price: '150.00', timeInForce: 'DAY' });
    await statusOf(h, 'f-1', 'ACCEPTED');
    tws.faults.connectivityLost(); // its fill does not reach us
    await until(() => h.alerts.some((a) => a.code === 'VENUE_DISCONNECTED'), 'DOWN on 1100');
    tws.book.trade('AAPL', 150, 100);
    tws.faults.connectivityRestored();
    await statusOf(h, 'f-1', 'FILLED');
    await until(() => h.engine.risk.stateOf('VENUE:IBKR') === 'ACTIVE', 'the venue active again');
    expect(fills(h)).toEqual([['f-1', '10', '150.00']]);
    expect(tws.requests.filter((r) => r.id === 7).length).toBeGreaterThan(0);
  });
});
