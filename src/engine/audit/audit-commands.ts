/**
 * The decision behind Engine.recordAudit: who may journal an audit record and what it may hold.
 * Every field is short and of a fixed form (printable ASCII; spaces only single, between an HTTP
 * method and its path or between the ids of a target; no control characters), so an entry
 * cannot carry a request body or a multi-line dump. A refusal throws a typed error (INVALID_FIELD
 * or NOT_AUTHORIZED) and journals nothing.
 */
import { AuthorityError, ValidationError } from '../../model/errors.ts';
import { requireObject } from '../input-guards.ts';
import { originText, type Origin } from '../origin.ts';
import { AUDIT_OUTCOMES, type AuditInput, type AuditRecorded } from './events.ts';

/** Field rules: a pattern and a maximum length each. */
const RULES = {
  principal: { re: /^(anonymous|(user|key):[A-Za-z0-9][A-Za-z0-9_.@-]*)$/, max: 80 },
  role: { re: /^[a-z][a-z0-9_]*$/, max: 16 },
  source: { re: /^[A-Za-z0-9.:%_[\]-]+$/, max: 64 },
  // `METHOD /path` (a route pattern such as `DELETE /api/orders/:id`; no query string, which may
  // carry a token) or a dotted name such as `users.add`.
  action: { re: /^([A-Z]+ \/[\x21-\x22\x24-\x3e\x40-\x7e]*|[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+)$/, max: 120 },
  // Ids, names or scopes, separated by single spaces: printable ASCII but for `"`, `\`, `{` and
  // `}` (nothing JSON-like: a serialized body cannot pass as a target).
  target: { re: /^[!#-[\]-z|~]+( [!#-[\]-z|~]+)*$/, max: 200 },
  code: { re: /^[A-Z][A-Z0-9_]*$/, max: 48 },
} as const;
const MAX_ROLES = 8;

function requireField(value: unknown, rule: keyof typeof RULES, field: string): asserts value is string {
  const { re, max } = RULES[rule];
  if (typeof value !== 'string' || value.length === 0 || value.length > max || !re.test(value)) {
    // The input is not echoed: a field that breaks the rules may be a secret in the wrong place.
    throw new ValidationError('INVALID_FIELD', `audit ${field} must be 1 to ${max} characters of its form (${re.source})`, { field, length: typeof value === 'string' ? value.length : null });
  }
}

/**
 * The AuditRecorded to journal. A strategy, risk control or reconciliation never writes audit
 * records (NOT_AUTHORIZED); an operator writes only its own (the principal is its identity), so
 * attribution cannot be forged; SYSTEM (the server, for anonymous attempts) writes any.
 */
export function planAudit(entry: AuditInput, origin: Origin, now: number): AuditRecorded {
  if (origin.kind !== 'OPERATOR' && origin.kind !== 'SYSTEM') {
    throw new AuthorityError('NOT_AUTHORIZED', `${origin.kind} does not write audit records`, { origin: origin.kind });
  }
  requireObject(entry, 'audit entry');
  requireField(entry.principal, 'principal', 'principal');
  if (origin.kind === 'OPERATOR' && origin.operator.identity !== entry.principal) {
    throw new AuthorityError('NOT_AUTHORIZED', `operator ${origin.operator.identity} may record only its own actions`, { operator: origin.operator.identity });
  }
  if (!Array.isArray(entry.roles) || entry.roles.length > MAX_ROLES) {
    throw new ValidationError('INVALID_FIELD', `audit roles must be a list of at most ${MAX_ROLES}`, { field: 'roles' });
  }
  for (const r of entry.roles as unknown[]) requireField(r, 'role', 'roles');
  requireField(entry.source, 'source', 'source');
  requireField(entry.action, 'action', 'action');
  if (entry.target !== undefined) requireField(entry.target, 'target', 'target');
  if (!(AUDIT_OUTCOMES as readonly unknown[]).includes(entry.outcome)) {
    throw new ValidationError('INVALID_FIELD', `audit outcome must be one of ${AUDIT_OUTCOMES.join(', ')}, not this`, { field: 'outcome' });
  }
  if (entry.code !== undefined) requireField(entry.code, 'code', 'code');
  return {
    kind: 'AuditRecorded',
    principal: entry.principal,
    roles: [...(entry.roles as readonly string[])],
    source: entry.source,
    action: entry.action,
    target: entry.target,
    outcome: entry.outcome,
    code: entry.code,
    origin: originText(origin),
    tsEvent: now,
    tsInit: now,
  };
}
