/**
 * FAULTS 15–24 as Alpaca's protocol can express them, end to end: the engine, a LIVE executor and
 * the Alpaca adapter against the local fake Alpaca, the real SDK in between.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../../src/engine/reconcile.ts';
import { startFakeAlpaca, type FakeAlpacaServer } from '../../support/fake-alpaca/index.ts';
import { AAPL, connectAlpaca, fillsOf, statusOf, until, type AlpacaHarness } from './harness.ts';

let server: FakeAlpacaServer;
let h: AlpacaHarness;

beforeEach(async () => {
  server = await startFakeAlpaca({ cash: '100000' });
  server.market.quote('AAPL', '187.40', '187.42');
  h = await connectAlpaca(server);
  // 50 shares to sell from.
  await h.engine.submitOrder({ clientOrderId: 'seed', accountId: 'A', instrumentId: AAPL, side: 'BUY', type: 'MARKET', quantity: '50', timeInForce: 'IOC' });
  await statusOf(h, 'seed', 'FILLED');
});

afterEach(async () => {
  await h.close();
  await server.close();
});

const limit = (id: string, side: 'BUY' | 'SELL', price: string, quantity = '10') =>
  h.engine.submitOrder({ clientOrderId: id, accountId: 'A', instrumentId: AAPL, side, type: 'LIMIT', quantity, price, timeInForce: 'GTC' });
const posts = (id: string) => server.requests.filter((r) => r.method === 'POST' && r.body['client_order_id'] === id);

describe('Alpaca venue faults', () => {
  it('FAULTS 15: a submit that times out with the order placed goes UNKNOWN and is settled by client order id, never sent twice', async () => {
    server.faults.submitTimeout({ placed: true });
    server.faults.muteStream(true); // nothing but the query can tell
    await limit('t-1', 'BUY', '180.00');
    await statusOf(h, 't-1', 'ACCEPTED', 10_000);
    server.faults.muteStream(false);
    expect(h.events.some((e) => e.kind === 'OrderStatusUnknown' && e.clientOrderId === 't-1')).toBe(true);
    expect(posts('t-1')).toHaveLength(1);
    expect(h.engine.order('t-1')!.venueOrderId).toBe(server.book.byClientId('t-1')!.id);
    expect(server.requests.some((r) => r.path === '/v2/orders:by_client_order_id' && r.query.includes('client_order_id=t-1'))).toBe(true);
  });

  it('FAULTS 15: a submit that times out unplaced is found missing and rejected, not resent', async () => {
    server.faults.submitTimeout({ placed: false });
    await limit('t-2', 'BUY', '180.00');
    await until(() => ['REJECTED', 'CANCELED'].includes(h.engine.order('t-2')?.status ?? ''), 't-2 settled', 10_000);
    expect(posts('t-2')).toHaveLength(1);
    expect(server.book.byClientId('t-2')).toBeUndefined();
  });

  it('FAULTS 16: a cancel that gets a 503 is sent again and the order ends canceled once', async () => {
    await limit('c-1', 'BUY', '180.00');
    await statusOf(h, 'c-1', 'ACCEPTED');
    server.faults.serverError({ status: 503, method: 'DELETE' });
    await h.engine.cancelOrder('c-1');
    await statusOf(h, 'c-1', 'CANCELED');
    expect(server.requests.filter((r) => r.method === 'DELETE')).toHaveLength(2);
    expect(h.events.filter((e) => e.kind === 'OrderCanceled')).toHaveLength(1);
  });

  it('FAULTS 16: a cancel that times out after Alpaca carried it out is settled canceled, once', async () => {
    await limit('c-2', 'BUY', '180.00');
    await statusOf(h, 'c-2', 'ACCEPTED');
    server.faults.muteStream(true);
    server.faults.cancelTimeout({ placed: true });
    await h.engine.cancelOrder('c-2');
    await statusOf(h, 'c-2', 'CANCELED', 10_000);
    server.faults.muteStream(false);
    expect(server.book.byClientId('c-2')!.status).toBe('canceled');
    expect(h.events.filter((e) => e.kind === 'OrderCanceled' && e.clientOrderId === 'c-2')).toHaveLength(1);
  });

  it('FAULTS 16: a cancel that times out before Alpaca acted is sent again (a cancel is idempotent) and ends canceled once', async () => {
    await limit('c-3', 'BUY', '180.00');
    await statusOf(h, 'c-3', 'ACCEPTED');
    server.faults.cancelTimeout({ placed: false });
    await h.engine.cancelOrder('c-3');
    await statusOf(h, 'c-3', 'CANCELED', 10_000);
    expect(server.requests.filter((r) => r.method === 'DELETE')).toHaveLength(2);
    expect(h.events.filter((e) => e.kind === 'OrderCanceled' && e.clientOrderId === 'c-3')).toHaveLength(1);
  });

  it('FAULTS 17: the order filled before the cancel arrived (422 "already filled"): the fill applied, the cancel too late, the position right', async () => {
    await limit('f-1', 'SELL', '188.00', '20');
    await statusOf(h, 'f-1', 'ACCEPTED');
    server.faults.muteStream(true); // the fill's update does not reach us
    server.market.print('AAPL', '188.00', '100');
    await h.engine.cancelOrder('f-1');
    await statusOf(h, 'f-1', 'FILLED', 10_000);
    server.faults.muteStream(false);
    expect(fillsOf(h, 'f-1').map((f) => [f.lastQty.toString(), f.lastPx.toString()])).toEqual([['20', '188.00']]);
    const r = await reconcile(h.engine, h.executor);
    expect(r.halted).toBe(false);
  });

  it('FAULTS 17: a cancel Alpaca accepted (204) but the order filled before it reached the exchange: order_cancel_rejected, the order FILLED once', async () => {
    await limit('tl-1', 'SELL', '188.00', '20');
    await statusOf(h, 'tl-1', 'ACCEPTED');
    server.book.lateCancel = true;
    await h.engine.cancelOrder('tl-1');
    await until(() => server.book.byClientId('tl-1')!.status === 'pending_cancel', 'the cancel on its way');
    server.market.print('AAPL', '188.00', '8');
    server.market.print('AAPL', '188.00', '100');
    await statusOf(h, 'tl-1', 'FILLED');
    await until(() => h.events.some((e) => e.kind === 'OrderCancelRejected' && e.clientOrderId === 'tl-1'), 'the cancel refused');
    await h.adapter.settled();
    expect(fillsOf(h, 'tl-1').map((f) => f.lastQty.toString())).toEqual(['8', '12']);
    expect(h.events.filter((e) => e.clientOrderId === 'tl-1' && (e.kind === 'OrderCanceled' || e.kind === 'OrderCancelRejected')).map((e) => e.kind)).toEqual(['OrderCancelRejected']);
    expect(h.engine.order('tl-1')!.status).toBe('FILLED');
    expect((await reconcile(h.engine, h.executor)).halted).toBe(false);
  });

  it('FAULTS 17: a late cancel that lands after a partial fill ends the order canceled with that fill', async () => {
    await limit('tl-2', 'SELL', '188.00', '20');
    await statusOf(h, 'tl-2', 'ACCEPTED');
    server.book.lateCancel = true;
    await h.engine.cancelOrder('tl-2');
    server.market.print('AAPL', '188.00', '8');
    await until(() => fillsOf(h, 'tl-2').length === 1, 'the fill during the cancel');
    server.book.landCancel(server.book.byClientId('tl-2')!.id);
    await statusOf(h, 'tl-2', 'CANCELED');
    expect(h.engine.order('tl-2')!.filledQty.toString()).toBe('8');
  });

  it('FAULTS 18: a partial fill of the old order between pending_replace and replaced is applied once, to the chain; the order stands replaced with it', async () => {
    await limit('rp-1', 'SELL', '188.00', '20');
    await statusOf(h, 'rp-1', 'ACCEPTED');
    const old = server.book.byClientId('rp-1')!.id;
    server.book.replaceRace = { qty: '5', price: '188.00' };
    await h.engine.modifyOrder('rp-1', { price: '188.50' });
    await until(() => h.engine.order('rp-1')?.price?.toString() === '188.50', 'the replace applied');

    await statusOf(h, 'rp-1', 'PARTIALLY_FILLED');
    const o = h.engine.order('rp-1')!;
    expect([o.filledQty.toString(), o.quantity.toString(), o.venueOrderId !== old]).toEqual(['5', '20', true]);
    expect(fillsOf(h, 'rp-1').map((f) => [f.lastQty.toString(), f.lastPx.toString(), f.venueOrderId])).toEqual([['5', '188.00', old]]);
    server.market.print('AAPL', '188.50', '100');
    await statusOf(h, 'rp-1', 'FILLED');
    expect(fillsOf(h, 'rp-1').map((f) => f.lastQty.toString())).toEqual(['5', '15']);
    expect(h.alerts.map((a) => a.code)).not.toContain('FILL_PRICE_THROUGH_LIMIT');
    expect((await reconcile(h.engine, h.executor)).halted).toBe(false);
  });

  it('FAULTS 18: the old order fills whole before the replace reaches the exchange: the replacement rejected, order_replace_rejected; the order FILLED on its old terms, never canceled', async () => {
    await limit('rp-2', 'SELL', '188.00', '20');
    await statusOf(h, 'rp-2', 'ACCEPTED');
    const old = server.book.byClientId('rp-2')!.id;
    server.book.replaceRace = { qty: '20', price: '188.00' };
    await h.engine.modifyOrder('rp-2', { price: '188.50', quantity: '25' });
    await statusOf(h, 'rp-2', 'FILLED');
    await until(() => h.events.some((e) => e.kind === 'OrderModifyRejected' && e.clientOrderId === 'rp-2'), 'the replace refused');
    await h.adapter.settled();
    await new Promise((r) => setTimeout(r, 100));
    const o = h.engine.order('rp-2')!;
    expect([o.status, o.filledQty.toString(), o.quantity.toString(), o.price?.toString(), o.venueOrderId]).toEqual(['FILLED', '20', '20', '188.00', old]);
    expect(h.events.filter((e) => e.clientOrderId === 'rp-2').map((e) => e.kind).filter((k) => k !== 'OrderInitialized' && k !== 'OrderSubmitted')).toEqual([
      'OrderAccepted',
      'OrderPendingUpdate',
      'OrderFilled',
      'OrderModifyRejected',
    ]);
    expect(h.alerts.map((a) => a.code)).not.toContain('FILL_PRICE_THROUGH_LIMIT');
    expect((await reconcile(h.engine, h.executor)).halted).toBe(false);
  });

  it('FAULTS 20: every trade update delivered twice counts once; filled quantity never goes backwards', async () => {
    server.faults.duplicateEvents(true);
    await limit('d-1', 'SELL', '188.00', '30');
    await statusOf(h, 'd-1', 'ACCEPTED');
    for (const size of ['10', '10', '10']) server.market.print('AAPL', '188.00', size);
    await statusOf(h, 'd-1', 'FILLED');
    await h.adapter.settled();
    expect(fillsOf(h, 'd-1').map((f) => f.lastQty.toString())).toEqual(['10', '10', '10']);
    expect(h.events.filter((e) => e.kind === 'OrderAccepted' && e.clientOrderId === 'd-1')).toHaveLength(1);
  });

  it('FAULTS 21: a 429 on the submit backs off and the order goes once; a 500 on the submit is settled by a query, not resent', async () => {
    server.faults.rateLimit({ path: '/v2/orders', method: 'POST', afterSec: 0 });
    await limit('r-1', 'BUY', '180.00');
    await statusOf(h, 'r-1', 'ACCEPTED', 10_000);
    expect(posts('r-1')).toHaveLength(2); // the 429 was not acted on: sent again once the query found nothing
    expect(server.book.byClientId('r-1')).toBeDefined();
    server.faults.serverError({ status: 500, method: 'POST', path: '/v2/orders' });
    await limit('r-2', 'BUY', '180.00');
    await until(() => ['REJECTED', 'CANCELED'].includes(h.engine.order('r-2')?.status ?? ''), 'r-2 settled', 10_000);
    expect(posts('r-2')).toHaveLength(1);
  });

  it('FAULTS 22: a dropped trade_updates stream is DOWN; fills made meanwhile come back once by reconciliation', async () => {
    await limit('g-1', 'SELL', '188.00', '20');
    await statusOf(h, 'g-1', 'ACCEPTED');
    server.faults.muteStream(true);
    server.market.print('AAPL', '188.00', '5');
    server.market.print('AAPL', '188.00', '15');
    server.faults.muteStream(false);
    server.faults.dropStream();
    await until(() => h.alerts.some((a) => a.code === 'VENUE_DISCONNECTED'), 'the disconnect');
    await statusOf(h, 'g-1', 'FILLED', 10_000);
    await until(() => h.engine.risk.stateOf('VENUE:ALPACA') === 'ACTIVE', 'the venue active again', 10_000);
    expect(fillsOf(h, 'g-1').map((f) => [f.clientOrderId, f.lastQty.toString()])).toEqual([
      ['g-1', '5'],
      ['g-1', '15'],
    ]);
  });

  it('FAULTS 23: an order placed at Alpaca by hand is adopted as external with an alert', async () => {
    server.book.place({ symbol: 'AAPL', side: 'buy', type: 'limit', tif: 'gtc', qty: '3', limitPrice: '170.00', clientOrderId: 'by-hand' });
    const r = await reconcile(h.engine, h.executor);
    expect(r.ordersAdopted).toEqual(['by-hand']);
    expect(h.engine.order('by-hand')!.status).toBe('ACCEPTED');
    expect(h.alerts.some((a) => a.code === 'EXTERNAL_ORDER_ADOPTED')).toBe(true);
  });

  it('FAULTS 24: Alpaca shows no position where we hold one: not assumed flat, trading halts', async () => {
    await h.engine.submitOrder({ clientOrderId: 'b-1', accountId: 'A', instrumentId: AAPL, side: 'BUY', type: 'MARKET', quantity: '5', timeInForce: 'IOC' });
    await statusOf(h, 'b-1', 'FILLED');
    server.book.positions.set('AAPL', '0'); // gone behind our back
    const r = await reconcile(h.engine, h.executor);
    expect(r.halted).toBe(true);
    expect(h.engine.risk.stateOf('FIRM')).toBe('HALTED');
  });
});
