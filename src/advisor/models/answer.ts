/**
 * Reading a model's answer: the JSON in it, repaired where a model commonly gets the form wrong,
 * then validated against the task's schema. Pure functions; the consultant decides what to do
 * with a failure (one retry, then INVALID).
 *
 * The repair pass, in order: the text as it is; each fenced code block (```json ... ```); the
 * first balanced `{...}` or `[...]` in the prose; each of those again without trailing commas.
 * It never invents content: an answer with no parseable JSON is refused.
 */
import type { z } from 'zod';

export type Reading<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

const FENCE = /```[A-Za-z0-9_-]*[ \t]*\r?\n?([\s\S]*?)```/g;
const MAX_ISSUES = 8;

/** The JSON value a text holds, by the repair pass above; undefined when there is none. */
export function extractJson(text: string): { readonly found: true; readonly value: unknown } | { readonly found: false } {
  const candidates: string[] = [text.trim()];
  for (const m of text.matchAll(FENCE)) candidates.push((m[1] ?? '').trim());
  const span = balancedSpan(text);
  if (span !== undefined) candidates.push(span);
  for (const c of [...candidates, ...candidates.map(withoutTrailingCommas)]) {
    if (c === '') continue;
    try {
      return { found: true, value: JSON.parse(c) as unknown };
    } catch {
      // the next candidate
    }
  }
  return { found: false };
}

/** The first `{...}` or `[...]` whose brackets balance, strings and escapes respected. */
export function balancedSpan(text: string): string | undefined {
  for (let start = 0; start < text.length; start++) {
    const open = text[start];
    if (open !== '{' && open !== '[') continue;
    const end = closing(text, start);
    if (end !== undefined) return text.slice(start, end + 1);
  }
  return undefined;
}

function closing(text: string, start: number): number | undefined {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') stack.push('}');
    else if (ch === '[') stack.push(']');
    else if (ch === '}' || ch === ']') {
      if (stack.pop() !== ch) return undefined;
      if (stack.length === 0) return i;
    }
  }
  return undefined;
}

/** Removes commas before a closing bracket (outside strings): a common slip of smaller models. */
export function withoutTrailingCommas(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\' && i + 1 < text.length) out += text[++i];
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    if (ch === ',') {
      const next = /^\s*([}\]])/.exec(text.slice(i + 1));
      if (next) continue;
    }
    out += ch;
  }
  return out;
}

/** The schema's verdict on a value, its problems named by path (the value itself is not quoted). */
export function validate<T>(schema: z.ZodType<T>, value: unknown): Reading<T> {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  const issues = r.error.issues.slice(0, MAX_ISSUES).map((i) => `${i.path.length > 0 ? i.path.map(String).join('.') : '(root)'}: ${i.message}`);
  const more = r.error.issues.length > MAX_ISSUES ? `; and ${r.error.issues.length - MAX_ISSUES} more` : '';
  return { ok: false, problem: `it does not match the schema (${issues.join('; ')}${more})` };
}

/** A text answer read: JSON found by the repair pass, then validated. */
export function readAnswer<T>(schema: z.ZodType<T>, text: string): Reading<T> {
  const json = extractJson(text);
  if (!json.found) return { ok: false, problem: 'it holds no JSON value' };
  return validate(schema, json.value);
}
