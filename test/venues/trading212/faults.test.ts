/**
 * FAULTS 15–24 as Trading 212's protocol can show them, end to end: the engine, a LIVE executor
 * and the adapter against the local fake. Trading 212 has no client order id, so an ambiguous
 * submit is settled by finding the order of the same terms placed since it was sent.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../../src/engine/reconcile.ts';
import type { FakeTrading212 } from '../../support/fake-trading212/index.ts';
import { AAPL, connectHarness, startFake, until, type Harness } from './harness.ts';

let fake: FakeTrading212;
let h: Harness;

beforeEach(async () => {
  fake = await startFake();
  fake.book.trade('AAPL_US_EQ', '150.00', '1');
  h = await connectHarness(fake);
});

afterEach(async () => {
  await h.close();
  await fake.close();
});

const status = (id: string) => h.engine.order(id)?.status;
async function reach(id: string, s: string, ms = 10_000): Promise<void> {
  await until(() => status(id) === s, `${id} ${s} (is ${String(status(id))})`, ms);
}
const limit = (id: string, side: 'BUY' | 'SELL', quantity: string, price: string) =>
  h.engine.submitOrder({ clientOrderId: id, accountId: 'A', instrumentId: AAPL, side, type: 'LIMIT', quantity, price, timeInForce: 'GTC' });
const posts = () => fake.requests.filter((r) => r.method === 'POST');
const fills = () => h.events.filter((e) => e.kind === 'OrderFilled');

describe('Trading 212 venue faults', () => {
  it('FAULTS 15: a submit that times out with the order placed goes UNKNOWN and is bound to the one order of its terms, never resent', async () => {
    fake.faults.hang = { placed: true };
    await limit('t-1', 'BUY', '2', '149.00');
    await until(() => h.events.some((e) => e.kind === 'OrderStatusUnknown' && e.clientOrderId === 't-1'), 't-1 UNKNOWN');
    await reach('t-1', 'ACCEPTED');
    const placed = fake.book.pending();
    expect(placed).toHaveLength(1);
    expect(h.engine.order('t-1')!.venueOrderId).toBe(String(placed[0]!.id));
    expect(posts()).toHaveLength(1);
    // Its fills come through afterwards like any other order's.
    fake.book.trade('AAPL_US_EQ', '149.00', '5');
    await reach('t-1', 'FILLED');
  }, 30_000);

  it('FAULTS 15: a submit that times out unplaced is found missing and rejected, not resent', async () => {
    fake.faults.hang = { placed: false };
    await limit('t-2', 'BUY', '2', '149.00');
    await until(() => ['REJECTED', 'CANCELED'].includes(status('t-2') ?? ''), 't-2 settled', 15_000);
    expect(fake.book.orders.size).toBe(0);
    expect(posts()).toHaveLength(1);
  }, 30_000);

  it('FAULTS 15: an identical order already ours is not taken for the lost one', async () => {
    await limit('same-1', 'BUY', '1', '148.00');
    await reach('same-1', 'ACCEPTED');
    fake.faults.hang = { placed: false };
    await limit('same-2', 'BUY', '1', '148.00');
    await until(() => ['REJECTED', 'CANCELED'].includes(status('same-2') ?? ''), 'same-2 settled', 15_000);
    expect(h.engine.order('same-2')!.venueOrderId).toBeUndefined();
    expect(fake.book.pending()).toHaveLength(1);
  }, 30_000);

  it('FAULTS 21: a 429 on a placement backs off and asks before sending again: placed once; a 5xx is ambiguous and settled by a query', async () => {
    fake.faults.errors.push({ status: 429, times: 1, path: '/equity/orders/limit' });
    await limit('r-1', 'BUY', '1', '147.00');
    await reach('r-1', 'ACCEPTED');
    fake.faults.errors.push({ status: 503, times: 1, path: '/equity/orders/limit' });
    await limit('r-2', 'BUY', '1', '146.00');
    await until(() => ['ACCEPTED', 'REJECTED'].includes(status('r-2') ?? ''), 'r-2 settled', 15_000);
    // The 503 came before the order was placed: the query finds none and it is not resent.
    expect(status('r-2')).toBe('REJECTED');
    expect(fake.book.pending().map((o) => o.limitPrice)).toEqual([14_700_000_000n]);
    expect(posts().map((r) => r.status)).toEqual([429, 200, 503]);
  }, 30_000);

  it('FAULTS 16: a cancel the broker fails (503) is sent again and the order ends canceled once', async () => {
    await limit('c-1', 'BUY', '1', '145.00');
    await reach('c-1', 'ACCEPTED');
    fake.faults.errors.push({ status: 503, times: 1, path: '/equity/orders/' });
    await h.engine.cancelOrder('c-1');
    await reach('c-1', 'CANCELED');
    expect(fake.requests.filter((r) => r.method === 'DELETE').map((r) => r.status)).toEqual([503, 200]);
    expect(h.events.filter((e) => e.kind === 'OrderCanceled')).toHaveLength(1);
  }, 30_000);

  it('FAULTS 16 and 17: filled before the cancel arrived: "not found" is settled by a query and the fill applied', async () => {
    await limit('f-1', 'BUY', '2', '150.00');
    await reach('f-1', 'ACCEPTED');
    fake.book.trade('AAPL_US_EQ', '150.00', '5');
    await h.engine.cancelOrder('f-1');
    await reach('f-1', 'FILLED');
    expect(fills().map((f) => [f.clientOrderId, f.lastQty.toString()])).toEqual([['f-1', '2.0000']]);
    const r = await reconcile(h.engine, h.executor);
    expect([r.halted, r.positionMismatches]).toEqual([false, []]);
  }, 30_000);

  it('FAULTS 20: a history that repeats its rows counts each fill once', async () => {
    fake.faults.duplicateHistory = true;
    await limit('d-1', 'BUY', '3', '150.00');
    await reach('d-1', 'ACCEPTED');
    fake.book.trade('AAPL_US_EQ', '150.00', '1');
    fake.book.trade('AAPL_US_EQ', '150.00', '2');
    await reach('d-1', 'FILLED');
    expect(fills().map((f) => f.lastQty.toString())).toEqual(['1.0000', '2.0000']);
    expect(h.engine.order('d-1')!.filledQty.toString()).toBe('3.0000');
  }, 30_000);

  it('FAULTS 22: polls failing make the venue DOWN; back UP, the fill made meanwhile is read from the history, once', async () => {
    await limit('g-1', 'BUY', '1.5', '150.00');
    await reach('g-1', 'ACCEPTED');
    fake.faults.down = true;
    await until(() => h.alerts.some((a) => a.code === 'VENUE_DISCONNECTED'), 'DOWN');
    fake.book.trade('AAPL_US_EQ', '149.99', '10');
    fake.faults.down = false;
    await reach('g-1', 'FILLED', 15_000);
    await until(() => h.engine.risk.stateOf('VENUE:T212') === 'ACTIVE', 'the venue active again', 15_000);
    expect(fills().map((f) => [f.clientOrderId, f.lastQty.toString(), f.lastPx.toString()])).toEqual([['g-1', '1.5000', '149.99']]);
  }, 30_000);

  it('FAULTS 23: an order placed in the app is adopted as external', async () => {
    const o = fake.book.place({ ticker: 'AAPL_US_EQ', type: 'LIMIT', quantity: '0.5', limitPrice: '140.00', timeValidity: 'DAY', initiatedFrom: 'WEB' });
    expect(o.ok).toBe(true);
    const r = await reconcile(h.engine, h.executor);
    const id = `T212-${o.ok ? o.order.id : 0}`;
    expect(r.ordersAdopted).toEqual([id]);
    expect(h.alerts.some((a) => a.code === 'EXTERNAL_ORDER_ADOPTED')).toBe(true);
  }, 30_000);

  it('FAULTS 24: a position gone behind our back is not assumed flat: trading halts', async () => {
    await h.engine.submitOrder({ clientOrderId: 'm-1', accountId: 'A', instrumentId: AAPL, side: 'BUY', type: 'MARKET', quantity: '1' });
    await reach('m-1', 'FILLED');
    fake.book.positions.set('AAPL_US_EQ', 0n);
    const r = await reconcile(h.engine, h.executor);
    expect(r.halted).toBe(true);
    expect(r.positionMismatches.map((m) => m.instrumentId)).toEqual([AAPL]);
  }, 30_000);
});
