import { describe, expect, it } from 'vitest';
import { VenueCallError } from '../../src/model/errors.ts';
import { executionSetup, T0 } from './setup.ts';

describe('executor: a submit whose outcome is unknown (FAULTS 15, 21)', () => {
  it('timeout, placed but unacknowledged: UNKNOWN, resolved by query to ACCEPTED and FILLED, the fill counted once', async () => {
    const r = await executionSetup();
    r.quote('99.99', '100.01', '100.00');
    r.faults.addCallFault({ call: 'SUBMIT', clientOrderId: 'S-1', fault: { kind: 'TIMEOUT', placed: true, dropReports: true } });
    await r.submit({ clientOrderId: 'S-1', side: 'BUY', type: 'MARKET' });
    // The market order filled at the venue during the call; every report of it was lost.
    await r.settle();
    expect(r.kinds('S-1')).toEqual(['OrderInitialized', 'OrderSubmitted', 'OrderStatusUnknown', 'OrderAccepted', 'OrderFilled']);
    expect(r.engine.order('S-1')?.status).toBe('FILLED');
    expect(r.engine.order('S-1')?.venueOrderId).toBe('SIM-1');
    expect(r.position()).toBe('1.000');
    expect(await r.venuePosition()).toBe('1.000');
    const [rec] = r.executor.executions('S-1');
    expect(rec).toMatchObject({ request: 'SUBMIT', settlement: 'QUERY', succeeded: true, wentUnknown: true, retries: 0 });
    expect(rec?.attempts.map((a) => `${a.what} ${a.outcome}`)).toEqual(['SUBMIT VENUE_TIMEOUT', 'orderStatus OK', 'fillsSince OK']);
    // The reports come back later (a replay): nothing changes, the fill is not counted twice.
    r.faults.resumeReports('S-1');
    const seq = r.engine.lastSeq;
    r.engine.applyVenueReport('SIM', (await r.ex.queries.fillsSince(T0))[0]!);
    expect(r.engine.lastSeq).toBe(seq);
    expect(r.position()).toBe('1.000');
  });

  it('timeout whose reports did arrive during the call: no UNKNOWN, settled by the report, a duplicated fill counted once', async () => {
    const r = await executionSetup();
    r.quote('99.99', '100.01');
    r.faults.addCallFault({ call: 'SUBMIT', fault: { kind: 'TIMEOUT', placed: true } });
    r.faults.addReportFault({ fault: 'DUPLICATE', reportKind: 'OrderFilled' });
    await r.submit({ clientOrderId: 'S-2', side: 'BUY', type: 'MARKET' });
    await r.settle();
    expect(r.kinds('S-2')).toEqual(['OrderInitialized', 'OrderSubmitted', 'OrderAccepted', 'OrderFilled']);
    expect(r.executor.executions('S-2')[0]).toMatchObject({ settlement: 'ACK', succeeded: true, wentUnknown: false });
    expect(r.position()).toBe('1.000');
  });

  it('timeout, not placed: looked for 1 + 3 times a second apart, never resent, then a defensive cancel and NOT_AT_VENUE', async () => {
    const r = await executionSetup();
    r.faults.addCallFault({ call: 'SUBMIT', fault: { kind: 'TIMEOUT', placed: false } });
    const t0 = r.clock.now();
    await r.submit({ clientOrderId: 'S-3', side: 'BUY', type: 'LIMIT', price: '90.00' });
    await r.settle();
    expect(r.engine.order('S-3')?.status).toBe('REJECTED');
    const rejected = r.events.find((e) => e.clientOrderId === 'S-3' && e.kind === 'OrderRejected');
    expect(rejected && 'reason' in rejected ? rejected.reason : '').toMatch(/^NOT_AT_VENUE: not found at the venue after 4 queries/);
    expect(r.faults.injected.filter((f) => f.on === 'CALL').map((f) => (f.on === 'CALL' ? `${f.call} ${f.fault}` : ''))).toEqual(['SUBMIT TIMEOUT']);
    expect(await r.ex.queries.orderStatus('S-3' as never)).toBeUndefined(); // nothing resent
    const rec = r.executor.executions('S-3')[0]!;
    expect(rec.attempts.filter((a) => a.what === 'orderStatus').map((a) => a.ts - t0)).toEqual([0, 1000, 2000, 3000]);
    expect(rec).toMatchObject({ settlement: 'NOT_AT_VENUE', succeeded: false, wentUnknown: true });
    expect(r.executor.statistics().unknownsResolved).toEqual({ NOT_AT_VENUE: 1 });
  });

  it('a submit given up as NOT_AT_VENUE that lands late is canceled at once; the engine keeps it REJECTED', async () => {
    const r = await executionSetup({ reportTimeoutMs: 2_000 });
    r.faults.addCallFault({ call: 'SUBMIT', fault: { kind: 'DELAY' } }); // "sent", stuck on the way
    await r.submit({ clientOrderId: 'S-4', side: 'BUY', type: 'LIMIT', price: '90.00' });
    await r.settle();
    expect(r.engine.order('S-4')?.status).toBe('REJECTED');
    await r.faults.releaseHeld('S-4'); // it arrives after all
    await r.settle();
    expect((await r.ex.queries.orderStatus('S-4' as never))?.status).toBe('CANCELED');
    expect(r.alerts.map((a) => a.code)).toContain('LATE_ARRIVAL_CANCELED');
    expect(r.engine.order('S-4')?.status).toBe('REJECTED');
    expect(r.alerts.map((a) => a.code)).not.toContain('ILLEGAL_TRANSITION');
  });

  it('rate limited: waits the venue’s retry-after, asks, then resends once with the same client order id', async () => {
    const r = await executionSetup();
    r.faults.addCallFault({ call: 'SUBMIT', fault: { kind: 'RATE_LIMIT', retryAfterMs: 750 } });
    const t0 = r.clock.now();
    await r.submit({ clientOrderId: 'S-5', side: 'BUY', type: 'LIMIT', price: '90.00' });
    await r.settle();
    expect(r.engine.order('S-5')?.status).toBe('ACCEPTED');
    const rec = r.executor.executions('S-5')[0]!;
    expect(rec.attempts.map((a) => `${a.what} ${a.outcome} +${a.ts - t0}`)).toEqual(['SUBMIT VENUE_RATE_LIMITED +0', 'orderStatus OK +750', 'SUBMIT OK +750']);
    expect(rec).toMatchObject({ retries: 1, settlement: 'ACK', succeeded: true, wentUnknown: false });
    expect(r.kinds('S-5')).not.toContain('OrderStatusUnknown');
  });

  it('rate limited every time: exponential backoff (100, 200, 400 ms), 3 resends, then OrderRejected', async () => {
    const r = await executionSetup();
    r.faults.addCallFault({ call: 'SUBMIT', times: Infinity, fault: { kind: 'RATE_LIMIT', retryAfterMs: 0 } });
    const t0 = r.clock.now();
    await r.submit({ clientOrderId: 'S-6', side: 'BUY', type: 'LIMIT', price: '90.00' });
    await r.settle();
    expect(r.engine.order('S-6')?.status).toBe('REJECTED');
    const rec = r.executor.executions('S-6')[0]!;
    expect(rec.attempts.filter((a) => a.what === 'SUBMIT').map((a) => a.ts - t0)).toEqual([0, 100, 300, 700]);
    expect(rec).toMatchObject({ retries: 3, settlement: 'REJECTED', detail: 'VENUE_RATE_LIMITED: still rate limited after 3 resends' });
  });

  it('5xx and network reset are ambiguous like a timeout: placed resolves to the venue state, not placed to NOT_AT_VENUE', async () => {
    const r = await executionSetup();
    r.faults.addCallFault({ call: 'SUBMIT', clientOrderId: 'S-7', fault: { kind: 'SERVER_ERROR', placed: true, dropReports: true } });
    r.faults.addCallFault({ call: 'SUBMIT', clientOrderId: 'S-8', fault: { kind: 'NETWORK_RESET', placed: false } });
    await r.submit({ clientOrderId: 'S-7', side: 'BUY', type: 'LIMIT', price: '90.00' });
    await r.submit({ clientOrderId: 'S-8', side: 'BUY', type: 'LIMIT', price: '91.00' });
    await r.settle();
    expect(r.engine.order('S-7')?.status).toBe('ACCEPTED');
    expect(r.engine.order('S-8')?.status).toBe('REJECTED');
    expect(r.kinds('S-7')).toEqual(['OrderInitialized', 'OrderSubmitted', 'OrderStatusUnknown', 'OrderAccepted']);
    expect(r.executor.executions('S-7')[0]?.attempts[0]?.outcome).toBe('VENUE_UNAVAILABLE');
    expect(r.executor.executions('S-8')[0]?.attempts[0]?.outcome).toBe('VENUE_NETWORK');
  });

  it('refused outright: OrderRejected with the venue’s reason; disconnected: VENUE_DISCONNECTED; neither is queried', async () => {
    const r = await executionSetup();
    r.faults.addCallFault({ call: 'SUBMIT', fault: { kind: 'REJECT', reason: 'INSUFFICIENT_BALANCE' } });
    await r.submit({ clientOrderId: 'S-9', side: 'BUY', type: 'LIMIT', price: '90.00' });
    r.faults.disconnect();
    await r.submit({ clientOrderId: 'S-10', side: 'BUY', type: 'LIMIT', price: '90.00' });
    await r.settle();
    const reasons = r.events.filter((e) => e.kind === 'OrderRejected').map((e) => `${e.clientOrderId} ${'reason' in e ? e.reason : ''}`);
    expect(reasons).toEqual(['S-9 INSUFFICIENT_BALANCE', 'S-10 VENUE_DISCONNECTED']);
    expect(r.executor.executions().flatMap((x) => x.attempts.map((a) => a.what))).toEqual(['SUBMIT', 'SUBMIT']);
  });

  it('an error that is not a VenueCallError (a client library’s TypeError) is treated as ambiguous: UNKNOWN, asked, never resent', async () => {
    const r = await executionSetup();
    r.faults.submit = () => Promise.reject(new TypeError('socket.write is not a function'));
    await r.submit({ clientOrderId: 'S-11', side: 'BUY', type: 'LIMIT', price: '90.00' });
    await r.settle();
    expect(r.kinds('S-11')).toEqual(['OrderInitialized', 'OrderSubmitted', 'OrderStatusUnknown', 'OrderRejected']);
    const rec = r.executor.executions('S-11')[0]!;
    expect(rec.attempts.filter((a) => a.what === 'SUBMIT').map((a) => a.outcome)).toEqual(['THREW']);
    expect(rec.settlement).toBe('NOT_AT_VENUE');
    expect(new VenueCallError('VENUE_TIMEOUT', 'x').ambiguous).toBe(true);
  });
});

describe('executor: reads retried with exponential backoff', () => {
  it('order status failing twice, then answering: asked at +0, +100, +300 ms', async () => {
    const r = await executionSetup();
    r.faults.addCallFault({ call: 'SUBMIT', fault: { kind: 'TIMEOUT', placed: true, dropReports: true } });
    r.faults.addQueryFault({ code: 'VENUE_UNAVAILABLE', query: 'orderStatus', times: 2 });
    const t0 = r.clock.now();
    await r.submit({ clientOrderId: 'R-1', side: 'BUY', type: 'LIMIT', price: '90.00' });
    await r.settle();
    const reads = r.executor.executions('R-1')[0]!.attempts.filter((a) => a.what === 'orderStatus');
    expect(reads.map((a) => `${a.outcome} +${a.ts - t0}`)).toEqual(['VENUE_UNAVAILABLE +0', 'VENUE_UNAVAILABLE +100', 'OK +300']);
    expect(r.engine.order('R-1')?.status).toBe('ACCEPTED');
    expect(r.executor.statistics().failedReads).toBe(2);
  });

  it('reads failing every retry: alerted, asked again in rounds, then left UNKNOWN (reconciliation settles it later)', async () => {
    const r = await executionSetup();
    r.faults.addCallFault({ call: 'SUBMIT', fault: { kind: 'TIMEOUT', placed: true, dropReports: true } });
    r.faults.addQueryFault({ code: 'VENUE_NETWORK', query: 'orderStatus', times: 12 });
    await r.submit({ clientOrderId: 'R-2', side: 'BUY', type: 'LIMIT', price: '90.00' });
    await r.settle();
    expect(r.engine.order('R-2')?.status).toBe('UNKNOWN');
    expect(r.alerts.filter((a) => a.code === 'VENUE_QUERY_FAILED')).toHaveLength(2);
    expect(r.alerts.map((a) => a.code)).toContain('ORDER_UNRESOLVED');
    expect(r.executor.executions('R-2')[0]).toMatchObject({ settlement: 'UNRESOLVED', wentUnknown: true });
    const { reconcile } = await import('../../src/engine/reconcile.ts');
    await reconcile(r.engine, r.executor);
    expect(r.engine.order('R-2')?.status).toBe('ACCEPTED');
  });
});
