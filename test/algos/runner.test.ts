import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChildLedger } from '../../src/algos/children.ts';
import { decideScheduled } from '../../src/algos/schedule.ts';
import { planTwap } from '../../src/algos/twap.ts';
import type { PreTradeGate, PreTradeRequest, Verdict } from '../../src/engine/gate.ts';
import { Instrument } from '../../src/model/instrument.ts';
import type { OrderEvent } from '../../src/model/orders/events.ts';
import { Price, Quantity } from '../../src/model/values.ts';
import { algoSetup, BTC, BTC_SPEC, MIN, T0 } from './harness.ts';

const parent = { accountId: 'A', instrumentId: BTC, side: 'BUY', quantity: '1' } as const;

/** Denies any order above 0.3 BTC, as a max-order-size rule would. */
class MaxQuantityGate implements PreTradeGate {
  check(r: PreTradeRequest): Verdict {
    const q = r.kind === 'submit' ? r.spec.quantity : (r.quantity ?? r.order.quantity);
    return q.toNumber() <= 0.3 ? { ok: true } : { ok: false, code: 'MAX_ORDER_QUANTITY_EXCEEDED', reason: `${q.toString()} > 0.3`, context: { quantity: q.toString() } };
  }
}

describe('runner: the gate, cancel and failures', () => {
  it('a child the gate denies (the 0.4 catch-up slice above a 0.3 limit) stops the algo FAILED with one alert, and nothing more is sent', async () => {
    const h = await algoSetup({ gate: new MaxQuantityGate() });
    await h.bar('100.00');
    const start = h.engine.now();
    await h.algos.start({ ...parent, kind: 'TWAP', parentId: 'T', startTime: start, endTime: start + 10 * MIN, slices: 5, order: { type: 'LIMIT', price: '99.00' } });
    for (let i = 0; i < 10; i++) await h.bar('100.00');
    expect(h.sent()).toEqual(['T-1:0.200@1m', 'T-2:0.400@3m']);
    expect(h.engine.order('T-2')?.status).toBe('DENIED');
    expect(h.algos.progress('T')).toMatchObject({ status: 'FAILED', reason: 'MAX_ORDER_QUANTITY_EXCEEDED' });
    expect(h.alerts.filter((a) => a.code.startsWith('ALGO_')).map((a) => a.code)).toEqual(['ALGO_CHILD_DENIED']);
    expect(h.alerts[0]?.context).toMatchObject({ parentId: 'T' });
  });

  it('cancel stops the algo and cancels its working child; later bars send nothing; a second cancel is a no-op', async () => {
    const h = await algoSetup();
    await h.bar('100.00');
    await h.algos.start({ ...parent, kind: 'ICEBERG', parentId: 'I', displayQuantity: '0.2', price: '99.00' });
    expect(h.engine.order('I-1')?.isOpen).toBe(true);
    expect(await h.algos.cancel('I')).toBe(true);
    expect(h.engine.order('I-1')?.status).toBe('CANCELED');
    expect(await h.ex.queries.openOrders()).toEqual([]);
    for (let i = 0; i < 3; i++) await h.bar('99.00', '99.00', '98.00', '98.50');
    expect(h.algos.progress('I')).toMatchObject({ status: 'CANCELED', slicesSent: 1 });
    expect(await h.algos.cancel('I')).toBe(false);
  });

  it('a child canceled by someone else (an operator) stops the algo FAILED with ALGO_CHILD_LOST; it is not resent', async () => {
    const h = await algoSetup();
    await h.bar('100.00');
    await h.algos.start({ ...parent, kind: 'ICEBERG', parentId: 'I', displayQuantity: '0.2', price: '99.00' });
    await h.engine.cancelOrder('I-1');
    await h.algos.idle();
    await h.bar('100.00');
    expect(h.algos.progress('I')).toMatchObject({ status: 'FAILED', reason: 'CHILD_CANCELED', slicesSent: 1 });
    expect(h.alerts.map((a) => a.code)).toContain('ALGO_CHILD_LOST');
  });

  it('a parent id in use, or unknown, is a typed error', async () => {
    const h = await algoSetup();
    await h.algos.start({ ...parent, kind: 'ICEBERG', parentId: 'I', displayQuantity: '0.2', price: '99.00' });
    await expect(h.algos.start({ ...parent, kind: 'ICEBERG', parentId: 'I', displayQuantity: '0.2', price: '99.00' })).rejects.toMatchObject({ code: 'DUPLICATE_CLIENT_ORDER_ID' });
    expect(() => h.algos.progress('nope')).toThrow(expect.objectContaining({ code: 'UNKNOWN_ORDER' }) as Error);
  });
});

describe('scheduled decision (pure): never sends past the parent', () => {
  const inst = new Instrument(BTC_SPEC);
  type Step = { kind: 'time'; ms: number } | { kind: 'fill'; pick: number; lots: number } | { kind: 'ack'; pick: number } | { kind: 'late'; pick: number; lots: number };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('time' as const), ms: fc.integer({ min: 0, max: 3 * MIN }) }),
    fc.record({ kind: fc.constant('fill' as const), pick: fc.nat(), lots: fc.integer({ min: 1, max: 400 }) }),
    fc.record({ kind: fc.constant('ack' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('late' as const), pick: fc.nat(), lots: fc.integer({ min: 1, max: 400 }) }),
  );
  let trade = 0;
  const fill = (id: string, qty: Quantity): OrderEvent => ({ kind: 'OrderFilled', clientOrderId: id, lastQty: qty, lastPx: Price.of('100', 2), tradeId: `t${++trade}` }) as unknown as OrderEvent;

  it('property: every child fits in parent − filled − working when sent; without late fills, filled + working ≤ parent throughout', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), fc.integer({ min: 1, max: 12 }), fc.boolean(), fc.boolean(), (steps, slices, limit, lateFills) => {
        const plan = planTwap(
          { kind: 'TWAP', parentId: 'P', accountId: 'A', instrumentId: BTC, side: 'BUY', quantity: '1', startTime: T0, endTime: T0 + 10 * MIN, slices, atEnd: 'SEND_REMAINDER', ...(limit ? { order: { type: 'LIMIT', price: '99' } } : {}) },
          inst,
          T0,
        );
        const ledger = new ChildLedger(3, 2);
        let now = T0;
        let stopped = false;
        const decide = () => {
          for (const a of decideScheduled(plan, ledger, now)) {
            if (a.do === 'submit') {
              expect(a.quantity.cmp(ledger.sendable(plan.quantity))).toBeLessThanOrEqual(0);
              expect(a.quantity.isZero()).toBe(false);
              ledger.add(`P-${ledger.children.length + 1}`, a.slice, a.quantity);
            } else if (a.do === 'cancel') {
              const c = ledger.children.find((x) => x.clientOrderId === a.clientOrderId)!;
              expect(c.cancelRequested).toBe(false);
              c.cancelRequested = true;
            } else stopped = true;
          }
        };
        decide();
        for (const s of steps) {
          if (stopped) break;
          const working = ledger.working();
          switch (s.kind) {
            case 'time':
              now += s.ms;
              break;
            case 'fill': {
              const c = working[s.pick % Math.max(1, working.length)];
              if (c) ledger.onEvent(fill(c.clientOrderId, Quantity.fromRaw(BigInt(Math.min(s.lots, Number(c.quantity.raw - c.filled.raw))), 3)));
              break;
            }
            case 'ack': {
              const c = working.filter((x) => x.cancelRequested)[0];
              if (c) ledger.onEvent({ kind: 'OrderCanceled', clientOrderId: c.clientOrderId } as unknown as OrderEvent);
              break;
            }
            case 'late': {
              const c = ledger.children.filter((x) => x.end?.kind === 'CANCELED')[s.pick % Math.max(1, ledger.children.length)];
              const left = c ? Number(c.quantity.raw - c.filled.raw) : 0;
              if (lateFills && c && left > 0) ledger.onEvent(fill(c.clientOrderId, Quantity.fromRaw(BigInt(Math.min(s.lots, left)), 3)));
              break;
            }
          }
          if (!lateFills) expect(ledger.filled.add(ledger.workingQuantity).cmp(plan.quantity)).toBeLessThanOrEqual(0);
          decide();
        }
      }),
    );
  });
});
