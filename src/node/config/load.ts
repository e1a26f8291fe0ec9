import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { riskConfigSchema } from '../../risk/config/schema.ts';
import type { RiskConfig } from '../../risk/config/types.ts';
import { checkNodeConfig, type Mode } from './checks.ts';
import { MIN_SECRET_LENGTH, substituteDocument, type Env } from './env.ts';
import { alertSecrets } from './alerts.ts';
import { advisorKeyProblems, advisorSecrets } from '../../advisor/models/config.ts';
import { scrubber } from '../secrets.ts';
import { ConfigError, formatPath, type ConfigProblem } from './problems.ts';
import { nodeConfigSchema, riskRefSchema, type JournalConfig, type NodeConfigFile } from './schema.ts';

/**
 * The configuration as the node uses it: the file's sections (snake_case, as written, defaults
 * filled in), with the risk section read (inline or from its file), the journal chosen, and every
 * relative path (journal, data files, log file) made absolute against the config file's folder,
 * so a file means the same wherever the node is started.
 */
export type NodeConfig = Omit<NodeConfigFile, 'risk' | 'node'> & {
  readonly node: Omit<NodeConfigFile['node'], 'journal'> & { readonly journal: JournalConfig };
  /** Absent: no risk section, so no gate checks beyond the engine's own. */
  readonly risk: RiskConfig | undefined;
};

export interface LoadedNodeConfig {
  readonly config: NodeConfig;
  /**
   * Values that must never be logged or shown: those of `${VAR}` whose name looks secret
   * (*_KEY, *_SECRET, *_PASSWORD, *_TOKEN, ...) and of fields named like secrets (apiKey,
   * password, Authorization, ...), here and in the risk file. Give them to `createLogger` and `scrubber`.
   */
  readonly secrets: ReadonlySet<string>;
  /** The file as given (what messages name). */
  readonly file: string;
  /** The folder relative paths were resolved against. */
  readonly baseDir: string;
}

export interface ParseOptions {
  /** What problems name; default `warden.yaml`. */
  readonly file?: string;
  readonly env?: Env;
  /** Relative paths are resolved against it; default: the file's folder, else the working directory. */
  readonly baseDir?: string;
  /** Run as this mode whatever `node.mode` says (`warden backtest --config` on a paper file). */
  readonly mode?: Mode;
  /** Check that data files exist (default true). */
  readonly checkFiles?: boolean;
}

const withoutRisk = nodeConfigSchema.omit({ risk: true });

/** Reads and validates a node config file (YAML or JSON); every problem is in one ConfigError. */
export function loadNodeConfig(file: string, env: Env = process.env, options: Omit<ParseOptions, 'file' | 'env'> = {}): LoadedNodeConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError([{ file, path: '(file)', problem: `cannot read the config file: ${(e as Error).message}` }]);
  }
  return parseNodeConfig(text, { baseDir: dirname(resolve(file)), ...options, file, env });
}

/** Validates config text; see loadNodeConfig. */
export function parseNodeConfig(text: string, options: ParseOptions = {}): LoadedNodeConfig {
  const file = options.file ?? 'warden.yaml';
  const env = options.env ?? process.env;
  const baseDir = options.baseDir ?? (options.file ? dirname(resolve(options.file)) : process.cwd());
  const at = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const secrets = new Set<string>();
  const { value, problems } = readYaml(text, file, env, secrets);
  if (value === undefined) throw configError(problems, secrets);
  const { risk: rawRisk, ...rest } = (value && typeof value === 'object' && !Array.isArray(value) ? value : {}) as Record<string, unknown>;
  const parsed = withoutRisk.safeParse(value && typeof value === 'object' && !Array.isArray(value) ? rest : value, { reportInput: true });
  if (!parsed.success) problems.push(...withoutSubstituted(parsed.error.issues.map((i) => describe(i, file)), problems));
  const risk = rawRisk === undefined ? undefined : readRisk(rawRisk, file, at, env, secrets, problems);
  if (problems.length > 0 || !parsed.success) throw configError(problems, secrets);
  const c: NodeConfigFile = parsed.data;
  for (const s of alertSecrets(c.alerts)) if (s.length >= MIN_SECRET_LENGTH) secrets.add(s);
  // The advisor's keys are read from the environment by name, not substituted: scrubbed all the same.
  for (const s of advisorSecrets(c.advisor, env)) if (s.length >= MIN_SECRET_LENGTH) secrets.add(s);
  const mode = options.mode ?? c.node.mode;
  const checks = [...checkNodeConfig(c, { mode, resolvePath: at, ...(options.checkFiles === false ? {} : { fileExists: existsSync }) }), ...advisorKeyProblems(c.advisor, env)];
  if (checks.length > 0) throw configError(checks.map((p) => ({ file, ...p })), secrets);
  return { config: resolvePaths(c, mode, risk, at), secrets, file, baseDir };
}

/** Problems may quote values (an unknown currency, a bad parameter); a secret value is never quoted back. */
function configError(problems: readonly ConfigProblem[], secrets: ReadonlySet<string>): ConfigError {
  const scrub = scrubber(secrets);
  return new ConfigError(problems.map((p) => ({ file: p.file, path: scrub(p.path), problem: scrub(p.problem) })));
}

function resolvePaths(c: NodeConfigFile, mode: Mode, risk: RiskConfig | undefined, at: (p: string) => string): NodeConfig {
  const journal: JournalConfig = c.node.journal === undefined ? { sqlite: at(`./var/${c.node.id}/journal.sqlite`) } : 'sqlite' in c.node.journal ? { sqlite: at(c.node.journal.sqlite) } : c.node.journal;
  const destination = c.logging.destination;
  return {
    ...c,
    node: { ...c.node, mode, journal },
    data: { ...c.data, replay: c.data.replay.map((r) => ({ ...r, file: at(r.file) })) },
    logging: { ...c.logging, destination: typeof destination === 'string' ? destination : { file: at(destination.file) } },
    ...(c.server ? { server: { ...c.server, auth_db: at(c.server.auth_db) } } : {}),
    risk,
  };
}

/** Parses YAML (JSON is YAML too) and substitutes the environment; `value` undefined when it cannot be parsed. */
function readYaml(text: string, file: string, env: Env, secrets: Set<string>): { value: unknown; problems: ConfigProblem[] } {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => ({ file, path: '(syntax)', problem: `${e.linePos ? `line ${e.linePos[0].line}: ` : ''}${e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? ''}` }));
    return { value: undefined, problems };
  }
  const sub = substituteDocument(doc, env);
  for (const s of sub.secrets) secrets.add(s);
  return { value: doc.toJS({ maxAliasCount: 100 }), problems: sub.problems.map((p) => ({ file, ...p })) };
}

/** A field whose placeholder could not be substituted has said so; its schema complaint would only repeat it. */
function withoutSubstituted(found: ConfigProblem[], substitution: readonly ConfigProblem[]): ConfigProblem[] {
  const bad = new Set(substitution.map((p) => p.path));
  return found.filter((p) => !bad.has(p.path));
}

/** The risk section: inline, or `{ path }` to a risk file read like this one (relative to this file). */
function readRisk(raw: unknown, file: string, at: (p: string) => string, env: Env, secrets: Set<string>, problems: ConfigProblem[]): RiskConfig | undefined {
  const isRef = raw !== null && typeof raw === 'object' && !Array.isArray(raw) && Object.hasOwn(raw, 'path');
  if (!isRef) return validateRisk(raw, file, ['risk'], problems);
  const ref = riskRefSchema.safeParse(raw, { reportInput: true });
  if (!ref.success) {
    problems.push(...ref.error.issues.map((i) => describe({ ...i, path: ['risk', ...i.path] }, file)));
    return undefined;
  }
  const riskFile = at(ref.data.path);
  let text: string;
  try {
    text = readFileSync(riskFile, 'utf8');
  } catch (e) {
    problems.push({ file, path: 'risk.path', problem: `cannot read the risk file ${riskFile}: ${(e as Error).message}` });
    return undefined;
  }
  const { value, problems: found } = readYaml(text, riskFile, env, secrets);
  problems.push(...found);
  if (value === undefined) return undefined;
  const before = problems.length;
  const risk = validateRisk(value, riskFile, [], problems);
  problems.splice(before, problems.length - before, ...withoutSubstituted(problems.slice(before), found));
  return risk;
}

function validateRisk(raw: unknown, file: string, prefix: readonly PropertyKey[], problems: ConfigProblem[]): RiskConfig | undefined {
  const r = riskConfigSchema.safeParse(raw, { reportInput: true });
  if (r.success) return r.data;
  problems.push(...r.error.issues.map((i) => describe({ ...i, path: [...prefix, ...i.path] }, file)));
  return undefined;
}

/** One zod issue as a line a person can act on. */
function describe(issue: z.core.$ZodIssue, file: string): ConfigProblem {
  const path = formatPath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const [key, ...more] = issue.keys;
      return { file, path: formatPath([...issue.path, key ?? '']), problem: `unknown key${more.length ? ` (also ${more.join(', ')})` : ''}` };
    }
    case 'invalid_type': {
      if (issue.input === undefined) return { file, path, problem: `is required (${issue.expected})` };
      if (issue.expected === 'int') return { file, path, problem: 'must be a whole number' };
      const standard = issue.message.startsWith('Invalid input: ');
      return { file, path, problem: standard ? `has the wrong type: ${issue.message.slice(15)}` : issue.message };
    }
    case 'invalid_key':
      return { file, path, problem: `is not a valid key: ${issue.issues.map((i) => i.message).join('; ')}` };
    case 'invalid_value': {
      if (!issue.message.startsWith('Invalid ')) return { file, path, problem: issue.message };
      const allowed = issue.values.map((v) => String(v)).join(', ');
      return { file, path, problem: issue.input === undefined ? `is required (one of ${allowed})` : `must be one of ${allowed}, not ${JSON.stringify(issue.input)}` };
    }
    case 'invalid_union':
      // A discriminated union whose discriminator is missing: say what it must be.
      return { file, path, problem: issue.message.replace(/^Invalid input$/, 'matches none of the allowed forms') };
    default:
      return { file, path, problem: issue.message.replace(/^Invalid input: /, '') };
  }
}
