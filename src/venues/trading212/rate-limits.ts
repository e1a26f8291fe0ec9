/**
 * Trading 212's per-endpoint rate limits and the pure decision of when a call may go. Limits are
 * per account, "burst allowance": up to `limit` calls in a period, then wait for the reset. The
 * limiter keeps a sliding window of its own sends (stricter than the server's fixed window: any
 * fixed window lies inside a sliding one), plus what the headers say (another client on the
 * account spent the quota: wait for x-ratelimit-reset), plus a 429 (wait for the reset).
 */

export const T212_ENDPOINTS = [
  'ORDER_MARKET',
  'ORDER_LIMIT',
  'ORDER_STOP',
  'ORDER_STOP_LIMIT',
  'ORDER_CANCEL',
  'ORDERS',
  'ORDER_BY_ID',
  'POSITIONS',
  'ACCOUNT_SUMMARY',
  'HISTORY_ORDERS',
  'INSTRUMENTS',
] as const;
export type T212Endpoint = (typeof T212_ENDPOINTS)[number];

export interface RateLimit {
  readonly limit: number;
  readonly periodMs: number;
}

/** As the API reference gives each endpoint ("Rate limit: 1 req / 2s" ...). */
export const DOCUMENTED_LIMITS: Readonly<Record<T212Endpoint, RateLimit>> = {
  ORDER_MARKET: { limit: 50, periodMs: 60_000 },
  ORDER_LIMIT: { limit: 1, periodMs: 2_000 },
  ORDER_STOP: { limit: 1, periodMs: 2_000 },
  ORDER_STOP_LIMIT: { limit: 1, periodMs: 2_000 },
  ORDER_CANCEL: { limit: 50, periodMs: 60_000 },
  ORDERS: { limit: 1, periodMs: 5_000 },
  ORDER_BY_ID: { limit: 1, periodMs: 1_000 },
  POSITIONS: { limit: 1, periodMs: 1_000 },
  ACCOUNT_SUMMARY: { limit: 1, periodMs: 5_000 },
  HISTORY_ORDERS: { limit: 6, periodMs: 60_000 },
  INSTRUMENTS: { limit: 1, periodMs: 50_000 },
};

/** The x-ratelimit-* headers of one answer, as numbers (absent when not sent or not a number). */
export interface RateHeaders {
  readonly limit?: number;
  readonly periodSec?: number;
  readonly remaining?: number;
  /** Unix time, seconds, when the period's count is reset. */
  readonly resetSec?: number;
  readonly used?: number;
}

export interface WindowState {
  readonly limit: number;
  readonly periodMs: number;
  /** Added to every window, for skew between our clock and the server's and request latency. */
  readonly guardMs: number;
  /** Our sends still inside the window, oldest first (epoch ms). */
  readonly sent: readonly number[];
  /** No call before this (a reset the server announced, or a 429). */
  readonly blockedUntil: number;
}

export function initialWindow(limit: RateLimit, guardMs: number): WindowState {
  return { limit: limit.limit, periodMs: limit.periodMs, guardMs, sent: [], blockedUntil: 0 };
}

/** The earliest time at or after `now` that a call may be sent. Pure. */
export function nextSlot(s: WindowState, now: number): number {
  const span = s.periodMs + s.guardMs;
  const live = s.sent.filter((t) => t > now - span);
  const byWindow = live.length < s.limit ? now : live[live.length - s.limit]! + span;
  return Math.max(now, byWindow, s.blockedUntil);
}

/** A send at `at` (which nextSlot allowed); sends that left the window are forgotten. */
export function recordSend(s: WindowState, at: number): WindowState {
  if (nextSlot(s, at) > at) throw new RangeError(`rate limiter: a send at ${at} before its slot ${nextSlot(s, at)}`);
  const span = s.periodMs + s.guardMs;
  return { ...s, sent: [...s.sent.filter((t) => t > at - span), at] };
}

/**
 * What an answer's headers and status teach: a smaller limit or a longer period than documented
 * is adopted (never a looser one); nothing remaining, or a 429, blocks until the announced reset
 * (a 429 without one: a whole period).
 */
export function observeAnswer(s: WindowState, now: number, status: number, h: RateHeaders | undefined): WindowState {
  let next = s;
  if (h?.limit !== undefined && h.limit >= 1 && h.limit < next.limit) next = { ...next, limit: Math.floor(h.limit) };
  if (h?.periodSec !== undefined && h.periodSec * 1000 > next.periodMs) next = { ...next, periodMs: h.periodSec * 1000 };
  const resetAt = h?.resetSec !== undefined ? h.resetSec * 1000 + s.guardMs : undefined;
  const exhausted = (h?.remaining !== undefined && h.remaining <= 0) || (h?.used !== undefined && h.used >= next.limit);
  if (status === 429) next = { ...next, blockedUntil: Math.max(next.blockedUntil, resetAt ?? now + next.periodMs + s.guardMs) };
  else if (exhausted && resetAt !== undefined) next = { ...next, blockedUntil: Math.max(next.blockedUntil, resetAt) };
  return next;
}

/** The x-ratelimit-* headers read from a response. */
export function rateHeadersOf(get: (name: string) => string | null): RateHeaders {
  const num = (name: string): number | undefined => {
    const v = get(name);
    if (v === null || v.trim() === '') return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  };
  const out: { -readonly [K in keyof RateHeaders]: RateHeaders[K] } = {};
  const pairs: [keyof RateHeaders, string][] = [
    ['limit', 'x-ratelimit-limit'],
    ['periodSec', 'x-ratelimit-period'],
    ['remaining', 'x-ratelimit-remaining'],
    ['resetSec', 'x-ratelimit-reset'],
    ['used', 'x-ratelimit-used'],
  ];
  for (const [k, name] of pairs) {
    const v = num(name);
    if (v !== undefined) out[k] = v;
  }
  return out;
}
