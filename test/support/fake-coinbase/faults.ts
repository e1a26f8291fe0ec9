/**
 * The fault switches of the fake Coinbase (FakeFaults), as plain state the HTTP and WebSocket
 * layers consult. Each one-shot fault is consumed by the request it hits.
 */
import type { FakeFaults } from './types.ts';

export type HttpFault =
  | { kind: 'rateLimit'; retryAfterSec: number }
  | { kind: 'serverError'; status: 500 | 502 | 503 };

export class CoinbaseFaults implements FakeFaults {
  /** Exchange clock offset (ms) against wall time: JWT validity is judged on it. */
  skewMs = 0;
  inMaintenance = false;
  stalled = false;
  duplicate = false;
  reorder = false;
  private pendingTimeout: { placed: boolean } | undefined;
  private readonly rateLimits: { retryAfterSec: number; left: number; path: string | undefined }[] = [];
  private serverErrors: { status: 500 | 502 | 503; left: number } | undefined;
  private readonly dropListeners: ((abrupt: boolean) => void)[] = [];
  private readonly stallListeners: ((on: boolean) => void)[] = [];

  submitTimeout(o: { placed: boolean }): void {
    this.pendingTimeout = { placed: o.placed };
  }

  rateLimit(o: { retryAfterSec: number; times?: number; path?: string }): void {
    this.rateLimits.push({ retryAfterSec: o.retryAfterSec, left: o.times ?? 1, path: o.path });
  }

  serverError(o: { status: 502 | 503 | 500; times?: number }): void {
    this.serverErrors = { status: o.status, left: o.times ?? 1 };
  }

  clockSkew(ms: number): void {
    this.skewMs = ms;
  }

  dropSockets(o?: { abrupt?: boolean }): void {
    for (const l of this.dropListeners) l(o?.abrupt ?? false);
  }

  stallSockets(on: boolean): void {
    this.stalled = on;
    for (const l of this.stallListeners) l(on);
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

  // ---- what the server layers consult ----

  onDrop(l: (abrupt: boolean) => void): void {
    this.dropListeners.push(l);
  }

  onStall(l: (on: boolean) => void): void {
    this.stallListeners.push(l);
  }

  /** The exchange's clock. */
  now(): number {
    return Date.now() + this.skewMs;
  }

  /** The fault this request meets before the exchange looks at it, if any (consumed). */
  takeHttpFault(path: string): HttpFault | undefined {
    const rl = this.rateLimits.find((r) => r.left > 0 && (r.path === undefined || path.includes(r.path)));
    if (rl) {
      rl.left--;
      return { kind: 'rateLimit', retryAfterSec: rl.retryAfterSec };
    }
    if (this.serverErrors && this.serverErrors.left > 0) {
      this.serverErrors.left--;
      return { kind: 'serverError', status: this.serverErrors.status };
    }
    return undefined;
  }

  /** The submit-timeout fault, if armed (consumed by the next order placement). */
  takeSubmitTimeout(): { placed: boolean } | undefined {
    const t = this.pendingTimeout;
    this.pendingTimeout = undefined;
    return t;
  }
}
