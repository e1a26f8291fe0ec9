/** The shape every fake exchange server exports (see the helpers' brief), so adapter tests drive them uniformly. */
import type { FakeMatching } from '../fake-venue/matching.ts';

export interface FakeExchangeServer {
  /** The object to assign to `exchange.urls['api']` (ccxt.pro's ws urls included under `ws`). */
  readonly urls: Record<string, unknown>;
  readonly apiKey: string;
  readonly secret: string;
  readonly matching: FakeMatching;
  readonly faults: FakeFaults;
  /** Requests received (method, path, parameters; never the key or the signature). */
  readonly requests: readonly { method: string; path: string; params: Record<string, string> }[];
  close(): Promise<void>;
}

export interface FakeFaults {
  submitTimeout(o: { placed: boolean }): void;
  rateLimit(o: { retryAfterSec: number; times?: number; path?: string }): void;
  serverError(o: { status: 502 | 503 | 500; times?: number }): void;
  clockSkew(ms: number): void;
  dropSockets(o?: { abrupt?: boolean }): void;
  stallSockets(on: boolean): void;
  duplicateReports(on: boolean): void;
  reorderReports(on: boolean): void;
  maintenance(on: boolean): void;
}
