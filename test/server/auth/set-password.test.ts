/** `warden users passwd`: a new password replaces the old one, ends the user's sessions and lifts a lockout of the name. */
import { describe, expect, it } from 'vitest';
import { setPassword } from '../../../src/server/auth/accounts.ts';
import { AuthStore } from '../../../src/server/auth/store.ts';
import { authHarness, FAST_SCRYPT, LOCKOUT } from './support.ts';

const OLD = 'the first long password';
const NEW = 'a second long passphrase';

describe('setPassword', () => {
  it('the new password logs in, the old one no longer does, and sessions of the old password end', async () => {
    const store = AuthStore.open(':memory:');
    const h = await authHarness({ db: store });
    await h.auth.users.add('alice', OLD, ['trader']);
    const before = await h.auth.login('alice', OLD, 'ip');
    if (!before.ok) throw new Error(before.code);
    await setPassword(store, 'alice', NEW, FAST_SCRYPT);
    expect(await h.auth.authenticate({ bearer: before.token, ip: 'ip' })).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    expect(await h.auth.login('alice', OLD, 'ip')).toMatchObject({ ok: false, code: 'INVALID_CREDENTIALS' });
    expect((await h.auth.login('alice', NEW, 'ip')).ok).toBe(true);
  });

  it('lifts a lockout of the name, so a locked-out operator can be let back in', async () => {
    const store = AuthStore.open(':memory:');
    const h = await authHarness({ db: store });
    await h.auth.users.add('alice', OLD, ['trader']);
    for (let i = 0; i < LOCKOUT.failures; i++) await h.auth.login('alice', 'wrong password!!', `ip${i}`);
    expect(await h.auth.login('alice', OLD, 'other-ip')).toMatchObject({ ok: false, code: 'LOCKED_OUT' });
    await setPassword(store, 'alice', NEW, FAST_SCRYPT);
    expect((await h.auth.login('alice', NEW, 'other-ip')).ok).toBe(true);
  });

  it('refuses an unknown user or a weak password and changes nothing', async () => {
    const store = AuthStore.open(':memory:');
    const h = await authHarness({ db: store });
    await h.auth.users.add('alice', OLD, ['trader']);
    await expect(setPassword(store, 'bob', NEW, FAST_SCRYPT)).rejects.toMatchObject({ code: 'UNKNOWN_USER' });
    await expect(setPassword(store, 'alice', 'short', FAST_SCRYPT)).rejects.toMatchObject({ code: 'WEAK_PASSWORD' });
    expect((await h.auth.login('alice', OLD, 'ip')).ok).toBe(true);
  });
});
