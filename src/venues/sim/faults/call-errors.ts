import { VenueCallError } from '../../../model/errors.ts';
import type { AmbiguousCallFault, CallFault, QueryFaultRule, VenueCall, VenueQuery } from './rules.ts';

const AMBIGUOUS_CODE = {
  TIMEOUT: 'VENUE_TIMEOUT',
  SERVER_ERROR: 'VENUE_UNAVAILABLE',
  NETWORK_RESET: 'VENUE_NETWORK',
} as const satisfies Record<AmbiguousCallFault['kind'], VenueCallError['code']>;

const DEFAULT_RETRY_AFTER_MS = 1_000;

/** A fault that makes the call fail (all but DELAY, which only holds it). */
export type FailingCallFault = Exclude<CallFault, { kind: 'DELAY' }>;

/** The error a faulted call fails with. */
export function callError(fault: FailingCallFault, call: VenueCall, clientOrderId: string): VenueCallError {
  const context = { call, clientOrderId, injected: true };
  switch (fault.kind) {
    case 'TIMEOUT':
    case 'SERVER_ERROR':
    case 'NETWORK_RESET':
      return new VenueCallError(AMBIGUOUS_CODE[fault.kind], `${call} ${clientOrderId}: injected ${fault.kind}`, { ...context, placed: fault.placed });
    case 'REJECT': {
      const reason = fault.reason ?? 'INJECTED_REJECT';
      return new VenueCallError('VENUE_REJECTED', reason, { ...context, reason });
    }
    case 'RATE_LIMIT': {
      const retryAfterMs = fault.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
      return new VenueCallError('VENUE_RATE_LIMITED', `${call} ${clientOrderId}: injected rate limit, retry after ${retryAfterMs} ms`, context, retryAfterMs);
    }
  }
}

/** Whether the inner venue gets the call before it fails. */
export function forwardsCall(fault: CallFault): fault is Extract<AmbiguousCallFault, { placed: true }> {
  return (fault.kind === 'TIMEOUT' || fault.kind === 'SERVER_ERROR' || fault.kind === 'NETWORK_RESET') && fault.placed;
}

export function disconnectedError(what: VenueCall | VenueQuery, clientOrderId?: string): VenueCallError {
  return new VenueCallError('VENUE_DISCONNECTED', `${what}${clientOrderId ? ` ${clientOrderId}` : ''}: venue connection is down (injected)`, {
    call: what,
    ...(clientOrderId ? { clientOrderId } : {}),
    injected: true,
  });
}

export function queryError(code: QueryFaultRule['code'], query: VenueQuery): VenueCallError {
  return new VenueCallError(code, `${query}: injected ${code === 'VENUE_NETWORK' ? 'network reset' : 'server error'}`, { query, injected: true });
}
