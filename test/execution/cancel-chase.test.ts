import { describe, expect, it } from 'vitest';
import { decideChase, startChase, type Chase, type ChaseDecision, type ChasePolicy, type ChaseSignal } from '../../src/execution/cancel-chase.ts';
import type { ClientOrderId } from '../../src/model/identifiers.ts';

const POLICY: ChasePolicy = { confirmWithinMs: 10_000, baseDelayMs: 100, maxDelayMs: 1_000 };
const ID = 'O-1' as ClientOrderId;

/** Runs signals through the decision from a fresh chase whose cancel is out; returns every decision. */
function run(...signals: ChaseSignal[]): ChaseDecision[] {
  let c: Chase | undefined = startChase(ID, 'kill switch', true, POLICY).next;
  const out: ChaseDecision[] = [];
  for (const s of signals) {
    if (!c) throw new Error('chase ended early');
    const d = decideChase(c, s, POLICY);
    out.push(d);
    c = d.next;
  }
  return out;
}

const failed: ChaseSignal = { kind: 'CANCEL_FAILED', reason: 'ORDER_NOT_FOUND' };
const due: ChaseSignal = { kind: 'RETRY_DUE' };

describe('chasing a cancel until the venue confirms it', () => {
  it('a chase whose cancel the risk control sends only waits 10 s for its answer; one it sends itself waits, then sends', () => {
    expect(startChase(ID, 'x', true, POLICY).steps).toEqual([{ do: 'WAKE', inMs: 10_000, as: 'UNANSWERED' }]);
    expect(startChase(ID, 'x', false, POLICY).steps).toEqual([{ do: 'WAKE', inMs: 10_000, as: 'UNANSWERED' }, { do: 'SEND' }]);
  });

  it('each failure alerts and waits 100, 200, 400, 800 ms, then stays at the 1,000 ms cap', () => {
    const ds = run(failed, due, failed, due, failed, due, failed, due, failed, due, failed);
    const waits = ds.flatMap((d) => d.steps.filter((s) => s.do === 'WAKE' && s.as === 'RETRY_DUE').map((s) => (s as { inMs: number }).inMs));
    expect(waits).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(ds.filter((d) => d.steps.some((s) => s.do === 'ALERT' && s.code === 'CANCEL_RETRY'))).toHaveLength(6);
    // Every retry sends again, after arming the deadline of its answer.
    for (const d of ds.filter((_, i) => i % 2 === 1)) expect(d.steps).toEqual([{ do: 'WAKE', inMs: 10_000, as: 'UNANSWERED' }, { do: 'SEND' }]);
  });

  it('a cancel with no answer within 10 s counts as failed: alert, backoff, send again', () => {
    const [d] = run({ kind: 'UNANSWERED' });
    expect(d?.next).toMatchObject({ failures: 1, outstanding: false });
    expect(d?.steps).toEqual([expect.objectContaining({ do: 'ALERT', code: 'CANCEL_RETRY' }), { do: 'WAKE', inMs: 100, as: 'RETRY_DUE' }]);
  });

  it('an order that shows up working during the backoff is canceled at once, with a DEAD_ORDER_WORKING alert', () => {
    const [, d] = run(failed, { kind: 'APPEARED', what: 'OrderAccepted' });
    expect(d?.steps.map((s) => s.do)).toEqual(['ALERT', 'WAKE', 'SEND']);
    expect(d?.steps[0]).toMatchObject({ code: 'DEAD_ORDER_WORKING' });
    expect(d?.next?.outstanding).toBe(true);
  });

  it('an order that shows up while a cancel is out waits for that cancel, and the stale backoff timer does nothing', () => {
    const [appeared] = run({ kind: 'APPEARED', what: 'OrderAccepted' });
    expect(appeared?.steps).toEqual([]);
    const [, , stale] = run(failed, { kind: 'APPEARED', what: 'OrderAccepted' }, due);
    expect(stale?.steps).toEqual([]);
  });

  it('canceled, filled, expired or rejected ends the chase and its timer', () => {
    const [d] = run({ kind: 'CLOSED' });
    expect(d).toEqual({ next: undefined, steps: [{ do: 'FORGET' }] });
  });
});
