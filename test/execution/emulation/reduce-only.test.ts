import { describe, expect, it } from 'vitest';
import { emulationSetup, ID } from './harness.ts';

describe('held reduce-only orders follow their position', () => {
  it('long 1 with a held reduce-only stop SELL 1 @ 95: a sell of 0.4 resizes it to 0.6, a sell of the 0.6 cancels it; a drop through 95 fires nothing', async () => {
    const h = await emulationSetup({}, {}, { stopOrders: false });
    await h.order({ clientOrderId: 'E-1', side: 'BUY', type: 'MARKET' });
    await h.bar('100.00', '100.00', '100.00', '100.00');
    await h.emulator.submitOrder({ clientOrderId: 'SL-1', accountId: 'A', instrumentId: ID, side: 'SELL', type: 'STOP_MARKET', triggerPrice: '95.00', quantity: '1', reduceOnly: true });
    expect(h.emulator.get('SL-1')?.status).toBe('HELD');

    await h.order({ clientOrderId: 'X-1', side: 'SELL', type: 'MARKET', quantity: '0.4' });
    await h.bar('100.00', '100.00', '100.00', '100.00');
    expect(h.position()).toBe('0.600');
    expect(h.emulator.get('SL-1')?.spec.quantity.toString()).toBe('0.600');
    expect(h.engine.state.emulation.held().map((r) => r.spec.quantity.toString())).toEqual(['0.600']); // journaled

    await h.order({ clientOrderId: 'X-2', side: 'SELL', type: 'MARKET', quantity: '0.6' });
    await h.bar('100.00', '100.00', '100.00', '100.00');
    expect(h.position()).toBe('0');
    expect(h.emulator.get('SL-1')?.status).toBe('CANCELED');

    await h.bar('96.00', '96.00', '90.00', '90.00');
    expect(h.engine.order('SL-1')).toBeUndefined();
    expect(h.position()).toBe('0');
  });
});
