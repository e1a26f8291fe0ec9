import { DENIAL_CODES } from '../model/denial-codes.ts';
import { shown, ValidationError } from '../model/errors.ts';
import type { PriorDenial } from './commands.ts';

/**
 * A SubmitOrder's prior denial, checked as any command input: a known denial code, a reason of
 * text, a context object. Bad input throws INVALID_FIELD and the command changes nothing.
 */
export function priorDenial(d: unknown): PriorDenial {
  const x = d as Partial<PriorDenial> | null;
  if (typeof x !== 'object' || x === null) throw new ValidationError('INVALID_FIELD', 'denial must be an object', { field: 'denial' });
  if (typeof x.code !== 'string' || !Object.hasOwn(DENIAL_CODES, x.code)) throw new ValidationError('INVALID_FIELD', `denial.code must be a denial code, got ${shown(x.code)}`, { field: 'denial.code', input: shown(x.code) });
  if (typeof x.reason !== 'string' || x.reason.trim() === '') throw new ValidationError('INVALID_FIELD', 'denial.reason must be text', { field: 'denial.reason' });
  if (typeof x.context !== 'object' || x.context === null) throw new ValidationError('INVALID_FIELD', 'denial.context must be an object', { field: 'denial.context' });
  return { code: x.code, reason: x.reason, context: x.context };
}
