/**
 * Users and API keys: adding, removing, listing, creating and revoking, with their rules (name
 * form, known roles, password length, at least one admin left). Shared by the AuthService (the
 * API) and the `warden users|keys` commands, which work on the store file directly.
 */
import { LookupError, StateError } from '../../model/errors.ts';
import { DEFAULT_SCRYPT, generatePassword, hashPassword, requirePasswordRules, type ScryptParams } from './passwords.ts';
import { lockedUntil } from './lockout.ts';
import { requireName, requireRoles } from './names.ts';
import { newApiKey, sha256Hex } from './secrets.ts';
import type { AuthStore } from './store.ts';
import type { Role } from './types.ts';

export const ADMIN_NAME = 'admin';
export const ADMIN_ROLES: readonly Role[] = ['admin', 'risk', 'trader', 'viewer'];

export interface UserInfo {
  readonly name: string;
  readonly roles: readonly Role[];
  readonly createdAt: number;
  readonly lockedUntil?: number;
}

export interface KeyInfo {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly createdAt: number;
  readonly revokedAt?: number;
}

/** The failure-counter subject of a user name: a digest, so whatever was typed as a name is not kept. */
export function userSubject(name: string): string {
  return `user:${sha256Hex(name)}`;
}

export function ipSubject(ip: string): string {
  return `ip:${ip}`;
}

/** Adds a user (INVALID_FIELD, WEAK_PASSWORD, USER_EXISTS; nothing written on a refusal). */
export async function addUser(store: AuthStore, name: unknown, password: unknown, roles: unknown, now: number, scrypt: ScryptParams = DEFAULT_SCRYPT): Promise<void> {
  requireName(name, 'name');
  requirePasswordRules(password);
  const valid = requireRoles(roles);
  if (store.user(name)) throw new LookupError('USER_EXISTS', `a user named ${name} exists already`, { name });
  const passwordHash = await hashPassword(password, scrypt);
  if (!store.insertUser({ name, passwordHash, roles: valid, createdAt: now })) throw new LookupError('USER_EXISTS', `a user named ${name} exists already`, { name });
}

/**
 * Sets a user's password (UNKNOWN_USER, WEAK_PASSWORD; nothing written on a refusal): the user's
 * sessions end and a lockout of the name is lifted, so a locked-out operator can be let back in.
 */
export async function setPassword(store: AuthStore, name: unknown, password: unknown, scrypt: ScryptParams = DEFAULT_SCRYPT): Promise<void> {
  requireName(name, 'name');
  requirePasswordRules(password);
  if (!store.user(name)) throw new LookupError('UNKNOWN_USER', `no user named ${name}`, { name });
  const passwordHash = await hashPassword(password, scrypt);
  if (!store.setPasswordHash(name, passwordHash)) throw new LookupError('UNKNOWN_USER', `no user named ${name}`, { name });
  store.clearFailure(userSubject(name));
}

/** Removes a user and its sessions (UNKNOWN_USER; LAST_ADMIN when it is the only admin). */
export function removeUser(store: AuthStore, name: unknown): void {
  requireName(name, 'name');
  store.transaction(() => {
    const user = store.user(name);
    if (!user) throw new LookupError('UNKNOWN_USER', `no user named ${name}`, { name });
    if (user.roles.includes('admin') && store.users().filter((u) => u.roles.includes('admin')).length === 1) {
      throw new StateError('LAST_ADMIN', `${name} is the only admin; add another admin before removing it`, { name });
    }
    store.deleteUser(name);
  });
}

export function listUsers(store: AuthStore, now: number): UserInfo[] {
  return store.users().map((u) => {
    const until = lockedUntil(store.failure(userSubject(u.name)), now);
    return { name: u.name, roles: u.roles, createdAt: u.createdAt, ...(until === undefined ? {} : { lockedUntil: until }) };
  });
}

/** A new API key; the returned `key` is the only copy of its secret (the store keeps a SHA-256 digest). */
export function createKey(store: AuthStore, name: unknown, roles: unknown, now: number): { readonly id: string; readonly key: string } {
  requireName(name, 'key name');
  const valid = requireRoles(roles);
  const { id, secret, key } = newApiKey();
  store.insertKey({ id, name, secretHash: sha256Hex(secret), roles: valid, createdAt: now, revokedAt: undefined });
  return { id, key };
}

/** Revokes a key from now on (UNKNOWN_KEY); revoking it again keeps the first time. */
export function revokeKey(store: AuthStore, id: unknown, now: number): void {
  requireName(id, 'key id');
  if (!store.revokeKey(id, now)) throw new LookupError('UNKNOWN_KEY', `no API key with id ${id}`, { id });
}

export function listKeys(store: AuthStore): KeyInfo[] {
  return store.keys().map((k) => ({ id: k.id, name: k.name, roles: k.roles, createdAt: k.createdAt, ...(k.revokedAt === undefined ? {} : { revokedAt: k.revokedAt }) }));
}

/**
 * The first start: when the store has no user, adds `admin` with every role and a random
 * one-time password, returned for the caller to print once (it is stored only as a hash and
 * never logged). Undefined when there are users already.
 */
export async function ensureAdmin(store: AuthStore, now: number, scrypt: ScryptParams = DEFAULT_SCRYPT): Promise<{ readonly name: string; readonly password: string } | undefined> {
  if (store.userCount() > 0) return undefined;
  const password = generatePassword();
  try {
    await addUser(store, ADMIN_NAME, password, ADMIN_ROLES, now, scrypt);
  } catch (e) {
    // Another process created it meanwhile: its password is the one printed there.
    if (e instanceof LookupError && e.code === 'USER_EXISTS') return undefined;
    throw e;
  }
  return { name: ADMIN_NAME, password };
}
