/**
 * Checks of command-line values, each failing with a ValidationError (INVALID_FIELD) whose message
 * starts with the flag (`--cash: must be a number above 0, got "0"`), before anything runs: a bad
 * value must never surface later as a stack trace, a RangeError from deep inside, or a run that
 * succeeds on nonsense (0 bars, negative fees).
 */
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ValidationError, WardenError } from '../model/errors.ts';

export function bad(field: string, message: string): ValidationError {
  return new ValidationError('INVALID_FIELD', `--${field}: ${message}`, { field });
}

const DECIMAL = /^\d+(\.\d+)?$/;
const WHOLE = /^\d+$/;
const show = (text: string): string => JSON.stringify(text);

/** A plain decimal number above 0 (money, sizes): `100000`, `0.5`. */
export function positiveDecimal(flag: string, text: string): string {
  const t = text.trim();
  if (!DECIMAL.test(t) || !(Number(t) > 0)) throw bad(flag, `must be a decimal number above 0, got ${show(text)}`);
  return t;
}

/** A plain decimal number ≥ 0 (fees in bps). */
export function nonNegativeDecimal(flag: string, text: string): string {
  const t = text.trim();
  if (!DECIMAL.test(t)) throw bad(flag, `must be a decimal number ≥ 0, got ${show(text)}`);
  return t;
}

/** A whole number ≥ `min` that is a safe integer. */
export function wholeNumber(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const t = text.trim();
  const n = Number(t);
  if (!WHOLE.test(t) || !Number.isSafeInteger(n) || n < min) throw bad(flag, `must be a whole number ≥ ${min}, got ${show(text)}`);
  if (n > max) throw bad(flag, `must be at most ${max.toLocaleString('en-US')}, got ${show(text)}`);
  return n;
}

/** A finite number above 0 (rates, speeds). */
export function positiveNumber(flag: string, text: string): number {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(n) || !(n > 0)) throw bad(flag, `must be a finite number above 0, got ${show(text)}`);
  return n;
}

/** Runs `parse`; any error it throws is re-raised naming the flag (typed errors keep their code). */
export function underFlag<T>(flag: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (message.startsWith(`--${flag}:`)) throw e;
    if (e instanceof WardenError) {
      const Same = e.constructor as new (code: WardenError['code'], message: string, context: WardenError['context']) => WardenError;
      throw new Same(e.code, `--${flag}: ${message}`, { ...e.context, flag });
    }
    throw bad(flag, message);
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** A file that exists, is not a directory and can be read. */
export function readableFile(flag: string, file: string): string {
  const st = statOrUndefined(file);
  if (!st) throw bad(flag, `no such file: ${file}`);
  if (st.isDirectory()) throw bad(flag, `${file} is a directory, not a file`);
  try {
    accessSync(file, constants.R_OK);
  } catch {
    throw bad(flag, `${file} cannot be read (permission denied)`);
  }
  return file;
}

/** A directory that exists and is writable, or that can be created (its nearest existing ancestor is a writable directory). */
export function writableDir(flag: string, dir: string): string {
  let at = resolve(dir);
  let st = statOrUndefined(at);
  while (!st && dirname(at) !== at) {
    at = dirname(at);
    st = statOrUndefined(at);
  }
  if (!st) throw bad(flag, `cannot create ${dir}`);
  if (!st.isDirectory()) throw bad(flag, at === resolve(dir) ? `${dir} exists and is not a directory` : `cannot create ${dir}: ${at} is not a directory`);
  try {
    accessSync(at, constants.W_OK);
  } catch {
    throw bad(flag, `cannot write to ${at} (permission denied)`);
  }
  return dir;
}

/** The line a failed command prints: `CODE: message`, without repeating a code the message already starts with (`ENOTDIR: ENOTDIR: …`). */
export function errorLine(e: unknown): string {
  const err = e as { code?: unknown; message?: unknown };
  const message = typeof err?.message === 'string' ? err.message : String(e);
  const code = typeof err?.code === 'string' ? err.code : undefined;
  if (code === undefined) return e instanceof Error ? `${e.name}: ${message}` : message;
  return message.startsWith(`${code}:`) ? message : `${code}: ${message}`;
}
