/**
 * What the auth store file holds, read with SQLite directly: a scrypt hash with its cost per
 * user, SHA-256 digests of session tokens and key secrets, failure counters under a digest of the
 * name tried; and a store reopened from its file serves the same users, sessions and keys.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { authHarness } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'warden-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha = (t: string): string => createHash('sha256').update(t).digest('hex');

describe('the auth store file', () => {
  it('the first admin\'s one-time password is in no row, no journal record and no file, only in what ensureAdmin returned', async () => {
    const db = join(dir, 'first.sqlite');
    const h = await authHarness({ db });
    const first = await h.auth.ensureAdmin();
    if (!first) throw new Error('no admin created');
    expect((await h.auth.login('admin', first.password, '127.0.0.1')).ok).toBe(true);
    await h.auth.close();
    const file = readFileSync(db).toString('latin1');
    expect(file).toContain('admin');
    expect(file.includes(first.password)).toBe(false);
    expect(JSON.stringify(h.journal.all().map((r) => r.event)).includes(first.password)).toBe(false);
    const again = await authHarness({ db });
    expect(await again.auth.ensureAdmin()).toBeUndefined();
    await again.auth.close();
  });

  it('holds hashes and digests only, and a reopened store serves the same sessions and keys', async () => {
    const db = join(dir, 'auth.sqlite');
    const h = await authHarness({ db });
    await h.auth.users.add('alice', 'correct horse battery', ['trader', 'risk']);
    const s = await h.auth.login('alice', 'correct horse battery', '10.0.0.1');
    if (!s.ok) throw new Error(s.code);
    await h.auth.login('mallory', 'some guess or other', '10.0.0.9');
    const { id, key } = await h.auth.keys.create('bot', ['viewer']);
    await h.auth.close();

    const raw = new Database(db, { readonly: true });
    try {
      const user = raw.prepare('SELECT name, password_hash, roles FROM users').get() as { name: string; password_hash: string; roles: string };
      expect(user).toMatchObject({ name: 'alice', roles: 'trader,risk' });
      expect(user.password_hash).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
      expect(raw.prepare('SELECT token_hash, user_name FROM sessions').all()).toEqual([{ token_hash: sha(s.token), user_name: 'alice' }]);
      expect(raw.prepare('SELECT id, secret_hash FROM api_keys').all()).toEqual([{ id, secret_hash: sha(key.slice(`wk_${id}_`.length)) }]);
      const subjects = (raw.prepare('SELECT subject FROM login_failures ORDER BY subject').all() as { subject: string }[]).map((r) => r.subject);
      expect(subjects).toEqual(['ip:10.0.0.9', `user:${sha('mallory')}`]);
    } finally {
      raw.close();
    }

    // Counters whose window is over go with the next attempt: only the new one is kept.
    const later = await authHarness({ db });
    later.wall.t += 3_600_000;
    await later.auth.login('trudy', 'another guess here', '10.0.0.10');
    await later.auth.close();
    const raw2 = new Database(db, { readonly: true });
    expect((raw2.prepare('SELECT subject FROM login_failures ORDER BY subject').all() as { subject: string }[]).map((r) => r.subject)).toEqual(['ip:10.0.0.10', `user:${sha('trudy')}`]);
    raw2.close();

    const again = await authHarness({ db });
    try {
      expect(await again.auth.authenticate({ bearer: s.token, ip: 'x' })).toMatchObject({ ok: true, principal: { name: 'alice', roles: ['trader', 'risk'] } });
      expect(await again.auth.authenticate({ bearer: key, ip: 'x' })).toMatchObject({ ok: true, principal: { name: id } });
    } finally {
      await again.auth.close();
    }
  });
});
