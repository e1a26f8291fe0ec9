/** Password hashing (scrypt with recorded salt and cost) and the password rules. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT, hashPassword, requirePasswordRules, verifyPassword } from '../../../src/server/auth/passwords.ts';
import { FAST_SCRYPT } from './support.ts';

describe('scrypt password hashes', () => {
  it('record their cost and a per-hash salt, verify the right password only, and keep verifying under a changed default cost', async () => {
    const pw = 'correct horse battery staple';
    const [a, b] = [await hashPassword(pw, FAST_SCRYPT), await hashPassword(pw, { N: 2048, r: 8, p: 2 })];
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(b.startsWith('scrypt$2048$8$2$')).toBe(true);
    const again = await hashPassword(pw, FAST_SCRYPT);
    expect(again.split('$')[4]).not.toBe(a.split('$')[4]);
    expect(again).not.toBe(a);
    for (const h of [a, b, again]) {
      expect(await verifyPassword(pw, h)).toBe(true);
      expect(await verifyPassword(`${pw} `, h)).toBe(false);
      expect(await verifyPassword('correct horse battery stapl', h)).toBe(false);
    }
  });

  it('the default cost (N 2^15) hashes and verifies', async () => {
    const h = await hashPassword('a default-cost password', DEFAULT_SCRYPT);
    expect(h.startsWith(`scrypt$${DEFAULT_SCRYPT.N}$${DEFAULT_SCRYPT.r}$${DEFAULT_SCRYPT.p}$`)).toBe(true);
    expect(await verifyPassword('a default-cost password', h)).toBe(true);
    expect(await verifyPassword('a default-cost passworD', h)).toBe(false);
  });

  it('a stored value that is not a scrypt hash never verifies (and does not throw)', async () => {
    const tampered = (await hashPassword('plain text password', FAST_SCRYPT)).replace(/^scrypt\$1024\$/, `scrypt$${2 ** 30}$`);
    for (const stored of ['', 'plain text password', 'scrypt$1024$8$1$salt', 'bcrypt$2b$10$abc', tampered]) expect(await verifyPassword('plain text password', stored)).toBe(false);
  });

  it('a stored cost that is no valid scrypt cost, or one asking for more memory or work than any this code writes, never verifies (no throw, no 4 GiB allocation)', async () => {
    const good = await hashPassword('plain text password', FAST_SCRYPT);
    const [, , , , salt, key] = good.split('$');
    const withCost = (N: number, r: number, p: number): string => ['scrypt', N, r, p, salt, key].join('$');
    // Invalid for scrypt (N not a power of two, zero r or p): false, as any stored value of another form.
    for (const stored of [withCost(1000, 8, 1), withCost(1024, 0, 1), withCost(1024, 8, 0), withCost(1, 8, 1)]) expect(await verifyPassword('plain text password', stored)).toBe(false);
    // 2^20 × 32 × 128 bytes = 4 GiB, and p 16 times that work: refused before any is done.
    for (const stored of [withCost(2 ** 20, 32, 16), withCost(2 ** 20, 8, 1), withCost(2 ** 17, 8, 16)]) expect(await verifyPassword('plain text password', stored)).toBe(false);
    expect(await verifyPassword('plain text password', withCost(1024, 8, 1))).toBe(true);
  });
});

describe('password rules', () => {
  it('need 12 to 1024 characters (code points, so an emoji counts once), refusing with WEAK_PASSWORD and the length only', () => {
    expect(() => requirePasswordRules('x'.repeat(12))).not.toThrow();
    expect(() => requirePasswordRules('🔑'.repeat(12))).not.toThrow();
    expect(() => requirePasswordRules('x'.repeat(1024))).not.toThrow();
    for (const bad of ['Tr0ub4dor&3', '🔑'.repeat(11), 'x'.repeat(1025), 42, undefined]) {
      let err: unknown;
      try {
        requirePasswordRules(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({ code: 'WEAK_PASSWORD' });
      if (typeof bad === 'string') expect(`${(err as Error).message} ${JSON.stringify((err as { context: unknown }).context)}`).not.toContain(bad.slice(0, 11));
    }
  });
});
