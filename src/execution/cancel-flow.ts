import type { CancelRequest, VenueReport } from '../engine/venue.ts';
import type { ClientOrderId } from '../model/identifiers.ts';
import { backoffDelay } from './backoff.ts';
import type { OpenExecution } from './execution-log.ts';
import { decideFailure } from './failure.ts';
import { settleCancel } from './settle.ts';
import { sleep } from './timer.ts';
import type { ExecutionCore } from './core.ts';

/** A cancel: idempotent, so retried with backoff on ambiguous, rate-limit and connection errors; then settled by a query. */
export async function cancelFlow(c: ExecutionCore, req: CancelRequest): Promise<void> {
  const id = req.clientOrderId;
  const o = c.orders.get(id);
  const rec = c.open(id, 'CANCEL', 'CANCEL', 0);
  if (o) o.cancel = rec;
  let last = '';
  for (let n = 1; n <= c.policy.cancelAttempts; n++) {
    if (n > 1) c.retried(rec);
    const error = await c.attempt(rec, 'CANCEL', () => c.inner.cancel(req));
    if (rec.settlement) return;
    if (error === undefined) return c.awaitReport(rec, () => settleCancelByQuery(c, id, rec, 'no report after the cancel'));
    const action = decideFailure('CANCEL', error);
    last = `${action.code}: ${action.reason}`;
    if (action.do === 'SETTLE_BY_QUERY') return settleCancelByQuery(c, id, rec, action.reason);
    if (n < c.policy.cancelAttempts) await sleep(c.timer, backoffDelay(n, c.policy, c.opts.random, action.do === 'RETRY' ? action.retryAfterMs : undefined));
    if (rec.settlement) return;
  }
  return settleCancelByQuery(c, id, rec, `cancel failed after ${c.policy.cancelAttempts} attempts (${last})`);
}

/**
 * What became of an order whose cancel failed or was refused (FAULTS 16, 17): its fills and
 * terminal report when it closed, a cancel reject (and an alert) when it is still working.
 */
export async function settleCancelByQuery(c: ExecutionCore, id: ClientOrderId, rec: OpenExecution | undefined, refusal: string): Promise<void> {
  const o = c.orders.get(id);
  const answer = await c.askOrder(rec, id);
  if (rec?.settlement) return;
  if (!answer.ok) {
    c.alert('CANCEL_UNRESOLVED', `cancel of ${id}: ${refusal}; the venue could not be asked (${answer.reason})`, { clientOrderId: id });
    const reports: VenueReport[] = [{ kind: 'OrderCancelRejected', clientOrderId: id, reason: `${refusal}; venue not reachable`, ts: c.now() }];
    return rec ? c.settleWith(rec, reports, 'UNRESOLVED', false, refusal) : c.emitAll(reports);
  }
  const st = answer.value.status;
  const reports = settleCancel(id, st, answer.value.fills, o?.tradeIds ?? new Set(), refusal, c.now());
  const open = !st || st.status === 'OPEN';
  if (open) c.alert('CANCEL_FAILED', `cancel of ${id} failed and the order is ${st ? 'still working' : 'unknown to the venue'}: ${refusal}`, { clientOrderId: id });
  if (!rec) return c.emitAll(reports);
  c.settleWith(rec, reports, open ? 'STILL_OPEN' : 'QUERY', st?.status === 'CANCELED' || st?.status === 'EXPIRED', refusal);
}

