import { describe, expect, it } from 'vitest';
import type { EmulatedOrder } from '../../../src/execution/emulation/emulator.ts';
import { ValidationError } from '../../../src/model/errors.ts';
import { emulationSetup, ID } from './harness.ts';

const base = { accountId: 'A', instrumentId: ID } as const;

/** An exchange the emulator is told has no stop orders, with a long of `qty` bought at 100. */
async function long100(qty = '1') {
  const h = await emulationSetup({}, {}, { stopOrders: false });
  await h.bar('100.00', '100.00', '100.00', '100.00');
  await h.order({ clientOrderId: 'BUY-1', side: 'BUY', type: 'MARKET', quantity: qty });
  await h.bar('100.00', '100.00', '100.00', '100.00');
  return h;
}

describe('emulated stop-market, stop-limit, market- and limit-if-touched (venue without stop orders)', () => {
  it('a sell stop-market at 95 is held, not sent; the bar reaching 94.50 releases a MARKET at its close that fills at the next open 94.20', async () => {
    const h = await long100();
    const held = (await h.emulator.submitOrder({ ...base, clientOrderId: 'SL-1', side: 'SELL', type: 'STOP_MARKET', triggerPrice: '95.00', quantity: '1', reduceOnly: true })) as EmulatedOrder;
    expect(held.status).toBe('HELD');
    expect(held.triggerPrice?.toString()).toBe('95.00');
    expect(h.engine.order('SL-1')).toBeUndefined();
    await h.bar('100.00', '100.50', '95.10', '96.00');
    expect(h.emulator.get('SL-1')?.status).toBe('HELD');
    await h.bar('96.00', '96.20', '94.50', '94.80');
    expect(h.emulator.get('SL-1')?.status).toBe('RELEASED');
    const released = h.engine.order('SL-1');
    expect(released?.spec).toMatchObject({ type: 'MARKET', side: 'SELL', reduceOnly: true });
    expect(released?.spec.tags).toEqual(expect.arrayContaining(['emulated', 'emulated:STOP_MARKET', 'trigger:95.00']));
    expect(h.px('SL-1')).toEqual([]);
    await h.bar('94.20', '94.60', '94.00', '94.40');
    expect(h.px('SL-1')).toEqual(['1.000@94.20']);
    expect(h.position()).toBe('0');
  });

  it('a gap through the stop: stop 95, the next bar opens at 92.00 and closes 92.50; the exit fills at the following open 92.30, never at 95', async () => {
    const h = await long100();
    await h.emulator.submitOrder({ ...base, clientOrderId: 'SL-1', side: 'SELL', type: 'STOP_MARKET', triggerPrice: '95.00', quantity: '1' });
    await h.bar('92.00', '92.80', '91.90', '92.50');
    expect(h.engine.order('SL-1')?.spec.type).toBe('MARKET');
    await h.bar('92.30', '92.40', '92.00', '92.10');
    expect(h.px('SL-1')).toEqual(['1.000@92.30']);
  });

  it('a sell stop-limit 95 / 94.50 released on a gap to 93 rests as a LIMIT 94.50 that does not fill while the market stays below; it fills when it comes back', async () => {
    const h = await long100();
    await h.emulator.submitOrder({ ...base, clientOrderId: 'SLL-1', side: 'SELL', type: 'STOP_LIMIT', triggerPrice: '95.00', price: '94.50', quantity: '1' });
    await h.bar('93.00', '93.50', '92.80', '93.20');
    const released = h.engine.order('SLL-1');
    expect(released?.spec.type).toBe('LIMIT');
    expect(released?.price?.toString()).toBe('94.50');
    expect(released?.spec.tags).toContain('emulated:STOP_LIMIT');
    await h.bar('93.20', '94.40', '93.00', '94.00');
    await h.bar('94.00', '94.45', '93.50', '93.60');
    expect(h.px('SLL-1')).toEqual([]);
    expect(h.engine.order('SLL-1')?.isOpen).toBe(true);
    expect(h.position()).toBe('1.000');
    await h.bar('93.60', '94.70', '93.60', '94.60');
    expect(h.px('SLL-1')).toEqual(['1.000@94.50']);
    expect(h.position()).toBe('0');
  });

  it('a take-profit sell market-if-touched at 105 fires when the price rises to it (not on a fall), and fills at the next open 105.40', async () => {
    const h = await long100();
    await h.emulator.submitOrder({ ...base, clientOrderId: 'TP-1', side: 'SELL', type: 'MARKET_IF_TOUCHED', triggerPrice: '105.00', quantity: '1' });
    await h.bar('100.00', '100.00', '90.00', '91.00');
    expect(h.emulator.get('TP-1')?.status).toBe('HELD');
    await h.bar('91.00', '105.00', '91.00', '104.00');
    expect(h.engine.order('TP-1')?.spec).toMatchObject({ type: 'MARKET', side: 'SELL' });
    await h.bar('105.40', '105.50', '105.00', '105.20');
    expect(h.px('TP-1')).toEqual(['1.000@105.40']);
  });

  it('a buy limit-if-touched at trigger 98 / limit 98.20 fires on the dip to 98 and buys at 98.20 on the rebound', async () => {
    const h = await emulationSetup({}, {}, { stopOrders: false });
    await h.bar('100.00', '100.00', '100.00', '100.00');
    await h.emulator.submitOrder({ ...base, clientOrderId: 'LIT-1', side: 'BUY', type: 'LIMIT_IF_TOUCHED', triggerPrice: '98.00', price: '98.20', quantity: '1' });
    await h.bar('100.00', '101.00', '99.00', '99.50');
    expect(h.emulator.get('LIT-1')?.status).toBe('HELD');
    await h.bar('99.50', '99.60', '97.90', '98.50');
    expect(h.engine.order('LIT-1')?.price?.toString()).toBe('98.20');
    await h.bar('98.50', '98.60', '98.10', '98.30');
    expect(h.px('LIT-1')).toEqual(['1.000@98.20']);
    expect(h.position()).toBe('1.000');
  });

  it('a venue with native stop orders gets the STOP_MARKET itself; nothing is held', async () => {
    const h = await emulationSetup();
    expect(h.emulator.emulates(ID, 'STOP_MARKET')).toBe(false);
    await h.bar('100.00', '100.00', '100.00', '100.00');
    await h.emulator.submitOrder({ ...base, clientOrderId: 'SL-N', side: 'SELL', type: 'STOP_MARKET', triggerPrice: '95.00', quantity: '1' });
    expect(h.engine.order('SL-N')?.spec.type).toBe('STOP_MARKET');
    expect(h.emulator.heldOrders()).toEqual([]);
  });

  it('trigger type MARK is refused with UNSUPPORTED_TRIGGER_TYPE (no mark price feed), and nothing is held', async () => {
    const h = await long100();
    const p = h.emulator.submitOrder({ ...base, clientOrderId: 'SL-M', side: 'SELL', type: 'STOP_MARKET', triggerPrice: '95.00', triggerType: 'MARK', quantity: '1' });
    await expect(p).rejects.toBeInstanceOf(ValidationError);
    await expect(p).rejects.toMatchObject({ code: 'UNSUPPORTED_TRIGGER_TYPE', context: { field: 'triggerType' } });
    expect(h.emulator.heldOrders()).toEqual([]);
  });

  it('a canceled held stop never releases', async () => {
    const h = await long100();
    await h.emulator.submitOrder({ ...base, clientOrderId: 'SL-1', side: 'SELL', type: 'STOP_MARKET', triggerPrice: '95.00', quantity: '1' });
    expect(h.emulator.cancel('SL-1')).toBe(true);
    await h.bar('100.00', '100.00', '90.00', '90.00');
    expect(h.engine.order('SL-1')).toBeUndefined();
    expect(h.position()).toBe('1.000');
  });
});

describe('trigger types on quotes and trades', () => {
  it('BID_ASK vs LAST on the same data: a sell stop at 99 on the bid fires on the quote 99.00/99.20; the LAST one waits for the trade at 98.90', async () => {
    const h = await long100('2');
    await h.emulator.submitOrder({ ...base, clientOrderId: 'SL-BA', side: 'SELL', type: 'STOP_MARKET', triggerPrice: '99.00', triggerType: 'BID_ASK', quantity: '1' });
    await h.emulator.submitOrder({ ...base, clientOrderId: 'SL-L', side: 'SELL', type: 'STOP_MARKET', triggerPrice: '99.00', triggerType: 'LAST', quantity: '1' });
    await h.trade('99.50');
    await h.quote('99.40', '99.60');
    expect(h.emulator.heldOrders().map((o) => o.clientOrderId)).toEqual(['SL-BA', 'SL-L']);
    await h.quote('99.00', '99.20');
    expect(h.emulator.get('SL-BA')?.status).toBe('RELEASED');
    expect(h.emulator.get('SL-L')?.status).toBe('HELD');
    await h.trade('99.10');
    expect(h.emulator.get('SL-L')?.status).toBe('HELD');
    await h.trade('98.90');
    expect(h.emulator.get('SL-L')?.status).toBe('RELEASED');
  });

  it('BID_ASK: a buy stop at 101 watches the ask: bid 100.95 / ask 101.00 fires it; the market buy takes the standing ask 101.00', async () => {
    const h = await emulationSetup({}, {}, { stopOrders: false });
    await h.quote('100.00', '100.05');
    await h.emulator.submitOrder({ ...base, clientOrderId: 'BS-1', side: 'BUY', type: 'STOP_MARKET', triggerPrice: '101.00', triggerType: 'BID_ASK', quantity: '1' });
    await h.quote('100.90', '100.95');
    expect(h.emulator.get('BS-1')?.status).toBe('HELD');
    await h.quote('100.95', '101.00');
    expect(h.engine.order('BS-1')?.spec.type).toBe('MARKET');
    expect(h.px('BS-1')).toEqual(['1.000@101.00']);
  });

  it('MID: a sell stop at 100.02 does not fire at mid 100.025 (rounded up to 100.03) and fires at mid 100.015 (up to 100.02), selling at the standing bid 100.00', async () => {
    const h = await long100();
    await h.emulator.submitOrder({ ...base, clientOrderId: 'SL-MID', side: 'SELL', type: 'STOP_MARKET', triggerPrice: '100.02', triggerType: 'MID', quantity: '1' });
    await h.quote('100.01', '100.04');
    expect(h.emulator.get('SL-MID')?.status).toBe('HELD');
    await h.quote('100.00', '100.03');
    expect(h.emulator.get('SL-MID')?.status).toBe('RELEASED');
    expect(h.px('SL-MID')).toEqual(['1.000@100.00']);
  });

  it('a trailing stop on MID trails the mid: 1.00 below; mid 101.015 → 101.02 sets stop 100.02; mid 100.015 (→ 100.02) exits at the standing bid 100.00', async () => {
    const h = await long100();
    await h.quote('100.00', '100.02');
    const held = (await h.emulator.submitTrailingStop({
      clientOrderId: 'TS-MID', accountId: 'A', instrumentId: ID, side: 'SELL', quantity: '1', trailingOffset: '1.00', trailingOffsetType: 'PRICE', triggerType: 'MID',
    })) as EmulatedOrder;
    // Starts from the latest quote's mid, 100.01.
    expect(held.triggerPrice?.toString()).toBe('99.01');
    await h.quote('101.00', '101.03');
    expect(h.emulator.get('TS-MID')?.triggerPrice?.toString()).toBe('100.02');
    // Trades do not move a MID trail.
    await h.trade('90.00');
    expect(h.emulator.get('TS-MID')?.status).toBe('HELD');
    await h.quote('100.01', '100.04');
    expect(h.emulator.get('TS-MID')?.status).toBe('HELD');
    await h.quote('100.00', '100.03');
    expect(h.engine.order('TS-MID')?.spec.tags).toContain('emulated:TRAILING_STOP_MARKET');
    expect(h.px('TS-MID')).toEqual(['1.000@100.00']);
    expect(h.position()).toBe('0');
  });

  it('bars stand in for quotes: a BID_ASK sell stop at 95 fires on a bar whose low is 94.90', async () => {
    const h = await long100();
    await h.emulator.submitOrder({ ...base, clientOrderId: 'SL-BA', side: 'SELL', type: 'STOP_MARKET', triggerPrice: '95.00', triggerType: 'BID_ASK', quantity: '1' });
    await h.bar('100.00', '100.00', '94.90', '96.00');
    expect(h.emulator.get('SL-BA')?.status).toBe('RELEASED');
  });
});
