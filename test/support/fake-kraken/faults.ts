/**
 * The fault switches of the fake Kraken, answered the way Kraken answers: rate limits and
 * refusals are HTTP 200 with an error in the envelope, outages are Cloudflare 5xx pages, and
 * maintenance shows in SystemStatus and as `EService:Unavailable` on trading calls.
 */
import type { FakeFaults } from './types.ts';

export type SystemStatus = 'online' | 'maintenance' | 'cancel_only' | 'post_only';

/** What the router must do instead of serving a request. */
export type HttpFault =
  | { kind: 'envelope-error'; error: string }
  | { kind: 'status'; status: number };

interface Countdown<T> {
  left: number;
  path: string | undefined;
  value: T;
}

/** Kraken's trading endpoints, which answer their own rate limit (`EOrder:`) and maintenance refusals. */
export const TRADING_PATHS = new Set(['AddOrder', 'AddOrderBatch', 'AmendOrder', 'EditOrder', 'CancelOrder', 'CancelAll', 'CancelOrderBatch', 'CancelAllOrdersAfter']);

export class KrakenFaults implements FakeFaults {
  private pendingTimeout: { placed: boolean } | undefined;
  private readonly queued: Countdown<HttpFault | 'rate-limit'>[] = [];
  private readonly dropListeners: ((abrupt: boolean) => void)[] = [];
  status: SystemStatus = 'online';
  stalled = false;
  duplicate = false;
  reorder = false;

  constructor(private readonly onNonceReset: () => void) {}

  // ---- the shared switches ----

  submitTimeout(o: { placed: boolean }): void {
    this.pendingTimeout = { placed: o.placed };
  }

  /** Kraken has no Retry-After: the answer is HTTP 200 with `EAPI:Rate limit exceeded` (`EOrder:` on trading calls); retryAfterSec is ignored. */
  rateLimit(o: { retryAfterSec: number; times?: number; path?: string }): void {
    this.queued.push({ left: o.times ?? 1, path: o.path, value: 'rate-limit' });
  }

  serverError(o: { status: 502 | 503 | 500 | 520; times?: number }): void {
    this.queued.push({ left: o.times ?? 1, path: undefined, value: { kind: 'status', status: o.status } });
  }

  /** A no-op: Kraken signs with a nonce, not a timestamp, so a skewed clock refuses nothing. See nonceReset. */
  clockSkew(_ms: number): void {}

  dropSockets(o?: { abrupt?: boolean }): void {
    for (const l of [...this.dropListeners]) l(o?.abrupt ?? false);
  }

  stallSockets(on: boolean): void {
    this.stalled = on;
  }

  duplicateReports(on: boolean): void {
    this.duplicate = on;
  }

  reorderReports(on: boolean): void {
    this.reorder = on;
  }

  maintenance(on: boolean): void {
    this.status = on ? 'maintenance' : 'online';
  }

  // ---- Kraken's own ----

  /** The next signed request is refused with `EAPI:Invalid nonce`. */
  nonceReset(): void {
    this.onNonceReset();
  }

  /** SystemStatus as Kraken reports it; cancel_only and post_only restrict AddOrder as Kraken does. */
  systemStatus(s: SystemStatus): void {
    this.status = s;
  }

  /** The next n requests (to an optional path such as `AddOrder`) get this Kraken error, e.g. `EService:Busy`, `EGeneral:Temporary lockout`. */
  rejectNext(o: { error: string; times?: number; path?: string }): void {
    this.queued.push({ left: o.times ?? 1, path: o.path, value: { kind: 'envelope-error', error: o.error } });
  }

  // ---- for the server ----

  onDrop(l: (abrupt: boolean) => void): void {
    this.dropListeners.push(l);
  }

  /** The fault that replaces this request, if one is queued for it (consumed). */
  takeHttpFault(path: string): HttpFault | undefined {
    const i = this.queued.findIndex((q) => q.path === undefined || q.path === path);
    if (i < 0) return undefined;
    const q = this.queued[i]!;
    if (--q.left <= 0) this.queued.splice(i, 1);
    if (q.value !== 'rate-limit') return q.value;
    return { kind: 'envelope-error', error: TRADING_PATHS.has(path) ? 'EOrder:Rate limit exceeded' : 'EAPI:Rate limit exceeded' };
  }

  takeSubmitTimeout(): { placed: boolean } | undefined {
    const t = this.pendingTimeout;
    this.pendingTimeout = undefined;
    return t;
  }
}
