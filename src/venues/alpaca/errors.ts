import { ApiError, FetchError } from '@alpacahq/alpaca-trade-api';
import { VenueCallError } from '../../model/errors.ts';

/** A call that changes orders (submit, replace, cancel) or a read (query, probe). */
export type CallKind = 'ORDER' | 'READ';

/** Alpaca's error codes (the `code` of its `{code, message}` body) that say what was refused. */
const REFUSALS: ReadonlyMap<number, string> = new Map([
  [40110000, 'AUTHENTICATION_FAILED'],
  [40310000, 'INSUFFICIENT_BALANCE'],
  [40410000, 'ORDER_NOT_FOUND'],
  [42210000, 'INVALID_ORDER'],
]);

/**
 * An error of the Alpaca SDK as Warden's venue codes. What may have been acted on (the SDK's
 * timeout, a network failure, a 5xx) is ambiguous and settled by a query, never resent blindly; a
 * 429 backs off with the SDK's Retry-After; what Alpaca refused is rejected with a stable code in
 * front of its words. A cancel of an order already closed (422 "order is already in \"filled\"
 * state") reads ORDER_NOT_FOUND: nothing to cancel, a query tells what became of it (FAULTS 16).
 * The SDK's messages carry no credentials (they travel in headers only).
 */
export function mapAlpacaError(e: unknown, kind: CallKind): unknown {
  if (e instanceof FetchError) {
    const name = (e.cause as { name?: string } | undefined)?.name;
    return new VenueCallError(name === 'TimeoutError' || name === 'AbortError' ? 'VENUE_TIMEOUT' : 'VENUE_NETWORK', `${e.message}: ${e.cause?.message ?? ''}`.slice(0, 300), { sdk: 'FetchError' });
  }
  if (!(e instanceof ApiError)) return e;
  const text = `${e.message} (HTTP ${e.status}${e.code !== undefined ? `, code ${String(e.code)}` : ''})`.slice(0, 300);
  if (e.status === 429) return new VenueCallError('VENUE_RATE_LIMITED', text, { status: String(e.status) }, e.retryAfterMs);
  if (e.status >= 500) return new VenueCallError('VENUE_UNAVAILABLE', text, { status: String(e.status) });
  const code = refusalCode(e);
  return new VenueCallError(kind === 'READ' ? 'VENUE_QUERY_FAILED' : 'VENUE_REJECTED', `${code}: ${text}`, { status: String(e.status) });
}

function refusalCode(e: ApiError): string {
  const known = typeof e.code === 'number' ? REFUSALS.get(e.code) : undefined;
  if (e.status === 422 && /already in "?(filled|canceled|expired|done_for_day|replaced)/i.test(e.message)) return 'ORDER_NOT_FOUND';
  if (known) return known;
  switch (e.status) {
    case 401:
    case 403:
      return 'AUTHENTICATION_FAILED';
    case 404:
      return 'ORDER_NOT_FOUND';
    default:
      return 'INVALID_ORDER';
  }
}

/** Alpaca does not have it: a 404, as the SDK raises it or as mapAlpacaError words it. */
export function isNotFound(e: unknown): boolean {
  return (e instanceof ApiError && e.status === 404) || (e instanceof VenueCallError && e.message.startsWith('ORDER_NOT_FOUND:'));
}
