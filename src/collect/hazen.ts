/**
 * The q-quantile of a sample by Hazen's definition (Hyndman & Fan 1996, type 5: the k-th smallest of n sits at
 * p = (k - 0.5) / n), interpolating between order statistics. One definition for every quantile the project
 * prints: ensembles, sketches and reports. `n`: the sample is the first n values (a scratch array may be longer).
 */
export function hazenQuantile(sorted: ArrayLike<number>, q: number, n = sorted.length): number {
  if (n === 0) return Number.NaN;
  const position = q * n - 0.5;
  if (position <= 0) return sorted[0];
  if (position >= n - 1) return sorted[n - 1];
  const lo = Math.floor(position);
  // at an order statistic itself the next one plays no part: its weight 0 times an infinite gap made NaN (a report's
  // stage years, where runs that never reach a stage count as reaching it at infinity); `+ 0` keeps the bits the
  // interpolation gave, -0 included
  if (position === lo) return sorted[lo] + 0;
  return sorted[lo] + (sorted[lo + 1] - sorted[lo]) * (position - lo);
}
