import { describe, expect, it } from 'vitest';
import { sleep } from '../../src/execution/timer.ts';
import { backoffDelay, DEFAULT_RETRY_POLICY } from '../../src/execution/backoff.ts';
import { percentile, slippageBps } from '../../src/execution/stats.ts';
import { decideFailure } from '../../src/execution/failure.ts';
import { VenueCallError } from '../../src/model/errors.ts';
import { executionSetup } from './setup.ts';

describe('executor: per-execution log and statistics', () => {
  it('counts executions, success rate, slippage in bps against limit or arrival price, fill rate and latency', async () => {
    const r = await executionSetup();
    const submit = r.faults.submit.bind(r.faults);
    r.faults.submit = async (req) => {
      await sleep(r.timer, 30); // every submit takes 30 ms to answer
      return submit(req);
    };
    r.quote('99.99', '100.01', '100.00'); // arrival price 100.00
    await r.submit({ clientOrderId: 'K-1', side: 'BUY', type: 'MARKET' }); // fills 100.01: +1 bps
    await r.submit({ clientOrderId: 'K-2', side: 'SELL', type: 'MARKET' }); // fills 99.99: +1 bps
    await r.submit({ clientOrderId: 'K-3', side: 'BUY', type: 'LIMIT', price: '90.00', quantity: '2' }); // rests
    r.faults.addCallFault({ call: 'SUBMIT', clientOrderId: 'K-4', fault: { kind: 'REJECT', reason: 'INSUFFICIENT_BALANCE' } });
    await r.submit({ clientOrderId: 'K-4', side: 'BUY', type: 'LIMIT', price: '90.00' });
    await r.settle();
    await r.engine.cancelOrder('K-3');
    await r.settle();

    const s = r.executor.statistics();
    expect(s.executions).toEqual({ SUBMIT: 4, MODIFY: 0, CANCEL: 1 });
    expect(s.settled).toBe(5);
    expect(s.succeeded).toBe(4);
    expect(s.successRate).toBe(0.8);
    expect(s.bySettlement).toMatchObject({ ACK: 4, REJECTED: 1 });
    expect(s.unknowns).toBe(0);
    expect(s.averageSlippageBps).toBeCloseTo(1, 9);
    expect(s.fillRate).toBe(2 / 5);
    expect(s.latencyP50Ms).toBe(30);
    expect(s.latencyP99Ms).toBe(30);

    const log = r.executor.executions();
    expect(log.map((x) => `${x.clientOrderId} ${x.request} ${String(x.settlement)}`)).toEqual([
      'K-1 SUBMIT ACK',
      'K-2 SUBMIT ACK',
      'K-3 SUBMIT ACK',
      'K-4 SUBMIT REJECTED',
      'K-3 CANCEL ACK',
    ]);
    expect(log[0]).toMatchObject({ summary: 'BUY MARKET 1.000 SOLUSDT.SIM', retries: 0, succeeded: true, attempts: [{ what: 'SUBMIT', outcome: 'OK', latencyMs: 30 }] });
    expect(log[2]?.summary).toBe('BUY LIMIT 2.000 @ 90.00 SOLUSDT.SIM');
    expect(log[3]).toMatchObject({ detail: 'INSUFFICIENT_BALANCE', attempts: [{ outcome: 'VENUE_REJECTED' }] });
  });

  it('keeps only the last N executions; the statistics keep counting', async () => {
    const r = await executionSetup({ logCapacity: 2 });
    for (const id of ['L-1', 'L-2', 'L-3']) await r.submit({ clientOrderId: id, side: 'BUY', type: 'LIMIT', price: '90.00' });
    await r.settle();
    expect(r.executor.executions().map((x) => x.clientOrderId)).toEqual(['L-2', 'L-3']);
    expect(r.executor.statistics().executions.SUBMIT).toBe(3);
  });

  it('a call that never answers fails as VENUE_TIMEOUT after callTimeoutMs and is resolved by query', async () => {
    const r = await executionSetup({ callTimeoutMs: 2_000 });
    const submit = r.faults.submit.bind(r.faults);
    r.faults.submit = async (req) => {
      await submit(req);
      await new Promise(() => {}); // placed, and the answer never comes
    };
    r.faults.addReportFault({ fault: 'DROP', clientOrderId: 'T-1' });
    const t0 = r.clock.now();
    await r.submit({ clientOrderId: 'T-1', side: 'BUY', type: 'LIMIT', price: '90.00' });
    await r.settle();
    const rec = r.executor.executions('T-1')[0]!;
    expect(rec.attempts[0]).toMatchObject({ what: 'SUBMIT', outcome: 'VENUE_TIMEOUT', latencyMs: 2_000, ts: t0 });
    expect(rec).toMatchObject({ settlement: 'QUERY', wentUnknown: true });
    expect(r.engine.order('T-1')?.status).toBe('ACCEPTED');
  });
});

describe('executor decisions (pure)', () => {
  it('backoff doubles from the base up to the cap; a longer retry-after wins; jitter takes up to its share off', () => {
    const p = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, p))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(1, p, undefined, 750)).toBe(750);
    expect(backoffDelay(3, { ...p, jitter: 0.5 }, () => 0.5)).toBe(300);
  });

  it('what a failure means: submit never retried blindly, cancel retried', () => {
    const e = (code: ConstructorParameters<typeof VenueCallError>[0]) => new VenueCallError(code, 'x', {}, 250);
    expect(decideFailure('SUBMIT', e('VENUE_TIMEOUT')).do).toBe('RESOLVE_BY_QUERY');
    expect(decideFailure('MODIFY', e('VENUE_UNAVAILABLE')).do).toBe('RESOLVE_BY_QUERY');
    expect(decideFailure('SUBMIT', new Error('boom')).do).toBe('RESOLVE_BY_QUERY');
    expect(decideFailure('SUBMIT', e('VENUE_RATE_LIMITED'))).toMatchObject({ do: 'BACK_OFF_AND_QUERY', retryAfterMs: 250 });
    expect(decideFailure('SUBMIT', e('VENUE_DISCONNECTED'))).toMatchObject({ do: 'REFUSED', reason: 'VENUE_DISCONNECTED' });
    expect(decideFailure('SUBMIT', e('VENUE_REJECTED'))).toMatchObject({ do: 'REFUSED', reason: 'x' });
    expect(decideFailure('CANCEL', e('VENUE_NETWORK')).do).toBe('RETRY');
    expect(decideFailure('CANCEL', e('VENUE_DISCONNECTED')).do).toBe('RETRY');
    expect(decideFailure('CANCEL', e('VENUE_REJECTED')).do).toBe('SETTLE_BY_QUERY');
  });

  it('slippage is positive when worse for us; percentiles by nearest rank', () => {
    expect(slippageBps('BUY', 100.5, 100)).toBeCloseTo(50, 9);
    expect(slippageBps('SELL', 100.5, 100)).toBeCloseTo(-50, 9);
    expect(percentile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(percentile([1, 2, 3, 4, 100], 0.99)).toBe(100);
  });
});
