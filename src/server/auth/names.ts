/**
 * What user names, key names and role lists may be, and how roles map to the engine's operator
 * roles. Names are of a fixed form so they can stand in audit records and URLs as they are.
 */
import type { OperatorRole } from '../../engine/origin.ts';
import { ValidationError } from '../../model/errors.ts';
import { ROLES, type Role } from './types.ts';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;

/** A user or key name: 1 to 64 of letters, digits, `_ . @ -`, starting with a letter or digit (INVALID_FIELD). */
export function requireName(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || !NAME.test(value)) {
    // Not echoed: a password pasted into the name field must not come back in the error.
    throw new ValidationError('INVALID_FIELD', `${field} must be 1 to 64 letters, digits, '_', '.', '@' or '-', starting with a letter or digit`, { field });
  }
}

/** A non-empty list of known roles, without repeats, in ROLES order (INVALID_FIELD otherwise). */
export function requireRoles(value: unknown): readonly Role[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ValidationError('INVALID_FIELD', `roles must be a non-empty list of ${ROLES.join(', ')}`, { field: 'roles' });
  }
  for (const r of value as unknown[]) {
    if (typeof r !== 'string' || !(ROLES as readonly string[]).includes(r)) {
      // A typo is named; anything as long as the shortest password could be one pasted in the wrong field.
      const shown = typeof r === 'string' && /^[A-Za-z_-]{1,11}$/.test(r) ? r : 'a value';
      throw new ValidationError('INVALID_FIELD', `roles must be among ${ROLES.join(', ')}; ${shown} is not a role`, { field: 'roles' });
    }
  }
  return ROLES.filter((r) => (value as unknown[]).includes(r));
}

/** The engine roles a principal's operator credential holds: trader → TRADE, risk → RISK. */
export function operatorRoles(roles: readonly Role[]): OperatorRole[] {
  const out: OperatorRole[] = [];
  if (roles.includes('trader')) out.push('TRADE');
  if (roles.includes('risk')) out.push('RISK');
  return out;
}

/** `user:<name>` or `key:<id>`: the operator identity and the audit principal. */
export function principalId(kind: 'user' | 'key', name: string): string {
  return `${kind}:${name}`;
}
