/**
 * A message a sink could not deliver, as the service said: `retryAfterMs` when it asked us to
 * wait (HTTP 429 Retry-After, Discord's retry_after, Telegram's parameters.retry_after),
 * `permanent` when sending it again cannot help (a bad payload, a removed hook, a wrong chat).
 * Its message never holds the URL, token or password (they are secrets).
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly o: { readonly retryAfterMs?: number; readonly permanent?: boolean } = {},
  ) {
    super(message);
    this.name = 'DeliveryError';
  }

  get retryAfterMs(): number | undefined {
    return this.o.retryAfterMs;
  }

  get permanent(): boolean {
    return this.o.permanent ?? false;
  }
}

/** HTTP statuses worth trying again: the service is busy or broken for now. */
export function transientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** A Retry-After header's delay in ms (seconds, or an HTTP date), if it holds one. */
export function retryAfterHeader(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs) && secs >= 0) return Math.ceil(secs * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

export interface RetryPolicy {
  /** Attempts after the first (default 3). */
  readonly retries: number;
  /** First backoff, doubled after each failure, when the service does not say how long to wait. */
  readonly backoffMs: number;
  /** A service asking for longer than this is not waited for (the message counts as failed). */
  readonly maxWaitMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, backoffMs: 500, maxWaitMs: 60_000 };

/** What to do after a failed attempt: wait this long and try again, or give up. */
export function retryDecision(error: unknown, attempt: number, p: RetryPolicy): { readonly retry: true; readonly waitMs: number } | { readonly retry: false } {
  if (attempt >= p.retries) return { retry: false };
  if (error instanceof DeliveryError) {
    if (error.permanent) return { retry: false };
    if (error.retryAfterMs !== undefined) return error.retryAfterMs <= p.maxWaitMs ? { retry: true, waitMs: error.retryAfterMs } : { retry: false };
  }
  return { retry: true, waitMs: p.backoffMs * 2 ** attempt };
}

/**
 * Runs `attempt` until it succeeds or `retryDecision` gives up; the last error is thrown.
 * `sleep` returns false when the wait was cut short (the node is stopping): no more attempts then.
 */
export async function withRetries(attempt: () => Promise<void>, p: RetryPolicy, sleep: (ms: number) => Promise<boolean>): Promise<number> {
  for (let n = 0; ; n++) {
    try {
      await attempt();
      return n;
    } catch (e) {
      const d = retryDecision(e, n, p);
      if (!d.retry || !(await sleep(d.waitMs))) throw e;
    }
  }
}

/**
 * Resolves after `ms`, or at once when `signal` aborts; then its timer is cleared, so a wait cut
 * short by a stopping node does not keep the process alive until it would have ended.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}

/** The wall clock (ms since the epoch) when none is injected: sinks count rate limits and Retry-After dates in people's time, not the data's. */
export function wallClock(): number {
  return Math.floor(performance.timeOrigin + performance.now());
}
