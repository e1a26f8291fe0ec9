/**
 * The auth store: users, sessions, API keys and failed-login counters in one SQLite file
 * (better-sqlite3; `:memory:` for tests). No secret is stored: passwords as scrypt hashes,
 * session tokens and key secrets as SHA-256 digests, failure counters keyed by a digest of the
 * user name tried (a password typed into the name field must not land in the file). Rows only:
 * the rules live in users.ts, keys.ts and service.ts.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Role } from './types.ts';
import type { FailureRecord } from './lockout.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  name TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  roles TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY,
  user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  roles TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE TABLE IF NOT EXISTS login_failures (
  subject TEXT PRIMARY KEY,
  count INTEGER NOT NULL,
  first_at INTEGER NOT NULL,
  locked_until INTEGER
);
`;

export interface UserRow {
  readonly name: string;
  readonly passwordHash: string;
  readonly roles: readonly Role[];
  readonly createdAt: number;
}

export interface KeyRow {
  readonly id: string;
  readonly name: string;
  readonly secretHash: string;
  readonly roles: readonly Role[];
  readonly createdAt: number;
  readonly revokedAt: number | undefined;
}

export interface SessionRow {
  readonly tokenHash: string;
  readonly userName: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

interface RawUser {
  name: string;
  password_hash: string;
  roles: string;
  created_at: number;
}
interface RawKey {
  id: string;
  name: string;
  secret_hash: string;
  roles: string;
  created_at: number;
  revoked_at: number | null;
}

const rolesOf = (text: string): readonly Role[] => (text === '' ? [] : (text.split(',') as Role[]));
const userOf = (r: RawUser): UserRow => ({ name: r.name, passwordHash: r.password_hash, roles: rolesOf(r.roles), createdAt: r.created_at });
const keyOf = (r: RawKey): KeyRow => ({ id: r.id, name: r.name, secretHash: r.secret_hash, roles: rolesOf(r.roles), createdAt: r.created_at, revokedAt: r.revoked_at ?? undefined });

export class AuthStore {
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(private readonly db: Database.Database) {}

  /** Prepared once, reused: authentication runs on every request. */
  private sql(text: string): Database.Statement {
    let s = this.statements.get(text);
    if (!s) {
      s = this.db.prepare(text);
      this.statements.set(text, s);
    }
    return s;
  }

  /** Opens (creating the file, its directory and tables when missing) the store at `path`. */
  static open(path: string): AuthStore {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    try {
      if (path !== ':memory:') db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      // Deleted rows (sessions, removed users) are overwritten, not left in free pages.
      db.pragma('secure_delete = ON');
      db.exec(SCHEMA);
    } catch (e) {
      db.close();
      throw e;
    }
    return new AuthStore(db);
  }

  userCount(): number {
    return (this.sql('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  user(name: string): UserRow | undefined {
    const r = this.sql('SELECT * FROM users WHERE name = ?').get(name) as RawUser | undefined;
    return r && userOf(r);
  }

  users(): UserRow[] {
    return (this.sql('SELECT * FROM users ORDER BY name').all() as RawUser[]).map(userOf);
  }

  /** False when a user of that name exists (nothing written). */
  insertUser(u: UserRow): boolean {
    const res = this.sql('INSERT OR IGNORE INTO users (name, password_hash, roles, created_at) VALUES (?, ?, ?, ?)').run(u.name, u.passwordHash, u.roles.join(','), u.createdAt);
    return res.changes === 1;
  }

  /** Deletes the user and its sessions; false when there was none. */
  deleteUser(name: string): boolean {
    return this.sql('DELETE FROM users WHERE name = ?').run(name).changes === 1;
  }

  /** Replaces the user's password hash and ends every session of theirs; false when there is no such user. */
  setPasswordHash(name: string, passwordHash: string): boolean {
    return this.transaction(() => {
      const changed = this.sql('UPDATE users SET password_hash = ? WHERE name = ?').run(passwordHash, name).changes === 1;
      if (changed) this.sql('DELETE FROM sessions WHERE user_name = ?').run(name);
      return changed;
    });
  }

  /** Runs `fn` in one transaction (a check and the write it allows). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  insertSession(s: SessionRow): void {
    this.sql('INSERT INTO sessions (token_hash, user_name, created_at, expires_at) VALUES (?, ?, ?, ?)').run(s.tokenHash, s.userName, s.createdAt, s.expiresAt);
  }

  session(tokenHash: string): SessionRow | undefined {
    const r = this.sql('SELECT * FROM sessions WHERE token_hash = ?').get(tokenHash) as { token_hash: string; user_name: string; created_at: number; expires_at: number } | undefined;
    return r && { tokenHash: r.token_hash, userName: r.user_name, createdAt: r.created_at, expiresAt: r.expires_at };
  }

  deleteSession(tokenHash: string): void {
    this.sql('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  deleteExpiredSessions(now: number): number {
    return this.sql('DELETE FROM sessions WHERE expires_at <= ?').run(now).changes;
  }

  insertKey(k: KeyRow): void {
    this.sql('INSERT INTO api_keys (id, name, secret_hash, roles, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)').run(k.id, k.name, k.secretHash, k.roles.join(','), k.createdAt, k.revokedAt ?? null);
  }

  key(id: string): KeyRow | undefined {
    const r = this.sql('SELECT * FROM api_keys WHERE id = ?').get(id) as RawKey | undefined;
    return r && keyOf(r);
  }

  keys(): KeyRow[] {
    return (this.sql('SELECT * FROM api_keys ORDER BY created_at, id').all() as RawKey[]).map(keyOf);
  }

  /** Sets the revocation time once (a second revoke keeps the first); false when there is no such key. */
  revokeKey(id: string, at: number): boolean {
    return this.sql('UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?').run(at, id).changes === 1;
  }

  failure(subject: string): FailureRecord | undefined {
    const r = this.sql('SELECT count, first_at, locked_until FROM login_failures WHERE subject = ?').get(subject) as { count: number; first_at: number; locked_until: number | null } | undefined;
    return r && { count: r.count, firstAt: r.first_at, lockedUntil: r.locked_until ?? undefined };
  }

  setFailure(subject: string, rec: FailureRecord): void {
    this
      .sql('INSERT INTO login_failures (subject, count, first_at, locked_until) VALUES (?, ?, ?, ?) ON CONFLICT(subject) DO UPDATE SET count = excluded.count, first_at = excluded.first_at, locked_until = excluded.locked_until')
      .run(subject, rec.count, rec.firstAt, rec.lockedUntil ?? null);
  }

  /** Drops counters whose window is over and that lock nothing, so guessed names do not pile up. */
  pruneFailures(now: number, windowMs: number): number {
    return this.sql('DELETE FROM login_failures WHERE (locked_until IS NULL OR locked_until <= ?) AND first_at <= ?').run(now, now - windowMs).changes;
  }

  clearFailure(subject: string): void {
    this.sql('DELETE FROM login_failures WHERE subject = ?').run(subject);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
