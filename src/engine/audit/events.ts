/**
 * Journaled audit records (issue 14, FAULTS 30, 38, 39): one per mutating call an operator made
 * through the API (and each login attempt), with who, from where, what, on what, and how it
 * ended. Folded like any event but the engine keeps nothing of them: they are read back from the
 * journal (GET /api/audit, the event stream). An entry has no free-form body by design, so a
 * request's payload (which may hold a password) has nowhere to go; see audit-commands.ts for the
 * field rules.
 */
interface Base<K extends string> {
  readonly kind: K;
  readonly tsEvent: number;
  readonly tsInit: number;
}

export type AuditOutcome = 'OK' | 'DENIED' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'INVALID' | 'ERROR';
export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['OK', 'DENIED', 'FORBIDDEN', 'UNAUTHENTICATED', 'INVALID', 'ERROR'];

/** What a caller asks to be audited (the server's AuditEntry has this shape). */
export interface AuditInput {
  /** `user:<name>`, `key:<id>`, or `anonymous` when nobody was authenticated. */
  readonly principal: string;
  /** The principal's roles (viewer, trader, risk, admin), none when anonymous. */
  readonly roles: readonly string[];
  /** Source address of the request. */
  readonly source: string;
  /** What was asked, e.g. `POST /api/orders` or `users.add`. */
  readonly action: string;
  /** What it was asked of (an order id, a user name, a breaker), when there is one. */
  readonly target?: string;
  readonly outcome: AuditOutcome;
  /** The denial or error code when not OK (SCREAMING_SNAKE). */
  readonly code?: string;
}

/** `origin` is who journaled it (originText): `OPERATOR:<identity>` or `SYSTEM`. */
export type AuditRecorded = Base<'AuditRecorded'> & {
  readonly principal: string;
  readonly roles: readonly string[];
  readonly source: string;
  readonly action: string;
  readonly target: string | undefined;
  readonly outcome: AuditOutcome;
  readonly code: string | undefined;
  readonly origin: string;
};

export type AuditEvent = AuditRecorded;
