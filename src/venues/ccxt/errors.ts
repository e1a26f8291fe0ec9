import { loadedCcxt } from './library.ts';
import { VenueCallError } from '../../model/errors.ts';

/** What the adapter does about a ccxt error beyond mapping it: resync the clock (FAULTS 32). */
export interface MappedError {
  /** A VenueCallError, or what was thrown when it is not ccxt's. */
  readonly error: unknown;
  readonly resyncTime: boolean;
}

/** A call that changes orders (submit, modify, cancel) or a read (query, stream). */
export type CallKind = 'ORDER' | 'READ';

/**
 * ccxt's error classes as Warden's venue codes, most specific first. What may have been acted on
 * (timeouts, network failures, an unreadable answer, a duplicate id from an earlier attempt) is
 * ambiguous and settled by a query, never resent blindly; what the exchange refused is rejected
 * with a stable code in front of its words; a rate limit backs off, honouring Retry-After.
 */
export function mapCcxtError(e: unknown, kind: CallKind, retryAfterMs: number | undefined, unknownOrder?: RegExp): MappedError {
  const ccxt = loadedCcxt();
  if (!ccxt || !(e instanceof ccxt.BaseError)) return { error: e, resyncTime: false };
  const text = cleanMessage(e.message);
  const rejected = (code: string) => ({ error: new VenueCallError(kind === 'READ' ? 'VENUE_QUERY_FAILED' : 'VENUE_REJECTED', `${code}: ${text}`, { ccxt: e.constructor.name }), resyncTime: false });
  const as = (code: ConstructorParameters<typeof VenueCallError>[0], resync = false, after?: number) => ({
    error: new VenueCallError(code, text, { ccxt: e.constructor.name }, after),
    resyncTime: resync,
  });
  if (e instanceof ccxt.InsufficientFunds) return rejected('INSUFFICIENT_BALANCE');
  // `unknownOrder`: the exchange's words for it where ccxt raises another class (the profile's).
  if (e instanceof ccxt.OrderNotFound || unknownOrder?.test(e.message)) return rejected('ORDER_NOT_FOUND');
  if (e instanceof ccxt.OrderImmediatelyFillable) return rejected('POST_ONLY_WOULD_CROSS');
  // Our ids are unique, so the exchange has this one from an earlier attempt whose answer was lost.
  if (e instanceof ccxt.DuplicateOrderId) return as('VENUE_NETWORK');
  if (e instanceof ccxt.MarketClosed) return rejected('MARKET_CLOSED');
  if (e instanceof ccxt.OnMaintenance) return rejected('VENUE_UNAVAILABLE');
  if (e instanceof ccxt.AuthenticationError || e instanceof ccxt.AccountSuspended) return rejected('AUTHENTICATION_FAILED');
  if (e instanceof ccxt.InvalidOrder || e instanceof ccxt.BadRequest || e instanceof ccxt.ArgumentsRequired || e instanceof ccxt.NotSupported) return rejected('INVALID_ORDER');
  if (e instanceof ccxt.RateLimitExceeded || e instanceof ccxt.DDoSProtection) return as('VENUE_RATE_LIMITED', false, retryAfterMs);
  // A signed request outside the receive window was refused unread: resync, then the executor asks
  // whether the order is there before sending it again (never blindly).
  if (e instanceof ccxt.InvalidNonce) return as('VENUE_RATE_LIMITED', true, 0);
  if (e instanceof ccxt.RequestTimeout) return as('VENUE_TIMEOUT');
  if (e instanceof ccxt.ExchangeNotAvailable) return as('VENUE_UNAVAILABLE');
  if (e instanceof ccxt.NetworkError || e instanceof ccxt.BadResponse || e instanceof ccxt.CancelPending) return as('VENUE_NETWORK');
  if (e instanceof ccxt.OperationRejected) return rejected('REJECTED');
  return rejected('EXCHANGE_ERROR');
}

/** The seconds (or HTTP date) of a Retry-After header, in ms. */
export function retryAfterMs(headers: Readonly<Record<string, unknown>> | undefined, now: number): number | undefined {
  const raw = headers?.['retry-after'] ?? headers?.['Retry-After'];
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(String(raw));
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * ccxt's message without what a signed request carries in its URL (signature, timestamp, keys):
 * ccxt puts the request URL in front of the exchange's answer.
 */
export function cleanMessage(message: string): string {
  return message.replace(/([?&](?:signature|apiKey|api_key|key|token|nonce)=)[^&\s"]+/gi, '$1<redacted>').slice(0, 500);
}
