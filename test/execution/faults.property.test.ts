import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/engine/reconcile.ts';
import type { SubmitRequest } from '../../src/engine/venue.ts';
import type { CallFault } from '../../src/venues/sim/faults/index.ts';
import { executionSetup } from './setup.ts';

const callFault: fc.Arbitrary<CallFault | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant(undefined),
  fc.record({ kind: fc.constantFrom('TIMEOUT' as const, 'SERVER_ERROR' as const, 'NETWORK_RESET' as const), placed: fc.constant(true as const), dropReports: fc.boolean() }),
  fc.record({ kind: fc.constantFrom('TIMEOUT' as const, 'SERVER_ERROR' as const, 'NETWORK_RESET' as const), placed: fc.constant(false as const) }),
  fc.record({ kind: fc.constant('RATE_LIMIT' as const), retryAfterMs: fc.constantFrom(0, 500) }),
  fc.record({ kind: fc.constant('REJECT' as const) }),
  fc.constant({ kind: 'DELAY' as const }),
);

type Step =
  | { readonly do: 'submit'; readonly side: 'BUY' | 'SELL'; readonly market: boolean; readonly offset: number; readonly qty: number; readonly fault: CallFault | undefined }
  | { readonly do: 'cancel'; readonly pick: number; readonly fault: CallFault | undefined }
  | { readonly do: 'modify'; readonly pick: number; readonly offset: number; readonly fault: CallFault | undefined }
  | { readonly do: 'bar'; readonly move: number }
  | { readonly do: 'release' }
  | { readonly do: 'queryFault'; readonly times: number }
  | { readonly do: 'duplicate' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ do: fc.constant('submit' as const), side: fc.constantFrom('BUY' as const, 'SELL' as const), market: fc.boolean(), offset: fc.integer({ min: -3, max: 3 }), qty: fc.integer({ min: 1, max: 3 }), fault: callFault }),
  fc.record({ do: fc.constant('cancel' as const), pick: fc.nat(), fault: callFault }),
  fc.record({ do: fc.constant('modify' as const), pick: fc.nat(), offset: fc.integer({ min: -3, max: 3 }), fault: callFault }),
  fc.record({ do: fc.constant('bar' as const), move: fc.integer({ min: -3, max: 3 }) }),
  fc.constant({ do: 'release' as const }),
  fc.record({ do: fc.constant('queryFault' as const), times: fc.integer({ min: 1, max: 6 }) }),
  fc.constant({ do: 'duplicate' as const }),
);

describe('executor under random faults (property)', () => {
  it('one venue order per client order id, filled quantities never go backwards, and once settled our position is the venue’s', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 25 }), async (steps) => {
        const r = await executionSetup({ reportTimeoutMs: 2_000 });
        const placed = new Map<string, number>();
        const inner = r.ex.submit.bind(r.ex);
        r.ex.submit = (req: SubmitRequest) => {
          placed.set(req.spec.clientOrderId, (placed.get(req.spec.clientOrderId) ?? 0) + 1);
          inner(req);
        };
        const filled = new Map<string, bigint>();
        let backwards = '';
        r.engine.bus.subscribe('order', (e) => {
          const q = r.engine.order(e.clientOrderId)?.filledQty.raw ?? 0n;
          if (q < (filled.get(e.clientOrderId) ?? 0n)) backwards = `${e.clientOrderId} ${e.kind}`;
          filled.set(e.clientOrderId, q);
        });
        let px = 100;
        r.quote((px - 0.01).toFixed(2), (px + 0.01).toFixed(2), px.toFixed(2));
        let n = 0;
        const ids: string[] = [];
        for (const s of steps) {
          switch (s.do) {
            case 'submit': {
              const id = `P-${++n}`;
              if (s.fault) r.faults.addCallFault({ call: 'SUBMIT', clientOrderId: id, fault: s.fault });
              const res = await r.submit({
                clientOrderId: id,
                side: s.side,
                quantity: String(s.qty),
                ...(s.market ? { type: 'MARKET' as const } : { type: 'LIMIT' as const, price: (px + s.offset).toFixed(2) }),
              });
              if (res.denied.length === 0) ids.push(id);
              break;
            }
            case 'cancel':
            case 'modify': {
              const open = ids.filter((id) => r.engine.order(id)?.isOpen && ['ACCEPTED', 'PARTIALLY_FILLED', 'TRIGGERED'].includes(r.engine.order(id)!.status));
              const id = open[s.pick % Math.max(1, open.length)];
              if (!id) break;
              if (s.fault) r.faults.addCallFault({ call: s.do === 'cancel' ? 'CANCEL' : 'MODIFY', clientOrderId: id, fault: s.fault });
              const o = r.engine.order(id)!;
              if (s.do === 'cancel') await r.engine.cancelOrder(id);
              else if (o.price) await r.engine.modifyOrder(id, { price: (px + s.offset).toFixed(2) });
              break;
            }
            case 'bar': {
              const next = px + s.move;
              const hi = Math.max(px, next) + 1;
              const lo = Math.min(px, next) - 1;
              await r.bar(px.toFixed(2), hi.toFixed(2), lo.toFixed(2), next.toFixed(2));
              px = next;
              r.quote((px - 0.01).toFixed(2), (px + 0.01).toFixed(2), px.toFixed(2));
              break;
            }
            case 'release':
              await r.faults.releaseHeld();
              break;
            case 'queryFault':
              r.faults.addQueryFault({ code: 'VENUE_UNAVAILABLE', times: s.times });
              break;
            case 'duplicate':
              r.faults.addReportFault({ fault: 'DUPLICATE', times: 3 });
              break;
          }
          await r.settle();
        }
        // Everything settles: held calls go out, lost reports are found by reconciliation.
        await r.faults.releaseHeld();
        r.faults.flushReports();
        r.faults.resumeReports();
        await r.settle();
        // The venue answers again: use up the read faults still armed.
        for (let i = 0; i < 100; i++) {
          const ok = await r.faults.queries.positions().then(() => true, () => false);
          if (ok) break;
        }
        // Its reads are retried on the executor's timer, which settle() runs.
        const reconciled = reconcile(r.engine, r.executor);
        await r.settle();
        const report = await reconciled;

        if (process.env.DEBUG) console.log('SUMMARY', r.position(), r.faults.injected.length, JSON.stringify(r.executor.statistics().bySettlement), r.alerts.map((a) => a.code).join(','));
        for (const [id, count] of placed) expect(count, `${id} placed ${count} times`).toBeLessThanOrEqual(1);
        expect(backwards).toBe('');
        expect(report.positionMismatches).toEqual([]);
        expect(r.position()).toBe(await r.venuePosition());
        expect(r.alerts.filter((a) => a.code === 'ILLEGAL_TRANSITION' || a.code === 'OVERFILL')).toEqual([]);
      }),
      { numRuns: Number(process.env.RUNS ?? 40), seed: Number(process.env.SEED ?? 20261122) },
    );
  });
});
