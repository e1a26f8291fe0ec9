import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ContingencyManager } from '../../../src/execution/emulation/contingent.ts';
import { newOuoGroup, ouoOnFill, type OuoOtherAction } from '../../../src/execution/emulation/ouo.ts';
import { Quantity } from '../../../src/model/values.ts';
import { emulationSetup, ID } from './harness.ts';

const base = { accountId: 'A', instrumentId: ID } as const;
const Q = (lots: bigint) => Quantity.fromRaw(lots, 3);

/** A long of 1 bought at 100 on an exchange that lets us take 10% of a bar's volume. */
async function long100(native: { stopOrders?: boolean } = {}) {
  const h = await emulationSetup({ maxBarVolumeShare: 0.1 }, {}, native);
  await h.bar('100.00', '100.00', '100.00', '100.00', '1000');
  await h.order({ clientOrderId: 'BUY-1', side: 'BUY', type: 'MARKET', quantity: '1' });
  await h.bar('100.00', '100.00', '100.00', '100.00', '1000');
  expect(h.position()).toBe('1.000');
  return h;
}

describe('OUO: a fill of one leg takes the same off the other; a full fill cancels it', () => {
  it('take-profit 105 / stop 95 on a long of 1: fills of 0.4 and 0.3 shrink the stop to 0.6 then 0.3; the last 0.3 cancels it', async () => {
    const h = await long100();
    await h.emulator.submitOuo(
      { ...base, clientOrderId: 'TP', side: 'SELL', type: 'LIMIT', price: '105.00', quantity: '1', reduceOnly: true },
      { ...base, clientOrderId: 'SL', side: 'SELL', type: 'STOP_MARKET', triggerPrice: '95.00', quantity: '1', reduceOnly: true },
    );
    expect(h.engine.order('SL')?.spec).toMatchObject({ contingency: 'OUO', orderListId: 'TP-OUO' });
    await h.bar('100.00', '106.00', '100.00', '105.50', '4');
    expect(h.px('TP')).toEqual(['0.400@105.00']);
    expect(h.engine.order('SL')?.quantity.toString()).toBe('0.600');
    await h.bar('105.50', '106.00', '105.00', '105.50', '3');
    expect(h.engine.order('SL')?.quantity.toString()).toBe('0.300');
    expect(h.position()).toBe('0.300');
    await h.bar('105.50', '106.00', '105.00', '105.50', '100');
    // Bars opening above the limit fill it at their open (a better price).
    expect(h.px('TP')).toEqual(['0.400@105.00', '0.300@105.50', '0.300@105.50']);
    // Reduce-only: the venue expires it once the position is closed (as Binance futures), before the OUO cancel arrives.
    expect(h.engine.order('SL')?.status).toBe('EXPIRED');
    expect(h.position()).toBe('0');
  });

  it('a stop-loss leg held engine-side (no native stops) shrinks while held, and fires for what is left', async () => {
    const h = await long100({ stopOrders: false });
    await h.emulator.submitOuo(
      { ...base, clientOrderId: 'TP', side: 'SELL', type: 'LIMIT', price: '105.00', quantity: '1', reduceOnly: true },
      { ...base, clientOrderId: 'SL', side: 'SELL', type: 'STOP_MARKET', triggerPrice: '95.00', quantity: '1', reduceOnly: true },
    );
    expect(h.engine.order('SL')).toBeUndefined();
    await h.bar('100.00', '106.00', '100.00', '104.00', '4');
    expect(h.emulator.get('SL')?.spec.quantity.toString()).toBe('0.600');
    await h.bar('104.00', '104.00', '94.00', '94.50', '100');
    expect(h.engine.order('SL')?.quantity.toString()).toBe('0.600');
    await h.bar('94.20', '94.50', '94.00', '94.30', '100');
    expect(h.px('SL')).toEqual(['0.600@94.20']);
    // Reduce-only: the venue expires it once the position is closed (as Binance futures), before the OUO cancel arrives.
    expect(h.engine.order('TP')?.status).toBe('EXPIRED');
    expect(h.position()).toBe('0');
  });
});

describe('bracket children are OUO: a partial take-profit shrinks the stop-loss, which still protects the rest', () => {
  it('on a venue with stops: entry 1 at 100, take-profit 110 fills 0.4; the stop-loss is modified to 0.6 and closes the rest at 94', async () => {
    const h = await emulationSetup({ maxBarVolumeShare: 0.1 });
    await h.bar('100.00', '100.00', '100.00', '100.00', '1000');
    await h.emulator.submitBracket({ entry: { ...base, clientOrderId: 'E-1', side: 'BUY', type: 'MARKET', quantity: '1' }, takeProfitPrice: '110.00', stopLossTriggerPrice: '95.00' });
    await h.bar('100.00', '100.00', '100.00', '100.00', '1000');
    expect(h.engine.order('E-1-SL-1')?.spec).toMatchObject({ type: 'STOP_MARKET', contingency: 'OUO', reduceOnly: true });
    await h.bar('100.00', '111.00', '100.00', '108.00', '4');
    expect(h.px('E-1-TP-1')).toEqual(['0.400@110.00']);
    expect(h.engine.order('E-1-SL-1')?.quantity.toString()).toBe('0.600');
    expect(h.engine.order('E-1-SL-1')?.isOpen).toBe(true);
    await h.bar('108.00', '108.00', '94.00', '94.50', '1000');
    expect(h.px('E-1-SL-1')).toEqual(['0.600@94.00']);
    // Reduce-only: the venue expires it once the position is closed (as Binance futures), before the OUO cancel arrives.
    expect(h.engine.order('E-1-TP-1')?.status).toBe('EXPIRED');
    expect(h.position()).toBe('0');
  });

  it('on a venue without stops: the stop-loss is held engine-side, shrinks to 0.6 on the partial take-profit, and exits 0.6 at the next open after the drop', async () => {
    const h = await emulationSetup({ maxBarVolumeShare: 0.1 }, {}, { stopOrders: false });
    await h.bar('100.00', '100.00', '100.00', '100.00', '1000');
    await h.emulator.submitBracket({ entry: { ...base, clientOrderId: 'E-1', side: 'BUY', type: 'MARKET', quantity: '1' }, takeProfitPrice: '110.00', stopLossTriggerPrice: '95.00' });
    await h.bar('100.00', '100.00', '100.00', '100.00', '1000');
    expect(h.engine.order('E-1-TP-1')?.spec.type).toBe('LIMIT');
    expect(h.engine.order('E-1-SL-1')).toBeUndefined();
    expect(h.emulator.get('E-1-SL-1')?.status).toBe('HELD');
    await h.bar('100.00', '111.00', '100.00', '108.00', '4');
    expect(h.emulator.get('E-1-SL-1')?.spec.quantity.toString()).toBe('0.600');
    await h.bar('108.00', '108.00', '94.00', '94.50', '1000');
    expect(h.engine.order('E-1-SL-1')?.spec).toMatchObject({ type: 'MARKET', reduceOnly: true, parentOrderId: 'E-1' });
    await h.bar('94.30', '94.60', '94.00', '94.40', '1000');
    expect(h.px('E-1-SL-1')).toEqual(['0.600@94.30']);
    // Reduce-only: the venue expires it once the position is closed (as Binance futures), before the OUO cancel arrives.
    expect(h.engine.order('E-1-TP-1')?.status).toBe('EXPIRED');
    expect(h.position()).toBe('0');
  });
});

describe('OUO decisions (ouoOnFill, no engine)', () => {
  it('legs of 1.000: 0.400 of A shrinks B to 0.600; 0.600 more of A cancels B; a late 0.200 of B is all excess', () => {
    let g = newOuoGroup('A', 'B', Q(1000n), Q(1000n));
    let d = ouoOnFill(g, 0, Q(400n));
    expect(d.other).toEqual({ do: 'modify', clientOrderId: 'B', quantity: Q(600n) });
    g = d.group;
    d = ouoOnFill(g, 0, Q(600n));
    expect(d.other).toEqual({ do: 'cancel', clientOrderId: 'B' });
    d = ouoOnFill(d.group, 1, Q(200n));
    expect(d.excess.toString()).toBe('0.200');
    expect(d.other).toBeUndefined();
  });

  it('the manager turns an overfill into an OUO_OVERFILL alert and a reversing market order', () => {
    const m = new ContingencyManager();
    m.ouo({ ...base, clientOrderId: 'A', side: 'SELL', type: 'LIMIT', price: '105.00', quantity: Q(1000n) }, { ...base, clientOrderId: 'B', side: 'SELL', type: 'STOP_MARKET', triggerPrice: '95.00', quantity: Q(1000n) });
    const fill = (id: string, lots: bigint) => ({
      kind: 'OrderFilled' as const, clientOrderId: id as never, tsEvent: 0, tsInit: 0, tradeId: `T-${id}` as never, venueOrderId: undefined,
      accountId: 'A' as never, strategyId: 'default' as never, instrumentId: ID as never, positionId: 'P' as never, side: 'SELL' as const,
      lastQty: Q(lots), lastPx: undefined as never, commission: undefined as never, liquidity: 'TAKER' as const,
    });
    expect(m.onEvent(fill('A', 1000n))).toEqual([{ do: 'cancel', clientOrderId: 'B' }]);
    const late = m.onEvent(fill('B', 1000n));
    expect(late[0]).toMatchObject({ do: 'alert', code: 'OUO_OVERFILL', context: { clientOrderId: 'B', other: 'A', quantity: '1.000' } });
    expect(late[1]).toMatchObject({ do: 'submit', order: { side: 'BUY', type: 'MARKET', quantity: Q(1000n) } });
  });

  it('property: with shrinks and cancels reaching the venue late, the kept fills never exceed the position, and once they arrive neither leg has more open than is left to close', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 5000n }),
        fc.array(fc.record({ leg: fc.constantFrom(0 as const, 1 as const), size: fc.bigInt({ min: 1n, max: 5000n }), deliver: fc.boolean() }), { maxLength: 40 }),
        (position, steps) => {
          let g = newOuoGroup('A', 'B', Q(position), Q(position));
          const qty = [position, position];
          const filled = [0n, 0n];
          const open = [true, true];
          let pending: OuoOtherAction[] = [];
          let kept = 0n;
          const deliver = () => {
            for (const a of pending) {
              const j = a.clientOrderId === 'A' ? 0 : 1;
              if (!open[j]) continue;
              if (a.do === 'cancel' || a.quantity.raw <= filled[j]!) open[j] = false;
              else qty[j] = a.quantity.raw;
            }
            pending = [];
            const left = position - g.counted[0] - g.counted[1];
            for (const j of [0, 1]) if (open[j]) expect(qty[j]! - filled[j]!).toBeLessThanOrEqual(left);
          };
          for (const s of steps) {
            if (s.deliver) deliver();
            const i = s.leg;
            if (!open[i]) continue;
            const lot = ((s.size - 1n) % (qty[i]! - filled[i]!)) + 1n;
            filled[i]! += lot;
            if (filled[i] === qty[i]) open[i] = false;
            const d = ouoOnFill(g, i, Q(lot));
            g = d.group;
            kept += lot - d.excess.raw;
            if (d.other) pending.push(d.other);
            expect(kept).toBe(g.counted[0] + g.counted[1]);
            expect(kept).toBeLessThanOrEqual(position);
          }
          deliver();
        },
      ),
    );
  });
});
