import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { ValidationError } from '../../model/errors.ts';
import { MISSING_MARK, substituteEnv } from './env.ts';
import { riskConfigSchema } from './schema.ts';
import type { RiskConfig } from './types.ts';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads a risk file (.yaml, .yml or .json; see risk.example.yaml), substitutes `${VAR}` and
 * `${VAR:-default}` from `env`, and validates it. Any problem is a ValidationError (INVALID_FIELD)
 * whose message names the file, the field path and the problem, with `context.field` the path.
 */
export function loadRiskConfig(path: string, env: Env = process.env): RiskConfig {
  const ext = extname(path).toLowerCase();
  const format = ext === '.json' ? 'json' : ext === '.yaml' || ext === '.yml' ? 'yaml' : undefined;
  if (!format) throw new ValidationError('INVALID_FIELD', `${path}: a risk file must be .yaml, .yml or .json`, { field: '(file)', source: path });
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ValidationError('INVALID_FIELD', `${path}: cannot read the risk file: ${(e as Error).message}`, { field: '(file)', source: path });
  }
  return parseRiskConfig(text, format, env, path);
}

/** Parses and validates risk configuration text; see loadRiskConfig. */
export function parseRiskConfig(text: string, format: 'yaml' | 'json', env: Env = process.env, source = `risk ${format}`): RiskConfig {
  const { text: substituted, missing } = substituteEnv(text, env, source, format);
  let raw: unknown;
  try {
    raw = format === 'json' ? JSON.parse(substituted) : parseYaml(substituted, { uniqueKeys: true, prettyErrors: true });
  } catch (e) {
    const line = e instanceof YAMLParseError ? e.linePos?.[0].line : undefined;
    const first = missing[0];
    if (first) throw missingVariable(source, first.name, undefined, first.line);
    throw new ValidationError('INVALID_FIELD', `${source}: not valid ${format.toUpperCase()}${line ? ` (line ${line})` : ''}: ${(e as Error).message.split('\n')[0] ?? ''}`, {
      field: '(syntax)',
      source,
      ...(line ? { line } : {}),
    });
  }
  const first = missing[0];
  if (first) throw missingVariable(source, first.name, findMark(raw, `${MISSING_MARK}${first.name}__`, []), first.line);
  const result = riskConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => describe(i));
  const [head] = problems;
  const rest = problems.length > 1 ? ` (and ${problems.length - 1} more: ${problems.slice(1).map((p) => `${p.field}: ${p.problem}`).join('; ')})` : '';
  throw new ValidationError('INVALID_FIELD', `${source}: ${head?.field ?? '(root)'}: ${head?.problem ?? 'invalid'}${rest}`, {
    field: head?.field ?? '(root)',
    source,
    problems: problems.length,
  });
}

function missingVariable(source: string, name: string, field: string | undefined, line: number): ValidationError {
  return new ValidationError('INVALID_FIELD', `${source}: ${field ?? `line ${line}`}: environment variable ${name} is not set (give it a value or write \${${name}:-default})`, {
    field: field ?? `line ${line}`,
    variable: name,
    source,
    line,
  });
}

/** The path of the first string holding `mark`. */
function findMark(v: unknown, mark: string, path: (string | number)[]): string | undefined {
  if (typeof v === 'string') return v.includes(mark) ? formatPath(path) : undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const f = findMark(v[i], mark, [...path, i]);
      if (f) return f;
    }
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const f = findMark(x, mark, [...path, k]);
      if (f) return f;
    }
  }
  return undefined;
}

/** `breakers.daily_loss.max_daily_loss_pct`; keys that are not plain names in brackets: `limits.instruments["BTCUSDT.BINANCE"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (typeof p === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(p)) out += out === '' ? p : `.${p}`;
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out === '' ? '(root)' : out;
}

function describe(issue: z.core.$ZodIssue): { field: string; problem: string } {
  if (issue.code === 'unrecognized_keys') {
    const [key, ...more] = issue.keys;
    return { field: formatPath([...issue.path, key ?? '']), problem: `unknown key${more.length ? ` (also ${more.join(', ')})` : ''}` };
  }
  if (issue.code === 'invalid_type' && / received undefined$/.test(issue.message)) {
    return { field: formatPath(issue.path), problem: `is required (${issue.expected})` };
  }
  if (issue.code === 'invalid_type' && issue.expected === 'int') return { field: formatPath(issue.path), problem: 'must be a whole number' };
  if (issue.code === 'invalid_type') {
    const standard = issue.message.startsWith('Invalid input: ');
    return { field: formatPath(issue.path), problem: standard ? `has the wrong type: ${issue.message.slice(15)}` : issue.message };
  }
  return { field: formatPath(issue.path), problem: issue.message.replace(/^Invalid input: /, '') };
}
