/**
 * Input checks shared by the analytics and sizing functions. Every failure is a ValidationError
 * with code INVALID_FIELD and the offending field named in `context.field`.
 */
import { shown, ValidationError } from '../../model/errors.ts';

function shownInput(input: unknown): string | number | null {
  if (input === undefined) return null;
  return typeof input === 'number' ? input : typeof input === 'string' ? input : shown(input);
}

export function invalidField(field: string, message: string, input?: unknown): never {
  throw new ValidationError('INVALID_FIELD', `${field}: ${message}`, {
    field,
    input: shownInput(input),
  });
}

export function finite(value: number, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) invalidField(field, 'must be a finite number', value);
  return value;
}

export function positive(value: number, field: string): number {
  finite(value, field);
  if (value <= 0) invalidField(field, `must be > 0, got ${value}`, value);
  return value;
}

export function nonNegative(value: number, field: string): number {
  finite(value, field);
  if (value < 0) invalidField(field, `must be >= 0, got ${value}`, value);
  return value;
}

/** A value in the closed interval [lo, hi]. */
export function inRange(value: number, lo: number, hi: number, field: string): number {
  finite(value, field);
  if (value < lo || value > hi) invalidField(field, `must be in [${lo}, ${hi}], got ${value}`, value);
  return value;
}

/** A confidence level strictly between 0 and 1 (0.95, 0.99). */
export function confidence(value: number, field = 'confidence'): number {
  finite(value, field);
  if (value <= 0 || value >= 1) invalidField(field, `must be in (0, 1), got ${value}`, value);
  return value;
}

export function positiveInteger(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 1) invalidField(field, `must be a positive integer, got ${String(value)}`, value);
  return value;
}

/** A series of finite numbers with at least `min` elements. */
export function series(values: readonly number[], field: string, min = 1): readonly number[] {
  const input: unknown = values;
  if (!Array.isArray(input)) invalidField(field, 'must be an array of numbers');
  if (values.length < min) invalidField(field, `needs at least ${min} values, got ${values.length}`, values.length);
  for (let i = 0; i < values.length; i++) finite(values[i] as number, `${field}[${i}]`);
  return values;
}

/** A square, symmetric matrix of finite numbers with a non-negative diagonal. */
export function covariance(matrix: readonly (readonly number[])[], field = 'covariance'): readonly (readonly number[])[] {
  const n = matrix.length;
  if (n === 0) invalidField(field, 'must not be empty');
  for (let i = 0; i < n; i++) {
    const row = matrix[i] as readonly number[];
    if (row.length !== n) invalidField(field, `must be square: row ${i} has ${row.length} entries, expected ${n}`);
    for (let j = 0; j < n; j++) finite(row[j] as number, `${field}[${i}][${j}]`);
    if ((row[i] as number) < 0) invalidField(`${field}[${i}][${i}]`, 'variance must be >= 0', row[i]);
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = at(matrix, i, j);
      const b = at(matrix, j, i);
      if (Math.abs(a - b) > 1e-12 * Math.max(1, Math.abs(a), Math.abs(b))) invalidField(field, `must be symmetric: [${i}][${j}] != [${j}][${i}]`);
    }
  }
  return matrix;
}

/** matrix[i][j] under noUncheckedIndexedAccess, for indices already checked by the caller. */
export function at(matrix: readonly (readonly number[])[], i: number, j: number): number {
  return (matrix[i] as readonly number[])[j] as number;
}
