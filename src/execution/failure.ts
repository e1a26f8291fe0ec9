import { VenueCallError } from '../model/errors.ts';

/** The three order-entry calls the executor performs. */
export type RequestKind = 'SUBMIT' | 'MODIFY' | 'CANCEL';

/**
 * What to do about a failed call. Decided from the call and the error alone (pure), then acted on
 * by the executor.
 * - RESOLVE_BY_QUERY: the venue may have acted (timeout, network, 5xx, or an error we cannot
 *   read): the order goes UNKNOWN and a query settles it; never resent blindly (FAULTS 15, 21).
 * - BACK_OFF_AND_QUERY: refused for the rate limit, so not acted on; wait, ask whether the venue
 *   has it anyway (an earlier attempt may have been ambiguous), resend only if not.
 * - REFUSED: not acted on and not worth repeating (rejected, or the connection is down).
 * - RETRY: a cancel, which is idempotent: sent again after a backoff.
 * - SETTLE_BY_QUERY: a cancel the venue refused (unknown or closed order): ask what became of it.
 */
export type FailureAction =
  | { readonly do: 'RESOLVE_BY_QUERY'; readonly code: string; readonly reason: string }
  | { readonly do: 'BACK_OFF_AND_QUERY'; readonly code: string; readonly reason: string; readonly retryAfterMs: number | undefined }
  | { readonly do: 'REFUSED'; readonly code: string; readonly reason: string }
  | { readonly do: 'RETRY'; readonly code: string; readonly reason: string; readonly retryAfterMs: number | undefined }
  | { readonly do: 'SETTLE_BY_QUERY'; readonly code: string; readonly reason: string };

/** The stable code of whatever a call threw; THREW for something that is not a VenueCallError. */
export function failureCode(e: unknown): string {
  return e instanceof VenueCallError ? e.code : 'THREW';
}

export function decideFailure(request: RequestKind, e: unknown): FailureAction {
  const message = e instanceof Error ? e.message : String(e);
  // A client library's own error (a TypeError deep in an HTTP stack): we cannot tell whether the
  // request left, so it is treated as ambiguous.
  if (!(e instanceof VenueCallError)) {
    return request === 'CANCEL' ? { do: 'RETRY', code: 'THREW', reason: message, retryAfterMs: undefined } : { do: 'RESOLVE_BY_QUERY', code: 'THREW', reason: message };
  }
  const code = e.code;
  switch (code) {
    case 'VENUE_TIMEOUT':
    case 'VENUE_NETWORK':
    case 'VENUE_UNAVAILABLE':
    case 'VENUE_QUERY_FAILED':
      return request === 'CANCEL' ? { do: 'RETRY', code, reason: message, retryAfterMs: undefined } : { do: 'RESOLVE_BY_QUERY', code, reason: `${code}: ${message}` };
    case 'VENUE_RATE_LIMITED':
      return request === 'CANCEL'
        ? { do: 'RETRY', code, reason: message, retryAfterMs: e.retryAfterMs }
        : { do: 'BACK_OFF_AND_QUERY', code, reason: message, retryAfterMs: e.retryAfterMs };
    case 'VENUE_DISCONNECTED':
      // Not sent. A cancel is worth repeating (the connection may come back within the retries).
      return request === 'CANCEL' ? { do: 'RETRY', code, reason: message, retryAfterMs: undefined } : { do: 'REFUSED', code, reason: 'VENUE_DISCONNECTED' };
    case 'VENUE_REJECTED':
      return request === 'CANCEL' ? { do: 'SETTLE_BY_QUERY', code, reason: message } : { do: 'REFUSED', code, reason: message };
    default:
      // A VenueCallError carries one of the codes above; any other (the property is typed ErrorCode) is unreadable, so ambiguous.
      return request === 'CANCEL' ? { do: 'RETRY', code, reason: message, retryAfterMs: undefined } : { do: 'RESOLVE_BY_QUERY', code, reason: `${code}: ${message}` };
  }
}
