import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scaleOrders, type ScaleRequest } from '../../../src/execution/emulation/scale.ts';
import { ValidationError } from '../../../src/model/errors.ts';
import { Price, Quantity } from '../../../src/model/values.ts';
import { emulationSetup, ID } from './harness.ts';

const req = (over: Partial<ScaleRequest> = {}): ScaleRequest => ({
  clientOrderId: 'S', accountId: 'A', instrumentId: ID, side: 'BUY', totalQuantity: '1.0', count: 5, startPrice: '45000', priceStep: '500', ...over,
});
const text = (v: unknown) => (v instanceof Price || v instanceof Quantity ? v.toString() : String(v));

describe('scale in / scale out (scaleOrders)', () => {
  it('total 1.0 in 5 orders 500 apart from 45000: 0.2 each at 45000, 44500, 44000, 43500, 43000 (a buy steps down)', async () => {
    const { inst } = await emulationSetup();
    const orders = scaleOrders(req(), inst);
    expect(orders.map((o) => `${o.clientOrderId} ${o.type} ${text(o.quantity)}@${text(o.price)}`)).toEqual([
      'S-1 LIMIT 0.200@45000.00', 'S-2 LIMIT 0.200@44500.00', 'S-3 LIMIT 0.200@44000.00', 'S-4 LIMIT 0.200@43500.00', 'S-5 LIMIT 0.200@43000.00',
    ]);
  });

  it('a sell steps up; a remainder of 3 lots (1.003 in 5) goes one lot each to the first three orders', async () => {
    const { inst } = await emulationSetup();
    const orders = scaleOrders(req({ side: 'SELL', totalQuantity: '1.003', reduceOnly: true }), inst);
    expect(orders.map((o) => `${text(o.quantity)}@${text(o.price)}`)).toEqual(['0.201@45000.00', '0.201@45500.00', '0.201@46000.00', '0.200@46500.00', '0.200@47000.00']);
    expect(orders.every((o) => o.reduceOnly === true)).toBe(true);
  });

  it('refuses, naming the field: count 0, a step off the tick grid, prices that reach zero, and a split below one lot', async () => {
    const { inst } = await emulationSetup();
    const refused = (r: ScaleRequest) => {
      try {
        scaleOrders(r, inst);
      } catch (e) {
        return e instanceof ValidationError ? `${e.code} ${String(e.context.field)}` : 'other';
      }
      return 'accepted';
    };
    expect(refused(req({ count: 0 }))).toBe('INVALID_FIELD count');
    expect(refused(req({ priceStep: '0.005' }))).toBe('OFF_TICK_GRID priceStep');
    expect(refused(req({ priceStep: '0' }))).toBe('NON_POSITIVE_PRICE priceStep');
    expect(refused(req({ startPrice: '1000', priceStep: '250' }))).toBe('NON_POSITIVE_PRICE priceStep');
    expect(refused(req({ totalQuantity: '0.004' }))).toBe('QUANTITY_BELOW_MIN totalQuantity');
    expect(refused(req({ totalQuantity: '1.0001' }))).toBe('OFF_LOT_GRID totalQuantity');
  });

  it('property: the quantities sum exactly to the total, differ by at most one lot (larger first), and prices step exactly', async () => {
    const { inst } = await emulationSetup();
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 100_000n }), fc.integer({ min: 1, max: 40 }), fc.bigInt({ min: 1n, max: 1000n }), fc.constantFrom('BUY' as const, 'SELL' as const), (lots, count, stepTicks, side) => {
        fc.pre(lots >= BigInt(count));
        const total = Quantity.fromRaw(lots, 3);
        const step = Price.fromRaw(stepTicks, 2);
        const start = Price.fromRaw(stepTicks * BigInt(count) + 1n, 2);
        const orders = scaleOrders(req({ side, count, totalQuantity: total, startPrice: start, priceStep: step }), inst);
        const q = orders.map((o) => (o.quantity as Quantity).raw);
        expect(q.reduce((a, b) => a + b, 0n)).toBe(lots);
        expect(q[0]! - q[q.length - 1]!).toBeLessThanOrEqual(1n);
        for (let i = 1; i < q.length; i++) expect(q[i]!).toBeLessThanOrEqual(q[i - 1]!);
        orders.forEach((o, i) => expect((o.price as Price).raw).toBe(start.raw + (side === 'BUY' ? -1n : 1n) * BigInt(i) * stepTicks));
      }),
    );
  });
});

describe('scale in on the simulated exchange (emulator.submitScale: one order list)', () => {
  it('the 45000 scale-in: a drop to 44400 fills the first two (0.2 at 45000, 0.2 at 44500), the rest keep working', async () => {
    const h = await emulationSetup();
    await h.bar('45100.00', '45100.00', '45100.00', '45100.00');
    const r = await h.emulator.submitScale(req());
    expect(r.denied).toEqual([]);
    expect(h.engine.order('S-3')?.spec).toMatchObject({ orderListId: 'S', type: 'LIMIT' });
    await h.bar('45100.00', '45150.00', '44400.00', '44600.00');
    expect(h.px('S-1')).toEqual(['0.200@45000.00']);
    expect(h.px('S-2')).toEqual(['0.200@44500.00']);
    expect(h.engine.order('S-3')?.isOpen).toBe(true);
    expect(h.position()).toBe('0.400');
  });

  it('all or nothing at the gate: one order denied denies the whole list, nothing reaches the venue', async () => {
    const h = await emulationSetup();
    await h.bar('45100.00', '45100.00', '45100.00', '45100.00');
    const gate = (h.engine as unknown as { gate: { check: (c: { spec?: { clientOrderId: string } }, view: unknown) => unknown } }).gate;
    const check = gate.check.bind(gate);
    gate.check = (c, view) => (c.spec?.clientOrderId === 'S-4' ? { ok: false, code: 'INSTRUMENT_RESTRICTED', reason: 'denied by the test', context: {} } : check(c, view));
    const r = await h.emulator.submitScale(req());
    expect(r.denied.map((d) => d.clientOrderId)).toEqual(['S-1', 'S-2', 'S-3', 'S-4', 'S-5']);
    await h.bar('45100.00', '45100.00', '42000.00', '42000.00');
    expect(h.position()).toBe('0');
  });
});
