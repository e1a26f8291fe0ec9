import { isAlias, isMap, isPair, isScalar, isSeq, Scalar, type Document, type Node } from 'yaml';
import { formatPath } from './problems.ts';

export type Env = Readonly<Record<string, string | undefined>>;

/** A variable whose name ends like this holds a secret: API_KEY, BINANCE_SECRET, DB_PASSWORD, HOOK_TOKEN... */
const SECRET_VARIABLE = /(^|_)(KEY|SECRET|PASSWORD|PASSPHRASE|TOKEN|CREDENTIALS?)$/i;
/** A field named like this holds a secret whatever the value's source: apiKey, api_secret, password, Authorization... */
const SECRET_FIELD = /(api_?key|secret|password|passphrase|token|authorization|credentials?)$/i;
/** Shorter values are not scrubbed by value: scrubbing "1" from every log line would ruin the logs and protect nothing. */
export const MIN_SECRET_LENGTH = 4;
const NAME = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

export const isSecretVariable = (name: string): boolean => SECRET_VARIABLE.test(name);
export const isSecretField = (key: string): boolean => SECRET_FIELD.test(key);

export interface SubstitutionProblem {
  readonly path: string;
  readonly problem: string;
}

export interface Substitution {
  readonly problems: readonly SubstitutionProblem[];
  /** Values to keep out of logs and errors: from secret-named variables, and whole values of secret-named fields. */
  readonly secrets: ReadonlySet<string>;
}

interface Walk {
  readonly env: Env;
  readonly problems: SubstitutionProblem[];
  readonly secrets: Set<string>;
}

/**
 * Substitutes `${VAR}` and `${VAR:-default}` (the default when VAR is unset or empty) in the
 * string scalars of a parsed YAML document, in place; `$${` is a literal `${`. Keys are never
 * substituted, and neither is anything in comments (they are gone after parsing). A plain
 * (unquoted) scalar takes the type of what it became, as YAML would have read it (`${PORT}` with
 * PORT=8080 is the number 8080); a quoted one stays a string. In a flow collection (`[a, b]`,
 * `{a: b}`) a placeholder must be quoted, since `{` means a mapping there.
 */
export function substituteDocument(doc: Document, env: Env): Substitution {
  const walk: Walk = { env, problems: [], secrets: new Set() };
  visit(doc.contents, [], walk);
  return { problems: walk.problems, secrets: walk.secrets };
}

function visit(node: Node | null | undefined, path: (string | number)[], w: Walk): void {
  if (!node || isAlias(node)) return;
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
      visit(item.value as Node | null, [...path, key], w);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => visit(item as Node | null, [...path, i], w));
  } else if (isScalar(node) && typeof node.value === 'string') {
    substituteScalar(node, path, w);
  }
}

function substituteScalar(node: Scalar, path: (string | number)[], w: Walk): void {
  const text = node.value as string;
  const field = path[path.length - 1];
  const secretField = typeof field === 'string' && isSecretField(field);
  if (text.includes('$')) {
    const out = expand(text, formatPath(path), w);
    if (out !== text) node.value = node.type === Scalar.PLAIN ? plainValue(out) : out;
  }
  if (secretField && typeof node.value === 'string') addSecret(w.secrets, node.value);
}

/** One string with its placeholders replaced; problems are recorded, and the placeholder kept. */
function expand(text: string, path: string, w: Walk): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      out += '${';
      i += 3;
    } else if (text.startsWith('${', i)) {
      const end = text.indexOf('}', i + 2);
      if (end < 0) {
        w.problems.push({ path, problem: `unclosed placeholder ${text.slice(i)} (write \${NAME} or \${NAME:-default}; $\${ for a literal \${)` });
        return out + text.slice(i);
      }
      out += resolve(text.slice(i + 2, end), path, w);
      i = end + 1;
    } else {
      out += text[i];
      i++;
    }
  }
  return out;
}

function resolve(inner: string, path: string, w: Walk): string {
  const m = NAME.exec(inner);
  if (!m) {
    w.problems.push({ path, problem: `malformed placeholder \${${inner}} (write \${NAME} or \${NAME:-default})` });
    return `\${${inner}}`;
  }
  const name = m[1] ?? '';
  const fallback = m[2];
  const value = w.env[name];
  const chosen = value !== undefined && (value !== '' || fallback === undefined) ? value : fallback;
  if (chosen === undefined) {
    w.problems.push({ path, problem: `environment variable ${name} is not set (set it, or write \${${name}:-default})` });
    return `\${${inner}}`;
  }
  if (isSecretVariable(name)) addSecret(w.secrets, chosen);
  return chosen;
}

function addSecret(secrets: Set<string>, value: string): void {
  if (value.length >= MIN_SECRET_LENGTH) secrets.add(value);
}

const INT = /^[-+]?\d+$/;
const FLOAT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** What YAML's core schema makes of a plain scalar: a number, a boolean, null, else the text. */
function plainValue(text: string): unknown {
  if (INT.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : text;
  }
  if (FLOAT.test(text)) return Number(text);
  if (/^(true|True|TRUE)$/.test(text)) return true;
  if (/^(false|False|FALSE)$/.test(text)) return false;
  if (/^(null|Null|NULL|~)?$/.test(text)) return null;
  return text;
}
