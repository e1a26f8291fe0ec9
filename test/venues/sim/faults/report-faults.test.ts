import { describe, expect, it } from 'vitest';
import type { VenueReport } from '../../../../src/engine/venue.ts';
import { describeInjected, type ReportFaultRule } from '../../../../src/venues/sim/faults/index.ts';
import { faultSetup } from './fixtures.ts';

const THROUGH_100 = ['101.00', '101.00', '99.50', '100.50'] as const;

const tradeIds = (reports: readonly VenueReport[]) => reports.flatMap((r) => (r.kind === 'OrderFilled' ? [r.tradeId] : []));

describe('duplicate reports (FAULTS 20)', () => {
  it('every OrderFilled arrives twice with the same tradeId; the exchange recorded one fill', async () => {
    const h = faultSetup({ reports: [{ fault: 'DUPLICATE', reportKind: 'OrderFilled' }] });
    await h.buy('O-1', '100.00');
    await h.buy('O-2', '100.00');
    h.bar(...THROUGH_100);
    expect(h.kinds('O-1')).toEqual(['OrderAccepted', 'OrderFilled', 'OrderFilled']);
    const ids = tradeIds(h.reports);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(2);
    expect(ids[0]).toBe(ids[1]);
    expect(await h.venue.queries.fillsSince(0)).toHaveLength(2);
  });

  it('times 1: only the first matching report is doubled', async () => {
    const h = faultSetup({ reports: [{ fault: 'DUPLICATE', times: 1 }] });
    await h.buy('O-1');
    await h.buy('O-2');
    expect(h.kinds()).toEqual(['OrderAccepted', 'OrderAccepted', 'OrderAccepted']);
    expect(h.reports.map((r) => r.clientOrderId)).toEqual(['O-1', 'O-1', 'O-2']);
  });
});

describe('reordered reports', () => {
  it('the fill is delivered before its accept once flushed (REVERSE)', async () => {
    const h = faultSetup({ reports: [{ fault: 'REORDER', clientOrderId: 'O-1' }] });
    await h.buy('O-1', '100.00');
    h.bar(...THROUGH_100);
    expect(h.reports).toEqual([]);
    expect(h.venue.heldReportCount).toBe(2);
    h.venue.flushReports();
    expect(h.kinds()).toEqual(['OrderFilled', 'OrderAccepted']);
    expect(h.venue.heldReportCount).toBe(0);
  });

  it('flushAfter 2: the pair comes out by itself, reversed, as soon as two are held', async () => {
    const h = faultSetup({ reports: [{ fault: 'REORDER', reportKind: ['OrderAccepted', 'OrderCanceled'], flushAfter: 2 }] });
    await h.buy('O-1');
    expect(h.reports).toEqual([]);
    await h.cancel('O-1');
    expect(h.kinds()).toEqual(['OrderCanceled', 'OrderAccepted']);
  });

  it('SHUFFLE is seeded: the same seed gives the same order of the five acks, every run', async () => {
    const run = async (seed: number) => {
      const h = faultSetup({ reports: [{ fault: 'REORDER', reportKind: 'OrderAccepted', order: 'SHUFFLE', seed }] });
      for (const id of ['O-1', 'O-2', 'O-3', 'O-4', 'O-5']) await h.buy(id);
      h.venue.flushReports();
      return h.reports.map((r) => r.clientOrderId);
    };
    const first = await run(7);
    expect(await run(7)).toEqual(first);
    expect([...first].sort()).toEqual(['O-1', 'O-2', 'O-3', 'O-4', 'O-5']);
    const orders = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5, 6]) orders.add((await run(seed)).join());
    expect(orders.size).toBeGreaterThan(1); // it does shuffle
  });

  it('DUPLICATE and REORDER compose: both copies of the fill are held and come out together', async () => {
    const rules: ReportFaultRule[] = [
      { fault: 'DUPLICATE', reportKind: 'OrderFilled' },
      { fault: 'REORDER', clientOrderId: 'O-1' },
    ];
    const h = faultSetup({ reports: rules });
    await h.buy('O-1', '100.00');
    h.bar(...THROUGH_100);
    h.venue.flushReports();
    expect(h.kinds()).toEqual(['OrderFilled', 'OrderFilled', 'OrderAccepted']);
  });
});

describe('dropped reports', () => {
  it('a dropped fill is never delivered; the exchange still shows the order FILLED and the fill', async () => {
    const h = faultSetup({ reports: [{ fault: 'DROP', reportKind: 'OrderFilled' }] });
    await h.buy('O-1', '100.00');
    h.bar(...THROUGH_100);
    expect(h.kinds()).toEqual(['OrderAccepted']);
    expect(await h.status('O-1')).toBe('FILLED');
    expect((await h.venue.queries.fillsSince(0)).map((f) => f.clientOrderId)).toEqual(['O-1']);
    expect(h.venue.injected.map(describeInjected)).toEqual(['OrderFilled O-1: DROP']);
  });

  it('by client order id, times 1: only O-2’s first report is lost', async () => {
    const h = faultSetup({ reports: [{ fault: 'DROP', clientOrderId: 'O-2', times: 1 }] });
    await h.buy('O-1');
    await h.buy('O-2');
    await h.cancel('O-2');
    expect(h.reports.map((r) => `${r.kind} ${r.clientOrderId}`)).toEqual(['OrderAccepted O-1', 'OrderCanceled O-2']);
  });
});
