/**
 * Resume bookkeeping for the event stream: which records to apply, where to resume after a
 * disconnect, and how long to wait before reconnecting.
 */

/** A record is applied once: anything at or below the last applied sequence number is a repeat. */
export function admit(lastSeq: number, seq: number): 'apply' | 'duplicate' {
  return seq > lastSeq ? 'apply' : 'duplicate';
}

/**
 * The `from` to reconnect with. We ask for the last applied record again rather than the next one:
 * whether the server reads `from` as inclusive or exclusive, nothing is missed, and the one repeat
 * is dropped by `admit`.
 */
export function resumeFrom(lastSeq: number): number | undefined {
  return lastSeq > 0 ? lastSeq : undefined;
}

export function streamPath(lastSeq: number): string {
  const from = resumeFrom(lastSeq);
  return from === undefined ? '/api/stream' : `/api/stream?from=${from}`;
}

export interface Backoff {
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 250, maxMs: 10_000 };

/**
 * Delay before reconnect attempt `attempt` (0 first): exponential, capped, with "equal jitter"
 * (half fixed, half random) so a restarted server is not hit by every client at once. `unit` is a
 * random number in [0, 1), injected so the schedule is testable.
 */
export function backoffDelay(attempt: number, unit: number, b: Backoff = DEFAULT_BACKOFF): number {
  const exp = Math.min(b.maxMs, b.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(exp / 2 + (exp / 2) * Math.min(Math.max(unit, 0), 0.999999));
}
