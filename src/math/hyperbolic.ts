/**
 * Hyperbolic functions from the engine's own exp, for scenario formulas: the same bits everywhere, as `Math.sinh`,
 * `Math.cosh` and `Math.tanh` are not. Near 0, where e^x - e^-x cancels, sinh and tanh lose digits (relative error
 * about 1e-16 / |x|); below 2^-28 they return x, as fdlibm does.
 */
import { exp } from './exp.js';
import { TWO_M28 as TINY } from './float.js';

export function sinh(x: number): number {
  if (Math.abs(x) < TINY) return x;
  return (exp(x) - exp(-x)) / 2;
}

export function cosh(x: number): number {
  return (exp(x) + exp(-x)) / 2;
}

export function tanh(x: number): number {
  const a = Math.abs(x);
  if (a < TINY || x !== x) return x;
  if (a > 22) return x > 0 ? 1 : -1; // e^-44 is below half a unit in the last place of 1
  const e = exp(-2 * a);
  const t = (1 - e) / (1 + e);
  return x > 0 ? t : -t;
}
