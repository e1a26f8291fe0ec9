/**
 * The fault switches of the fake Binance: plain state the HTTP layer and the WebSocket layers
 * consult, plus the socket actions (drop) the WebSocket layers register for.
 */
import type { FakeFaults } from './types.ts';

interface RateLimitFault {
  retryAfterSec: number;
  times: number;
  path: string | undefined;
}

export class BinanceFaults implements FakeFaults {
  skewMs = 0;
  stalled = false;
  duplicate = false;
  reorder = false;
  inMaintenance = false;
  /** Set by submitTimeout: the next placement is held; `placed` says whether it is booked first. */
  pendingTimeout: { placed: boolean } | undefined;
  private rate: RateLimitFault | undefined;
  private server: { status: 500 | 502 | 503; times: number } | undefined;
  private readonly droppers: ((abrupt: boolean) => void)[] = [];
  private readonly stallWatchers: ((on: boolean) => void)[] = [];

  submitTimeout(o: { placed: boolean }): void {
    this.pendingTimeout = { placed: o.placed };
  }

  rateLimit(o: { retryAfterSec: number; times?: number; path?: string }): void {
    this.rate = { retryAfterSec: o.retryAfterSec, times: o.times ?? 1, path: o.path };
  }

  serverError(o: { status: 502 | 503 | 500; times?: number }): void {
    this.server = { status: o.status, times: o.times ?? 1 };
  }

  clockSkew(ms: number): void {
    this.skewMs = ms;
  }

  dropSockets(o?: { abrupt?: boolean }): void {
    for (const d of this.droppers) d(o?.abrupt ?? false);
  }

  stallSockets(on: boolean): void {
    this.stalled = on;
    for (const w of this.stallWatchers) w(on);
  }

  duplicateReports(on: boolean): void {
    this.duplicate = on;
  }

  reorderReports(on: boolean): void {
    this.reorder = on;
  }

  maintenance(on: boolean): void {
    this.inMaintenance = on;
  }

  // ---- consulted by the layers ----

  /** Consumes one rate-limit answer for this path, if one is due: the Retry-After seconds. */
  takeRateLimit(path: string): number | undefined {
    const r = this.rate;
    if (!r || (r.path !== undefined && !path.includes(r.path))) return undefined;
    if (--r.times <= 0) this.rate = undefined;
    return r.retryAfterSec;
  }

  takeServerError(): 500 | 502 | 503 | undefined {
    const s = this.server;
    if (!s) return undefined;
    if (--s.times <= 0) this.server = undefined;
    return s.status;
  }

  takeSubmitTimeout(): { placed: boolean } | undefined {
    const t = this.pendingTimeout;
    this.pendingTimeout = undefined;
    return t;
  }

  onDrop(f: (abrupt: boolean) => void): void {
    this.droppers.push(f);
  }

  onStall(f: (on: boolean) => void): void {
    this.stallWatchers.push(f);
  }
}
