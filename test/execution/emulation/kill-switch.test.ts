import { describe, expect, it } from 'vitest';
import { RiskControl } from '../../../src/risk/control/risk-control.ts';
import { emulationSetup, ID } from './harness.ts';

describe('held orders and the kill switch (FAULTS 26)', () => {
  it('the kill switch cancels held orders as it cancels venue orders, and a later price fires none', async () => {
    const h = await emulationSetup({}, {}, { stopOrders: false });
    const control = new RiskControl(h.engine, []);
    await control.start();
    await h.order({ clientOrderId: 'E-1', side: 'BUY', type: 'MARKET' });
    await h.bar('100.00', '100.00', '100.00', '100.00');
    await h.emulator.submitOrder({ clientOrderId: 'SL-1', accountId: 'A', instrumentId: ID, side: 'SELL', type: 'STOP_MARKET', triggerPrice: '95.00', quantity: '1' });
    await h.order({ clientOrderId: 'TP-1', side: 'SELL', type: 'LIMIT', price: '120.00' });
    expect(h.emulator.heldOrders().map((o) => o.clientOrderId)).toEqual(['SL-1']);

    await control.engageKillSwitch({ operator: h.engine.authority.issue('ops', ['RISK']), reason: 'runaway strategy' });
    await h.emulator.idle();
    expect(h.engine.order('TP-1')?.status).toBe('CANCELED');
    expect(h.emulator.get('SL-1')?.status).toBe('CANCELED');
    expect(h.engine.state.emulation.held()).toEqual([]); // journaled: a restart does not bring it back
    await h.bar('96.00', '96.00', '90.00', '90.00');
    expect(h.engine.order('SL-1')).toBeUndefined();
  });
});
