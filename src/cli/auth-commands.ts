/** The `users` and `keys` command groups of `warden` (auth-admin.ts does the work). */
import type { Command } from 'commander';
import { WallClock } from '../engine/clock.ts';
import { keysCreate, keysList, keysRevoke, usersAdd, usersList, usersPasswd, usersRemove, type AuthCliIo, type AuthDbOptions, type UsersAddOptions } from './auth-admin.ts';
import { collect } from './run-options.ts';

const ROLE_HELP = 'role (repeatable): viewer, trader, risk, admin';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function io(): AuthCliIo {
  const clock = new WallClock();
  return { out: (line) => console.log(line), stdin: readStdin, now: () => clock.now() };
}

/** --config (server.auth_db of the node config) or --db (the store file). */
function withDb(c: Command): Command {
  return c.option('--config <file>', 'node config whose server.auth_db is the store (default warden.yaml when --db is not given)').option('--db <file>', 'the auth store file itself');
}

const dbOf = (o: AuthDbOptions): AuthDbOptions => (o.db === undefined && o.config === undefined ? { config: 'warden.yaml' } : o);

export function addAuthCommands(program: Command): void {
  const users = program.command('users').description('dashboard users of a node (the auth store, server.auth_db)');
  withDb(users.command('add <name>').description('add a user; its password is read from stdin with --password-stdin, else generated and printed once'))
    .option('--role <role>', ROLE_HELP, collect, [])
    .option('--password-stdin', 'read the password (one line, at least 12 characters) from standard input')
    .action(async (name: string, o: UsersAddOptions) => {
      await usersAdd(name, { ...o, ...dbOf(o) }, io());
    });
  withDb(users.command('passwd <name>').description("set a user's password (from stdin with --password-stdin, else generated and printed once); its sessions end and a lockout is lifted"))
    .option('--password-stdin', 'read the password (one line, at least 12 characters) from standard input')
    .action(async (name: string, o: AuthDbOptions & { passwordStdin?: boolean }) => {
      await usersPasswd(name, { ...o, ...dbOf(o) }, io());
    });
  withDb(users.command('list').description('list users, their roles and any lockout')).action((o: AuthDbOptions) => {
    usersList(dbOf(o), io());
  });
  withDb(users.command('remove <name>').description('remove a user and end its sessions')).action((name: string, o: AuthDbOptions) => {
    usersRemove(name, dbOf(o), io());
  });

  const keys = program.command('keys').description('API keys of a node, for programs (the auth store, server.auth_db)');
  withDb(keys.command('create <name>').description('create an API key; it is printed once, the store keeps only its hash'))
    .option('--role <role>', ROLE_HELP, collect, [])
    .action((name: string, o: AuthDbOptions & { role: string[] }) => {
      keysCreate(name, { ...o, ...dbOf(o) }, io());
    });
  withDb(keys.command('list').description('list API keys (ids, names, roles, revocation), never their secrets')).action((o: AuthDbOptions) => {
    keysList(dbOf(o), io());
  });
  withDb(keys.command('revoke <id>').description('revoke an API key from now on')).action((id: string, o: AuthDbOptions) => {
    keysRevoke(id, dbOf(o), io());
  });
}
