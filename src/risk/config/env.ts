import { ValidationError } from '../../model/errors.ts';

/** What stands in for an unset variable until the parsed tree tells which field held it. */
export const MISSING_MARK = '__WARDEN_UNSET_ENV_';
const PLACEHOLDER = /\$\{([^}]*)\}/g;
const NAME = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

export interface Substituted {
  readonly text: string;
  /** Unset variables without a default, in order of appearance. */
  readonly missing: readonly { readonly name: string; readonly line: number }[];
}

/**
 * Replaces `${VAR}` with the variable's value and `${VAR:-default}` with the value or, when the
 * variable is unset or empty, the default. The text is substituted as is, so quote a placeholder
 * for a string value ("${WEBHOOK_URL}"). In YAML, whole-line comments are left alone, so a comment
 * may show a placeholder. An unset variable without a default becomes a marker for the caller to
 * report with the field that holds it; a malformed placeholder is an error at once.
 */
export function substituteEnv(text: string, env: Readonly<Record<string, string | undefined>>, source: string, format: 'yaml' | 'json'): Substituted {
  const missing: { name: string; line: number }[] = [];
  const lines = text.split('\n').map((line, i) => {
    if (format === 'yaml' && line.trimStart().startsWith('#')) return line;
    return line.replace(PLACEHOLDER, (_all, inner: string) => {
      const m = NAME.exec(inner);
      if (!m) {
        throw new ValidationError('INVALID_FIELD', `${source} line ${i + 1}: malformed placeholder \${${inner}} (use \${NAME} or \${NAME:-default})`, {
          field: `\${${inner}}`,
          line: i + 1,
        });
      }
      const name = m[1] ?? '';
      const value = env[name];
      if (value !== undefined && (value !== '' || m[2] === undefined)) return value;
      if (m[2] !== undefined) return m[2];
      missing.push({ name, line: i + 1 });
      return `${MISSING_MARK}${name}__`;
    });
  });
  return { text: lines.join('\n'), missing };
}
