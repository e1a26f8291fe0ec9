/**
 * The emulator sends every order for whoever it comes from (ARCHITECTURE "Authority is explicit"):
 * a released held order and a contingent group's children as the origin that placed them, a
 * correction of an unwanted fill as RISK_CONTROL. The journaled origin (OrderInitialized.origin)
 * is the audit trail; a strategy's origin also passes the engine's ownership and tag checks.
 */
import { describe, expect, it } from 'vitest';
import type { OtoRequest } from '../../../src/execution/emulation/contingent.ts';
import { RISK_CONTROL, strategyOrigin } from '../../../src/engine/origin.ts';
import { Currencies } from '../../../src/model/currency.ts';
import { Money } from '../../../src/model/money.ts';
import type { OrderRequest } from '../../../src/model/orders/factory.ts';
import { emulationSetup, ID } from './harness.ts';

const s1 = strategyOrigin('s1');
const base = { accountId: 'A', strategyId: 's1', instrumentId: ID } as const;

/** emulationSetup with stops held engine-side, and each order's journaled origin by client order id. */
async function setup(opts: Parameters<typeof emulationSetup>[0] = {}) {
  const h = await emulationSetup(opts, {}, { stopOrders: false });
  const origins = new Map<string, string | undefined>();
  h.engine.bus.subscribe('order', (e) => {
    if (e.kind === 'OrderInitialized') origins.set(e.clientOrderId, e.origin);
  });
  const heldOrigin = async (id: string): Promise<string | undefined> => {
    for await (const { event: e } of h.engine.journal.read(1)) if (e.kind === 'EmulatedOrderHeld' && e.clientOrderId === id) return e.origin;
    return 'not held';
  };
  return { ...h, origins, heldOrigin };
}

describe('orders the emulator sends carry the origin of the order they come from', () => {
  it('a held stop placed by strategy s1 is journaled as held for STRATEGY:s1 and released (through 95) as STRATEGY:s1', async () => {
    const h = await setup();
    await h.bar('100.00', '100.00', '100.00', '100.00');
    await h.order({ ...base, clientOrderId: 'E-1', side: 'BUY', type: 'MARKET' });
    await h.bar('100.00', '100.00', '100.00', '100.00');
    await h.emulator.submitOrder({ ...base, clientOrderId: 'SL-1', side: 'SELL', type: 'STOP_MARKET', triggerPrice: '95.00', quantity: '1' }, s1);
    expect(await h.heldOrigin('SL-1')).toBe('STRATEGY:s1');
    await h.bar('99.00', '99.00', '94.00', '94.00');
    await h.bar('94.00', '94.00', '94.00', '94.00');
    expect(h.engine.order('SL-1')?.status).toBe('FILLED');
    expect(h.origins.get('SL-1')).toBe('STRATEGY:s1');
  });

  it('a bracket placed by s1: entry, take-profit and the held stop-loss released through 95 are all STRATEGY:s1', async () => {
    const h = await setup();
    await h.bar('100.00', '100.00', '100.00', '100.00');
    await h.emulator.submitBracket({ entry: { ...base, clientOrderId: 'B-1', side: 'BUY', type: 'MARKET', quantity: '1' }, takeProfitPrice: '110.00', stopLossTriggerPrice: '95.00' }, s1);
    await h.bar('100.00', '100.00', '100.00', '100.00');
    expect(h.emulator.get('B-1-SL-1')?.status).toBe('HELD');
    expect(await h.heldOrigin('B-1-SL-1')).toBe('STRATEGY:s1');
    await h.bar('99.00', '99.00', '94.00', '94.00');
    await h.bar('94.00', '94.00', '94.00', '94.00');
    expect(h.engine.order('B-1-SL-1')?.status).toBe('FILLED');
    expect(['B-1', 'B-1-TP-1', 'B-1-SL-1'].map((id) => h.origins.get(id))).toEqual(['STRATEGY:s1', 'STRATEGY:s1', 'STRATEGY:s1']);
  });

  it('an OTO child placed by s1 is STRATEGY:s1', async () => {
    const h = await setup();
    await h.bar('100.00', '100.00', '100.00', '100.00');
    await h.emulator.submitOto({ parent: { ...base, clientOrderId: 'P-1', side: 'BUY', type: 'LIMIT', price: '99.00', quantity: '1' }, child: { ...base, clientOrderId: 'C-1', side: 'SELL', type: 'LIMIT', price: '103.00' } }, s1);
    await h.bar('100.00', '100.00', '98.00', '99.50');
    expect(h.engine.order('C-1')?.isOpen).toBe(true);
    expect(h.origins.get('C-1')).toBe('STRATEGY:s1');
  });

  it('an OCO whose legs both fill in one bar: the legs are STRATEGY:s1, the reversal of the losing fill is RISK_CONTROL', async () => {
    const h = await setup();
    await h.engine.adjustBalance('A', Money.of('1', Currencies.BTC), 'deposit', h.engine.authority.issue('treasury', ['TREASURY']));
    await h.bar('100.00', '100.00', '100.00', '100.00');
    await h.emulator.submitOco(
      { ...base, clientOrderId: 'O-B', side: 'BUY', type: 'LIMIT', price: '99.00', quantity: '1' },
      { ...base, clientOrderId: 'O-S', side: 'SELL', type: 'LIMIT', price: '101.00', quantity: '1' },
      s1,
    );
    await h.bar('100.00', '102.00', '98.00', '100.00');
    expect(h.alerts.map((a) => a.code)).toContain('OCO_BOTH_FILLED');
    expect([h.origins.get('O-B'), h.origins.get('O-S'), h.origins.get('O-B-FIX-1')]).toEqual(['STRATEGY:s1', 'STRATEGY:s1', 'RISK_CONTROL']);
  });

  it('without an origin (the composition root) they stay SYSTEM', async () => {
    const h = await setup();
    await h.bar('100.00', '100.00', '100.00', '100.00');
    await h.emulator.submitBracket({ entry: { ...base, clientOrderId: 'B-1', side: 'BUY', type: 'MARKET', quantity: '1' }, takeProfitPrice: '110.00', stopLossTriggerPrice: '95.00' });
    await h.bar('100.00', '100.00', '100.00', '100.00');
    expect([h.origins.get('B-1'), h.origins.get('B-1-TP-1'), await h.heldOrigin('B-1-SL-1')]).toEqual(['SYSTEM', 'SYSTEM', 'SYSTEM']);
  });
});

describe('a strategy origin passes the engine checks for it, held orders and children included', () => {
  const stop = (extra: Partial<OrderRequest> = {}): OrderRequest => ({ ...base, clientOrderId: 'SL-1', side: 'SELL', type: 'STOP_MARKET', triggerPrice: '95.00', quantity: '1', ...extra });

  it('a held stop for another strategy is NOT_OWN_ORDER and one tagged warden:flatten is RESERVED_TAG, at once, and nothing is held', async () => {
    const h = await setup();
    await expect(h.emulator.submitOrder(stop({ strategyId: 's2' }), s1)).rejects.toMatchObject({ code: 'NOT_OWN_ORDER' });
    await expect(h.emulator.submitOrder(stop({ tags: ['warden:flatten'] }), s1)).rejects.toMatchObject({ code: 'RESERVED_TAG' });
    expect(h.emulator.heldOrders()).toEqual([]);
    expect(h.engine.state.emulation.held()).toEqual([]);
  });

  it('an OTO whose child is tagged warden:flatten is refused before anything is placed', async () => {
    const h = await setup();
    await h.bar('100.00', '100.00', '100.00', '100.00');
    const req: OtoRequest = {
      parent: { ...base, clientOrderId: 'P-1', side: 'BUY', type: 'LIMIT', price: '99.00', quantity: '1' },
      child: { ...base, clientOrderId: 'C-1', side: 'SELL', type: 'LIMIT', price: '103.00', tags: ['warden:flatten'] },
    };
    await expect(h.emulator.submitOto(req, s1)).rejects.toMatchObject({ code: 'RESERVED_TAG' });
    expect(h.engine.order('P-1')).toBeUndefined();
    expect(h.engine.state.emulation.contingencies()).toEqual([]);
  });

  it('a bracket whose entry is another strategy\u2019s is NOT_OWN_ORDER', async () => {
    const h = await setup();
    await h.bar('100.00', '100.00', '100.00', '100.00');
    const entry = { ...base, strategyId: 's2', clientOrderId: 'B-1', side: 'BUY', type: 'MARKET', quantity: '1' } as const;
    await expect(h.emulator.submitBracket({ entry, takeProfitPrice: '110.00', stopLossTriggerPrice: '95.00' }, s1)).rejects.toMatchObject({ code: 'NOT_OWN_ORDER' });
    expect(h.engine.order('B-1')).toBeUndefined();
  });

  it('risk control may hold a stop with its own tag; its release is RISK_CONTROL', async () => {
    const h = await setup();
    await h.bar('100.00', '100.00', '100.00', '100.00');
    await h.order({ ...base, clientOrderId: 'E-1', side: 'BUY', type: 'MARKET' });
    await h.bar('100.00', '100.00', '100.00', '100.00');
    await h.emulator.submitOrder(stop({ tags: ['warden:flatten'], reduceOnly: true }), RISK_CONTROL);
    await h.bar('99.00', '99.00', '94.00', '94.00');
    expect(h.origins.get('SL-1')).toBe('RISK_CONTROL');
  });
});
