import { describe, expect, it } from 'vitest';
import type { OrderRequest } from '../../../src/model/orders/factory.ts';
import { dayEndOf } from '../../../src/node/compliance.ts';
import { emulationSetup, ID, T0 } from './harness.ts';

const stop = (o: Pick<OrderRequest, 'clientOrderId' | 'type'> & Partial<OrderRequest>): OrderRequest => ({ accountId: 'A', instrumentId: ID, side: 'SELL', quantity: '1', ...o });

describe('held orders expire as the venue would (DAY, GTD)', () => {
  it('a GTD stop held here is canceled at its expiry; a later price through its trigger releases nothing', async () => {
    const h = await emulationSetup({}, {}, { stopOrders: false });
    await h.emulator.submitOrder(stop({ clientOrderId: 'SL-1', type: 'STOP_MARKET', triggerPrice: '95.00', timeInForce: 'GTD', expireTime: T0 + 3 * 60_000 }));
    await h.bar('100.00', '100.00', '99.00', '99.50');
    await h.bar('99.50', '99.50', '99.00', '99.00');
    expect(h.emulator.get('SL-1')?.status).toBe('HELD');
    await h.bar('99.00', '99.00', '98.00', '98.00'); // the clock reaches T0 + 3 min: expired before this bar's prices count
    await h.bar('97.00', '97.00', '90.00', '90.00');
    expect(h.emulator.get('SL-1')?.status).toBe('CANCELED');
    expect(h.engine.order('SL-1')).toBeUndefined();
    expect(h.engine.state.emulation.held()).toEqual([]); // journaled
  });

  it('a DAY stop held before midnight expires at the next UTC midnight', async () => {
    const h = await emulationSetup({}, {}, { stopOrders: false });
    h.clock.set(T0 + 86_400_000 - 2 * 60_000); // 23:58
    await h.emulator.submitOrder(stop({ clientOrderId: 'SL-D', type: 'STOP_MARKET', triggerPrice: '95.00', timeInForce: 'DAY' }));
    h.clock.set(T0 + 86_400_000 - 60_000);
    h.engine.updateMarket(ID, { last: h.inst.price('99.00') });
    await h.emulator.idle();
    expect(h.emulator.get('SL-D')?.status).toBe('HELD');
    h.clock.set(T0 + 86_400_000);
    h.engine.updateMarket(ID, { last: h.inst.price('94.00') }); // through the trigger, but the day is over
    await h.emulator.idle();
    expect(h.emulator.get('SL-D')?.status).toBe('CANCELED');
    expect(h.engine.order('SL-D')).toBeUndefined();
  });

  it('on a venue with an exchange calendar a held DAY stop ends at the session close (16:00 New York), not at UTC midnight', async () => {
    // SIM trades on XNYS; Friday 2024-03-01 is a full session (EST: the close is 21:00 UTC).
    const dayEnd = dayEndOf({ venues: { SIM: { calendar: 'XNYS', extended_hours: false } } as never });
    const h = await emulationSetup({}, { ...(dayEnd ? { dayEnd } : {}) }, { stopOrders: false });
    h.clock.set(Date.parse('2024-03-01T15:00:00Z')); // 10:00 New York
    await h.emulator.submitOrder(stop({ clientOrderId: 'SL-NY', type: 'STOP_MARKET', triggerPrice: '95.00', timeInForce: 'DAY' }));
    h.clock.set(Date.parse('2024-03-01T20:59:00Z'));
    h.engine.updateMarket(ID, { last: h.inst.price('99.00') });
    await h.emulator.idle();
    expect(h.emulator.get('SL-NY')?.status).toBe('HELD');
    h.clock.set(Date.parse('2024-03-01T21:00:00Z')); // 16:00 New York: the day is over
    h.engine.updateMarket(ID, { last: h.inst.price('94.00') });
    await h.emulator.idle();
    expect(h.emulator.get('SL-NY')?.status).toBe('CANCELED');
    expect(h.engine.order('SL-NY')).toBeUndefined();
  });

  it('a GTD stop-limit released before its expiry goes to the venue as a GTD LIMIT with the same expiry', async () => {
    const h = await emulationSetup({}, {}, { stopOrders: false });
    const expireTime = T0 + 60 * 60_000;
    await h.emulator.submitOrder(stop({ clientOrderId: 'SLL', type: 'STOP_LIMIT', triggerPrice: '95.00', price: '94.50', timeInForce: 'GTD', expireTime }));
    await h.bar('100.00', '100.00', '94.00', '94.00');
    const spec = h.engine.order('SLL')?.spec;
    expect([spec?.type, spec?.timeInForce, spec?.expireTime]).toEqual(['LIMIT', 'GTD', expireTime]);
  });

  it('an OCO whose held stop leg is canceled by the other leg\u2019s fill settles, and is journaled complete', async () => {
    const h = await emulationSetup({}, {}, { stopOrders: false });
    await h.order({ clientOrderId: 'E-1', side: 'BUY', type: 'MARKET' });
    await h.bar('100.00', '100.00', '100.00', '100.00');
    await h.emulator.submitOco(
      { clientOrderId: 'TP', accountId: 'A', instrumentId: ID, side: 'SELL', type: 'LIMIT', price: '105.00', quantity: '1' },
      { clientOrderId: 'SL', accountId: 'A', instrumentId: ID, side: 'SELL', type: 'STOP_MARKET', triggerPrice: '95.00', quantity: '1' },
    );
    expect(h.engine.state.emulation.contingencies().map((g) => g.groupId)).toEqual(['TP-OCO']);
    await h.bar('101.00', '106.00', '101.00', '105.50');
    expect(h.engine.order('TP')?.status).toBe('FILLED');
    expect(h.emulator.get('SL')?.status).toBe('CANCELED');
    expect(h.engine.state.emulation.contingencies()).toEqual([]);
    expect(h.position()).toBe('0');
  });
});
