import { describe, expect, it } from 'vitest';
import { ChildLedger } from '../../src/algos/children.ts';
import { respread, resumption } from '../../src/algos/resume.ts';
import type { ScheduledPlan } from '../../src/algos/schedule.ts';
import { AlgoState } from '../../src/engine/algos/algo-state.ts';
import { Quantity } from '../../src/model/values.ts';

const q = (s: string) => Quantity.of(s, 3);
const grid = { lotSize: q('0.001'), minQuantity: q('0.01') };
/** 1.000 in 10 slices of 0.100, one a minute from t = 0, ending at 10. */
const plan: ScheduledPlan = {
  kind: 'TWAP', parentId: 'T', quantity: q('1'), times: Array.from({ length: 10 }, (_, i) => i), slices: Array.from({ length: 10 }, () => q('0.1')),
  endTime: 10, order: { type: 'MARKET' }, atEnd: 'SEND_REMAINDER', minQuantity: q('0.01'),
};
const text = (xs: readonly Quantity[] | undefined) => xs?.map((x) => x.toString());

describe('the restart rule: remaining quantity over the remaining schedule', () => {
  it('4 slices sent, back at t = 6.5: slices 4..6 missed, their 0.3 spread over 7..9 → 0.2 each; the sent ones unchanged', () => {
    expect(text(respread(plan, 4, 6.5, grid))).toEqual(['0.100', '0.100', '0.100', '0.100', '0.000', '0.000', '0.000', '0.200', '0.200', '0.200']);
  });

  it('a slice due exactly now is still to come: back at t = 6, 0.2 over 6..9 → 0.15 each', () => {
    expect(text(respread(plan, 4, 6, grid))?.slice(4)).toEqual(['0.000', '0.000', '0.150', '0.150', '0.150', '0.150']);
  });

  it('nothing missed (back before slice 4 is due): unchanged, so a quick restart trades as if there were none', () => {
    expect(respread(plan, 4, 3.5, grid)).toBeUndefined();
  });

  it('no slice left to come (back at t = 9.5, before the end): unchanged, the missed ones go as one catch-up slice', () => {
    expect(respread(plan, 4, 9.5, grid)).toBeUndefined();
  });

  it('lots that do not divide: slice 6 missed, 0.401 over slices planned 100:100:101 lots → 0.133, 0.133, 0.135 (largest remainder, summing to 1.001)', () => {
    const odd = { ...plan, quantity: q('1.001'), slices: [...plan.slices.slice(0, 9), q('0.101')] };
    const out = respread(odd, 6, 7, grid)!;
    expect(text(out)?.slice(6)).toEqual(['0.000', '0.133', '0.133', '0.135']);
    expect(out.reduce((a, b) => a.add(b), q('0')).toString()).toBe('1.001');
  });

  it('horizon over and the final remainder not sent: CANCEL with ALGO_HORIZON_PASSED naming what is unfilled; already filled: resume', () => {
    const ledger = new ChildLedger(3, 2);
    ledger.add('T-1', 0, q('0.1'));
    const v = resumption(plan, ledger, 10, grid);
    expect(v).toMatchObject({ do: 'cancel', reason: 'HORIZON_PASSED', alert: { code: 'ALGO_HORIZON_PASSED' } });
    expect(v.do === 'cancel' && v.alert.message).toContain('1.000 of 1.000 unfilled');
    const done = new ChildLedger(3, 2);
    done.add('T-1', 0, q('1'));
    done.onEvent({ kind: 'OrderFilled', clientOrderId: 'T-1', lastQty: q('1'), lastPx: '100.00' } as never);
    expect(resumption(plan, done, 10, grid)).toEqual({ do: 'resume', slices: undefined });
  });
});

describe('AlgoState: the fold of algorithm events', () => {
  const ts = { tsEvent: 5, tsInit: 5 };
  const started = { ...ts, kind: 'AlgoStarted', parentId: 'T', algo: 'TWAP', request: '{}', origin: 'STRATEGY:s1', nativeIceberg: false } as const;

  it('keeps a running algorithm (started at tsEvent, respread slices from AlgoResumed) until it ends, and refuses what does not fit', () => {
    const s = new AlgoState();
    s.apply(started);
    expect(() => s.apply(started)).toThrow(expect.objectContaining({ code: 'ILLEGAL_TRANSITION' }));
    s.apply({ ...ts, kind: 'AlgoResumed', parentId: 'T', slices: ['0.5', '0.5'] });
    s.apply({ ...ts, kind: 'AlgoResumed', parentId: 'T', slices: undefined });
    expect(s.running()).toEqual([{ parentId: 'T', kind: 'TWAP', request: '{}', origin: 'STRATEGY:s1', nativeIceberg: false, startedAt: 5, slices: ['0.5', '0.5'] }]);
    const copy = new AlgoState();
    copy.restore(s.toSnapshot());
    expect(copy.running()).toEqual(s.running());
    s.apply({ ...ts, kind: 'AlgoEnded', parentId: 'T', status: 'CANCELED', reason: 'CANCELED' });
    expect(s.running()).toEqual([]);
    expect(() => s.apply({ ...ts, kind: 'AlgoEnded', parentId: 'T', status: 'DONE', reason: 'FILLED' })).toThrow(expect.objectContaining({ code: 'ILLEGAL_TRANSITION' }));
    expect(() => s.apply({ ...ts, kind: 'AlgoSliceSent', parentId: 'X', clientOrderId: 'X-1' as never, slice: 0, quantity: q('1') })).toThrow(expect.objectContaining({ code: 'ILLEGAL_TRANSITION' }));
  });
});
