/** Powers, through the engine's own exp and log, and by repeated squaring for whole exponents. */
import { exp } from './exp.js';
import { log } from './log.js';

/**
 * b^x, the same bits everywhere, as `Math.pow` and `**` are not.
 * - A whole exponent (|x| up to 2^53) goes by repeated squaring, in a fixed order: exact where the power is a double
 *   within reach (3^2 = 9, 2^-3 = 0.125), within a few units in the last place otherwise, and defined for a negative
 *   base.
 * - Any other exponent of a positive base gives e^(x ln b): within about |x ln b| + 1 units in the last place of the
 *   exact power, for the engine's growth factors over decades and probabilities over a year's steps.
 * - A negative base with a fractional exponent gives NaN (no real power); 0^x is 0 for x > 0 and Infinity for x < 0.
 */
export function pow(b: number, x: number): number {
  if (x === 0) return 1;
  if (Number.isInteger(x) && Math.abs(x) <= Number.MAX_SAFE_INTEGER) return wholePower(b, x);
  if (b > 0) return exp(x * log(b));
  if (b === 0) return x > 0 ? 0 : Infinity;
  return NaN;
}

/** b^n for a whole n: binary exponentiation, squaring b and multiplying in the bits of |n| from the lowest. */
function wholePower(b: number, n: number): number {
  let result = 1, square = b;
  for (let e = Math.abs(n); ; ) {
    if (e % 2 === 1) result *= square;
    e = Math.floor(e / 2);
    if (e === 0) break;
    square *= square;
  }
  return n < 0 ? 1 / result : result;
}
