import { ValidationError } from './errors.ts';

/**
 * Lots in proportion to integer weights: floor of each exact share, then the lots left over to
 * the largest remainders (ties to the earlier slice, so the result is deterministic).
 */
export function largestRemainder(lots: bigint, weights: readonly bigint[]): bigint[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum <= 0n) throw new ValidationError('INVALID_FIELD', 'weights must not all be zero', { field: 'weights' });
  const out = weights.map((w) => (lots * w) / sum);
  let left = lots - out.reduce((a, b) => a + b, 0n);
  const rem = weights.map((w, i) => ({ i, r: (lots * w) % sum }));
  rem.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  // The remainders sum to left × sum and each is below sum, so at least `left` are positive.
  for (const { i } of rem) {
    if (left === 0n) break;
    out[i]! += 1n;
    left -= 1n;
  }
  return out;
}
