/** Cube roots and hypotenuses, for scenario formulas: the same bits everywhere, as `Math.cbrt` and `Math.hypot` are not. */
import { exp } from './exp.js';
import { log } from './log.js';

/** The real cube root: e^(ln |x| / 3), then one Newton step, which makes it exact for the cubes of small integers. */
export function cbrt(x: number): number {
  if (x === 0 || x !== x || !Number.isFinite(x)) return x;
  const a = Math.abs(x);
  let y = exp(log(a) / 3);
  y -= (y * y * y - a) / (3 * y * y);
  return x < 0 ? -y : y;
}

/** sqrt(x1^2 + x2^2 + ...), scaled by the largest magnitude so that no square overflows or underflows. */
export function hypot(...xs: number[]): number {
  let largest = 0;
  for (const x of xs) {
    const a = Math.abs(x);
    if (a === Infinity) return Infinity;
    if (a > largest || a !== a) largest = a;
  }
  if (largest === 0 || largest !== largest) return largest;
  let sum = 0;
  for (const x of xs) {
    const r = x / largest;
    sum += r * r;
  }
  return largest * Math.sqrt(sum);
}
