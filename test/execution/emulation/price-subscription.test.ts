import { describe, expect, it } from 'vitest';
import { emulationSetup, ID } from './harness.ts';

/**
 * The emulator looks at prices for held orders only, so it is subscribed to them only while one
 * is held: a backtest publishes a 'market' and a 'bar' every bar, mostly with nothing held, and
 * each subscriber is a call per publish. Nothing else in this harness listens to prices.
 */
describe('the emulator listens to prices only while it holds an order', () => {
  it('subscribes when an order is held and lets go when the last one is released or canceled', async () => {
    const h = await emulationSetup({}, {}, { stopOrders: false });
    const listening = () => [h.engine.bus.has('market'), h.engine.bus.has('bar')];
    expect(listening()).toEqual([false, false]);
    await h.bar('100.00', '100.00', '100.00', '100.00');
    await h.emulator.submitOrder({ clientOrderId: 'SL-1', accountId: 'A', instrumentId: ID, side: 'SELL', type: 'STOP_MARKET', triggerPrice: '95.00', quantity: '1' });
    await h.emulator.submitOrder({ clientOrderId: 'SL-2', accountId: 'A', instrumentId: ID, side: 'SELL', type: 'STOP_MARKET', triggerPrice: '90.00', quantity: '1' });
    expect(listening()).toEqual([true, true]);
    await h.bar('100.00', '100.00', '94.00', '94.50'); // through SL-1's trigger only
    expect([h.emulator.get('SL-1')?.status, h.emulator.get('SL-2')?.status]).toEqual(['RELEASED', 'HELD']);
    expect(listening()).toEqual([true, true]);
    expect(h.emulator.cancel('SL-2')).toBe(true);
    expect(listening()).toEqual([false, false]);
    // Held again: the next price through its trigger releases it, as if it had listened all along.
    await h.emulator.submitOrder({ clientOrderId: 'SL-3', accountId: 'A', instrumentId: ID, side: 'SELL', type: 'STOP_MARKET', triggerPrice: '93.00', quantity: '1' });
    expect(listening()).toEqual([true, true]);
    await h.bar('94.50', '94.50', '92.00', '92.50');
    expect(h.emulator.get('SL-3')?.status).toBe('RELEASED');
    expect(h.engine.order('SL-3')?.spec.type).toBe('MARKET'); // released to the venue as its market order
    expect(listening()).toEqual([false, false]);
  });
});
