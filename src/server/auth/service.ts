/**
 * createAuthService: the AuthService the server is built on. Authenticates a request by session
 * token (cookie or bearer) or API key (bearer), logs users in with lockout (per user name and per
 * source address), and issues each principal its engine Operator credential (cached, so the same
 * credential object stands for the same principal while its roles are unchanged). Login attempts
 * are audited here (only this side knows whether the name exists: an unknown name is recorded as
 * `anonymous`, so a password typed as a name never reaches the journal); every other mutating
 * call is audited by the API through `audit`.
 */
import type { CommandAudit } from '../../engine/commands.ts';
import { WallClock } from '../../engine/clock.ts';
import { operatorOrigin, SYSTEM, type Operator, type OperatorAuthority, type Origin } from '../../engine/origin.ts';
import type { AuditInput } from '../../engine/audit/events.ts';
import { WardenError } from '../../model/errors.ts';
import * as accounts from './accounts.ts';
import { afterFailure, afterSuccess, DEFAULT_LOCKOUT, lockedUntil, requireLockoutPolicy, type FailureRecord, type LockoutPolicy } from './lockout.ts';
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

/** A new AuthService on the store (opened here when given a path; then closed by close()). */
export function createAuthService(opts: AuthServiceOptions): WardenAuthService {
  return new StoreAuthService(opts);
}

class StoreAuthService implements WardenAuthService {
  readonly users: WardenAuthService['users'];
  readonly keys: WardenAuthService['keys'];
  private readonly store: AuthStore;
  private readonly ownsStore: boolean;
  private readonly engine: AuditingEngine;
  private readonly now: () => number;
  private readonly ttl: number;
  private readonly lockout: LockoutPolicy;
  private readonly scrypt: ScryptParams;
  /** The credential issued to each principal id, reused while its roles stay the same. */
  private readonly operators = new Map<string, Operator>();
  /** Made once, up front: the first unknown name must not take longer than the others. */
  private readonly decoy: Promise<string>;

  constructor(opts: AuthServiceOptions) {
    this.engine = opts.engine;
    const wallClock = new WallClock();
    this.now = opts.now ?? ((): number => wallClock.now());
    this.ttl = opts.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS;
    this.lockout = requireLockoutPolicy(opts.lockout ?? DEFAULT_LOCKOUT);
    this.scrypt = opts.scrypt ?? DEFAULT_SCRYPT;
    this.store = typeof opts.db === 'string' ? AuthStore.open(opts.db) : opts.db;
    this.ownsStore = typeof opts.db === 'string';
    this.decoy = decoyHash(this.scrypt);
    // Bound, so a method handed on as a callback (`auth.authenticate`) keeps its service.
    this.authenticate = this.authenticate.bind(this);
    this.login = this.login.bind(this);
    this.logout = this.logout.bind(this);
    this.audit = this.audit.bind(this);
    const store = this.store;
    this.users = {
      add: (name, password, roles) => accounts.addUser(store, name, password, roles, this.now(), this.scrypt),
      remove: (name) =>
        settled(() => {
          accounts.removeUser(store, name);
          this.operators.delete(principalId('user', name));
        }),
      list: () => settled(() => accounts.listUsers(store, this.now())),
    };
    this.keys = {
      create: (name, roles) => settled(() => accounts.createKey(store, name, roles, this.now())),
      revoke: (id) =>
        settled(() => {
          accounts.revokeKey(store, id, this.now());
          this.operators.delete(principalId('key', id));
        }),
      list: () => settled(() => accounts.listKeys(store)),
    };
  }

  authenticate(c: RequestCredentials): Promise<Authenticated | AuthFailure> {
    return settled(() => {
      const token = c.bearer ?? c.sessionCookie;
      if (typeof token !== 'string' || token === '') return fail('UNAUTHENTICATED', 'no credentials: log in or send Authorization: Bearer <token or key>');
      const at = this.now();
      return token.startsWith('wk_') ? this.byKey(token, at) : this.bySession(token, at);
    });
  }

  async login(username: string, password: string, rawIp: string): Promise<({ readonly ok: true } & Session) | AuthFailure> {
    const at = this.now();
    if (typeof username !== 'string' || typeof password !== 'string') return fail('INVALID_CREDENTIALS', 'wrong user name or password');
    const ip = sourceOf(rawIp);
    const user = this.store.user(username);
    // An unknown name is recorded as anonymous: it may be a password typed in the wrong field.
    const who = user ? principalId('user', user.name) : 'anonymous';
    const until = this.lockedFor(username, ip, at);
    if (until !== undefined) {
      await this.journal(loginAudit(who, [], ip, 'LOCKED_OUT'), SYSTEM);
      return fail('LOCKED_OUT', 'too many failed logins; try again later', until);
    }
    const ipCharge = this.charge(username, ip, at);
    // An unknown name costs a hash too, so timing does not tell which names exist.
    const matches = await verifyPassword(password, user?.passwordHash ?? (await this.decoy));
    if (!user || !matches) {
      await this.journal(loginAudit(who, [], ip, 'INVALID_CREDENTIALS'), SYSTEM);
      return fail('INVALID_CREDENTIALS', 'wrong user name or password');
    }
    this.store.transaction(() => {
      this.store.clearFailure(accounts.userSubject(username));
      // The address gets back only this attempt's charge: its other failures still count.
      const ipSubject = accounts.ipSubject(ip);
      const ipRecord = afterSuccess(this.store.failure(ipSubject), ipCharge.charged, ipCharge.before);
      if (ipRecord === undefined) this.store.clearFailure(ipSubject);
      else this.store.setFailure(ipSubject, ipRecord);
      this.store.deleteExpiredSessions(at);
    });
    const token = newSessionToken();
    const expiresAt = at + this.ttl;
    this.store.insertSession({ tokenHash: sha256Hex(token), userName: user.name, createdAt: at, expiresAt });
    const p = this.principal('user', user.name, user.roles);
    await this.journal(loginAudit(who, user.roles, ip), operatorOrigin(p.operator));
    return { ok: true, token, expiresAt, principal: p };
  }

  logout(token: string): Promise<void> {
    return settled(() => {
      if (typeof token === 'string' && token !== '') this.store.deleteSession(sha256Hex(token));
    });
  }

  /** Attributed to the principal's own credential when it has one here; else SYSTEM (anonymous callers). */
  async audit(entry: AuditEntry): Promise<void> {
    const op = this.operators.get(entry.principal);
    await this.engine.recordAudit({ ...entry, ...this.commandAudit(entry) }, op ? operatorOrigin(op) : SYSTEM);
  }

  commandAudit(entry: Omit<AuditEntry, 'outcome' | 'code'>): CommandAudit {
    const { principal, roles, action } = entry;
    return { principal, roles, action, source: sourceOf(entry.source), ...(entry.target === undefined ? {} : { target: fitTarget(entry.target) }) };
  }

  ensureAdmin(): Promise<{ readonly name: string; readonly password: string } | undefined> {
    return accounts.ensureAdmin(this.store, this.now(), this.scrypt);
  }

  principalId(p: Principal): string {
    return principalId(p.kind, p.name);
  }

  close(): Promise<void> {
    return settled(() => {
      if (this.ownsStore) this.store.close();
    });
  }

  /** The principal with its credential: the same object while its roles stay the same. */
  private principal(kind: 'user' | 'key', name: string, roles: readonly Role[]): Principal {
    const id = principalId(kind, name);
    const engineRoles = operatorRoles(roles);
    let op = this.operators.get(id);
    if (!op || op.roles.join(',') !== engineRoles.join(',')) {
      op = this.engine.authority.issue(id, engineRoles);
      this.operators.set(id, op);
    }
    return { kind, name, roles, operator: op };
  }

  private byKey(bearer: string, at: number): Authenticated | AuthFailure {
    const parsed = parseApiKey(bearer);
    const row = parsed && this.store.key(parsed.id);
    if (!parsed || !row || !constantTimeEqual(sha256Hex(parsed.secret), row.secretHash)) return fail('UNAUTHENTICATED', 'the API key is not valid');
    if (row.revokedAt !== undefined && row.revokedAt <= at) return fail('KEY_REVOKED', `API key ${row.id} was revoked`);
    return { ok: true, principal: this.principal('key', row.id, row.roles) };
  }

  private bySession(token: string, at: number): Authenticated | AuthFailure {
    const hash = sha256Hex(token);
    const row = this.store.session(hash);
    if (!row) return fail('UNAUTHENTICATED', 'the session is not valid (logged out or never issued)');
    if (row.expiresAt <= at) {
      this.store.deleteSession(hash);
      return fail('SESSION_EXPIRED', 'the session has expired; log in again');
    }
    const user = this.store.user(row.userName);
    if (!user) return fail('UNAUTHENTICATED', 'the session is not valid (logged out or never issued)');
    return { ok: true, principal: this.principal('user', user.name, user.roles) };
  }

  /** When the name or the address may try again, if either is locked now. */
  private lockedFor(name: string, ip: string, at: number): number | undefined {
    const until = Math.max(lockedUntil(this.store.failure(accounts.userSubject(name)), at) ?? 0, lockedUntil(this.store.failure(accounts.ipSubject(ip)), at) ?? 0);
    return until > at ? until : undefined;
  }

  /**
   * Counts the attempt as a failure before the password is checked (a success clears it), so
   * attempts sent in parallel cannot all be checked before the first failure is counted.
   */
  private charge(name: string, ip: string, at: number): { readonly before: FailureRecord | undefined; readonly charged: FailureRecord } {
    return this.store.transaction(() => {
      this.store.pruneFailures(at, this.lockout.windowMs);
      const user = accounts.userSubject(name);
      this.store.setFailure(user, afterFailure(this.store.failure(user), at, this.lockout));
      const ipSubject = accounts.ipSubject(ip);
      const before = this.store.failure(ipSubject);
      const charged = afterFailure(before, at, this.lockout);
      this.store.setFailure(ipSubject, charged);
      return { before, charged };
    });
  }

  private async journal(entry: AuditInput, origin: Origin): Promise<void> {
    try {
      await this.engine.recordAudit(entry, origin);
    } catch (e) {
      // A stopped engine (or the write that stopped it) journals nothing more; people must still
      // be able to log in and look at what happened.
      if (e instanceof WardenError && ENGINE_DOWN.has(e.code)) return;
      throw e;
    }
  }
}

const MAX_TARGET = 200;

/**
 * A target as the audit record takes it: white space runs as one space, anything the record
 * does not take (non-ASCII, `"`, `\`, `{`, `}`) as `?`, cut to 200 characters (ending `...`), so a long list of ids is recorded in part
 * rather than refused and lost.
 */
function fitTarget(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim().replace(/[^ !#-[\]-z|~]/g, '?');
  if (one === '') return '-';
  return one.length <= MAX_TARGET ? one : `${one.slice(0, MAX_TARGET - 3).trimEnd()}...`;
}

const ENGINE_DOWN: ReadonlySet<string> = new Set(['ENGINE_STOPPED', 'JOURNAL_WRITE_FAILED', 'JOURNAL_FILE_GONE']);

function loginAudit(principal: string, roles: readonly Role[], ip: string, code?: string): AuditInput {
  return { principal, roles, source: ip, action: 'auth.login', outcome: code === undefined ? 'OK' : 'UNAUTHENTICATED', ...(code === undefined ? {} : { code }) };
}
