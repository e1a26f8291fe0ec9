/**
 * Issue 14 section 2: the AuthService on a real store and engine. Logins (scrypt), sessions and
 * their expiry, logout, API keys (shown once, revocable), lockout per user name and per source
 * address with its expiry, and the engine credential each principal is given.
 */
import { describe, expect, it } from 'vitest';
import { authHarness, LOCKOUT, TTL } from './support.ts';

const PW = 'correct horse battery';

async function withAlice() {
  const h = await authHarness();
  await h.auth.users.add('alice', PW, ['trader', 'viewer']);
  return h;
}

describe('login and sessions', () => {
  it('the right password gives a session token that authenticates (bearer or cookie) as the user with its roles until it expires', async () => {
    const h = await withAlice();
    const s = await h.auth.login('alice', PW, '10.0.0.1');
    if (!s.ok) throw new Error(s.code);
    expect(s.expiresAt).toBe(h.wall.t + TTL);
    expect(s.principal).toMatchObject({ kind: 'user', name: 'alice', roles: ['viewer', 'trader'] });
    for (const c of [{ bearer: s.token, ip: '10.0.0.1' }, { sessionCookie: s.token, ip: '10.0.0.2' }]) {
      const a = await h.auth.authenticate(c);
      expect(a).toMatchObject({ ok: true, principal: { kind: 'user', name: 'alice' } });
    }
    h.wall.t += TTL - 1;
    expect((await h.auth.authenticate({ bearer: s.token, ip: 'x' })).ok).toBe(true);
    h.wall.t += 1;
    expect(await h.auth.authenticate({ bearer: s.token, ip: 'x' })).toMatchObject({ ok: false, code: 'SESSION_EXPIRED' });
    // Expired sessions are deleted: the next attempt does not even know it.
    expect(await h.auth.authenticate({ bearer: s.token, ip: 'x' })).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
  });

  it('a wrong password, an unknown user, no credentials and a made-up token are refused with stable codes', async () => {
    const h = await withAlice();
    expect(await h.auth.login('alice', 'wrong password!!', 'ip1')).toMatchObject({ ok: false, code: 'INVALID_CREDENTIALS' });
    expect(await h.auth.login('bob', PW, 'ip1')).toMatchObject({ ok: false, code: 'INVALID_CREDENTIALS' });
    expect(await h.auth.authenticate({ ip: 'ip1' })).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    expect(await h.auth.authenticate({ bearer: 'ws_made-up', ip: 'ip1' })).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    expect(await h.auth.authenticate({ bearer: 'wk_000000000000_' + 'A'.repeat(43), ip: 'ip1' })).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
  });

  it('logout ends the session at once; other sessions of the user stay', async () => {
    const h = await withAlice();
    const a = await h.auth.login('alice', PW, 'ip');
    const b = await h.auth.login('alice', PW, 'ip');
    if (!a.ok || !b.ok) throw new Error('login failed');
    expect(a.token).not.toBe(b.token);
    await h.auth.logout(a.token);
    expect(await h.auth.authenticate({ bearer: a.token, ip: 'ip' })).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    expect((await h.auth.authenticate({ bearer: b.token, ip: 'ip' })).ok).toBe(true);
  });

  it('removing a user ends its sessions', async () => {
    const h = await withAlice();
    await h.auth.users.add('root2', 'another long password', ['admin']);
    const s = await h.auth.login('alice', PW, 'ip');
    if (!s.ok) throw new Error(s.code);
    await h.auth.users.remove('alice');
    expect(await h.auth.authenticate({ bearer: s.token, ip: 'ip' })).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    expect(await h.auth.login('alice', PW, 'ip')).toMatchObject({ ok: false, code: 'INVALID_CREDENTIALS' });
  });
});

describe('lockout', () => {
  it(`${LOCKOUT.failures} failures for one user name lock it (even with the right password, from any address) until lock_ms has passed; a success resets the count`, async () => {
    const h = await withAlice();
    // Two failures, then a success: the count starts again.
    for (let i = 0; i < LOCKOUT.failures - 1; i++) expect(await h.auth.login('alice', `bad password ${i}`, `ip${i}`)).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect((await h.auth.login('alice', PW, 'ipX')).ok).toBe(true);
    for (let i = 0; i < LOCKOUT.failures; i++) expect(await h.auth.login('alice', `bad password ${i}`, `ip${i}`)).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    const locked = await h.auth.login('alice', PW, 'elsewhere');
    expect(locked).toMatchObject({ ok: false, code: 'LOCKED_OUT', retryAt: h.wall.t + LOCKOUT.lockMs });
    expect((await h.auth.users.list()).find((u) => u.name === 'alice')?.lockedUntil).toBe(h.wall.t + LOCKOUT.lockMs);
    h.wall.t += LOCKOUT.lockMs - 1;
    expect(await h.auth.login('alice', PW, 'elsewhere')).toMatchObject({ code: 'LOCKED_OUT' });
    h.wall.t += 1;
    expect((await h.auth.login('alice', PW, 'elsewhere')).ok).toBe(true);
  });

  it('attempts sent all at once are counted before their passwords are checked: only the first ones are checked, the rest are LOCKED_OUT', async () => {
    const h = await withAlice();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => h.auth.login('alice', `guess number ${i}`, `198.51.100.${i}`)));
    expect(results.map((r) => (r.ok ? 'OK' : r.code))).toEqual([...Array<string>(LOCKOUT.failures).fill('INVALID_CREDENTIALS'), ...Array<string>(10 - LOCKOUT.failures).fill('LOCKED_OUT')]);
    expect(h.audits().map((a) => a.code)).toEqual(expect.arrayContaining(['INVALID_CREDENTIALS', 'LOCKED_OUT']));
  });

  it('failures spread beyond the window do not lock', async () => {
    const h = await withAlice();
    for (let i = 0; i < LOCKOUT.failures * 2; i++) {
      expect(await h.auth.login('alice', 'not the password', 'ip')).toMatchObject({ code: 'INVALID_CREDENTIALS' });
      h.wall.t += LOCKOUT.windowMs / (LOCKOUT.failures - 1);
    }
    expect((await h.auth.login('alice', PW, 'ip')).ok).toBe(true);
  });

  it('one source address failing against many names is locked for every name, other addresses are not', async () => {
    const h = await withAlice();
    for (let i = 0; i < LOCKOUT.failures; i++) expect(await h.auth.login(`user${i}`, 'guess guess guess', '203.0.113.9')).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(await h.auth.login('alice', PW, '203.0.113.9')).toMatchObject({ code: 'LOCKED_OUT', retryAt: h.wall.t + LOCKOUT.lockMs });
    expect((await h.auth.login('alice', PW, '198.51.100.1')).ok).toBe(true);
    h.wall.t += LOCKOUT.lockMs;
    expect((await h.auth.login('alice', PW, '203.0.113.9')).ok).toBe(true);
  });
});

describe('lockout cannot be reset by an account of ones own', () => {
  it('a success from an address takes back its own attempt only: failures against other names from there still add up to a lock', async () => {
    const h = await withAlice();
    await h.auth.users.add('mallory', 'mallory has an account', ['viewer']);
    const from = '203.0.113.66';
    const results: string[] = [];
    // Spraying guesses at other names, logging in as itself between them to clear the address's count.
    for (let i = 0; i < LOCKOUT.failures * 2; i++) {
      const r = await h.auth.login(`victim${i}`, 'a guessed password', from);
      results.push(r.ok ? 'OK' : r.code);
      if (i % (LOCKOUT.failures - 1) === LOCKOUT.failures - 2) {
        const own = await h.auth.login('mallory', 'mallory has an account', from);
        results.push(own.ok ? 'OK' : own.code);
      }
    }
    expect(results.filter((r) => r === 'INVALID_CREDENTIALS')).toHaveLength(LOCKOUT.failures);
    expect(results.at(-1)).toBe('LOCKED_OUT');
  });

  it('successes alone never lock an address (each takes back the count it was charged before its password was checked)', async () => {
    const h = await withAlice();
    for (let i = 0; i < LOCKOUT.failures * 3; i++) expect((await h.auth.login('alice', PW, '192.0.2.1')).ok).toBe(true);
    expect(await h.auth.login('alice', 'not the password', '192.0.2.1')).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect((await h.auth.login('alice', PW, '192.0.2.1')).ok).toBe(true);
  });
});

describe('API keys', () => {
  it('a key is returned once as wk_<id>_<secret>, authenticates as key:<id> with its roles, and is refused (KEY_REVOKED) from its revocation on', async () => {
    const h = await authHarness();
    const { id, key } = await h.auth.keys.create('bot', ['trader']);
    expect(key).toMatch(new RegExp(`^wk_${id}_[A-Za-z0-9_-]{43}$`));
    expect(await h.auth.authenticate({ bearer: key, ip: 'ip' })).toMatchObject({ ok: true, principal: { kind: 'key', name: id, roles: ['trader'] } });
    const listed = await h.auth.keys.list();
    expect(listed).toEqual([{ id, name: 'bot', roles: ['trader'], createdAt: h.wall.t }]);
    expect(JSON.stringify(listed)).not.toContain(key.slice(-43));
    // A key with its secret changed by one character is not the key.
    const last = key.at(-1) === 'A' ? 'B' : 'A';
    expect(await h.auth.authenticate({ bearer: key.slice(0, -1) + last, ip: 'ip' })).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    h.wall.t += 5;
    await h.auth.keys.revoke(id);
    expect(await h.auth.authenticate({ bearer: key, ip: 'ip' })).toMatchObject({ ok: false, code: 'KEY_REVOKED' });
    expect((await h.auth.keys.list())[0]?.revokedAt).toBe(h.wall.t);
    await expect(h.auth.keys.revoke('nosuchkey000')).rejects.toMatchObject({ code: 'UNKNOWN_KEY' });
  });
});

describe('users', () => {
  it('refuses short passwords, bad names, unknown roles, duplicates and removing the last admin, with stable codes and nothing written', async () => {
    const h = await authHarness();
    await expect(h.auth.users.add('bob', 'short pw 11', ['viewer'])).rejects.toMatchObject({ code: 'WEAK_PASSWORD' });
    await expect(h.auth.users.add('bob with space', PW, ['viewer'])).rejects.toMatchObject({ code: 'INVALID_FIELD' });
    await expect(h.auth.users.add('bob', PW, ['god' as never])).rejects.toMatchObject({ code: 'INVALID_FIELD' });
    await expect(h.auth.users.add('bob', PW, [])).rejects.toMatchObject({ code: 'INVALID_FIELD' });
    expect(await h.auth.users.list()).toEqual([]);
    await h.auth.users.add('bob', PW, ['admin']);
    await expect(h.auth.users.add('bob', PW, ['viewer'])).rejects.toMatchObject({ code: 'USER_EXISTS' });
    await expect(h.auth.users.remove('bob')).rejects.toMatchObject({ code: 'LAST_ADMIN' });
    await expect(h.auth.users.remove('carol')).rejects.toMatchObject({ code: 'UNKNOWN_USER' });
    expect(await h.auth.users.list()).toEqual([{ name: 'bob', roles: ['admin'], createdAt: h.wall.t }]);
  });

  it('the first start creates admin with every role and a one-time password that logs in; a second start creates nothing', async () => {
    const h = await authHarness();
    const first = await h.auth.ensureAdmin();
    if (!first) throw new Error('no admin created');
    expect(first.name).toBe('admin');
    expect(first.password.length).toBeGreaterThanOrEqual(12);
    expect(await h.auth.users.list()).toEqual([{ name: 'admin', roles: ['viewer', 'trader', 'risk', 'admin'], createdAt: h.wall.t }]);
    expect(await h.auth.login('admin', first.password, 'ip')).toMatchObject({ ok: true, principal: { roles: ['viewer', 'trader', 'risk', 'admin'] } });
    expect(await h.auth.ensureAdmin()).toBeUndefined();
  });
});
