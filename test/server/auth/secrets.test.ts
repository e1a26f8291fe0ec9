/**
 * FAULTS 31: no password, session token or API key, right or wrong, reaches the SQLite file, the
 * journal or an error message, for random passwords (fast-check), including a password typed
 * into the user name field.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeEvent } from '../../../src/journal/codec.ts';
import { authHarness } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'warden-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** Printable passwords of 12..40 characters with enough variety that finding one by chance in a binary file is out of the question. */
const password = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !#%&*+-./:;=?@^_~'.split('')), minLength: 12, maxLength: 40 }).filter((s) => new Set(s).size >= 8);

function fileText(path: string): string {
  return [path, `${path}-wal`].filter(existsSync).map((p) => readFileSync(p).toString('latin1')).join('');
}

describe('no secret is kept or shown', () => {
  it('random passwords, the session tokens and API keys issued: absent from the store file, the journal and every failure message', async () => {
    await fc.assert(
      fc.asyncProperty(password, password, async (pw, wrong) => {
        fc.pre(pw !== wrong && !pw.includes(wrong) && !wrong.includes(pw));
        const db = join(dir, `auth${++files}.sqlite`);
        const h = await authHarness({ db });
        const texts: string[] = [];
        const note = (x: unknown): void => void texts.push(JSON.stringify(x), x instanceof Error ? `${x.message} ${JSON.stringify((x as { context?: unknown }).context)}` : '');
        await h.auth.users.add('alice', pw, ['trader']);
        note(await h.auth.login('alice', wrong, '10.0.0.1'));
        note(await h.auth.login(pw, pw, '10.0.0.1')); // the password typed as the name
        note(await h.auth.login(wrong, pw, '10.0.0.2'));
        const s = await h.auth.login('alice', pw, '10.0.0.3');
        if (!s.ok) throw new Error(s.code);
        const { key } = await h.auth.keys.create('bot', ['viewer']);
        note(await h.auth.authenticate({ bearer: key.slice(0, -2), ip: 'x' }));
        note(await h.auth.authenticate({ bearer: `${s.token}x`, ip: 'x' }));
        await h.auth.users.add('bob', wrong.slice(0, 11), ['viewer']).catch(note);
        await h.auth.users.add(pw, pw, []).catch(note); // refused: no role
        await h.auth.users.add('carol', pw, ['nope' as never]).catch(note);
        await h.auth.logout(s.token);
        note(await h.auth.authenticate({ bearer: s.token, ip: 'x' }));
        await h.auth.close();

        const secrets = [pw, wrong, s.token, key, key.slice(-43), s.token.slice(3)];
        const stored = fileText(db);
        const journal = h.journal.all().map((r) => encodeEvent(r.event)).join('\n');
        expect(journal).toContain('AuditRecorded');
        const shown = texts.join('\n');
        for (const secret of secrets) {
          expect(stored.includes(secret)).toBe(false);
          expect(journal.includes(secret)).toBe(false);
        }
        for (const secret of [pw, wrong, wrong.slice(0, 11), s.token, key]) expect(shown.includes(secret)).toBe(false);
      }),
      { numRuns: 12 },
    );
  });
});
