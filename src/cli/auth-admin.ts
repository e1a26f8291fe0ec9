/**
 * `warden users add|list|remove` and `warden keys create|list|revoke`: the auth store of a node
 * (server.auth_db of its config file, or --db) managed from the command line. A password given
 * on stdin (--password-stdin) is read, never taken as an argument (it would show in `ps` and the
 * shell history); without one a random password is generated and printed once. A new API key is
 * printed once; the store keeps only digests. Nothing here logs a secret.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { substituteDocument } from '../node/config/env.ts';
import { ValidationError } from '../model/errors.ts';
import { addUser, createKey, listKeys, listUsers, removeUser, revokeKey, setPassword } from '../server/auth/accounts.ts';
import { generatePassword } from '../server/auth/passwords.ts';
import { requireRoles } from '../server/auth/names.ts';
import { AuthStore } from '../server/auth/store.ts';
import { bad } from './flags.ts';

/** Where the store is when the config file does not say (as the `server:` section's default). */
export const DEFAULT_AUTH_DB = './var/auth.sqlite';

export interface AuthDbOptions {
  readonly config?: string;
  readonly db?: string;
}

export interface AuthCliIo {
  readonly out: (line: string) => void;
  /** All of standard input, for --password-stdin. */
  readonly stdin: () => Promise<string>;
  readonly now: () => number;
}

/** The auth store file: --db as given, else server.auth_db of --config (relative to the file), else its default beside the file. */
export function authDbPath(o: AuthDbOptions): string {
  if (o.db !== undefined) {
    if (o.db.trim() === '') throw bad('db', 'give the auth store file');
    return o.db;
  }
  if (o.config === undefined) throw bad('config', 'give the node config (warden.yaml) whose server.auth_db to use, or the store file with --db');
  let doc: unknown;
  try {
    // ${VAR} and ${VAR:-default} as the node reads them, so both open the same store.
    const parsed = parseDocument(readFileSync(o.config, 'utf8'));
    substituteDocument(parsed, process.env);
    doc = parsed.toJS();
  } catch (e) {
    throw bad('config', `cannot read ${o.config}: ${e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e)}`);
  }
  const server = typeof doc === 'object' && doc !== null ? (doc as { server?: unknown }).server : undefined;
  const given = typeof server === 'object' && server !== null ? (server as { auth_db?: unknown }).auth_db : undefined;
  if (given !== undefined && (typeof given !== 'string' || given.trim() === '')) throw bad('config', `server.auth_db must be a file path in ${o.config}`);
  const path = given ?? DEFAULT_AUTH_DB;
  return path === ':memory:' || isAbsolute(path) ? path : resolve(dirname(resolve(o.config)), path);
}

function withStore<T>(o: AuthDbOptions, fn: (store: AuthStore) => T): T {
  const store = AuthStore.open(authDbPath(o));
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

const when = (ms: number): string => new Date(ms).toISOString();

/** One password line of stdin: the trailing newline `echo` or a here-string adds is not part of it. */
export function passwordFromStdin(text: string): string {
  const pw = text.replace(/\r?\n$/, '');
  if (pw.includes('\n')) throw new ValidationError('WEAK_PASSWORD', 'the password on stdin must be one line', { field: 'password' });
  return pw;
}

export interface UsersAddOptions extends AuthDbOptions {
  readonly role: readonly string[];
  readonly passwordStdin?: boolean;
}

export async function usersAdd(name: string, o: UsersAddOptions, io: AuthCliIo): Promise<void> {
  const generated = o.passwordStdin ? undefined : generatePassword();
  const password = generated ?? passwordFromStdin(await io.stdin());
  const store = AuthStore.open(authDbPath(o));
  try {
    await addUser(store, name, password, o.role, io.now());
  } finally {
    store.close();
  }
  io.out(`added user ${name} (${requireRoles(o.role).join(', ')})`);
  if (generated !== undefined) io.out(`password (shown once, store it now): ${generated}`);
}

/** `users passwd <name>`: a new password (stdin, or generated and printed once); the user's sessions end, a lockout is lifted. */
export async function usersPasswd(name: string, o: AuthDbOptions & { readonly passwordStdin?: boolean }, io: AuthCliIo): Promise<void> {
  const generated = o.passwordStdin ? undefined : generatePassword();
  const password = generated ?? passwordFromStdin(await io.stdin());
  const store = AuthStore.open(authDbPath(o));
  try {
    await setPassword(store, name, password);
  } finally {
    store.close();
  }
  io.out(`new password set for ${name} (its sessions ended)`);
  if (generated !== undefined) io.out(`password (shown once, store it now): ${generated}`);
}

export function usersList(o: AuthDbOptions, io: AuthCliIo): void {
  const users = withStore(o, (s) => listUsers(s, io.now()));
  if (users.length === 0) io.out('no users');
  for (const u of users) io.out(`${u.name}\t${u.roles.join(',')}\tcreated ${when(u.createdAt)}${u.lockedUntil === undefined ? '' : `\tlocked until ${when(u.lockedUntil)}`}`);
}

export function usersRemove(name: string, o: AuthDbOptions, io: AuthCliIo): void {
  withStore(o, (s) => removeUser(s, name));
  io.out(`removed user ${name} (its sessions ended)`);
}

export function keysCreate(name: string, o: AuthDbOptions & { readonly role: readonly string[] }, io: AuthCliIo): void {
  const { id, key } = withStore(o, (s) => createKey(s, name, o.role, io.now()));
  io.out(`created key ${id} for ${name} (${requireRoles(o.role).join(', ')})`);
  io.out(`key (shown once, store it now; Warden keeps only its hash): ${key}`);
}

export function keysRevoke(id: string, o: AuthDbOptions, io: AuthCliIo): void {
  withStore(o, (s) => revokeKey(s, id, io.now()));
  io.out(`revoked key ${id}`);
}

export function keysList(o: AuthDbOptions, io: AuthCliIo): void {
  const keys = withStore(o, (s) => listKeys(s));
  if (keys.length === 0) io.out('no keys');
  for (const k of keys) io.out(`${k.id}\t${k.name}\t${k.roles.join(',')}\tcreated ${when(k.createdAt)}${k.revokedAt === undefined ? '' : `\trevoked ${when(k.revokedAt)}`}`);
}
