/**
 * Lockout after repeated failed logins (FAULTS 39), as pure decisions over a failure record. A
 * subject (a user name or a source address) that fails `failures` times within `windowMs` is
 * locked for `lockMs`; a success clears its record.
 */
import { ValidationError } from '../../model/errors.ts';

export interface LockoutPolicy {
  readonly failures: number;
  readonly windowMs: number;
  readonly lockMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { failures: 5, windowMs: 900_000, lockMs: 900_000 };

export interface FailureRecord {
  /** Failures counted in the current window. */
  readonly count: number;
  /** When the current window began (epoch ms). */
  readonly firstAt: number;
  /** Locked until then (epoch ms), when locked. */
  readonly lockedUntil: number | undefined;
}

/** When the subject may try again, if it is locked now. */
export function lockedUntil(rec: FailureRecord | undefined, now: number): number | undefined {
  return rec?.lockedUntil !== undefined && rec.lockedUntil > now ? rec.lockedUntil : undefined;
}

/** The record after one more failure: a new window once the old one is over; locked on reaching the count. */
export function afterFailure(rec: FailureRecord | undefined, now: number, policy: LockoutPolicy): FailureRecord {
  const fresh = rec === undefined || now - rec.firstAt >= policy.windowMs || (rec.lockedUntil !== undefined && rec.lockedUntil <= now);
  const count = fresh ? 1 : rec.count + 1;
  const firstAt = fresh ? now : rec.firstAt;
  if (count >= policy.failures) return { count: 0, firstAt: now, lockedUntil: now + policy.lockMs };
  return { count, firstAt, lockedUntil: undefined };
}

/**
 * The record of a source address after a success, which was charged as a failure before its
 * password was checked (`before` → `charged`): the success takes back that charge only. Wiping
 * the record instead would let anyone with an account of their own reset the count of an address
 * spraying guesses at other names between two of their own logins. When nothing else was counted
 * meanwhile the record is as it was; otherwise one failure fewer (a lock other attempts set stays).
 */
export function afterSuccess(current: FailureRecord | undefined, charged: FailureRecord, before: FailureRecord | undefined): FailureRecord | undefined {
  if (current === undefined) return undefined;
  const untouched = current.count === charged.count && current.firstAt === charged.firstAt && current.lockedUntil === charged.lockedUntil;
  if (untouched) return before;
  if (current.lockedUntil !== undefined) return current;
  return current.count <= 1 ? undefined : { ...current, count: current.count - 1 };
}

export function requireLockoutPolicy(p: LockoutPolicy): LockoutPolicy {
  const ok = Number.isInteger(p.failures) && p.failures >= 1 && [p.windowMs, p.lockMs].every((v) => Number.isInteger(v) && v > 0);
  if (!ok) throw new ValidationError('INVALID_FIELD', 'lockout: failures must be an integer >= 1, window_ms and lock_ms positive integers', { field: 'lockout' });
  return p;
}
