/**
 * Password hashing with scrypt: each hash records its own salt and cost parameters
 * (`scrypt$N$r$p$salt$hash`, base64url), so the cost can be raised later without breaking the
 * hashes already stored. Verifying compares in constant time.
 */
import { randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { ValidationError } from '../../model/errors.ts';
import { constantTimeEqual, randomText } from './secrets.ts';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** 2^15 × 8 × 128 bytes = 32 MiB and ~50-100 ms a hash on a server core (OWASP's minimum is 2^17 with r 8 p 1 for scrypt; raise when the host allows). */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const opts: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, opts, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/**
 * Refuses a password that is not text or has fewer than 12 or more than 1024 characters
 * (WEAK_PASSWORD). The message gives the rule and the length, never the password.
 */
export function requirePasswordRules(password: unknown): asserts password is string {
  if (typeof password !== 'string') throw new ValidationError('WEAK_PASSWORD', 'a password must be text', { field: 'password' });
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    throw new ValidationError('WEAK_PASSWORD', `a password needs at least ${MIN_PASSWORD_LENGTH} characters, this one has ${length}`, { field: 'password', length, min: MIN_PASSWORD_LENGTH });
  }
  if (length > MAX_PASSWORD_LENGTH) {
    throw new ValidationError('WEAK_PASSWORD', `a password may have at most ${MAX_PASSWORD_LENGTH} characters, this one has ${length}`, { field: 'password', length, max: MAX_PASSWORD_LENGTH });
  }
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** 128 × N × r bytes: 128 MiB at N 2^17, r 8 (OWASP's scrypt figure, the most DEFAULT_SCRYPT's comment suggests raising to). */
const MAX_SCRYPT_MEMORY = 128 * 2 ** 17 * 8;
/** N × r × p, the hash's work: twice that of N 2^17, r 8, p 1. */
const MAX_SCRYPT_WORK = 2 * 2 ** 17 * 8;

/**
 * Whether a stored hash's cost is one scrypt takes (N a power of two above 1, r and p at least 1)
 * within the memory and work this code would ever write. Anything else is a tampered or foreign
 * row: refused before any work, so one row cannot make each login take gigabytes or minutes
 * (the bounds are on the products, since N, r and p multiply).
 */
function acceptableCost({ N, r, p }: ScryptParams): boolean {
  const valid = Number.isSafeInteger(N) && N > 1 && (N & (N - 1)) === 0 && Number.isSafeInteger(r) && r >= 1 && Number.isSafeInteger(p) && p >= 1;
  return valid && 128 * N * r <= MAX_SCRYPT_MEMORY && N * r * p <= MAX_SCRYPT_WORK;
}

const HASH_FORM = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

/** Whether the password matches the stored hash; false (never a throw) for a hash of another form. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = HASH_FORM.exec(stored);
  if (!m) return false;
  const params = { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (!acceptableCost(params)) return false;
  const key = await derive(password, Buffer.from(m[4]!, 'base64url'), params);
  return constantTimeEqual(key.toString('base64url'), m[5]!);
}

/**
 * A hash of a random password with the given cost, to verify against when the user does not
 * exist, so an unknown name takes as long as a wrong password (no user enumeration by timing).
 */
export function decoyHash(params: ScryptParams): Promise<string> {
  return hashPassword(randomText(24), params);
}

/** A random password for the first admin or a user added without one: 24 base64url characters (144 bits). */
export function generatePassword(): string {
  return randomText(18);
}
