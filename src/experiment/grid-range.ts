/**
 * A grid parameter's values given as a range, `{"from": 0, "to": 1, "by": 0.05}`, as NetLogo's BehaviorSpace takes
 * `[0 0.05 1]`: from, from + by, ... up to `to`, included when a whole number of steps reach it. Each value is the
 * decimal a person would have listed: from + k * by rounded to as many decimals as `from` and `by` have, so a range
 * gives the numbers its list would (0.3, not 0.30000000000000004), and with them the same seeds and runs.
 */

export interface GridRange {
  from: number;
  to: number;
  by: number;
}

/** Digits after the decimal point in the shortest decimal form of `x` (`0.05`: 2, `1e-7`: 7, `1.5e-7`: 8, `20`: 0). */
export function decimalsOf(x: number): number {
  const [, fraction = '', exponent = '0'] = /^\d+(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(Math.abs(x))) ?? [];
  return Math.max(0, fraction.length - Number(exponent));
}

/**
 * How many values the range holds: one more than the whole steps from `from` that stay within `to`. A step count a
 * hair below a whole number, as (0.3 - 0) / 0.1 = 2.9999999999999996 is and (1 - 0) / 1e-9 = 999999999.9999999, counts
 * as that whole number: the hair is relative to the count.
 */
export function rangeCount({ from, to, by }: GridRange): number {
  const steps = (to - from) / by;
  return Math.floor(steps * (1 + 1e-12) + 1e-9) + 1;
}

/** The values of a range (see the module's comment); `rangeCount` of them, which the caller has bounded. */
export function rangeValues(range: GridRange): number[] {
  const digits = Math.min(100, Math.max(decimalsOf(range.from), decimalsOf(range.by)));
  return Array.from({ length: rangeCount(range) }, (_, k) => {
    const value = Number((range.from + k * range.by).toFixed(digits));
    // the last value rounded past `to` (a range whose step is finer than its ends' decimals) is `to` itself
    return value > range.to ? range.to : value;
  });
}
