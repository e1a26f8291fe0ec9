import type { CommandAudit } from '../../engine/commands.ts';
import type { Operator } from '../../engine/origin.ts';

/**
 * What a person or program may do through the API. A principal holds a set of roles; every read
 * needs only to be authenticated (any role). Tightening a control (engaging the kill switch) is
 * allowed to `trader` and `risk`; lifting one (kill switch reset, breaker reset, loosening a
 * trading state) needs `risk`. `admin` manages users and keys and nothing else, so running the
 * users table is not the same as trading or lifting a control (separation of duties).
 */
export type Role = 'viewer' | 'trader' | 'risk' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'trader', 'risk', 'admin'];

/** Who made a request: a dashboard user (by session) or a program (by API key). */
export interface Principal {
  readonly kind: 'user' | 'key';
  /** The user's name, or the key's id (never its secret). */
  readonly name: string;
  readonly roles: readonly Role[];
  /**
   * The engine credential (OperatorAuthority.issue on the node's engine): identity
   * `user:<name>` or `key:<id>`, engine roles TRADE for `trader`, RISK for `risk`.
   */
  readonly operator: Operator;
}

/** Why a request was not authenticated; `code` is stable, `message` readable, neither holds a secret. */
export interface AuthFailure {
  readonly ok: false;
  readonly code: 'UNAUTHENTICATED' | 'INVALID_CREDENTIALS' | 'SESSION_EXPIRED' | 'KEY_REVOKED' | 'LOCKED_OUT';
  readonly message: string;
  /** LOCKED_OUT: when a new attempt may succeed (epoch ms). */
  readonly retryAt?: number;
}

export interface Authenticated {
  readonly ok: true;
  readonly principal: Principal;
}

/** The credentials a request carries: `Authorization: Bearer <session token | API key>` or the session cookie. */
export interface RequestCredentials {
  readonly bearer?: string;
  readonly sessionCookie?: string;
  /** Source address, for lockout and audit. */
  readonly ip: string;
}

export interface Session {
  readonly token: string;
  readonly expiresAt: number;
  readonly principal: Principal;
}

/** One mutating call, journaled as an audit event (never a secret, a password or a request body with one). */
export interface AuditEntry {
  /**
   * `user:<name>`, `key:<id>` (principalId in names.ts; the principal's operator identity) or
   * `anonymous`. Fields are short and of fixed forms (src/engine/audit/audit-commands.ts): a
   * field out of form is refused with INVALID_FIELD, never journaled.
   */
  readonly principal: string;
  readonly roles: readonly Role[];
  readonly source: string;
  /** What was asked, e.g. `POST /api/orders` or `users.add`. */
  readonly action: string;
  /** What it was asked of (an order id, a user name, a breaker), when there is one. */
  readonly target?: string;
  readonly outcome: 'OK' | 'DENIED' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'INVALID' | 'ERROR';
  /** The denial or error code when not OK. */
  readonly code?: string;
}

/** The authentication service the server is built on (src/server/auth/). */
export interface AuthService {
  authenticate(c: RequestCredentials): Promise<Authenticated | AuthFailure>;
  /**
   * Journals its own audit record of every attempt (`auth.login`, OK or UNAUTHENTICATED with
   * INVALID_CREDENTIALS / LOCKED_OUT; an unknown name as `anonymous`): the API need not audit it again.
   */
  login(username: string, password: string, ip: string): Promise<({ readonly ok: true } & Session) | AuthFailure>;
  logout(token: string): Promise<void>;
  /** Journals one audit event (an AuditRecorded event on the node's journal). */
  audit(entry: AuditEntry): Promise<void>;
  /**
   * The audit record of a call as a command carries it (src/engine/commands.ts CommandAudit), to be
   * journaled in the command's own commit; its fields fitted as `audit` fits them.
   */
  commandAudit(entry: Omit<AuditEntry, 'outcome' | 'code'>): CommandAudit;
  users: {
    add(name: string, password: string, roles: readonly Role[]): Promise<void>;
    remove(name: string): Promise<void>;
    list(): Promise<readonly { readonly name: string; readonly roles: readonly Role[]; readonly createdAt: number; readonly lockedUntil?: number }[]>;
  };
  keys: {
    /** The secret is in the returned `key` only, shown once; the store keeps its hash. */
    create(name: string, roles: readonly Role[]): Promise<{ readonly id: string; readonly key: string }>;
    revoke(id: string): Promise<void>;
    list(): Promise<readonly { readonly id: string; readonly name: string; readonly roles: readonly Role[]; readonly createdAt: number; readonly revokedAt?: number }[]>;
  };
  close(): Promise<void>;
}
