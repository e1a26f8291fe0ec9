/**
 * The invariant behind FAULTS 20 and 22 at IB, as a property: whatever mix of fills, dropped
 * sockets, lost stream messages and replayed executions, once the connection is back the engine
 * has every IB execution exactly once, and its filled quantity and position are IB's.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeIbkr, type FakeTws } from '../../support/fake-ibkr/server.ts';
import { AAPL, connectHarness, position, reportedTrades, until, type Harness } from './harness.ts';

type Step = { kind: 'trade'; qty: number } | { kind: 'drop' } | { kind: 'replay' } | { kind: 'hide'; on: boolean };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 40 }).map((qty) => ({ kind: 'trade' as const, qty })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'drop' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'replay' as const }) },
  { weight: 1, arbitrary: fc.boolean().map((on) => ({ kind: 'hide' as const, on })) },
);

let open: { tws: FakeTws; h: Harness } | undefined;

afterEach(async () => {
  await open?.h.close();
  await open?.tws.close();
  open = undefined;
});

describe('IBKR: no lost and no duplicated fill', () => {
  it('property: after any sequence of fills, drops, lost messages and replays, the engine holds each IB execution once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 10 }), async (steps) => {
        const tws = await startFakeIbkr();
        tws.book.quote('AAPL', 150.24, 150.26);
        const h = await connectHarness(tws);
        open = { tws, h };
        await h.engine.submitOrder({ clientOrderId: 'p-1', accountId: 'A', instrumentId: AAPL, side: 'BUY', type: 'LIMIT', quantity: '1000', price: '150.00', timeInForce: 'GTC' });
        await until(() => h.engine.order('p-1')?.status === 'ACCEPTED', 'accepted');
        for (const s of steps) {
          if (s.kind === 'trade') tws.book.trade('AAPL', 150, s.qty);
          else if (s.kind === 'drop') tws.faults.dropConnections();
          else if (s.kind === 'replay') tws.faults.replayExecutions();
          else tws.faults.hideReports(s.on);
          await new Promise((r) => setTimeout(r, 20));
        }
        tws.faults.hideReports(false);
        // A last drop brings a gap fill, as after any outage; then every execution is in.
        tws.faults.dropConnections();
        const atIb = [...tws.book.orders.values()][0]!.filled;
        await until(() => h.engine.order('p-1')!.filledQty.toString() === String(atIb) && h.engine.risk.stateOf('VENUE:IBKR') === 'ACTIVE', `filled ${atIb} (is ${h.engine.order('p-1')!.filledQty.toString()})`, 10_000);
        const ib = tws.book.executions.map((e) => e.execId).sort();
        // The adapter told each execution once (the engine would also drop a duplicate: asked before it).
        expect([...reportedTrades(h)].sort()).toEqual(ib);
        expect(h.events.flatMap((e) => (e.kind === 'OrderFilled' ? [e.tradeId as string] : [])).sort()).toEqual(ib);
        expect(position(h)).toBe(String(atIb));
        await h.close();
        await tws.close();
        open = undefined;
      }),
      { numRuns: 5 },
    );
  }, 90_000);
});
