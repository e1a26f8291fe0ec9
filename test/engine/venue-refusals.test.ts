import { describe, expect, it } from 'vitest';
import { Currencies } from '../../src/model/currency.ts';
import { kinds, limit, recordsAfter, setup } from './fixtures.ts';

/**
 * FAULTS.md 8: what a venue refuses or cancels (a post-only that would cross, a FOK that cannot
 * fill in full) ends the order without touching positions or balances. The matching itself is
 * the simulated exchange's; here the engine must carry the venue's answer through exactly.
 */
describe('orders the venue refuses or cancels at once (FAULTS 8)', () => {
  it('a post-only buy the venue rejects for crossing ends REJECTED with the reason, no position, nothing locked', async () => {
    const h = await setup();
    const usdtBefore = h.engine.portfolio.account('ACC-1' as never).balance(Currencies.USDT).total.toDecimalString();
    const seq = h.engine.lastSeq;
    await h.engine.submitOrder(limit('PO-1', 'BUY', '0.1', '24200.00', { postOnly: true }));
    h.venue.emit({ kind: 'OrderRejected', clientOrderId: 'PO-1' as never, reason: 'POST_ONLY_WOULD_CROSS', ts: h.clock.now() });
    const order = h.engine.order('PO-1');
    expect(order?.status).toBe('REJECTED');
    expect(kinds(recordsAfter(h.journal, seq))).toEqual(['OrderInitialized', 'OrderSubmitted', 'OrderAccepted', 'OrderRejected']);
    const last = recordsAfter(h.journal, seq).at(-1)?.event;
    expect(last && 'reason' in last ? last.reason : undefined).toBe('POST_ONLY_WOULD_CROSS');
    const usdt = h.engine.portfolio.account('ACC-1' as never).balance(Currencies.USDT);
    expect(usdt.total.toDecimalString()).toBe(usdtBefore);
    expect(usdt.locked.toDecimalString()).toBe('0.00000000');
    expect(h.engine.portfolio.openPositions()).toEqual([]);
  });

  it('a FOK the venue cannot fill in full is canceled unfilled: CANCELED, filled 0, nothing booked', async () => {
    const h = await setup();
    await h.engine.submitOrder(limit('FOK-1', 'BUY', '5', '24100.00', { timeInForce: 'FOK' }));
    expect(h.engine.portfolio.account('ACC-1' as never).balance(Currencies.USDT).locked.toDecimalString()).toBe('120500.00000000');
    h.venue.emit({ kind: 'OrderCanceled', clientOrderId: 'FOK-1' as never, ts: h.clock.now() });
    const order = h.engine.order('FOK-1');
    expect(order?.status).toBe('CANCELED');
    expect(order?.filledQty.toString()).toBe('0.000');
    expect(h.engine.portfolio.account('ACC-1' as never).balance(Currencies.USDT).locked.toDecimalString()).toBe('0.00000000');
    expect(h.engine.portfolio.openPositions()).toEqual([]);
  });

  it('an IOC that fills 0.1 of 0.5 and expires keeps the 0.1: EXPIRED, position 0.1, the rest unlocked', async () => {
    const h = await setup();
    await h.engine.submitOrder(limit('IOC-1', 'BUY', '0.5', '24100.00', { timeInForce: 'IOC' }));
    h.venue.fill('IOC-1', '0.1', '24100.00', 'TAKER');
    h.venue.emit({ kind: 'OrderExpired', clientOrderId: 'IOC-1' as never, ts: h.clock.now() });
    expect(h.engine.order('IOC-1')?.status).toBe('EXPIRED');
    expect(h.engine.portfolio.openPositions()[0]?.quantity.toString()).toBe('0.100');
    expect(h.engine.portfolio.account('ACC-1' as never).balance(Currencies.USDT).locked.toDecimalString()).toBe('0.00000000');
  });
});
