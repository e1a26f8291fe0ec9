import { describe, expect, it } from 'vitest';
import { faultSetup } from './fixtures.ts';

/** Trades down to 99.50: a buy limit at 100.00 fills there, one at 99.00 does not. */
const THROUGH_100 = ['101.00', '101.00', '99.50', '100.50'] as const;

describe('held calls (DELAY)', () => {
  it('fill after the cancel request (FAULTS 17): the held cancel reaches the exchange after the fill and is rejected ORDER_CLOSED', async () => {
    const h = faultSetup({ calls: [{ call: 'CANCEL', fault: { kind: 'DELAY' } }] });
    await h.buy('O-1', '100.00');
    await h.cancel('O-1'); // resolves: the request is on its way
    expect(h.venue.heldCalls).toEqual([{ call: 'CANCEL', clientOrderId: 'O-1' }]);
    h.bar(...THROUGH_100);
    const fill = h.reports.at(-1);
    expect(fill?.kind === 'OrderFilled' && `${fill.clientOrderId} ${fill.lastQty.toString()}@${fill.lastPx.toString()}`).toBe('O-1 1.000@100.00');
    await h.venue.releaseHeld();
    expect(h.kinds('O-1')).toEqual(['OrderAccepted', 'OrderFilled', 'OrderCancelRejected']);
    expect(h.reports.at(-1)).toMatchObject({ reason: 'ORDER_CLOSED' });
    expect(await h.status('O-1')).toBe('FILLED');
    expect(h.venue.heldCalls).toEqual([]);
  });

  it('partial fill during a pending modify (FAULTS 18): 0.5 fills at the old 100.00, then the modify moves the rest to 99.00', async () => {
    const h = faultSetup({ calls: [{ call: 'MODIFY', fault: { kind: 'DELAY' } }] }, { maxBarVolumeShare: 0.5 });
    await h.buy('O-1', '100.00', '2');
    await h.modify('O-1', { price: '99.00' });
    h.bar(...THROUGH_100, '1'); // 1 BTC traded, half of it ours to take
    await h.venue.releaseHeld('O-1');
    expect(h.kinds('O-1')).toEqual(['OrderAccepted', 'OrderFilled', 'OrderUpdated']);
    const t = await h.truth('O-1');
    expect([t?.status, t?.filledQty.toString(), t?.quantity?.toString(), t?.price?.toString()]).toEqual(['OPEN', '0.500', '2.000', '99.00']);
    h.bar('99.50', '99.60', '98.90', '99.20', '10');
    expect(h.reports.filter((r) => r.kind === 'OrderFilled').map((f) => `${f.lastQty.toString()}@${f.lastPx.toString()}`)).toEqual([
      '0.500@100.00',
      '1.500@99.00',
    ]);
  });

  it('full fill during a pending modify: the released modify is rejected ORDER_CLOSED', async () => {
    const h = faultSetup({ calls: [{ call: 'MODIFY', fault: { kind: 'DELAY' } }] });
    await h.buy('O-1', '100.00');
    await h.modify('O-1', { quantity: '3' });
    h.bar(...THROUGH_100);
    await h.venue.releaseHeld();
    expect(h.reports.at(-1)).toMatchObject({ kind: 'OrderModifyRejected', clientOrderId: 'O-1', reason: 'ORDER_CLOSED' });
    expect((await h.truth('O-1'))?.quantity?.toString()).toBe('1.000');
  });

  it('a held submit is not at the exchange: a bar through its price leaves it unfilled until released', async () => {
    const h = faultSetup({ calls: [{ call: 'SUBMIT', fault: { kind: 'DELAY' } }] });
    await h.buy('O-1', '100.00');
    h.bar(...THROUGH_100);
    expect([h.reports, await h.status('O-1')]).toEqual([[], undefined]);
    await h.venue.releaseHeld();
    expect(await h.status('O-1')).toBe('OPEN');
  });

  it('releaseHeld(id) forwards only that order’s calls, oldest first; the rest stay held', async () => {
    const h = faultSetup({ calls: [{ call: 'CANCEL', times: Infinity, fault: { kind: 'DELAY' } }, { call: 'MODIFY', fault: { kind: 'DELAY' } }] });
    await h.buy('O-1');
    await h.buy('O-2');
    await h.modify('O-1', { price: '98.00' });
    await h.cancel('O-2');
    await h.cancel('O-1');
    await h.venue.releaseHeld('O-1');
    expect(h.kinds('O-1')).toEqual(['OrderAccepted', 'OrderUpdated', 'OrderCanceled']);
    expect(h.venue.heldCalls).toEqual([{ call: 'CANCEL', clientOrderId: 'O-2' }]);
    expect(await h.status('O-2')).toBe('OPEN');
  });
});
