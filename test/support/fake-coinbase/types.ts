/**
 * The shape every fake exchange server exports (as the helpers' brief fixes it), so adapter tests
 * drive Binance, Kraken and Coinbase fakes the same way.
 */
import type { FakeMatching } from '../fake-venue/matching.ts';

export interface FakeExchangeServer {
  /** The object to assign to `exchange.urls['api']` (`rest` and, for ccxt.pro, `ws`). */
  readonly urls: Record<string, unknown>;
  readonly apiKey: string;
  /** Coinbase: the EC P-256 private key PEM (SEC1, `BEGIN EC PRIVATE KEY`) as ccxt expects it. */
  readonly secret: string;
  readonly matching: FakeMatching;
  readonly faults: FakeFaults;
  /** Requests received (method, path, query/body params; never the Authorization header). */
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
