/** Covariance and correlation matrices of several return series observed on the same dates. */
import { covarianceOf } from './stats.ts';
import { invalidField, series } from './validate.ts';

function check(all: readonly (readonly number[])[]): void {
  if (all.length === 0) invalidField('series', 'needs at least one series');
  const n = (all[0] as readonly number[]).length;
  all.forEach((s, i) => {
    series(s, `series[${i}]`, 2);
    if (s.length !== n) invalidField(`series[${i}]`, `must have ${n} values like series[0], got ${s.length}`);
  });
}

/** Sample covariance matrix (divisor n - 1) of aligned series. */
export function covarianceMatrix(all: readonly (readonly number[])[]): number[][] {
  check(all);
  const k = all.length;
  const m: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      const c = covarianceOf(all[i] as number[], all[j] as number[], `series[${i}]`, `series[${j}]`);
      (m[i] as number[])[j] = c;
      (m[j] as number[])[i] = c;
    }
  }
  return m;
}

/**
 * Pearson correlation matrix: cov_ij / (sd_i sd_j); the n - 1 divisors cancel, so it does not
 * matter whether sample or population moments are used. Exactly 1 on the diagonal and symmetric;
 * values are clamped to [-1, 1] against rounding. A constant series has no correlation and is refused.
 */
export function correlationMatrix(all: readonly (readonly number[])[]): number[][] {
  const cov = covarianceMatrix(all);
  const sd = cov.map((row, i) => Math.sqrt(row[i] as number));
  sd.forEach((s, i) => {
    if (s === 0) invalidField(`series[${i}]`, 'is constant: its correlation is undefined');
  });
  return cov.map((row, i) => row.map((c, j) => (i === j ? 1 : Math.max(-1, Math.min(1, c / ((sd[i] as number) * (sd[j] as number)))))));
}
