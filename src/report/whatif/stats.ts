/** Small statistics for reports: Hazen quantiles of a sample (the same definition as the ensembles'), medians. */
import { hazenQuantile } from '../../collect/hazen.js';

/** The q-quantile by Hazen's definition, ignoring NaN. */
export function quantile(values: ArrayLike<number>, q: number): number {
  return hazenQuantile(Float64Array.from(values).filter((v) => !Number.isNaN(v)).sort(), q);
}

export const median = (values: ArrayLike<number>) => quantile(values, 0.5);

/** Share of values that satisfy a test. */
export function share(values: ArrayLike<number>, test: (v: number) => boolean): number {
  let count = 0;
  for (let k = 0; k < values.length; k++) if (test(values[k])) count++;
  return values.length ? count / values.length : Number.NaN;
}
