/** Powers of a positive base, through the engine's own exp and log. */
import { exp } from './exp.js';
import { log } from './log.js';

/**
 * b^x for b >= 0, computed as e^(x ln b) (b = 0 gives 0 for x > 0 and 1 for x = 0). Within a few units in the last
 * place of the exact power for the arguments the engine takes (growth factors over decades, probabilities over a
 * year's steps), and the same bits everywhere, as `Math.pow` and `**` are not.
 */
export function pow(b: number, x: number): number {
  if (x === 0) return 1;
  if (b === 0) return x > 0 ? 0 : Infinity;
  return exp(x * log(b));
}
