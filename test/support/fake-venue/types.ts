/** The shape every fake exchange server exports, so the adapter tests drive them uniformly. */
import type { FakeMatching } from './matching.ts';

export interface FakeExchangeServer {
  /** The object to assign to `exchange.urls['api']` (REST keys and, for ccxt.pro, `ws`). */
  readonly urls: Record<string, unknown>;
  readonly apiKey: string;
  readonly secret: string;
  readonly matching: FakeMatching;
  readonly faults: FakeFaults;
  /** Requests received (method, path, without secrets) — for tests that assert what was sent. */
  readonly requests: readonly { method: string; path: string; params: Record<string, string> }[];
  close(): Promise<void>;
}

export interface FakeFaults {
  /** The next order placement times out; `placed` says whether the order was placed anyway. */
  submitTimeout(o: { placed: boolean }): void;
  /** The next n requests (matching an optional path) get the exchange's rate-limit answer (Binance: HTTP 429 + Retry-After and -1003). */
  rateLimit(o: { retryAfterSec: number; times?: number; path?: string }): void;
  /** The next n requests get a 5xx. */
  serverError(o: { status: 502 | 503 | 500; times?: number }): void;
  /** Exchange clock offset in ms: signed requests outside the receive window are refused (Binance -1021, Coinbase 401; Kraken: none). */
  clockSkew(ms: number): void;
  /** Drop every user/market WebSocket connection now (close frame, or socket destroy when abrupt). */
  dropSockets(o?: { abrupt?: boolean }): void;
  /** Keep sockets open but send nothing (no pushes, no pongs) until resumed. */
  stallSockets(on: boolean): void;
  /** Each execution report is pushed twice / out of order. */
  duplicateReports(on: boolean): void;
  reorderReports(on: boolean): void;
  /** Maintenance as the exchange shows it (Binance: symbols in BREAK, orders refused with -1013 "Market is closed."). */
  maintenance(on: boolean): void;
}
