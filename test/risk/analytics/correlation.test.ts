import { describe, expect, it } from 'vitest';
import { correlationMatrix, covarianceMatrix } from '../../../src/risk/analytics/index.ts';
import { expectInvalidField } from './helpers.ts';

describe('correlation matrix', () => {
  it('x = 1..4 against 2x (+1), reversed (-1) and 1, 0, 1, 0 (-1/√5, by hand)', () => {
    // cov(x, w) = (-0.75 + 0.25 + 0.25 - 0.75) / 3 = -1/3; var x = 5/3, var w = 1/3 → -1/√5.
    const m = correlationMatrix([[1, 2, 3, 4], [2, 4, 6, 8], [4, 3, 2, 1], [1, 0, 1, 0]]);
    expect(m[0]).toEqual([1, 1, -1, expect.closeTo(-1 / Math.sqrt(5), 15)]);
    expect(m[3]?.[0]).toBe(m[0]?.[3]);
    m.forEach((row, i) => expect(row[i]).toBe(1));
  });

  it('covariance is the sample one (n - 1)', () => {
    expect(covarianceMatrix([[1, 2, 3, 4]])).toEqual([[5 / 3]]);
  });

  it('refuses ragged and constant series', () => {
    expectInvalidField(() => correlationMatrix([[1, 2, 3], [1, 2]]), 'series[1]');
    expectInvalidField(() => correlationMatrix([[1, 2, 3], [5, 5, 5]]), 'series[1]');
    expectInvalidField(() => correlationMatrix([]), 'series');
  });
});
