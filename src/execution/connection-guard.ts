import type { Engine } from '../engine/engine.ts';
import type { AlertCode } from '../engine/alert-codes.ts';
import { reconcile, type ReconcileReport } from '../engine/reconcile.ts';
import type { VenueConnectionState } from '../engine/venue.ts';
import type { OrderStatus } from '../model/orders/status.ts';
import { venueScope } from '../engine/risk-state/events.ts';
import type { CancelChaser } from './cancel-chaser.ts';
import type { Executor } from './executor.ts';
import { chaseResentCancels } from './risk-stack.ts';

export interface ConnectionGuardOptions {
  /** Called with each reconciliation run on reconnect (for logs and tests). */
  readonly onReconciled?: (report: ReconcileReport) => void;
  /** Takes the cancels reconciliation resends, to see them through (src/execution/risk-stack.ts). */
  readonly chaser?: CancelChaser;
}

/** Statuses an order goes UNKNOWN from when its venue's connection drops (a pending cancel stays: it is settled as one). */
const IN_DOUBT: ReadonlySet<OrderStatus> = new Set(['SUBMITTED', 'ACCEPTED', 'TRIGGERED', 'PARTIALLY_FILLED', 'PENDING_UPDATE']);

/**
 * While a venue's connection is down its reports may be lost (FAULTS 22): every working order
 * there goes UNKNOWN (journaled, request CONNECTION), and no new risk is taken there. On DOWN the
 * venue's scope goes REDUCING (cancels and risk-reducing orders still pass the gate) with an
 * alert; on UP the engine is
 * reconciled with the venue (fills and order statuses lost meanwhile come back through its
 * queries) and only then is the scope ACTIVE again, if the guard set its state: a state an
 * operator set is lifted only by an operator (the engine refuses otherwise). Changes go through the journal like any other
 * trading state. Transitions run one at a time, in the order they came.
 *
 * Returns a function that stops the guard reacting (the listener stays registered; venues have no
 * way to remove one).
 */
export function guardConnection(engine: Engine, executor: Executor, opts: ConnectionGuardOptions = {}): () => void {
  const scope = venueScope(executor.id);
  let active = true;
  let chain = Promise.resolve();
  const alert = (code: AlertCode, message: string) => engine.bus.publish('alert', { code, message, context: { venue: executor.id, scope }, ts: engine.now() });
  const setState = async (state: 'ACTIVE' | 'REDUCING', reason: string) => {
    const t = engine.now();
    await engine.recordRisk([{ kind: 'TradingStateChanged', scope, state, source: 'VENUE', reason, tsEvent: t, tsInit: t }]);
  };
  const onChange = async (state: VenueConnectionState): Promise<void> => {
    if (!active) return;
    switch (state) {
      case 'DOWN':
        // Never loosen: a scope an operator HALTED stays HALTED.
        if (engine.risk.stateOf(scope) === 'ACTIVE') await setState('REDUCING', `connection to ${executor.id} lost: reports may be missing`);
        for (const o of [...engine.openOrders()]) {
          if (!IN_DOUBT.has(o.status) || engine.instrument(o.instrumentId).venue !== executor.id) continue;
          engine.applyVenueReport(executor.id, { kind: 'OrderStatusUnknown', clientOrderId: o.clientOrderId, request: 'CONNECTION', reason: `connection to ${executor.id} lost`, ts: engine.now() });
        }
        alert('VENUE_DISCONNECTED', `connection to ${executor.id} lost: ${scope} is REDUCING and its working orders UNKNOWN until reconciled`);
        return;
      case 'UP': {
        // Its own requests may still be in flight: a pending modify is the executor's to settle.
        const report = await reconcile(engine, executor, { requestsInFlight: true });
        if (opts.chaser) chaseResentCancels(opts.chaser, report);
        opts.onReconciled?.(report);
        // Only what we set is lifted: a state an operator (or a breaker) set, before or meanwhile, stays.
        if (engine.risk.stateOf(scope) === 'REDUCING' && engine.risk.sourceOf(scope) === 'VENUE') {
          await setState('ACTIVE', `connection to ${executor.id} back and reconciled`);
        }
        alert('VENUE_RECONNECTED', `connection to ${executor.id} back: reconciled (${report.fillsSeen} fills seen), ${scope} is ${engine.risk.stateOf(scope)}`);
        return;
      }
    }
  };
  executor.onConnection((state) => {
    chain = chain
      .then(() => onChange(state))
      .catch((e: unknown) => alert('CONNECTION_GUARD_FAILED', `${scope} ${state}: ${(e as Error)?.message ?? String(e)}`));
  });
  return () => {
    active = false;
  };
}
