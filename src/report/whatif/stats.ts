/** Small statistics for reports: Hazen quantiles of a sample (the same definition as the ensembles'), medians. */

/** The q-quantile by Hazen's definition, p = (k - 0.5) / n, ignoring NaN. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).filter((v) => !Number.isNaN(v)).sort();
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const position = q * n - 0.5;
  if (position <= 0) return sorted[0];
  if (position >= n - 1) return sorted[n - 1];
  const lo = Math.floor(position);
  return sorted[lo] + (sorted[lo + 1] - sorted[lo]) * (position - lo);
}

export const median = (values: ArrayLike<number>) => quantile(values, 0.5);

/** Share of values that satisfy a test. */
export function share(values: ArrayLike<number>, test: (v: number) => boolean): number {
  let count = 0;
  for (let k = 0; k < values.length; k++) if (test(values[k])) count++;
  return values.length ? count / values.length : Number.NaN;
}
