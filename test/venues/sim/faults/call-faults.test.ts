import { describe, expect, it } from 'vitest';
import { describeInjected } from '../../../../src/venues/sim/faults/index.ts';
import { failure, faultSetup } from './fixtures.ts';

describe('ambiguous call failures (FAULTS 15, 16, 21)', () => {
  it('TIMEOUT placed=true: the submit fails VENUE_TIMEOUT (ambiguous) yet the order is OPEN at the exchange', async () => {
    const h = faultSetup({ calls: [{ call: 'SUBMIT', fault: { kind: 'TIMEOUT', placed: true } }] });
    const err = await failure(h.buy('O-1'));
    expect(err.code).toBe('VENUE_TIMEOUT');
    expect(err.ambiguous).toBe(true);
    expect(err.context).toMatchObject({ call: 'SUBMIT', clientOrderId: 'O-1', placed: true });
    expect(await h.status('O-1')).toBe('OPEN');
    // The ack did get through: only the call's answer was lost.
    expect(h.kinds('O-1')).toEqual(['OrderAccepted']);
  });

  it('TIMEOUT placed=false: the same error, but the exchange never saw the order and nothing is reported', async () => {
    const h = faultSetup({ calls: [{ call: 'SUBMIT', fault: { kind: 'TIMEOUT', placed: false } }] });
    const err = await failure(h.buy('O-1'));
    expect([err.code, err.ambiguous]).toEqual(['VENUE_TIMEOUT', true]);
    expect(await h.status('O-1')).toBeUndefined();
    expect(h.reports).toEqual([]);
  });

  it('TIMEOUT placed=true with dropReports: no ack, no fill is delivered; only queries show the fill at 100.00', async () => {
    const h = faultSetup({ calls: [{ call: 'SUBMIT', clientOrderId: 'O-1', fault: { kind: 'TIMEOUT', placed: true, dropReports: true } }] });
    await failure(h.buy('O-1', '100.00'));
    await h.buy('O-2', '99.00');
    h.bar('101.00', '101.00', '99.50', '100.50');
    expect(h.kinds()).toEqual(['OrderAccepted']); // O-2's ack; O-1 is silent
    expect(h.kinds('O-2')).toEqual(['OrderAccepted']);
    expect(await h.status('O-1')).toBe('FILLED');
    const fills = await h.venue.queries.fillsSince(0);
    expect(fills.map((f) => `${f.clientOrderId} ${f.lastQty.toString()}@${f.lastPx.toString()}`)).toEqual(['O-1 1.000@100.00']);
    expect(h.venue.injected.filter((f) => f.on === 'REPORT').map(describeInjected)).toEqual([
      'OrderAccepted O-1: SILENCED',
      'OrderFilled O-1: SILENCED',
    ]);
  });

  it('resumeReports lets a silenced order speak again: a later cancel is delivered', async () => {
    const h = faultSetup({ calls: [{ call: 'SUBMIT', fault: { kind: 'NETWORK_RESET', placed: true, dropReports: true } }] });
    await failure(h.buy('O-1'));
    h.venue.resumeReports('O-1');
    await h.cancel('O-1');
    expect(h.kinds('O-1')).toEqual(['OrderCanceled']);
  });

  it('SERVER_ERROR is VENUE_UNAVAILABLE and NETWORK_RESET is VENUE_NETWORK, both ambiguous', async () => {
    const h = faultSetup({
      calls: [
        { call: 'SUBMIT', nth: 1, fault: { kind: 'SERVER_ERROR', placed: true } },
        { call: 'SUBMIT', nth: 2, fault: { kind: 'NETWORK_RESET', placed: false } },
      ],
    });
    const first = await failure(h.buy('O-1'));
    const second = await failure(h.buy('O-2'));
    expect([first.code, first.ambiguous, second.code, second.ambiguous]).toEqual(['VENUE_UNAVAILABLE', true, 'VENUE_NETWORK', true]);
    expect([await h.status('O-1'), await h.status('O-2')]).toEqual(['OPEN', undefined]);
  });

  it('a cancel that times out after being placed has canceled the order; retrying it is rejected ORDER_CLOSED', async () => {
    const h = faultSetup({ calls: [{ call: 'CANCEL', fault: { kind: 'TIMEOUT', placed: true } }] });
    await h.buy('O-1');
    const err = await failure(h.cancel('O-1'));
    expect(err.code).toBe('VENUE_TIMEOUT');
    expect(await h.status('O-1')).toBe('CANCELED');
    await h.cancel('O-1');
    expect(h.reports.at(-1)).toMatchObject({ kind: 'OrderCancelRejected', reason: 'ORDER_CLOSED' });
  });

  it('a cancel for an order the exchange never received is rejected ORDER_NOT_FOUND', async () => {
    const h = faultSetup({ calls: [{ call: 'SUBMIT', fault: { kind: 'TIMEOUT', placed: false } }] });
    await failure(h.buy('O-1'));
    await h.cancel('O-1');
    expect(h.reports).toMatchObject([{ kind: 'OrderCancelRejected', clientOrderId: 'O-1', reason: 'ORDER_NOT_FOUND' }]);
  });
});

describe('unambiguous call failures', () => {
  it('REJECT: VENUE_REJECTED with the reason, not ambiguous, not forwarded', async () => {
    const h = faultSetup({ calls: [{ call: 'SUBMIT', fault: { kind: 'REJECT', reason: 'INSUFFICIENT_BALANCE' } }] });
    const err = await failure(h.buy('O-1'));
    expect([err.code, err.message, err.ambiguous]).toEqual(['VENUE_REJECTED', 'INSUFFICIENT_BALANCE', false]);
    expect(await h.status('O-1')).toBeUndefined();
  });

  it('RATE_LIMIT: VENUE_RATE_LIMITED with retryAfterMs 2500, not forwarded; the retry goes through', async () => {
    const h = faultSetup({ calls: [{ call: 'MODIFY', fault: { kind: 'RATE_LIMIT', retryAfterMs: 2500 } }] });
    await h.buy('O-1', '100.00');
    const err = await failure(h.modify('O-1', { price: '99.00' }));
    expect([err.code, err.retryAfterMs, err.ambiguous]).toEqual(['VENUE_RATE_LIMITED', 2500, false]);
    expect((await h.truth('O-1'))?.price?.toString()).toBe('100.00');
    await h.modify('O-1', { price: '99.00' });
    const now = await h.truth('O-1');
    expect(now?.price?.toString()).toBe('99.00');
    expect(now?.spec.type === 'LIMIT' && now.spec.price.toString()).toBe('100.00'); // the spec stays as submitted
  });
});

describe('which calls a fault hits', () => {
  it('nth: only the 2nd submit fails; the 1st and 3rd go through', async () => {
    const h = faultSetup({ calls: [{ call: 'SUBMIT', nth: 2, fault: { kind: 'REJECT' } }] });
    await h.buy('O-1');
    await failure(h.buy('O-2'));
    await h.buy('O-3');
    expect(h.kinds()).toEqual(['OrderAccepted', 'OrderAccepted']);
    expect(h.reports.map((r) => r.clientOrderId)).toEqual(['O-1', 'O-3']);
  });

  it('nth with times 2: the 2nd and 3rd submits fail, the 4th does not', async () => {
    const h = faultSetup({ calls: [{ call: 'SUBMIT', nth: 2, times: 2, fault: { kind: 'RATE_LIMIT' } }] });
    const outcomes: string[] = [];
    for (const id of ['O-1', 'O-2', 'O-3', 'O-4']) outcomes.push(await h.buy(id).then(() => 'sent', (e: { code: string }) => e.code));
    expect(outcomes).toEqual(['sent', 'VENUE_RATE_LIMITED', 'VENUE_RATE_LIMITED', 'sent']);
  });

  it('by client order id: only calls for O-2 fail; other kinds of call are not hit', async () => {
    const h = faultSetup({ calls: [{ call: 'CANCEL', clientOrderId: 'O-2', fault: { kind: 'REJECT', reason: 'NO' } }] });
    await h.buy('O-1');
    await h.buy('O-2');
    await h.cancel('O-1');
    expect((await failure(h.cancel('O-2'))).code).toBe('VENUE_REJECTED');
    expect([await h.status('O-1'), await h.status('O-2')]).toEqual(['CANCELED', 'OPEN']);
  });

  it('every call: times Infinity fails each submit; the default times is once', async () => {
    const always = faultSetup({ calls: [{ call: 'SUBMIT', times: Infinity, fault: { kind: 'TIMEOUT', placed: false } }] });
    for (const id of ['O-1', 'O-2', 'O-3']) expect((await failure(always.buy(id))).code).toBe('VENUE_TIMEOUT');
    const once = faultSetup({ calls: [{ call: 'SUBMIT', fault: { kind: 'TIMEOUT', placed: false } }] });
    await failure(once.buy('O-1'));
    await once.buy('O-2');
    expect(await once.status('O-2')).toBe('OPEN');
  });

  it('rules added later apply from then on, and the log reads in order', async () => {
    const h = faultSetup();
    await h.buy('O-1');
    h.venue.addCallFault({ call: 'CANCEL', fault: { kind: 'SERVER_ERROR', placed: false } });
    await failure(h.cancel('O-1'));
    expect(h.venue.injected.map(describeInjected)).toEqual(['CANCEL O-1: SERVER_ERROR']);
  });

  it('refuses a rule with times 0 or a fractional nth', () => {
    const h = faultSetup();
    expect(() => h.venue.addCallFault({ call: 'SUBMIT', times: 0, fault: { kind: 'REJECT' } })).toThrow(RangeError);
    expect(() => h.venue.addCallFault({ call: 'SUBMIT', nth: 1.5, fault: { kind: 'REJECT' } })).toThrow(RangeError);
  });
});
