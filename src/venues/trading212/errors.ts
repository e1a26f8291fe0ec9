import { VenueCallError } from '../../model/errors.ts';
import type { T212ErrorBody } from './wire.ts';

/** A call that changes orders (submit, cancel) or a read (poll, query). */
export type CallKind = 'ORDER' | 'READ';

/**
 * Trading 212's error words (the `code` of a 400 body) Warden knows, as its stable reason codes;
 * anything else is an INVALID_ORDER with the broker's words after it.
 */
const KNOWN_CODES: readonly [RegExp, string][] = [
  [/insufficient|notenough/i, 'INSUFFICIENT_BALANCE'],
  [/notowned|sellingequitynotowned|insufficientquantity/i, 'INSUFFICIENT_POSITION'],
  [/marketclosed|instrumentnottradable|closed/i, 'MARKET_CLOSED'],
  [/minquantity|quantityprecision|invalidquantity|minvalue/i, 'INVALID_QUANTITY'],
  [/price/i, 'INVALID_PRICE'],
];

function reasonOf(body: T212ErrorBody | undefined): string {
  const code = body?.code ?? '';
  const hit = KNOWN_CODES.find(([re]) => re.test(code));
  return hit ? hit[1] : 'INVALID_ORDER';
}

/** A body's words, short and without anything but the broker's own text (never our headers). */
function wordsOf(status: number, body: T212ErrorBody | undefined, raw: string): string {
  const words = body?.code !== undefined ? `${body.code}${body.clarification ? `: ${body.clarification}` : ''}` : raw;
  return `HTTP ${status} ${words}`.slice(0, 300);
}

/**
 * An HTTP answer that is not 2xx as Warden's venue error. What may have been acted on (408
 * timed-out, 5xx) is ambiguous; what was refused is rejected with a stable code in front of the
 * broker's words; a 429 is rate limited (the executor backs off and asks before any resend).
 */
export function httpError(kind: CallKind, status: number, body: T212ErrorBody | undefined, raw: string, retryAfterMs: number | undefined): VenueCallError {
  const words = wordsOf(status, body, raw);
  const refused = (code: string) => new VenueCallError(kind === 'READ' ? 'VENUE_QUERY_FAILED' : 'VENUE_REJECTED', `${code}: ${words}`, { status });
  if (status === 429) return new VenueCallError('VENUE_RATE_LIMITED', words, { status }, retryAfterMs);
  if (status === 408) return new VenueCallError('VENUE_TIMEOUT', words, { status });
  if (status >= 500) return new VenueCallError('VENUE_UNAVAILABLE', words, { status });
  if (status === 401 || status === 403) return refused('AUTHENTICATION_FAILED');
  if (status === 404) return refused('ORDER_NOT_FOUND');
  return refused(reasonOf(body));
}

/** A fetch that threw: our timeout (ambiguous), a refused connection (nothing sent), or a reset (ambiguous). */
export function transportError(e: unknown, timedOut: boolean): VenueCallError {
  if (timedOut) return new VenueCallError('VENUE_TIMEOUT', 'no answer from Trading 212 in time');
  const cause = (e as { cause?: { code?: string } })?.cause?.code;
  if (cause === 'ECONNREFUSED') return new VenueCallError('VENUE_DISCONNECTED', 'Trading 212 refused the connection (nothing sent)');
  return new VenueCallError('VENUE_NETWORK', `the connection to Trading 212 broke${cause ? ` (${cause})` : ''}`);
}

export function isNotFound(e: unknown): boolean {
  return e instanceof VenueCallError && e.message.startsWith('ORDER_NOT_FOUND');
}
