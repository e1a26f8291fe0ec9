import type { SubmitRequest } from '../engine/venue.ts';
import { backoffDelay } from './backoff.ts';
import type { OpenExecution } from './execution-log.ts';
import { decideFailure } from './failure.ts';
import { settleSubmit } from './settle.ts';
import { sleep } from './timer.ts';
import { trackOrder, type TrackedOrder } from './tracked-order.ts';
import type { ExecutionCore } from './core.ts';

/**
 * A submit: sent once; on a failure, what decideFailure says. Rate limited: back off, ask, and
 * resend the same request (same client order id) only when the venue does not have it.
 */
export async function submitFlow(c: ExecutionCore, req: SubmitRequest): Promise<void> {
  const id = req.spec.clientOrderId;
  const now = c.opts.clock.now();
  const ref = req.spec.type === 'LIMIT' || req.spec.type === 'STOP_LIMIT' || req.spec.type === 'LIMIT_IF_TOUCHED' ? req.spec.price : c.opts.arrivalPrice?.(req.spec.instrumentId);
  const o = trackOrder(req, now, ref === undefined ? undefined : Number(ref.toString()));
  c.track(o);
  const s = req.spec;
  const rec = c.open(id, 'SUBMIT', `${s.side} ${s.type} ${s.quantity.toString()}${ref && s.type !== 'MARKET' ? ` @ ${ref.toString()}` : ''} ${s.instrumentId}`, Number(s.quantity.toString()));
  o.submit = rec;
  for (let resend = 0; ; resend++) {
    if (resend > 0) c.retried(rec);
    const error = await c.attempt(rec, 'SUBMIT', () => c.inner.submit(req));
    if (rec.settlement) return; // the venue's report answered during the call
    if (error === undefined) return c.awaitReport(rec, () => resolveSubmit(c, o, rec, 'no report after the submit', false));
    const action = decideFailure('SUBMIT', error);
    switch (action.do) {
      case 'REFUSED':
        return c.settleWith(rec, [{ kind: 'OrderRejected', clientOrderId: id, reason: action.reason, ts: c.now() }], 'REJECTED', false, action.reason);
      case 'BACK_OFF_AND_QUERY': {
        if (resend >= c.policy.rateLimitResends) {
          const reason = `VENUE_RATE_LIMITED: still rate limited after ${resend} resends`;
          return c.settleWith(rec, [{ kind: 'OrderRejected', clientOrderId: id, reason, ts: c.now() }], 'REJECTED', false, reason);
        }
        await sleep(c.timer, backoffDelay(resend + 1, c.policy, c.opts.random, action.retryAfterMs));
        if (rec.settlement) return;
        const answer = await c.askOrder(rec, id, o.submittedAt);
        if (rec.settlement) return;
        // Never resend without knowing: a read that fails sends the order the unknown way.
        if (!answer.ok) return resolveSubmit(c, o, rec, `rate limited, then ${answer.reason}`, true);
        if (answer.value.status) return c.settleWith(rec, settleSubmit(answer.value.status, answer.value.fills, o.tradeIds, c.now()), 'QUERY', true);
        continue;
      }
      case 'RESOLVE_BY_QUERY':
      case 'RETRY':
      case 'SETTLE_BY_QUERY':
        return resolveSubmit(c, o, rec, action.reason, true);
    }
  }
}

/**
 * A submit whose outcome is not known. With `unknown` the engine is told first (the order goes
 * UNKNOWN); then the venue is asked by client order id until it answers: found, the reports that
 * bring the engine to the venue's state; not found after the grace checks (it may still be in
 * flight), a defensive cancel and NOT_AT_VENUE. A venue that cannot be asked leaves it UNKNOWN.
 */
export async function resolveSubmit(c: ExecutionCore, o: TrackedOrder, rec: OpenExecution, reason: string, unknown: boolean): Promise<void> {
  const id = o.spec.clientOrderId;
  if (unknown) c.goUnknown(rec, 'SUBMIT', reason);
  let notFound = 0;
  for (let round = 1; ; ) {
    const answer = await c.askOrder(rec, id, o.submittedAt);
    if (rec.settlement) return;
    if (!answer.ok) {
      if (round >= c.policy.queryRounds) return c.unresolved(rec, `submit of ${id}: ${answer.reason}`);
      c.alert('VENUE_QUERY_FAILED', `submit of ${id} unresolved, asking again in ${c.policy.queryRoundDelayMs} ms: ${answer.reason}`, { clientOrderId: id, round });
      round++;
      await sleep(c.timer, c.policy.queryRoundDelayMs);
      if (rec.settlement) return;
      continue;
    }
    if (answer.value.status) return c.settleWith(rec, settleSubmit(answer.value.status, answer.value.fills, o.tradeIds, c.now()), 'QUERY', true);
    if (++notFound > c.policy.notFoundChecks) break;
    await sleep(c.timer, c.policy.notFoundGraceMs);
    if (rec.settlement) return;
  }
  // Never there. Given up before the cancel goes, so that the venue's answer to it is swallowed.
  o.givenUp = true;
  c.defensiveCancel(o);
  const why = `NOT_AT_VENUE: not found at the venue after ${notFound} queries (${reason})`;
  if (!rec.wentUnknown) c.goUnknown(rec, 'SUBMIT', reason);
  c.settleWith(rec, [{ kind: 'OrderRejected', clientOrderId: id, reason: why, ts: c.now() }], 'NOT_AT_VENUE', false, why);
}

