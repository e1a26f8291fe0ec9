import type { DenialCode } from '../../model/denial-codes.ts';
import type { ErrorContext } from '../../model/errors.ts';

export { DENIAL_CODES, DENIAL_CODE_LIST, type DenialCode } from '../../model/denial-codes.ts';

/** A gate denial: the engine journals it as OrderDenied. Context has at least `limit` and `actual`. */
export interface Denial {
  readonly ok: false;
  readonly code: DenialCode;
  readonly reason: string;
  readonly context: ErrorContext;
}

export function deny(code: DenialCode, reason: string, context: ErrorContext): Denial {
  return { ok: false, code, reason, context };
}
