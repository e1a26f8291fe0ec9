/**
 * FAULTS 15–24 as the TWS socket protocol can express them, end to end: the engine, a LIVE
 * executor and the IBKR adapter against the fake TWS, the real @stoqey/ib client in between.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../../src/engine/reconcile.ts';
import { startFakeIbkr, type FakeTws } from '../../support/fake-ibkr/server.ts';
import { AAPL, busts, connectHarness, fills, position, reportedTrades, statusOf, until, type Harness } from './harness.ts';

let tws: FakeTws;
let h: Harness;

beforeEach(async () => {
  tws = await startFakeIbkr();
  tws.book.quote('AAPL', 150.24, 150.26);
  h = await connectHarness(tws);
});

afterEach(async () => {
  await h.close();
  await tws.close();
  expect(tws.malformed).toEqual([]);
});

const rest = (id: string, side: 'BUY' | 'SELL', price: string, quantity = '10') =>
  h.engine.submitOrder({ clientOrderId: id, accountId: 'A', instrumentId: AAPL, side, type: 'LIMIT', quantity, price, timeInForce: 'DAY' });
const placeOrders = () => tws.requests.filter((r) => r.id === 3);
const active = () => until(() => h.engine.risk.stateOf('VENUE:IBKR') === 'ACTIVE', 'the venue ACTIVE again', 10_000);

describe('IBKR venue faults', () => {
  it('the socket drops and TWS stays away a while: DOWN, reconnect with backoff, the fills made meanwhile fetched once each', async () => {
    await rest('d-1', 'BUY', '150.00', '300');
    await statusOf(h, 'd-1', 'ACCEPTED');
    tws.book.trade('AAPL', 150, 100);
    await until(() => fills(h).length === 1, 'the first fill');
    tws.faults.refuseConnections(true);
    tws.faults.dropConnections();
    await until(() => h.alerts.some((a) => a.code === 'VENUE_DISCONNECTED'), 'DOWN');
    await statusOf(h, 'd-1', 'UNKNOWN');
    tws.book.trade('AAPL', 149.99, 150); // while we are away
    await new Promise((r) => setTimeout(r, 300)); // a few refused reconnects
    tws.faults.refuseConnections(false);
    await statusOf(h, 'd-1', 'PARTIALLY_FILLED', 10_000);
    await active();
    expect(fills(h)).toEqual([['d-1', '100', '150.00'], ['d-1', '150', '149.99']]);
    // Again: the reconnect fetches every execution of the day, none is told twice.
    tws.faults.dropConnections();
    tws.book.trade('AAPL', 149.98, 100);
    await statusOf(h, 'd-1', 'FILLED', 10_000);
    expect(fills(h)).toEqual([['d-1', '100', '150.00'], ['d-1', '150', '149.99'], ['d-1', '50', '149.98']]);
    expect(reportedTrades(h)).toEqual(tws.book.executions.map((e) => e.execId));
    expect(position(h)).toBe('300');
  }, 20_000);

  it('FAULTS 15: a submit TWS never answers is UNKNOWN, then found by its orderRef; never sent twice', async () => {
    tws.faults.swallowReplies('placeOrder');
    await rest('u-1', 'BUY', '149.00');
    await until(() => h.events.some((e) => e.kind === 'OrderStatusUnknown'), 'UNKNOWN after the silent submit');
    await statusOf(h, 'u-1', 'ACCEPTED');
    expect(placeOrders()).toHaveLength(1);
    expect(h.engine.order('u-1')!.venueOrderId).toBe(String([...tws.book.orders.keys()][0]));
  });

  it('FAULTS 16: a cancel whose answer is lost is sent again; IB says 10148 (already cancelled); the order ends canceled once', async () => {
    await rest('c-1', 'BUY', '149.00');
    await statusOf(h, 'c-1', 'ACCEPTED');
    tws.faults.swallowReplies('cancelOrder');
    await h.engine.cancelOrder('c-1');
    await statusOf(h, 'c-1', 'CANCELED');
    expect(tws.requests.filter((r) => r.id === 4).length).toBeGreaterThanOrEqual(2);
    expect(h.events.filter((e) => e.kind === 'OrderCanceled')).toHaveLength(1);
  });

  it('FAULTS 16 and 17: filled before the cancel arrived (IB 10148): settled by a query, the fill applied, the position right', async () => {
    await rest('f-1', 'SELL', '150.50', '40');
    await statusOf(h, 'f-1', 'ACCEPTED');
    tws.faults.hideReports(true); // the fill's messages do not reach us
    tws.book.trade('AAPL', 150.5, 1_000);
    await h.engine.cancelOrder('f-1');
    await statusOf(h, 'f-1', 'FILLED');
    tws.faults.hideReports(false);
    expect(fills(h)).toEqual([['f-1', '40', '150.50']]);
    expect(position(h)).toBe('-40');
  });

  it('FAULTS 20: the same executions pushed again are counted once; filled never goes backwards', async () => {
    await rest('r-1', 'BUY', '150.00', '20');
    await statusOf(h, 'r-1', 'ACCEPTED');
    tws.book.trade('AAPL', 150, 5);
    tws.book.trade('AAPL', 150, 15);
    await statusOf(h, 'r-1', 'FILLED');
    tws.faults.replayExecutions();
    tws.faults.replayExecutions();
    await h.adapter.settled();
    await new Promise((r) => setTimeout(r, 200));
    expect(fills(h)).toEqual([['r-1', '5', '150.00'], ['r-1', '15', '150.00']]);
    expect(reportedTrades(h)).toEqual(tws.book.executions.map((e) => e.execId));
    expect(position(h)).toBe('20');
  });

  it('FAULTS 19: IB corrects the price of an execution (….01 → ….02) after the order filled: the fill busted, the corrected one booked; both revisions again change nothing', async () => {
    await rest('x-1', 'BUY', '150.00', '100');
    await statusOf(h, 'x-1', 'ACCEPTED');
    tws.book.trade('AAPL', 150, 100);
    await statusOf(h, 'x-1', 'FILLED');
    const first = tws.book.executions[0]!;
    const corrected = tws.book.correct(first.execId, { price: 149.95 });
    expect(corrected.execId).toBe(first.execId.replace(/\.01$/, '.02'));
    await until(() => fills(h).length === 2, 'the corrected fill');
    tws.faults.replayExecutions(); // ….01 and ….02 pushed again: a duplicate and an older revision
    await h.adapter.settled();
    await new Promise((r) => setTimeout(r, 200));
    expect(busts(h)).toEqual([['x-1', '100', '150.00', first.execId]]);
    expect(fills(h)).toEqual([['x-1', '100', '150.00'], ['x-1', '100', '149.95']]);
    expect(h.reports.map((r) => (r.kind === 'OrderFilled' || r.kind === 'FillBusted' ? `${r.kind} ${r.tradeId}` : r.kind)).filter((k) => k !== 'OrderAccepted')).toEqual([
      `OrderFilled ${first.execId}`,
      `FillBusted ${first.execId}`,
      `OrderFilled ${corrected.execId}`,
    ]);
    const o = h.engine.order('x-1')!;
    expect([o.status, o.filledQty.toString()]).toEqual(['FILLED', '100']);
    expect(position(h)).toBe('100');
    // Position and cash (the first commission refunded, the corrected one charged) agree with IB's.
    const r = await reconcile(h.engine, h.executor);
    expect(r.positionMismatches).toEqual([]);
    expect(r.halted).toBe(false);
  });

  it('FAULTS 19: a correction of the shares of a partial fill moves the filled quantity and the position; a correction with the same terms changes nothing', async () => {
    await rest('x-2', 'SELL', '150.50', '100');
    await statusOf(h, 'x-2', 'ACCEPTED');
    tws.book.trade('AAPL', 150.5, 40);
    await statusOf(h, 'x-2', 'PARTIALLY_FILLED');
    const first = tws.book.executions[0]!;
    const second = tws.book.correct(first.execId, { shares: 30 });
    await until(() => fills(h).length === 2, 'the corrected fill');
    await statusOf(h, 'x-2', 'PARTIALLY_FILLED');
    expect(h.engine.order('x-2')!.filledQty.toString()).toBe('30');
    expect(position(h)).toBe('-30');
    const third = tws.book.correct(second.execId, {}); // ….03: the same terms again
    expect(third.execId.endsWith('.03')).toBe(true);
    await h.adapter.settled();
    await new Promise((r) => setTimeout(r, 200));
    expect(busts(h)).toEqual([['x-2', '40', '150.50', first.execId]]);
    expect(fills(h)).toEqual([['x-2', '40', '150.50'], ['x-2', '30', '150.50']]);
    tws.book.trade('AAPL', 150.5, 1_000); // the rest fills
    await statusOf(h, 'x-2', 'FILLED');
    expect(position(h)).toBe('-100');
    expect((await reconcile(h.engine, h.executor)).halted).toBe(false);
  });

  it('FAULTS 21: over the message rate (IB 100) the submit is not acted on: backed off, asked, sent again under a fresh order id', async () => {
    tws.faults.pace('placeOrder', 1);
    await rest('p-1', 'BUY', '149.00');
    await statusOf(h, 'p-1', 'ACCEPTED');
    const ids = placeOrders().map((r) => Number(r.fields[0]));
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBeGreaterThan(ids[0]!);
    expect([...tws.book.orders.keys()]).toEqual([ids[1]]);
  });

  it('FAULTS 22: while disconnected nothing new goes to IB; working orders are UNKNOWN until reconciled', async () => {
    await rest('w-1', 'BUY', '149.00');
    await statusOf(h, 'w-1', 'ACCEPTED');
    tws.faults.refuseConnections(true);
    tws.faults.dropConnections();
    await statusOf(h, 'w-1', 'UNKNOWN');
    const before = placeOrders().length;
    await rest('w-2', 'BUY', '149.00').catch(() => undefined);
    await until(() => ['DENIED', 'REJECTED'].includes(String(h.engine.order('w-2')?.status ?? 'DENIED')), 'w-2 refused');
    expect(placeOrders()).toHaveLength(before);
    tws.faults.refuseConnections(false);
    await statusOf(h, 'w-1', 'ACCEPTED', 10_000);
    await active();
  }, 20_000);

  it('FAULTS 23: an order placed in TWS by hand is adopted as external with an alert', async () => {
    tws.book.placeByHand(265598, 'BUY', 25, 148.5, 'by-hand');
    const r = await reconcile(h.engine, h.executor);
    expect(r.ordersAdopted).toEqual(['by-hand']);
    expect(h.engine.order('by-hand')!.status).toBe('ACCEPTED');
    expect(h.alerts.some((a) => a.code === 'EXTERNAL_ORDER_ADOPTED')).toBe(true);
  });

  it('FAULTS 24: IB reports no position where we hold one: not assumed flat, trading halts', async () => {
    await h.engine.submitOrder({ clientOrderId: 'm-1', accountId: 'A', instrumentId: AAPL, side: 'BUY', type: 'MARKET', quantity: '10', timeInForce: 'IOC' });
    await statusOf(h, 'm-1', 'FILLED');
    tws.book.positions.clear();
    const r = await reconcile(h.engine, h.executor);
    expect(r.halted).toBe(true);
    expect(r.positionMismatches.map((m) => [m.instrumentId, m.ours, m.venue])).toEqual([[AAPL, '10', '0']]);
  });
});
