/**
 * createAuthService: the AuthService the server is built on. Authenticates a request by session
 * token (cookie or bearer) or API key (bearer), logs users in with lockout (per user name and per
 * source address), and issues each principal its engine Operator credential (cached, so the same
 * credential object stands for the same principal while its roles are unchanged). Login attempts
 * are audited here (only this side knows whether the name exists: an unknown name is recorded as
 * `anonymous`, so a password typed as a name never reaches the journal); every other mutating
 * call is audited by the API through `audit`.
 */
import { WallClock } from '../../engine/clock.ts';
import { operatorOrigin, SYSTEM, type Operator, type OperatorAuthority, type Origin } from '../../engine/origin.ts';
import type { AuditInput } from '../../engine/audit/events.ts';
import { WardenError } from '../../model/errors.ts';
import * as accounts from './accounts.ts';
import { afterFailure, DEFAULT_LOCKOUT, lockedUntil, requireLockoutPolicy, type LockoutPolicy } from './lockout.ts';
import { operatorRoles, principalId } from './names.ts';
import { DEFAULT_SCRYPT, decoyHash, verifyPassword, type ScryptParams } from './passwords.ts';
import { constantTimeEqual, newSessionToken, parseApiKey, sha256Hex } from './secrets.ts';
import { AuthStore } from './store.ts';
import type { AuditEntry, AuthFailure, AuthService, Authenticated, Principal, RequestCredentials, Role, Session } from './types.ts';

/** What the service needs of the engine: its operator authority and its audit journal. */
export interface AuditingEngine {
  readonly authority: OperatorAuthority;
  recordAudit(entry: AuditInput, origin: Origin): Promise<void>;
}

export interface AuthServiceOptions {
  /** The store file (`:memory:` for tests), or a store already open (then not closed by close()). */
  readonly db: string | AuthStore;
  readonly engine: AuditingEngine;
  /** Wall clock (epoch ms); injected so expiry and lockout can be tested. */
  readonly now?: () => number;
  /** Session lifetime from login (default 12 h). */
  readonly sessionTtlMs?: number;
  readonly lockout?: LockoutPolicy;
  /** Cost of new password hashes (tests lower it); existing hashes keep theirs. */
  readonly scrypt?: ScryptParams;
}

export interface WardenAuthService extends AuthService {
  /** First start: creates `admin` with a one-time password when the store has no user (see accounts.ensureAdmin). */
  ensureAdmin(): Promise<{ readonly name: string; readonly password: string } | undefined>;
  /** `user:<name>` or `key:<id>`: the operator identity, and the `principal` of the principal's audit entries. */
  principalId(p: Principal): string;
}

export const DEFAULT_SESSION_TTL_MS = 43_200_000;

/** The result of synchronous store work as a promise: a throw becomes a rejection, never escapes the call. */
function settled<T>(fn: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(fn()));
}

const fail = (code: AuthFailure['code'], message: string, retryAt?: number): AuthFailure => ({ ok: false, code, message, ...(retryAt === undefined ? {} : { retryAt }) });
const SOURCE = /^[A-Za-z0-9.:%_[\]-]{1,64}$/;
/** A source address as the audit record takes it; anything else is `unknown`. */
const sourceOf = (ip: string): string => (typeof ip === 'string' && SOURCE.test(ip) ? ip : 'unknown');

export function createAuthService(opts: AuthServiceOptions): WardenAuthService {
  const store = typeof opts.db === 'string' ? AuthStore.open(opts.db) : opts.db;
  const ownsStore = typeof opts.db === 'string';
  const engine = opts.engine;
  const wallClock = new WallClock();
  const now = opts.now ?? ((): number => wallClock.now());
  const ttl = opts.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS;
  const lockout = requireLockoutPolicy(opts.lockout ?? DEFAULT_LOCKOUT);
  const scrypt = opts.scrypt ?? DEFAULT_SCRYPT;
  const operators = new Map<string, Operator>();
  let decoy: Promise<string> | undefined;

  /** The principal's credential: the same object while its roles stay the same. */
  function principal(kind: 'user' | 'key', name: string, roles: readonly Role[]): Principal {
    const id = principalId(kind, name);
    const engineRoles = operatorRoles(roles);
    let op = operators.get(id);
    if (!op || op.roles.join(',') !== engineRoles.join(',')) {
      op = engine.authority.issue(id, engineRoles);
      operators.set(id, op);
    }
    return { kind, name, roles, operator: op };
  }

  async function journal(entry: AuditInput, origin: Origin): Promise<void> {
    try {
      await engine.recordAudit(entry, origin);
    } catch (e) {
      // A stopped engine journals nothing more; people must still be able to log in and look.
      if (e instanceof WardenError && e.code === 'ENGINE_STOPPED') return;
      throw e;
    }
  }

  function byKey(bearer: string, at: number): Authenticated | AuthFailure {
    const parsed = parseApiKey(bearer);
    const row = parsed && store.key(parsed.id);
    if (!parsed || !row || !constantTimeEqual(sha256Hex(parsed.secret), row.secretHash)) return fail('UNAUTHENTICATED', 'the API key is not valid');
    if (row.revokedAt !== undefined && row.revokedAt <= at) return fail('KEY_REVOKED', `API key ${row.id} was revoked`);
    return { ok: true, principal: principal('key', row.id, row.roles) };
  }

  function bySession(token: string, at: number): Authenticated | AuthFailure {
    const hash = sha256Hex(token);
    const row = store.session(hash);
    if (!row) return fail('UNAUTHENTICATED', 'the session is not valid (logged out or never issued)');
    if (row.expiresAt <= at) {
      store.deleteSession(hash);
      return fail('SESSION_EXPIRED', 'the session has expired; log in again');
    }
    const user = store.user(row.userName);
    if (!user) return fail('UNAUTHENTICATED', 'the session is not valid (logged out or never issued)');
    return { ok: true, principal: principal('user', user.name, user.roles) };
  }

  async function loginFailed(name: string, known: boolean, ip: string, at: number): Promise<AuthFailure> {
    for (const subject of [accounts.userSubject(name), accounts.ipSubject(ip)]) store.setFailure(subject, afterFailure(store.failure(subject), at, lockout));
    const principalText = known ? principalId('user', name) : 'anonymous';
    await journal({ principal: principalText, roles: [], source: sourceOf(ip), action: 'auth.login', outcome: 'UNAUTHENTICATED', code: 'INVALID_CREDENTIALS' }, SYSTEM);
    return fail('INVALID_CREDENTIALS', 'wrong user name or password');
  }

  return {
    authenticate: (c: RequestCredentials) =>
      settled(() => {
        const token = c.bearer ?? c.sessionCookie;
        if (typeof token !== 'string' || token === '') return fail('UNAUTHENTICATED', 'no credentials: log in or send Authorization: Bearer <token or key>');
        const at = now();
        return token.startsWith('wk_') ? byKey(token, at) : bySession(token, at);
      }),

    async login(username: string, password: string, ip: string) {
      const at = now();
      if (typeof username !== 'string' || typeof password !== 'string') return fail('INVALID_CREDENTIALS', 'wrong user name or password');
      const until = Math.max(lockedUntil(store.failure(accounts.userSubject(username)), at) ?? 0, lockedUntil(store.failure(accounts.ipSubject(ip)), at) ?? 0);
      const user = store.user(username);
      if (until > at) {
        await journal({ principal: user ? principalId('user', user.name) : 'anonymous', roles: [], source: sourceOf(ip), action: 'auth.login', outcome: 'UNAUTHENTICATED', code: 'LOCKED_OUT' }, SYSTEM);
        return fail('LOCKED_OUT', 'too many failed logins; try again later', until);
      }
      // An unknown name costs a hash too, so timing does not tell which names exist.
      decoy ??= decoyHash(scrypt);
      const matches = await verifyPassword(password, user?.passwordHash ?? (await decoy));
      if (!user || !matches) return loginFailed(username, user !== undefined, ip, at);
      store.clearFailure(accounts.userSubject(username));
      store.clearFailure(accounts.ipSubject(ip));
      store.deleteExpiredSessions(at);
      const token = newSessionToken();
      const expiresAt = at + ttl;
      store.insertSession({ tokenHash: sha256Hex(token), userName: user.name, createdAt: at, expiresAt });
      const p = principal('user', user.name, user.roles);
      await journal({ principal: principalId('user', user.name), roles: user.roles, source: sourceOf(ip), action: 'auth.login', outcome: 'OK' }, operatorOrigin(p.operator));
      const session: { readonly ok: true } & Session = { ok: true, token, expiresAt, principal: p };
      return session;
    },

    logout: (token: string) =>
      settled(() => {
        if (typeof token === 'string' && token !== '') store.deleteSession(sha256Hex(token));
      }),

    async audit(entry: AuditEntry) {
      // Attributed to the principal's own credential when it has one here; else SYSTEM (anonymous callers).
      const op = operators.get(entry.principal);
      await engine.recordAudit(entry, op ? operatorOrigin(op) : SYSTEM);
    },

    users: {
      add: (name, password, roles) => accounts.addUser(store, name, password, roles, now(), scrypt),
      remove: (name) =>
        settled(() => {
          accounts.removeUser(store, name);
          operators.delete(principalId('user', name));
        }),
      list: () => settled(() => accounts.listUsers(store, now())),
    },

    keys: {
      create: (name, roles) => settled(() => accounts.createKey(store, name, roles, now())),
      revoke: (id) =>
        settled(() => {
          accounts.revokeKey(store, id, now());
          operators.delete(principalId('key', id));
        }),
      list: () => settled(() => accounts.listKeys(store)),
    },

    ensureAdmin: () => accounts.ensureAdmin(store, now(), scrypt),
    principalId: (p) => principalId(p.kind, p.name),

    close: () =>
      settled(() => {
        if (ownsStore) store.close();
      }),
  };
}
