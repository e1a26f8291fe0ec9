import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TestClock } from '../../../../src/engine/clock.ts';
import type { Venue, VenueReport, VenueReportKind } from '../../../../src/engine/venue.ts';
import { createOrderSpec } from '../../../../src/model/orders/factory.ts';
import type { OrderSide } from '../../../../src/model/orders/types.ts';
import { SimulatedExchange } from '../../../../src/venues/sim/exchange/simulated-exchange.ts';
import { FaultInjectingVenue, type ReportFaultRule } from '../../../../src/venues/sim/faults/index.ts';
import { BTC, T0, cancelReq, modifyReq } from './fixtures.ts';

type Step =
  | { readonly op: 'submit'; readonly side: OrderSide; readonly ticks: number; readonly lots: number }
  | { readonly op: 'cancel'; readonly order: number }
  | { readonly op: 'modify'; readonly order: number; readonly ticks: number }
  | { readonly op: 'bar'; readonly points: readonly [number, number, number, number] };

const IDS = ['O-1', 'O-2', 'O-3', 'O-4', 'O-5', 'O-6'];
const KINDS: VenueReportKind[] = ['OrderAccepted', 'OrderFilled', 'OrderCanceled', 'OrderUpdated', 'OrderCancelRejected', 'OrderModifyRejected'];

/** An integer count of grid steps as decimal text, without going through a float. */
const decimal = (n: number, places: number) => `${Math.floor(n / 10 ** places)}.${String(n % 10 ** places).padStart(places, '0')}`;
const px = (ticks: number) => decimal(ticks, 2);
const qty = (lots: number) => decimal(lots, 3);
const ticks = fc.integer({ min: 9_500, max: 10_500 });

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('submit' as const), side: fc.constantFrom<OrderSide>('BUY', 'SELL'), ticks, lots: fc.integer({ min: 1, max: 3_000 }) }),
  fc.record({ op: fc.constant('cancel' as const), order: fc.integer({ min: 0, max: IDS.length - 1 }) }),
  fc.record({ op: fc.constant('modify' as const), order: fc.integer({ min: 0, max: IDS.length - 1 }), ticks }),
  fc.record({ op: fc.constant('bar' as const), points: fc.tuple(ticks, ticks, ticks, ticks) }),
);

const rule: fc.Arbitrary<ReportFaultRule> = fc.record(
  {
    fault: fc.constantFrom('DUPLICATE' as const, 'REORDER' as const, 'DROP' as const),
    reportKind: fc.oneof(fc.constantFrom(...KINDS), fc.subarray(KINDS, { minLength: 1 })),
    clientOrderId: fc.constantFrom(...IDS),
    times: fc.integer({ min: 1, max: 4 }),
    order: fc.constantFrom('REVERSE' as const, 'SHUFFLE' as const),
    seed: fc.integer({ min: 0, max: 1_000 }),
    flushAfter: fc.integer({ min: 1, max: 5 }),
  },
  { requiredKeys: ['fault'] },
);

/** Plays the steps against a fresh exchange, bare or wrapped, and returns what reached the sink. */
async function play(steps: readonly Step[], rules: readonly ReportFaultRule[] | undefined): Promise<VenueReport[]> {
  const clock = new TestClock(T0);
  const exchange = new SimulatedExchange({ id: 'SIM', clock });
  const wrapped = rules === undefined ? undefined : new FaultInjectingVenue(exchange, { reports: rules });
  const venue: Venue = wrapped ?? exchange;
  const delivered: VenueReport[] = [];
  venue.connect((r) => delivered.push(r));
  let submitted = 0;
  let minute = 0;
  for (const s of steps) {
    switch (s.op) {
      case 'submit': {
        const id = IDS[submitted++];
        if (id === undefined) break;
        const spec = createOrderSpec({ clientOrderId: id, accountId: 'A', instrumentId: BTC.id, side: s.side, type: 'LIMIT', quantity: qty(s.lots), price: px(s.ticks) }, BTC, clock.now());
        await venue.submit({ spec, instrument: BTC });
        break;
      }
      case 'cancel':
        await venue.cancel(cancelReq(IDS[s.order]!));
        break;
      case 'modify':
        await venue.modify(modifyReq(IDS[s.order]!, { price: px(s.ticks) }));
        break;
      case 'bar': {
        const [open, a, b, close] = s.points;
        const high = Math.max(open, a, b, close);
        const low = Math.min(open, a, b, close);
        exchange.onBar({ instrumentId: BTC.id, ts: T0 + minute * 60_000, durationMs: 60_000, open: px(open), high: px(high), low: px(low), close: px(close), volume: '100' }, BTC);
        minute++;
        clock.set(T0 + minute * 60_000);
        break;
      }
    }
  }
  wrapped?.flushReports();
  if (wrapped) expect(wrapped.heldReportCount).toBe(0);
  return delivered;
}

/** Reports compared by content (prices and money serialize as their exact text). */
function counts(reports: readonly VenueReport[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of reports) {
    const k = JSON.stringify(r);
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

describe('report faults, whatever the plan', () => {
  it('deliver only reports the exchange produced; without DROP every distinct report arrives; without DUPLICATE none arrives more often than produced', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), fc.array(rule, { maxLength: 4 }), async (steps, rules) => {
        const produced = counts(await play(steps, undefined));
        const delivered = counts(await play(steps, rules));
        for (const k of delivered.keys()) expect(produced.has(k)).toBe(true);
        if (!rules.some((r) => r.fault === 'DROP')) expect([...delivered.keys()].sort()).toEqual([...produced.keys()].sort());
        if (!rules.some((r) => r.fault === 'DUPLICATE')) for (const [k, n] of delivered) expect(n).toBeLessThanOrEqual(produced.get(k)!);
        if (!rules.some((r) => r.fault !== 'REORDER')) expect(delivered).toEqual(produced); // reordering alone loses and adds nothing
      }),
      { numRuns: 150 },
    );
  });
});
