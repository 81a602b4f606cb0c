/** Small statistics for reports: Hazen quantiles of a sample (the same definition as the ensembles'), medians. */
import { hazenQuantile } from '../../collect/hazen.js';

/** The q-quantile by Hazen's definition, ignoring NaN. */
export function quantile(values: ArrayLike<number>, q: number): number {
  return quantiles(values, [q])[0];
}

/**
 * The quantiles `qs` by Hazen's definition, ignoring NaN, from one sort: a fan chart's five quantiles of 20,000 runs
 * at every step took five sorts each, two thirds of a 20,000-run report's 27 s.
 */
export function quantiles(values: ArrayLike<number>, qs: readonly number[]): number[] {
  const sorted = Float64Array.from(values).filter((v) => !Number.isNaN(v)).sort();
  return qs.map((q) => hazenQuantile(sorted, q));
}

export const median = (values: ArrayLike<number>) => quantile(values, 0.5);

/** Share of values that satisfy a test. */
export function share(values: ArrayLike<number>, test: (v: number) => boolean): number {
  let count = 0;
  for (let k = 0; k < values.length; k++) if (test(values[k])) count++;
  return values.length ? count / values.length : Number.NaN;
}
