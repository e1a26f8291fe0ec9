import { describe, expect, it } from 'vitest';
import { EmulationState } from '../../src/engine/emulation/emulation-state.ts';
import type { EmulationEvent } from '../../src/engine/emulation/events.ts';
import { clientOrderId } from '../../src/model/identifiers.ts';
import { Instrument } from '../../src/model/instrument.ts';
import { createOrderSpec } from '../../src/model/orders/factory.ts';
import { BTC_SPEC, T0 } from './fixtures.ts';

const inst = new Instrument(BTC_SPEC);
const stop = createOrderSpec(
  { clientOrderId: 'TS-1', accountId: 'A', instrumentId: inst.id, side: 'SELL', type: 'TRAILING_STOP_MARKET', quantity: '0.5', trailingOffset: '500', trailingOffsetType: 'BASIS_POINTS' },
  inst,
  T0,
);
const id = clientOrderId('TS-1');
const t = { tsEvent: T0, tsInit: T0 };

describe('EmulationState: the fold of emulation events', () => {
  it('holds, moves and releases an order; the snapshot round-trips into a new state', () => {
    const s = new EmulationState();
    s.apply({ ...t, kind: 'EmulatedOrderHeld', clientOrderId: id, spec: stop });
    s.apply({ ...t, kind: 'EmulatedOrderMoved', clientOrderId: id, activated: true, extreme: inst.price('120.00'), stop: inst.price('114.00') });
    s.apply({ ...t, kind: 'ContingencyRegistered', groupId: 'B-1', contingency: 'BRACKET', request: '{}' });
    expect(s.isHeld('TS-1')).toBe(true);
    expect(s.held()[0]?.stop?.toString()).toBe('114.00');
    const copy = new EmulationState();
    copy.restore(s.toSnapshot());
    expect(copy.toSnapshot()).toEqual(s.toSnapshot());
    s.apply({ ...t, kind: 'EmulatedOrderReleased', clientOrderId: id, triggerPrice: inst.price('114.00') });
    s.apply({ ...t, kind: 'ContingencyCompleted', groupId: 'B-1' });
    expect(s.toSnapshot()).toEqual({ held: [], contingencies: [] });
  });

  it.each<[string, EmulationEvent[]]>([
    ['a second hold of one id', [{ ...t, kind: 'EmulatedOrderHeld', clientOrderId: id, spec: stop }, { ...t, kind: 'EmulatedOrderHeld', clientOrderId: id, spec: stop }]],
    ['a move of an order not held', [{ ...t, kind: 'EmulatedOrderMoved', clientOrderId: id, activated: true, extreme: undefined, stop: undefined }]],
    ['a release of an order not held', [{ ...t, kind: 'EmulatedOrderReleased', clientOrderId: id, triggerPrice: undefined }]],
    ['completing a group never registered', [{ ...t, kind: 'ContingencyCompleted', groupId: 'X' }]],
  ])('refuses %s with ILLEGAL_TRANSITION and changes nothing', (_what, events) => {
    const s = new EmulationState();
    const last = events[events.length - 1]!;
    for (const e of events.slice(0, -1)) s.apply(e);
    const before = s.toSnapshot();
    expect(() => s.apply(last)).toThrow(expect.objectContaining({ code: 'ILLEGAL_TRANSITION' }));
    expect(s.toSnapshot()).toEqual(before);
  });
});
