import type { ModifyRequest } from '../engine/venue.ts';
import { backoffDelay } from './backoff.ts';
import type { OpenExecution } from './execution-log.ts';
import { decideFailure } from './failure.ts';
import { modifyApplied, settleModify } from './settle.ts';
import { sleep } from './timer.ts';
import type { ExecutionCore } from './core.ts';

/** A modify: like a submit, never resent blindly; rate limited, resent only when a query shows it not applied. */
export async function modifyFlow(c: ExecutionCore, req: ModifyRequest): Promise<void> {
  const id = req.clientOrderId;
  const o = c.orders.get(id);
  const what = [req.quantity && `qty ${req.quantity.toString()}`, req.price && `px ${req.price.toString()}`, req.triggerPrice && `trigger ${req.triggerPrice.toString()}`].filter(Boolean).join(', ');
  const rec = c.open(id, 'MODIFY', `MODIFY ${what}`, 0);
  if (o) o.modify = rec;
  for (let resend = 0; ; resend++) {
    if (resend > 0) c.retried(rec);
    const error = await c.attempt(rec, 'MODIFY', () => c.inner.modify(req));
    if (rec.settlement) return;
    if (error === undefined) return c.awaitReport(rec, () => resolveModify(c, req, rec, 'no report after the modify', false));
    const action = decideFailure('MODIFY', error);
    switch (action.do) {
      case 'REFUSED':
        return c.settleWith(rec, [{ kind: 'OrderModifyRejected', clientOrderId: id, reason: action.reason, ts: c.now() }], 'REJECTED', false, action.reason);
      case 'BACK_OFF_AND_QUERY': {
        if (resend >= c.policy.rateLimitResends) {
          const reason = `VENUE_RATE_LIMITED: still rate limited after ${resend} resends`;
          return c.settleWith(rec, [{ kind: 'OrderModifyRejected', clientOrderId: id, reason, ts: c.now() }], 'REJECTED', false, reason);
        }
        await sleep(c.timer, backoffDelay(resend + 1, c.policy, c.opts.random, action.retryAfterMs));
        if (rec.settlement) return;
        const answer = await c.askOrder(rec, id);
        if (rec.settlement) return;
        if (!answer.ok) return resolveModify(c, req, rec, `rate limited, then ${answer.reason}`, true);
        const st = answer.value.status;
        // Resent only when the venue has the order, open, and not yet as asked.
        if (st && st.status === 'OPEN' && !modifyApplied(req, st)) continue;
        return resolveModify(c, req, rec, 'rate limited', false);
      }
      case 'RESOLVE_BY_QUERY':
      case 'RETRY':
      case 'SETTLE_BY_QUERY':
        return resolveModify(c, req, rec, action.reason, true);
    }
  }
}

/** A modify whose outcome is not known: the venue's order as it stands says whether it was applied. */
export async function resolveModify(c: ExecutionCore, req: ModifyRequest, rec: OpenExecution, reason: string, unknown: boolean): Promise<void> {
  const id = req.clientOrderId;
  const o = c.orders.get(id);
  if (unknown) c.goUnknown(rec, 'MODIFY', reason);
  for (let round = 1; ; round++) {
    const answer = await c.askOrder(rec, id);
    if (rec.settlement) return;
    if (answer.ok) {
      const st = answer.value.status;
      if (!st) return c.settleWith(rec, [{ kind: 'OrderModifyRejected', clientOrderId: id, reason: 'modify not applied: order not found at the venue', ts: c.now() }], 'QUERY', false);
      const reports = settleModify(req, st, answer.value.fills, o?.tradeIds ?? new Set(), c.now());
      return c.settleWith(rec, reports, 'QUERY', reports.some((r) => r.kind === 'OrderUpdated'));
    }
    if (round >= c.policy.queryRounds) return c.unresolved(rec, `modify of ${id}: ${answer.reason}`);
    c.alert('VENUE_QUERY_FAILED', `modify of ${id} unresolved, asking again in ${c.policy.queryRoundDelayMs} ms: ${answer.reason}`, { clientOrderId: id, round });
    await sleep(c.timer, c.policy.queryRoundDelayMs);
    if (rec.settlement) return;
  }
}

