/**
 * Settlement or treaty between two states: strength 0-1 (1: a full border and water treaty such as
 * Khujand, March 2025, or Kempir-Abad, November 2022). Ends the dyad's clashes, so its border reopens, and
 * moves trust and both states' security that share of the way back to their reference levels.
 */
import { dyadOf, type ShockModule } from './module.js';

export const settlement: ShockModule = {
  strike(state, k) {
    const w = state.world;
    const pool = state.shocks;
    const d = dyadOf(pool.mask[k], w.n);
    if (d < 0) return;
    const i = Math.floor(d / w.n), j = d % w.n;
    const m = pool.magnitude[k];
    for (let q = 0; q < pool.size; q++)
      if (w.shocks[pool.plan[q]].type === 'border_clash' && pool.mask[q] === pool.mask[k] && pool.end[q] > state.time)
        pool.end[q] = state.time;
    const t = state.trust[d] + m * Math.max(0, w.trust0[d] - state.trust[d]);
    state.trust[i * w.n + j] = t;
    state.trust[j * w.n + i] = t;
    state.security[i] += m * Math.max(0, w.securityBase[i] - state.security[i]);
    state.security[j] += m * Math.max(0, w.securityBase[j] - state.security[j]);
  },
};
