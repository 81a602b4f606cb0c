import type { State } from '../state.js';

/**
 * What every shock type implements. `strike` runs once, in the step the shock starts (immediate damage);
 * `load` runs in every step the shock is active and adds to that step's shock loads, which the phases read.
 * `k` is the shock's slot in the state's pool.
 */
export interface ShockModule {
  strike?(state: State, k: number): void;
  load?(state: State, k: number): void;
}

/** Whether state i is among the targets in `mask`. */
export const targets = (mask: number, i: number): boolean => ((mask >>> i) & 1) === 1;

/** The two states of a dyad mask, as `i * n + j` with i < j; -1 when the mask is not a dyad. */
export function dyadOf(mask: number, n: number): number {
  let a = -1;
  for (let i = 0; i < n; i++)
    if (targets(mask, i)) {
      if (a < 0) a = i;
      else return a * n + i;
    }
  return -1;
}

/** Raises every targeted entry of `load` to at least `value` (overlapping shocks do not stack). */
export function raiseLoad(load: Float64Array, mask: number, value: number): void {
  for (let i = 0; i < load.length; i++) if (targets(mask, i) && load[i] < value) load[i] = value;
}
