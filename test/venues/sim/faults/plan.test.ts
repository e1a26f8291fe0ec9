import { describe, expect, it } from 'vitest';
import type { VenueReport } from '../../../../src/engine/venue.ts';
import { clientOrderId } from '../../../../src/model/identifiers.ts';
import { FaultPlan } from '../../../../src/venues/sim/faults/index.ts';

const canceled = (id: string): VenueReport => ({ kind: 'OrderCanceled', clientOrderId: clientOrderId(id), ts: 0 });

describe('fault plan: calls', () => {
  it('rules fire in the order added; once a rule’s times are used up the next one takes over', () => {
    const plan = new FaultPlan();
    plan.addCall({ call: 'SUBMIT', times: 2, fault: { kind: 'REJECT' } });
    plan.addCall({ call: 'SUBMIT', fault: { kind: 'RATE_LIMIT' } });
    const kinds = ['O-1', 'O-2', 'O-3', 'O-4'].map((id) => plan.decideCall('SUBMIT', id)?.kind);
    expect(kinds).toEqual(['REJECT', 'REJECT', 'RATE_LIMIT', undefined]);
  });

  it('nth names a window of calls: when another rule takes the 2nd call, the nth=2 rule does not slide to the 3rd', () => {
    const plan = new FaultPlan();
    plan.addCall({ call: 'CANCEL', clientOrderId: 'O-2', fault: { kind: 'REJECT' } });
    plan.addCall({ call: 'CANCEL', nth: 2, fault: { kind: 'DELAY' } });
    expect(['O-1', 'O-2', 'O-3'].map((id) => plan.decideCall('CANCEL', id)?.kind)).toEqual([undefined, 'REJECT', undefined]);
  });

  it('counts each kind of call separately', () => {
    const plan = new FaultPlan();
    plan.addCall({ call: 'MODIFY', nth: 1, fault: { kind: 'DELAY' } });
    expect(plan.decideCall('SUBMIT', 'O-1')).toBeUndefined();
    expect(plan.decideCall('MODIFY', 'O-1')?.kind).toBe('DELAY');
  });
});

describe('fault plan: reports', () => {
  it('DROP wins and does not use up a DUPLICATE that also matches', () => {
    const plan = new FaultPlan();
    plan.addReport({ fault: 'DUPLICATE', times: 1 });
    plan.addReport({ fault: 'DROP', clientOrderId: 'O-1', times: 1 });
    expect(plan.decideReport(canceled('O-1'))).toEqual({ action: 'DROP', why: 'DROP' });
    expect(plan.decideReport(canceled('O-1'))).toEqual({ action: 'DELIVER', copies: 2, holdFor: undefined });
    expect(plan.decideReport(canceled('O-1'))).toEqual({ action: 'DELIVER', copies: 1, holdFor: undefined });
  });

  it('matches by report kind (one or several) and client order id together', () => {
    const plan = new FaultPlan();
    const rule = { fault: 'REORDER', reportKind: ['OrderAccepted', 'OrderCanceled'], clientOrderId: 'O-2' } as const;
    plan.addReport(rule);
    expect(plan.decideReport(canceled('O-1'))).toMatchObject({ holdFor: undefined });
    expect(plan.decideReport(canceled('O-2'))).toMatchObject({ holdFor: rule });
    expect(plan.decideReport({ kind: 'OrderExpired', clientOrderId: clientOrderId('O-2'), ts: 0 })).toMatchObject({ holdFor: undefined });
  });

  it('a silenced order loses every report until resumed', () => {
    const plan = new FaultPlan();
    plan.silence('O-1');
    expect(plan.decideReport(canceled('O-1'))).toEqual({ action: 'DROP', why: 'SILENCED' });
    expect(plan.decideReport(canceled('O-2')).action).toBe('DELIVER');
    plan.resume();
    expect(plan.decideReport(canceled('O-1')).action).toBe('DELIVER');
  });
});

describe('fault plan: queries', () => {
  it('a rule for one read leaves the others alone', () => {
    const plan = new FaultPlan();
    plan.addQuery({ code: 'VENUE_UNAVAILABLE', query: 'positions', times: 2 });
    expect(['openOrders', 'positions', 'positions', 'positions'].map((q) => plan.decideQuery(q as 'positions'))).toEqual([
      undefined,
      'VENUE_UNAVAILABLE',
      'VENUE_UNAVAILABLE',
      undefined,
    ]);
  });
});
