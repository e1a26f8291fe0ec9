/**
 * The engine trading US equities at Alpaca through the adapter and the real
 * @alpacahq/alpaca-trade-api client against the local fake Alpaca: every native order type and
 * time in force, replace, cancel, partial fills, and Alpaca's refusals mapped to Warden's codes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../../src/engine/reconcile.ts';
import { Currencies } from '../../../src/model/currency.ts';
import { accountId } from '../../../src/model/identifiers.ts';
import { startFakeAlpaca, type FakeAlpacaServer } from '../../support/fake-alpaca/index.ts';
import { AAPL, connectAlpaca, fillsOf, statusOf, until, type AlpacaHarness } from './harness.ts';

let server: FakeAlpacaServer;
let h: AlpacaHarness;

beforeEach(async () => {
  server = await startFakeAlpaca({ cash: '100000' });
  server.market.quote('AAPL', '187.40', '187.42');
  h = await connectAlpaca(server);
});

afterEach(async () => {
  await h.close();
  await server.close();
});

const usd = () => h.engine.portfolio.account(accountId('A')).balance(Currencies.USD).total.toDecimalString();
const order = (o: Record<string, unknown>) => h.engine.submitOrder({ accountId: 'A', instrumentId: AAPL, side: 'BUY', quantity: '10', timeInForce: 'GTC', ...o } as never);
const reason = (id: string) => {
  const e = h.events.find((x) => x.kind === 'OrderRejected' && x.clientOrderId === id);
  return e && 'reason' in e ? e.reason : '';
};

describe('Alpaca orders through the SDK', () => {
  it('buys at market at the ask, sells a resting limit that prints fill in parts; cash and the books agree to the cent', async () => {
    await order({ clientOrderId: 'm-1', type: 'MARKET', timeInForce: 'IOC' });
    await statusOf(h, 'm-1', 'FILLED');
    await order({ clientOrderId: 'l-1', side: 'SELL', type: 'LIMIT', price: '188.00' });
    await statusOf(h, 'l-1', 'ACCEPTED');
    server.market.print('AAPL', '188.00', '4');
    await statusOf(h, 'l-1', 'PARTIALLY_FILLED');
    server.market.print('AAPL', '188.05', '100');
    await statusOf(h, 'l-1', 'FILLED');
    expect(fillsOf(h).map((f) => [f.clientOrderId, f.lastQty.toString(), f.lastPx.toString()])).toEqual([
      ['m-1', '10', '187.42'],
      ['l-1', '4', '188.00'],
      ['l-1', '6', '188.00'],
    ]);
    // 100000 - 1874.20 + 1880.00
    expect(usd()).toBe('100005.80');
    expect(server.requests.filter((r) => r.method === 'POST').map((r) => [r.path, r.body['type'], r.body['time_in_force'], r.body['client_order_id'], r.body['qty']])).toEqual([
      ['/v2/orders', 'market', 'ioc', 'm-1', '10'],
      ['/v2/orders', 'limit', 'gtc', 'l-1', '10'],
    ]);
    const r = await reconcile(h.engine, h.executor);
    expect([r.halted, r.positionMismatches]).toEqual([false, []]);
  });

  it('stop, stop-limit and a trailing stop rest natively at Alpaca and fill when prints reach them', async () => {
    await order({ clientOrderId: 'buy', type: 'MARKET', quantity: '30', timeInForce: 'IOC' });
    await statusOf(h, 'buy', 'FILLED');
    await order({ clientOrderId: 'stop', side: 'SELL', type: 'STOP_MARKET', triggerPrice: '186.00' });
    await order({ clientOrderId: 'stop-lim', side: 'SELL', type: 'STOP_LIMIT', triggerPrice: '185.50', price: '185.00' });
    await h.engine.submitOrder({ clientOrderId: 'trail', accountId: 'A', instrumentId: AAPL, side: 'SELL', type: 'TRAILING_STOP_MARKET', quantity: '10', trailingOffset: '1.50', trailingOffsetType: 'PRICE', timeInForce: 'GTC' });
    for (const id of ['stop', 'stop-lim', 'trail']) await statusOf(h, id, 'ACCEPTED');
    const posted = server.requests.filter((r) => r.method === 'POST').slice(1).map((r) => [r.body['type'], r.body['stop_price'], r.body['limit_price'], r.body['trail_price']]);
    expect(posted).toEqual([
      ['stop', '186.00', undefined, undefined],
      ['stop_limit', '185.50', '185.00', undefined],
      ['trailing_stop', undefined, undefined, '1.50'],
    ]);
    server.market.print('AAPL', '190.00', '1'); // high-water mark 190: the trailing stop is at 188.50
    server.market.print('AAPL', '188.40', '10');
    await statusOf(h, 'trail', 'FILLED');
    expect(h.engine.order('stop')!.status).toBe('ACCEPTED');
    server.market.print('AAPL', '185.90', '10');
    await statusOf(h, 'stop', 'FILLED');
    server.market.print('AAPL', '185.20', '10');
    await statusOf(h, 'stop-lim', 'FILLED');
    expect(fillsOf(h).slice(1).map((f) => [f.clientOrderId, f.lastPx.toString()])).toEqual([
      ['trail', '188.40'],
      ['stop', '185.90'],
      ['stop-lim', '185.00'],
    ]);
  });

  it('IOC and FOK limits that do not cross end canceled at once; a DAY order expires at the close', async () => {
    await order({ clientOrderId: 'ioc', type: 'LIMIT', price: '180.00', timeInForce: 'IOC' });
    await statusOf(h, 'ioc', 'CANCELED');
    await order({ clientOrderId: 'fok', type: 'LIMIT', price: '180.00', timeInForce: 'FOK' });
    await statusOf(h, 'fok', 'CANCELED');
    await order({ clientOrderId: 'day', type: 'LIMIT', price: '180.00', timeInForce: 'DAY' });
    await statusOf(h, 'day', 'ACCEPTED');
    server.book.endOfDay();
    await statusOf(h, 'day', 'EXPIRED');
    expect(fillsOf(h)).toEqual([]);
  });

  it('replaces a resting limit (PATCH) with a new price and quantity, then cancels it', async () => {
    await order({ clientOrderId: 'r-1', type: 'LIMIT', price: '180.00' });
    await statusOf(h, 'r-1', 'ACCEPTED');
    const first = h.engine.order('r-1')!.venueOrderId;
    await h.engine.modifyOrder('r-1', { price: '181.00', quantity: '12' });
    await until(() => h.engine.order('r-1')?.price?.toString() === '181.00', 'the replace applied');
    const o = h.engine.order('r-1')!;
    expect([o.quantity.toString(), o.venueOrderId !== first]).toEqual(['12', true]);
    const patch = server.requests.find((r) => r.method === 'PATCH')!;
    expect([patch.path, patch.body['limit_price'], patch.body['qty'], String(patch.body['client_order_id']).startsWith('r-1~')]).toEqual([`/v2/orders/${String(first)}`, '181.00', '12', true]);
    server.market.print('AAPL', '180.90', '5');
    await statusOf(h, 'r-1', 'PARTIALLY_FILLED');
    await h.engine.cancelOrder('r-1');
    await statusOf(h, 'r-1', 'CANCELED');
    expect(fillsOf(h, 'r-1').map((f) => [f.lastQty.toString(), f.lastPx.toString()])).toEqual([['5', '181.00']]);
    // Told once, by the stream's `replaced` (the PATCH answer is no proof of the replace).
    expect(h.events.filter((e) => e.kind === 'OrderUpdated' && e.clientOrderId === 'r-1')).toHaveLength(1);
  });

  it('a replace of an order Alpaca has already filled is refused (422 42210000) and the order stays as it was', async () => {
    await order({ clientOrderId: 'x-1', type: 'LIMIT', price: '187.00', quantity: '2' });
    await statusOf(h, 'x-1', 'ACCEPTED');
    server.faults.muteStream(true); // the fill has not reached us when the replace goes
    server.market.print('AAPL', '187.00', '2');
    await h.engine.modifyOrder('x-1', { price: '186.50' });
    await until(() => h.events.some((e) => e.kind === 'OrderModifyRejected' && e.clientOrderId === 'x-1'), 'the replace refused');
    const rejected = h.events.find((e) => e.kind === 'OrderModifyRejected' && e.clientOrderId === 'x-1');
    expect(rejected && 'reason' in rejected ? rejected.reason : '').toMatch(/^ORDER_NOT_FOUND: order is already in "filled" state \(HTTP 422, code 42210000\)/);
    server.faults.muteStream(false);
    await reconcile(h.engine, h.executor);
    await statusOf(h, 'x-1', 'FILLED');
    expect(h.engine.order('x-1')!.price!.toString()).toBe('187.00');
  });

  it('an order the exchange rejects after Alpaca said new ends (canceled: it had been accepted), once, and nothing fills', async () => {
    await order({ clientOrderId: 'rj-1', type: 'LIMIT', price: '180.00' });
    await statusOf(h, 'rj-1', 'ACCEPTED');
    server.book.reject(server.book.byClientId('rj-1')!.id);
    await statusOf(h, 'rj-1', 'CANCELED');
    await h.adapter.settled();
    expect(h.events.filter((e) => e.clientOrderId === 'rj-1').map((e) => e.kind)).toEqual(['OrderInitialized', 'OrderSubmitted', 'OrderAccepted', 'OrderCanceled']);
    server.market.print('AAPL', '179.00', '100');
    expect(fillsOf(h, 'rj-1')).toEqual([]);
  });

  it('done_for_day leaves a partly filled GTC order working: no end told; it fills on the next session', async () => {
    await order({ clientOrderId: 'dfd', type: 'LIMIT', price: '180.00' });
    await statusOf(h, 'dfd', 'ACCEPTED');
    server.market.print('AAPL', '180.00', '4');
    await statusOf(h, 'dfd', 'PARTIALLY_FILLED');
    server.book.doneForDay(server.book.byClientId('dfd')!.id);
    server.market.print('AAPL', '179.00', '100'); // no more fills today
    await h.adapter.settled();
    await new Promise((r) => setTimeout(r, 100));
    expect(h.engine.order('dfd')!.status).toBe('PARTIALLY_FILLED');
    server.book.nextDay();
    server.market.print('AAPL', '179.50', '100');
    await statusOf(h, 'dfd', 'FILLED');
    expect(fillsOf(h, 'dfd').map((f) => [f.lastQty.toString(), f.lastPx.toString()])).toEqual([['4', '180.00'], ['6', '180.00']]);
    expect(h.events.some((e) => e.clientOrderId === 'dfd' && (e.kind === 'OrderCanceled' || e.kind === 'OrderExpired'))).toBe(false);
  });

  it('done_for_day on a DAY order ends nothing by itself; the expiry that follows does', async () => {
    await order({ clientOrderId: 'dfd-day', type: 'LIMIT', price: '180.00', timeInForce: 'DAY' });
    await statusOf(h, 'dfd-day', 'ACCEPTED');
    server.book.doneForDay(server.book.byClientId('dfd-day')!.id);
    await h.adapter.settled();
    await new Promise((r) => setTimeout(r, 100));
    expect(h.engine.order('dfd-day')!.status).toBe('ACCEPTED');
    server.book.endOfDay();
    await statusOf(h, 'dfd-day', 'EXPIRED');
  });

  it("refuses with Alpaca's codes: insufficient buying power (403 40310000), too many shares to sell, unsupported types; nothing changes", async () => {
    await order({ clientOrderId: 'big', type: 'LIMIT', price: '187.00', quantity: '1000' });
    await statusOf(h, 'big', 'REJECTED');
    expect(reason('big')).toMatch(/^INSUFFICIENT_BALANCE: insufficient buying power \(HTTP 403, code 40310000\)/);
    await order({ clientOrderId: 'short', side: 'SELL', type: 'LIMIT', price: '190.00' });
    await statusOf(h, 'short', 'REJECTED');
    expect(reason('short')).toMatch(/^INSUFFICIENT_BALANCE: insufficient qty available/);
    await order({ clientOrderId: 'mit', type: 'MARKET_IF_TOUCHED', triggerPrice: '180.00' });
    await statusOf(h, 'mit', 'REJECTED');
    expect(reason('mit')).toMatch(/^UNSUPPORTED_AT_VENUE: /);
    expect(server.book.orders.size).toBe(0);
    expect(usd()).toBe('100000.00');
  });
});
