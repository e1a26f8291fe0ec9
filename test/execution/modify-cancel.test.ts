import { describe, expect, it } from 'vitest';
import { executionSetup } from './setup.ts';

const reasonsOf = (r: Awaited<ReturnType<typeof executionSetup>>, id: string, kind: string) =>
  r.events.filter((e) => e.clientOrderId === id && e.kind === kind).map((e) => ('reason' in e ? e.reason : ''));

describe('executor: a modify whose outcome is unknown', () => {
  it('timeout, applied at the venue: UNKNOWN, then OrderUpdated from the venue’s order as it stands', async () => {
    const r = await executionSetup();
    await r.submit({ clientOrderId: 'M-1', side: 'BUY', type: 'LIMIT', price: '90.00' });
    await r.settle();
    r.faults.addCallFault({ call: 'MODIFY', fault: { kind: 'TIMEOUT', placed: true, dropReports: true } });
    await r.engine.modifyOrder('M-1', { price: '91.00' });
    await r.settle();
    expect(r.kinds('M-1').slice(3)).toEqual(['OrderPendingUpdate', 'OrderStatusUnknown', 'OrderUpdated']);
    expect(r.engine.order('M-1')?.status).toBe('ACCEPTED');
    expect(r.engine.order('M-1')?.price?.toString()).toBe('91.00');
    expect(r.executor.executions('M-1')[1]).toMatchObject({ request: 'MODIFY', settlement: 'QUERY', succeeded: true, wentUnknown: true });
  });

  it('timeout, not applied: OrderModifyRejected "modify not applied (resolved by query)", price unchanged, never resent', async () => {
    const r = await executionSetup();
    await r.submit({ clientOrderId: 'M-2', side: 'BUY', type: 'LIMIT', price: '90.00' });
    r.faults.addCallFault({ call: 'MODIFY', fault: { kind: 'TIMEOUT', placed: false } });
    await r.engine.modifyOrder('M-2', { quantity: '2' });
    await r.settle();
    expect(reasonsOf(r, 'M-2', 'OrderModifyRejected')).toEqual(['modify not applied (resolved by query)']);
    expect(r.engine.order('M-2')?.status).toBe('ACCEPTED');
    expect(r.engine.order('M-2')?.quantity.toString()).toBe('1.000');
    expect((await r.ex.queries.orderStatus('M-2' as never))?.quantity?.toString()).toBe('1.000');
    expect(r.executor.executions('M-2')[1]?.attempts.filter((a) => a.what === 'MODIFY')).toHaveLength(1);
  });

  it('rate limited: backs off, asks, and resends once because the venue does not have it as asked', async () => {
    const r = await executionSetup();
    await r.submit({ clientOrderId: 'M-3', side: 'BUY', type: 'LIMIT', price: '90.00' });
    r.faults.addCallFault({ call: 'MODIFY', fault: { kind: 'RATE_LIMIT', retryAfterMs: 500 } });
    await r.engine.modifyOrder('M-3', { price: '92.00' });
    await r.settle();
    expect(r.engine.order('M-3')?.price?.toString()).toBe('92.00');
    const rec = r.executor.executions('M-3')[1]!;
    expect(rec.attempts.map((a) => `${a.what} ${a.outcome}`)).toEqual(['MODIFY VENUE_RATE_LIMITED', 'orderStatus OK', 'fillsSince OK', 'MODIFY OK']);
    expect(rec).toMatchObject({ retries: 1, settlement: 'ACK', succeeded: true });
  });
});

describe('executor: cancels (FAULTS 16, 17)', () => {
  it('a cancel that times out unsent is retried after the backoff and goes through', async () => {
    const r = await executionSetup();
    await r.submit({ clientOrderId: 'C-1', side: 'BUY', type: 'LIMIT', price: '90.00' });
    r.faults.addCallFault({ call: 'CANCEL', fault: { kind: 'TIMEOUT', placed: false } });
    const t0 = r.clock.now();
    await r.engine.cancelOrder('C-1');
    await r.settle();
    expect(r.engine.order('C-1')?.status).toBe('CANCELED');
    const rec = r.executor.executions('C-1')[1]!;
    expect(rec.attempts.map((a) => `${a.what} ${a.outcome} +${a.ts - t0}`)).toEqual(['CANCEL VENUE_TIMEOUT +0', 'CANCEL OK +100']);
    expect(rec).toMatchObject({ retries: 1, settlement: 'ACK', succeeded: true });
  });

  it('a cancel that timed out but was applied (reports lost): the retry is refused as closed, a query settles it CANCELED', async () => {
    const r = await executionSetup({ reportTimeoutMs: 1_000 });
    await r.submit({ clientOrderId: 'C-2', side: 'BUY', type: 'LIMIT', price: '90.00' });
    r.faults.addCallFault({ call: 'CANCEL', fault: { kind: 'TIMEOUT', placed: true, dropReports: true } });
    await r.engine.cancelOrder('C-2');
    await r.settle();
    expect(r.engine.order('C-2')?.status).toBe('CANCELED');
    expect(r.executor.executions('C-2')[1]).toMatchObject({ settlement: 'QUERY', succeeded: true });
  });

  it('the order filled while the cancel was on its way: the fill is applied, the position is right, the cancel reported too late', async () => {
    const r = await executionSetup();
    await r.submit({ clientOrderId: 'C-3', side: 'BUY', type: 'LIMIT', price: '90.00' });
    r.faults.addReportFault({ fault: 'DROP', reportKind: 'OrderFilled', clientOrderId: 'C-3' }); // the fill report is lost
    await r.bar('95.00', '95.00', '89.00', '92.00'); // trades through 90
    expect(r.engine.order('C-3')?.status).toBe('ACCEPTED');
    await r.engine.cancelOrder('C-3'); // the venue answers ORDER_CLOSED
    await r.settle();
    expect(r.kinds('C-3').slice(3)).toEqual(['OrderPendingCancel', 'OrderFilled', 'OrderCancelRejected']);
    expect(reasonsOf(r, 'C-3', 'OrderCancelRejected')).toEqual(['ORDER_CLOSED (filled before the cancel)']);
    expect(r.engine.order('C-3')?.status).toBe('FILLED');
    expect(r.position()).toBe('1.000');
    expect(await r.venuePosition()).toBe('1.000');
  });

  it('a cancel that fails every attempt: the venue is asked, the order still works, OrderCancelRejected and an alert', async () => {
    const r = await executionSetup();
    await r.submit({ clientOrderId: 'C-4', side: 'BUY', type: 'LIMIT', price: '90.00' });
    r.faults.addCallFault({ call: 'CANCEL', times: Infinity, fault: { kind: 'SERVER_ERROR', placed: false } });
    const t0 = r.clock.now();
    await r.engine.cancelOrder('C-4');
    await r.settle();
    expect(r.engine.order('C-4')?.status).toBe('ACCEPTED');
    const rec = r.executor.executions('C-4')[1]!;
    expect(rec.attempts.filter((a) => a.what === 'CANCEL').map((a) => a.ts - t0)).toEqual([0, 100, 300, 700]);
    expect(rec).toMatchObject({ retries: 3, settlement: 'STILL_OPEN', succeeded: false });
    expect(reasonsOf(r, 'C-4', 'OrderCancelRejected')[0]).toMatch(/^cancel failed after 4 attempts \(VENUE_UNAVAILABLE/);
    expect(r.alerts.map((a) => a.code)).toContain('CANCEL_FAILED');
  });
});

describe('executor: duplicate and reordered reports (FAULTS 20)', () => {
  it('the fill arriving before the accept: applied once, the late accept harmless, no alert', async () => {
    const r = await executionSetup();
    r.quote('99.99', '100.01');
    r.faults.addReportFault({ fault: 'REORDER', clientOrderId: 'D-1', flushAfter: 2 });
    r.faults.addReportFault({ fault: 'DUPLICATE', clientOrderId: 'D-1', reportKind: 'OrderFilled' });
    await r.submit({ clientOrderId: 'D-1', side: 'BUY', type: 'MARKET' });
    await r.settle();
    expect(r.engine.order('D-1')?.status).toBe('FILLED');
    expect(r.engine.order('D-1')?.filledQty.toString()).toBe('1.000');
    expect(r.position()).toBe('1.000');
    expect(r.alerts).toEqual([]);
  });
});
