/**
 * `warden users|keys` end to end: the real CLI in a child process against a temp store named by
 * a config file's server.auth_db (relative to the file) or by --db; what it prints and what the
 * store then holds, checked through the AuthService. In-process for the remaining commands.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { authDbPath, keysList, keysRevoke, passwordFromStdin, usersList, usersPasswd, usersRemove, type AuthCliIo } from '../../../src/cli/auth-admin.ts';
import { authHarness } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'warden-cli-auth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function warden(args: readonly string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const fileText = (p: string): string => [p, `${p}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('');

function capture(now = 1_700_000_000_000): AuthCliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (l) => lines.push(l), stdin: () => Promise.resolve(''), now: () => now };
}

describe('warden users and keys (child process)', () => {
  it('users add (stdin and generated), keys create, users list: the store works with the printed secrets, which the file does not hold', { timeout: 240_000 }, async () => {
    const config = join(dir, 'warden.yaml');
    writeFileSync(config, 'server:\n  auth_db: ./var/auth.sqlite\n');
    const db = join(dir, 'var', 'auth.sqlite');

    const alice = await warden(['users', 'add', 'alice', '--role', 'trader', '--role', 'risk', '--password-stdin', '--config', config], 'alice has a long password\n');
    expect(alice).toMatchObject({ code: 0, stderr: '' });
    expect(alice.stdout).toBe('added user alice (trader, risk)\n');

    const bob = await warden(['users', 'add', 'bob', '--role', 'viewer', '--db', db]);
    expect(bob.code).toBe(0);
    const generated = /^password \(shown once, store it now\): (\S+)$/m.exec(bob.stdout)?.[1];
    expect(generated?.length).toBeGreaterThanOrEqual(12);

    const key = await warden(['keys', 'create', 'bot', '--role', 'trader', '--config', config]);
    expect(key.code).toBe(0);
    const keyText = /: (wk_\S+)$/m.exec(key.stdout)?.[1];
    expect(keyText).toMatch(/^wk_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/);

    const weak = await warden(['users', 'add', 'carol', '--role', 'viewer', '--password-stdin', '--db', db], 'too short\n');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/^WEAK_PASSWORD: /);
    expect(weak.stderr).not.toContain('too short');

    const list = await warden(['users', 'list', '--db', db]);
    expect(list.stdout.split('\n').filter(Boolean).map((l) => l.split('\t').slice(0, 2))).toEqual([
      ['alice', 'trader,risk'],
      ['bob', 'viewer'],
    ]);

    const stored = fileText(db);
    for (const secret of ['alice has a long password', generated!, keyText!, keyText!.slice(-43)]) expect(stored.includes(secret)).toBe(false);

    const h = await authHarness({ db });
    try {
      expect(await h.auth.login('alice', 'alice has a long password', 'ip')).toMatchObject({ ok: true, principal: { roles: ['trader', 'risk'] } });
      expect(await h.auth.login('bob', generated!, 'ip')).toMatchObject({ ok: true, principal: { roles: ['viewer'] } });
      expect(await h.auth.authenticate({ bearer: keyText!, ip: 'ip' })).toMatchObject({ ok: true, principal: { kind: 'key', roles: ['trader'] } });
    } finally {
      await h.auth.close();
    }
  });
});

describe('warden users and keys (in process)', () => {
  it('users remove and keys revoke act on the store; unknown names and ids fail with their codes', async () => {
    const db = join(dir, 'inproc.sqlite');
    const h = await authHarness({ db });
    await h.auth.users.add('admin', 'admin password 1', ['admin']);
    await h.auth.users.add('dora', 'dora password 12', ['viewer']);
    const { id, key } = await h.auth.keys.create('bot', ['trader']);
    const io = capture();
    usersRemove('dora', { db }, io);
    keysRevoke(id, { db }, io);
    usersList({ db }, io);
    keysList({ db }, io);
    expect(io.lines[0]).toBe('removed user dora (its sessions ended)');
    expect(io.lines[1]).toBe(`revoked key ${id}`);
    expect(io.lines[2]).toMatch(/^admin\tadmin\tcreated /);
    expect(io.lines[3]).toMatch(new RegExp(`^${id}\tbot\ttrader\tcreated .*\trevoked `));
    expect(io.lines.join('\n')).not.toContain(key.slice(-43));
    expect(await h.auth.authenticate({ bearer: key, ip: 'ip' })).toMatchObject({ ok: false, code: 'KEY_REVOKED' });
    expect(() => usersRemove('dora', { db }, io)).toThrow(expect.objectContaining({ code: 'UNKNOWN_USER' }));
    expect(() => usersRemove('admin', { db }, io)).toThrow(expect.objectContaining({ code: 'LAST_ADMIN' }));
    expect(() => keysRevoke('nokey0000000', { db }, io)).toThrow(expect.objectContaining({ code: 'UNKNOWN_KEY' }));
    await h.auth.close();
  });

  it('users passwd: a generated password printed once logs in, the old one and its sessions no longer do', async () => {
    const db = join(dir, 'passwd.sqlite');
    const h = await authHarness({ db });
    try {
      await h.auth.users.add('erin', 'erin password 1234', ['trader']);
      const before = await h.auth.login('erin', 'erin password 1234', 'ip');
      if (!before.ok) throw new Error(before.code);
      const io = capture();
      await usersPasswd('erin', { db }, io);
      expect(io.lines[0]).toBe('new password set for erin (its sessions ended)');
      const printed = /^password \(shown once, store it now\): (\S+)$/.exec(io.lines[1] ?? '')?.[1];
      expect(printed).toBeDefined();
      expect(fileText(db).includes(printed!)).toBe(false);
      expect(await h.auth.authenticate({ bearer: before.token, ip: 'ip' })).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
      expect(await h.auth.login('erin', 'erin password 1234', 'ip')).toMatchObject({ ok: false, code: 'INVALID_CREDENTIALS' });
      expect((await h.auth.login('erin', printed!, 'ip')).ok).toBe(true);
      await expect(usersPasswd('nobody', { db }, io)).rejects.toMatchObject({ code: 'UNKNOWN_USER' });
    } finally {
      await h.auth.close();
    }
  });

  it('the store path: --db as given, else server.auth_db relative to the config file, else var/auth.sqlite beside it; junk is refused', () => {
    const cfg = join(dir, 'sub', 'node.yaml');
    rmSync(join(dir, 'sub'), { recursive: true, force: true });
    expect(authDbPath({ db: '/x/a.sqlite', config: cfg })).toBe('/x/a.sqlite');
    expect(() => authDbPath({ config: cfg })).toThrow(expect.objectContaining({ code: 'INVALID_FIELD' }));
    writeFileSync(join(dir, 'node.yaml'), 'node: { id: n1 }\n');
    expect(authDbPath({ config: join(dir, 'node.yaml') })).toBe(join(dir, 'var', 'auth.sqlite'));
    writeFileSync(join(dir, 'node2.yaml'), 'server:\n  auth_db: 42\n');
    expect(() => authDbPath({ config: join(dir, 'node2.yaml') })).toThrow(expect.objectContaining({ code: 'INVALID_FIELD' }));
    expect(() => authDbPath({})).toThrow(expect.objectContaining({ code: 'INVALID_FIELD' }));
    // ${VAR:-default} as the node reads it: the CLI and the node open the same store.
    writeFileSync(join(dir, 'node3.yaml'), 'server:\n  auth_db: ${WARDEN_TEST_AUTH_DB:-./var/default.sqlite}\n');
    expect(authDbPath({ config: join(dir, 'node3.yaml') })).toBe(join(dir, 'var', 'default.sqlite'));
    process.env.WARDEN_TEST_AUTH_DB = './elsewhere/auth.sqlite';
    try {
      expect(authDbPath({ config: join(dir, 'node3.yaml') })).toBe(join(dir, 'elsewhere', 'auth.sqlite'));
    } finally {
      delete process.env.WARDEN_TEST_AUTH_DB;
    }
    expect(passwordFromStdin('one line password\n')).toBe('one line password');
    expect(passwordFromStdin('crlf line password\r\n')).toBe('crlf line password');
    expect(() => passwordFromStdin('two\nlines of password\n')).toThrow(expect.objectContaining({ code: 'WEAK_PASSWORD' }));
  });
});
