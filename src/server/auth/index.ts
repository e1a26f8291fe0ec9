/** The authentication side of the server (issue 14 section 2): what src/server/ imports. */
export type * from './types.ts';
export { ROLES } from './types.ts';
export { createAuthService, DEFAULT_SESSION_TTL_MS, type AuditingEngine, type AuthServiceOptions, type WardenAuthService } from './service.ts';
export { AuthStore } from './store.ts';
export { ADMIN_NAME, ADMIN_ROLES, addUser, createKey, ensureAdmin, listKeys, listUsers, removeUser, revokeKey } from './accounts.ts';
export { DEFAULT_LOCKOUT, type LockoutPolicy } from './lockout.ts';
export { DEFAULT_SCRYPT, MIN_PASSWORD_LENGTH, type ScryptParams } from './passwords.ts';
export { operatorRoles, principalId } from './names.ts';
