/**
 * Secrets and their digests: random tokens, SHA-256 digests of what is stored in their place,
 * and constant-time comparison. Session tokens and API key secrets are 256 random bits, so a
 * plain SHA-256 digest is enough to store them (nothing to brute-force); passwords are not, and
 * go through scrypt (passwords.ts).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `bytes` random bytes as base64url text (no padding). */
export function randomText(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Equal without an early exit: the time taken does not tell how much of a guess was right. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  // Compare against itself when lengths differ so the work done does not depend on the guess.
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}

/** A new session token: `ws_` and 256 random bits. */
export function newSessionToken(): string {
  return `ws_${randomText(32)}`;
}

const KEY_FORM = /^wk_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

/** A new API key: `wk_<id>_<secret>`, id 12 alphanumerics (shown in lists), secret 256 random bits. */
export function newApiKey(): { readonly id: string; readonly secret: string; readonly key: string } {
  const id = randomText(16).replace(/[^A-Za-z0-9]/g, '').slice(0, 12).padEnd(12, '0');
  const secret = randomText(32);
  return { id, secret, key: `wk_${id}_${secret}` };
}

/** The id and secret of text of the API key form, or undefined. */
export function parseApiKey(text: string): { readonly id: string; readonly secret: string } | undefined {
  const m = KEY_FORM.exec(text);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}
