import { ValidationError } from '../../../src/model/errors.ts';
import { expectError } from '../../model/fixtures.ts';

/** z quantiles to 17 digits (R: qnorm(0.95), qnorm(0.99); Abramowitz & Stegun table 26.5). */
export const Z95 = 1.6448536269514722;
export const Z99 = 2.3263478740408408;

/** `fn` must throw ValidationError INVALID_FIELD naming `field`. */
export function expectInvalidField(fn: () => unknown, field: string): void {
  expectError(fn, ValidationError, 'INVALID_FIELD', { field });
}
