/** How the executor retries and how long it waits. All durations in ms. */
export interface RetryPolicy {
  /** Attempts of one read (order status, fills) before it counts as failed. */
  readonly readAttempts: number;
  /** First backoff delay; doubled on each retry, up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Fraction of each delay drawn at random (0: none), so that clients do not retry in step. */
  readonly jitter: number;
  /** After a failed read round, how long before the next round, and how many rounds before giving up (order stays UNKNOWN). */
  readonly queryRoundDelayMs: number;
  readonly queryRounds: number;
  /** An order not found after an ambiguous submit: looked for again after this grace, this many times, before it is declared NOT_AT_VENUE. */
  readonly notFoundGraceMs: number;
  readonly notFoundChecks: number;
  /** Resends of a rate-limited submit or modify (each after a query says it is not there). */
  readonly rateLimitResends: number;
  /** Attempts of one cancel (it is idempotent, so retried on ambiguous and rate-limit errors). */
  readonly cancelAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  readAttempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 5_000,
  jitter: 0,
  queryRoundDelayMs: 5_000,
  queryRounds: 3,
  notFoundGraceMs: 1_000,
  notFoundChecks: 3,
  rateLimitResends: 3,
  cancelAttempts: 4,
};

/**
 * The wait before retry number `retry` (1 for the first retry): base × 2^(retry-1), capped, less a
 * random part of up to `jitter` of it. A venue's own `retryAfterMs` wins when larger. Pure.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random?: () => number, retryAfterMs?: number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const jittered = policy.jitter > 0 && random ? exp - Math.floor(exp * policy.jitter * random()) : exp;
  return retryAfterMs !== undefined && retryAfterMs > jittered ? retryAfterMs : jittered;
}
