import type { DeadOrderReport } from '../engine/dead-orders.ts';
import type { ClientOrderId } from '../model/identifiers.ts';
import type { OrderEvent } from '../model/orders/events.ts';
import { backoffDelay, DEFAULT_RETRY_POLICY } from './backoff.ts';

/**
 * Chasing an order that must be dead (a kill switch or a breaker canceled it): every cancel that
 * fails is sent again after a backoff, and an order that shows up working at the venue afterwards
 * (the cancel overtook its submit and came back "not found") is canceled at once, until the venue
 * confirms it closed. Pure: a chase and a signal give the next chase and the steps to perform;
 * CancelChaser (cancel-chaser.ts) performs them on the injected timer.
 */

export interface ChasePolicy {
  /** A cancel with no answer (canceled, refused, failed) after this long counts as failed. */
  readonly confirmWithinMs: number;
  /** First wait before a failed cancel is sent again; doubled on each failure, up to maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_CHASE_POLICY: ChasePolicy = { confirmWithinMs: 10_000, baseDelayMs: 100, maxDelayMs: 30_000 };

/** One order that must die. */
export interface Chase {
  readonly clientOrderId: ClientOrderId;
  /** Why it must die (the kill switch, a breaker on a scope), for alerts. */
  readonly why: string;
  /** Cancels that failed so far: the backoff grows with them. */
  readonly failures: number;
  /** A cancel is out and not answered yet: its answer (or its deadline) decides what comes next. */
  readonly outstanding: boolean;
}

/** What happened to a chased order. */
export type ChaseSignal =
  /** It is working at the venue: accepted, triggered, updated or partly filled. */
  | { readonly kind: 'APPEARED'; readonly what: string }
  /** A cancel was refused ("not found" while the submit was still on its way), threw, or could not be sent. */
  | { readonly kind: 'CANCEL_FAILED'; readonly reason: string }
  /** The cancel's deadline passed with no answer. */
  | { readonly kind: 'UNANSWERED' }
  /** The backoff after a failure is over. */
  | { readonly kind: 'RETRY_DUE' }
  /** Canceled, filled, expired or rejected: the venue confirmed it is dead. */
  | { readonly kind: 'CLOSED' };

/** What to do. `WAKE` replaces the chase's one timer; `SEND` sends a cancel; `FORGET` drops the chase and its timer. */
export type ChaseStep =
  | { readonly do: 'WAKE'; readonly inMs: number; readonly as: 'UNANSWERED' | 'RETRY_DUE' }
  | { readonly do: 'SEND' }
  | { readonly do: 'ALERT'; readonly code: 'CANCEL_RETRY' | 'DEAD_ORDER_WORKING'; readonly message: string }
  | { readonly do: 'FORGET' };

export interface ChaseDecision {
  /** The chase from now on; undefined once the order is confirmed dead. */
  readonly next: Chase | undefined;
  /** In order: a WAKE for a cancel's deadline comes before its SEND, so that an answer arriving during the send wins. */
  readonly steps: readonly ChaseStep[];
}

/** Starts chasing an order. `cancelSent`: its cancel is going out already (the risk control's cancel-all), so only its answer is awaited. */
export function startChase(clientOrderId: ClientOrderId, why: string, cancelSent: boolean, policy: ChasePolicy): ChaseDecision {
  const chase: Chase = { clientOrderId, why, failures: 0, outstanding: true };
  const wait: ChaseStep = { do: 'WAKE', inMs: policy.confirmWithinMs, as: 'UNANSWERED' };
  return { next: chase, steps: cancelSent ? [wait] : [wait, { do: 'SEND' }] };
}

export function decideChase(c: Chase, s: ChaseSignal, policy: ChasePolicy): ChaseDecision {
  switch (s.kind) {
    case 'CLOSED':
      return { next: undefined, steps: [{ do: 'FORGET' }] };
    case 'APPEARED':
      // A cancel already out will be answered (or time out); otherwise the order is killed now, not after the backoff.
      if (c.outstanding) return { next: c, steps: [] };
      return {
        next: { ...c, outstanding: true },
        steps: [
          { do: 'ALERT', code: 'DEAD_ORDER_WORKING', message: `order ${c.clientOrderId} must be dead (${c.why}) but is working at the venue (${s.what}): canceled again` },
          { do: 'WAKE', inMs: policy.confirmWithinMs, as: 'UNANSWERED' },
          { do: 'SEND' },
        ],
      };
    case 'CANCEL_FAILED':
      return failed(c, s.reason, policy);
    case 'UNANSWERED':
      return c.outstanding ? failed(c, `no answer within ${policy.confirmWithinMs} ms`, policy) : { next: c, steps: [] };
    case 'RETRY_DUE':
      if (c.outstanding) return { next: c, steps: [] };
      return { next: { ...c, outstanding: true }, steps: [{ do: 'WAKE', inMs: policy.confirmWithinMs, as: 'UNANSWERED' }, { do: 'SEND' }] };
  }
}

function failed(c: Chase, reason: string, policy: ChasePolicy): ChaseDecision {
  const failures = c.failures + 1;
  const inMs = backoffDelay(failures, { ...DEFAULT_RETRY_POLICY, baseDelayMs: policy.baseDelayMs, maxDelayMs: policy.maxDelayMs, jitter: 0 });
  return {
    next: { ...c, failures, outstanding: false },
    steps: [
      { do: 'ALERT', code: 'CANCEL_RETRY', message: `cancel ${failures} of ${c.clientOrderId} (${c.why}) failed: ${reason}; sent again in ${inMs} ms` },
      { do: 'WAKE', inMs, as: 'RETRY_DUE' },
    ],
  };
}

/**
 * What an order event means for a chase, given whether the order is still open after it. A cancel
 * refused while the order is open is a failure: "not found" may mean its submit is still on the way.
 */
export function signalOf(e: OrderEvent, stillOpen: boolean): ChaseSignal | undefined {
  if (!stillOpen) return { kind: 'CLOSED' };
  switch (e.kind) {
    case 'OrderAccepted':
    case 'OrderTriggered':
    case 'OrderUpdated':
      return { kind: 'APPEARED', what: e.kind };
    case 'OrderFilled':
      return { kind: 'APPEARED', what: `filled ${e.lastQty.toString()} at ${e.lastPx.toString()}` };
    case 'OrderCancelRejected':
      return { kind: 'CANCEL_FAILED', reason: `refused: ${e.reason}` };
    default:
      return undefined;
  }
}

/**
 * What a report about an order dead to us (closed unfilled in our books, engine/dead-orders.ts)
 * means for its chase at the venue. A refused cancel: we saw the order working, so "not found"
 * means it is gone, unless the venue, asked (`venueSaysOpen`), still lists it as open.
 */
export function signalOfDeadOrder(v: DeadOrderReport['verdict'], venueSaysOpen: boolean): ChaseSignal {
  switch (v.do) {
    case 'KILL':
      return { kind: 'APPEARED', what: v.what };
    case 'GONE':
      return { kind: 'CLOSED' };
    case 'CANCEL_REFUSED':
      return venueSaysOpen ? { kind: 'CANCEL_FAILED', reason: `refused: ${v.reason}` } : { kind: 'CLOSED' };
  }
}
