import { ConfigError } from '../node/config/problems.ts';
import { loadNodeConfig, type LoadedNodeConfig } from '../node/config/load.ts';
import type { Env } from '../node/config/env.ts';
import { scrubber } from '../node/secrets.ts';

export interface ConfigCheckOptions {
  readonly config: string;
}

export interface ConfigCheckResult {
  readonly ok: boolean;
  /** What to print: the summary, or every problem one per line. */
  readonly lines: readonly string[];
}

/** A few lines saying what the file sets up. */
export function configSummary({ config: c, file }: LoadedNodeConfig): string[] {
  const journal = 'sqlite' in c.node.journal ? `sqlite ${c.node.journal.sqlite}` : 'postgres' in c.node.journal ? 'postgres' : 'memory';
  const list = (xs: readonly string[]) => (xs.length > 0 ? xs.join(', ') : 'none');
  return [
    `OK ${file}`,
    `  node         ${c.node.id} (${c.node.mode}), journal ${journal}`,
    `  venues       ${list(Object.entries(c.venues).map(([name, v]) => `${name} (${v.type})`))}`,
    `  accounts     ${list(c.accounts.map((a) => `${a.id} (${a.type} at ${a.venue})`))}`,
    `  instruments  ${list(c.instruments.map((i) => i.id))}`,
    `  data         ${c.data.replay.length} replayed file(s), ${c.data.subscriptions.length} subscription(s)`,
    `  risk         ${c.risk ? `${Object.keys(c.risk.breakers).length} breaker(s)` : 'none'}`,
    `  strategies   ${list(c.strategies.map((s) => `${s.id} (${s.name} on ${s.instruments.join(', ')})`))}`,
  ];
}

/**
 * `warden config check`: validates the file as the node would (environment substituted, risk file
 * read, data files present) without starting anything. Secrets never reach the output.
 */
export function checkConfig(o: ConfigCheckOptions, env: Env = process.env): ConfigCheckResult {
  try {
    const loaded = loadNodeConfig(o.config, env);
    const scrub = scrubber(loaded.secrets);
    return { ok: true, lines: configSummary(loaded).map(scrub) };
  } catch (e) {
    if (e instanceof ConfigError) return { ok: false, lines: e.message.split('\n') };
    throw e;
  }
}

export function runConfigCheckCli(o: ConfigCheckOptions): void {
  const r = checkConfig(o);
  for (const line of r.lines) (r.ok ? console.log : console.error)(line);
  if (!r.ok) process.exitCode = 1;
}
