/**
 * `warden tui --url http://127.0.0.1:8080`: the terminal dashboard. The credential is a session
 * token (WARDEN_TOKEN) or an API key (WARDEN_API_KEY) from the environment, else a user name and
 * password asked on the terminal (the password not echoed) and exchanged for a session token.
 * The credential is sent as a bearer header only: never printed, never logged.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { render } from 'ink';
import { createElement } from 'react';
import { parse as parseYaml } from 'yaml';
import { ApiClient, login } from '../tui/api.ts';
import { App } from '../tui/app.ts';
import { DashController } from '../tui/controller.ts';
import { isThemeName, noColorIn, type ThemeName } from '../tui/theme.ts';
import { bad } from './flags.ts';

export interface TuiCliOptions {
  readonly url: string;
  readonly theme?: string;
  readonly config?: string;
  readonly user?: string;
}

/** The credential the environment gives, if any (a token first, then an API key). */
export function credentialFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const token = env.WARDEN_TOKEN?.trim();
  if (token) return token;
  const key = env.WARDEN_API_KEY?.trim();
  return key || undefined;
}

/** The theme: --theme, else `tui.theme` of the config file, else "matrix". */
export function themeFrom(o: Pick<TuiCliOptions, 'theme' | 'config'>, readText: (file: string) => string = (f) => readFileSync(f, 'utf8')): ThemeName {
  if (o.theme !== undefined) {
    if (!isThemeName(o.theme)) throw bad('theme', `must be matrix or plain, got ${JSON.stringify(o.theme)}`);
    return o.theme;
  }
  if (o.config === undefined) return 'matrix';
  const doc = parseYaml(readText(o.config)) as { tui?: { theme?: unknown } } | null;
  const t = doc?.tui?.theme;
  if (t === undefined) return 'matrix';
  if (typeof t !== 'string' || !isThemeName(t)) throw bad('config', `tui.theme must be matrix or plain, got ${JSON.stringify(t)}`);
  return t;
}

function ask(question: string, hidden: boolean): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  if (hidden) {
    // Echo nothing of the password (readline writes what it reads through _writeToOutput).
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.includes(question)) process.stdout.write(question);
    };
  }
  return new Promise((resolve) =>
    rl.question(question, (answer) => {
      rl.close();
      if (hidden) process.stdout.write('\n');
      resolve(answer);
    }),
  );
}

async function credentialFor(url: string, o: TuiCliOptions): Promise<string> {
  const fromEnv = credentialFromEnv(process.env);
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw bad('url', 'no credential: set WARDEN_TOKEN or WARDEN_API_KEY, or run on a terminal to log in');
  const user = o.user ?? (await ask('user: ', false));
  const password = await ask('password: ', true);
  const r = await login(url, user.trim(), password);
  if (!r.ok) throw bad('url', `login refused: ${r.code}: ${r.message}`);
  return r.token;
}

export async function runTuiCli(o: TuiCliOptions): Promise<void> {
  let url: string;
  try {
    url = new URL(o.url).origin;
  } catch {
    throw bad('url', `must be an http(s) address such as http://127.0.0.1:8080, got ${JSON.stringify(o.url)}`);
  }
  const theme = themeFrom(o);
  const api = new ApiClient(url, await credentialFor(url, o));
  const me = await api.call('GET', '/api/auth/me');
  if (!me.ok) throw bad('url', me.code === 'UNREACHABLE' ? me.message : `${url} refused the credential: ${me.code}: ${me.message}`);
  const controller = new DashController(api, () => Date.now());
  controller.start();
  const app = render(createElement(App, { controller, theme, noColor: noColorIn(process.env), onQuit: () => controller.stop() }), { exitOnCtrlC: false });
  await app.waitUntilExit();
  controller.stop();
}
