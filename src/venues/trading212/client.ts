import type { Clock } from '../../engine/clock.ts';
import type { Timer } from '../../execution/timer.ts';
import { VenueCallError } from '../../model/errors.ts';
import { httpError, transportError, type CallKind } from './errors.ts';
import { EndpointLimiter, SlotTooFar } from './limiter.ts';
import { rateHeadersOf, type RateLimit, type T212Endpoint } from './rate-limits.ts';
import type { T212AccountSummary, T212ErrorBody, T212HistoricalOrder, T212Instrument, T212Order, T212Page, T212Position } from './wire.ts';

export interface T212ClientOptions {
  /** Ends in /api/v0. */
  readonly baseUrl: string;
  readonly apiKey: string;
  /** Absent: the legacy form, the key alone in Authorization. */
  readonly secret: string | undefined;
  readonly clock: Clock;
  readonly timer: Timer;
  readonly limits: Readonly<Record<T212Endpoint, RateLimit>>;
  readonly guardMs: number;
  readonly timeoutMs: number;
  /** Longest an order call waits for its slot; reads wait as long as it takes. */
  readonly maxQueueMs: number;
}

/** A placement's body; figures are decimal text, written into the JSON as number tokens (exact). */
export type PlaceRequest =
  | { readonly type: 'MARKET'; readonly ticker: string; readonly quantity: string; readonly extendedHours: boolean }
  | { readonly type: 'LIMIT'; readonly ticker: string; readonly quantity: string; readonly limitPrice: string; readonly timeValidity: string }
  | { readonly type: 'STOP'; readonly ticker: string; readonly quantity: string; readonly stopPrice: string; readonly timeValidity: string }
  | { readonly type: 'STOP_LIMIT'; readonly ticker: string; readonly quantity: string; readonly stopPrice: string; readonly limitPrice: string; readonly timeValidity: string };

/** Tries of a read that meets 429s (a restart finds the account's quota spent by the process before). */
const READ_ATTEMPTS_ON_429 = 4;

const PLACE: Record<PlaceRequest['type'], { path: string; endpoint: T212Endpoint }> = {
  MARKET: { path: '/equity/orders/market', endpoint: 'ORDER_MARKET' },
  LIMIT: { path: '/equity/orders/limit', endpoint: 'ORDER_LIMIT' },
  STOP: { path: '/equity/orders/stop', endpoint: 'ORDER_STOP' },
  STOP_LIMIT: { path: '/equity/orders/stop_limit', endpoint: 'ORDER_STOP_LIMIT' },
};

/** The JSON of a placement, its figures as number tokens straight from decimal text (no float in between). */
export function placeBody(r: PlaceRequest): string {
  const num = (v: string) => {
    if (!/^-?\d+(\.\d+)?$/.test(v)) throw new VenueCallError('VENUE_REJECTED', `INVALID_ORDER: ${JSON.stringify(v)} is not a decimal number`);
    return v;
  };
  const parts = [`"ticker":${JSON.stringify(r.ticker)}`, `"quantity":${num(r.quantity)}`];
  if (r.type === 'MARKET') parts.push(`"extendedHours":${r.extendedHours}`);
  if (r.type === 'LIMIT' || r.type === 'STOP_LIMIT') parts.push(`"limitPrice":${num(r.limitPrice)}`);
  if (r.type === 'STOP' || r.type === 'STOP_LIMIT') parts.push(`"stopPrice":${num(r.stopPrice)}`);
  if (r.type !== 'MARKET') parts.push(`"timeValidity":${JSON.stringify(r.timeValidity)}`);
  return `{${parts.join(',')}}`;
}

/**
 * A small typed client of Trading 212's public API v0 on Node's fetch. Every call is paced by its
 * endpoint's limiter (never sent over the limit), authenticated with HTTP Basic (key id as user,
 * secret as password), bounded by a timeout, and its failure mapped to Warden's venue codes.
 * Credentials live only in the Authorization header; no message carries them.
 */
export class T212Client {
  readonly limiter: EndpointLimiter;
  private readonly auth: string;

  constructor(private readonly o: T212ClientOptions) {
    this.limiter = new EndpointLimiter(o.limits, o.guardMs, o.clock, o.timer);
    this.auth = o.secret === undefined ? o.apiKey : `Basic ${Buffer.from(`${o.apiKey}:${o.secret}`, 'utf8').toString('base64')}`;
  }

  place(r: PlaceRequest): Promise<T212Order> {
    const p = PLACE[r.type];
    return this.call<T212Order>('ORDER', p.endpoint, 'POST', p.path, placeBody(r));
  }

  async cancel(id: string): Promise<void> {
    await this.call<unknown>('ORDER', 'ORDER_CANCEL', 'DELETE', `/equity/orders/${encodeURIComponent(id)}`);
  }

  pendingOrders(): Promise<T212Order[]> {
    return this.call('READ', 'ORDERS', 'GET', '/equity/orders');
  }

  order(id: string): Promise<T212Order> {
    return this.call('READ', 'ORDER_BY_ID', 'GET', `/equity/orders/${encodeURIComponent(id)}`);
  }

  /** One page of the order history, newest first; `next` is the previous page's nextPagePath. */
  historyPage(next: string | undefined, limit = 50): Promise<T212Page<T212HistoricalOrder>> {
    return this.call('READ', 'HISTORY_ORDERS', 'GET', next ?? `/equity/history/orders?limit=${limit}`);
  }

  positions(): Promise<T212Position[]> {
    return this.call('READ', 'POSITIONS', 'GET', '/equity/positions');
  }

  accountSummary(): Promise<T212AccountSummary> {
    return this.call('READ', 'ACCOUNT_SUMMARY', 'GET', '/equity/account/summary');
  }

  instruments(): Promise<T212Instrument[]> {
    return this.call('READ', 'INSTRUMENTS', 'GET', '/equity/metadata/instruments');
  }

  /** A nextPagePath is absolute from the host (/api/v0/...): made relative to the base URL. */
  private url(path: string): string {
    const base = new URL(this.o.baseUrl);
    const prefix = base.pathname.replace(/\/$/, '');
    const rel = path.startsWith(prefix + '/') ? path.slice(prefix.length) : path;
    return `${base.origin}${prefix}${rel}`;
  }

  /**
   * A read refused for the rate limit is idempotent: it waits for the reset the 429 announced
   * (the limiter now holds it) and goes again, a few times. An order call is never resent here:
   * the executor asks the broker first (FAULTS 21).
   */
  private async call<T>(kind: CallKind, endpoint: T212Endpoint, method: string, path: string, body?: string): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once<T>(kind, endpoint, method, path, body);
      } catch (e) {
        if (kind === 'ORDER' || attempt >= READ_ATTEMPTS_ON_429 || !(e instanceof VenueCallError) || e.code !== 'VENUE_RATE_LIMITED') throw e;
      }
    }
  }

  private async once<T>(kind: CallKind, endpoint: T212Endpoint, method: string, path: string, body?: string): Promise<T> {
    try {
      await this.limiter.acquire(endpoint, kind === 'ORDER' ? this.o.maxQueueMs : Number.POSITIVE_INFINITY);
    } catch (e) {
      if (e instanceof SlotTooFar) throw new VenueCallError('VENUE_RATE_LIMITED', `${endpoint}: paced by Trading 212's rate limit, next slot in ${e.waitMs} ms (not sent)`, { endpoint }, e.waitMs);
      throw e;
    }
    const ctrl = new AbortController();
    let timedOut = false;
    const cancel = this.o.timer.schedule(this.o.timeoutMs, () => {
      timedOut = true;
      ctrl.abort();
    });
    let res: Response;
    let text: string;
    try {
      res = await fetch(this.url(path), {
        method,
        headers: { Authorization: this.auth, Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        ...(body !== undefined ? { body } : {}),
        signal: ctrl.signal,
      });
      text = await res.text();
    } catch (e) {
      throw transportError(e, timedOut);
    } finally {
      cancel();
    }
    const headers = rateHeadersOf((n) => res.headers.get(n));
    this.limiter.observe(endpoint, res.status, headers);
    if (res.ok) return (text === '' ? undefined : JSON.parse(text)) as T;
    const retryAfter = headers.resetSec !== undefined ? Math.max(0, headers.resetSec * 1000 - this.o.clock.now()) : undefined;
    throw httpError(kind, res.status, parseErrorBody(text), text.slice(0, 200), retryAfter);
  }
}

function parseErrorBody(text: string): T212ErrorBody | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}
