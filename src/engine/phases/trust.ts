/**
 * Phase 6, trust and support (Haas 1958, political spillover): trust in each dyad returns toward a
 * reference that rises with the cooperation the two share beyond where they started (realised joint gains),
 * faster with dispute resolution; domestic support follows the growth of each state's regional trade (realised
 * gains against expectations). Both feed the political channel of phase 3. With `spillover.strength` 0 the
 * reference stays at the initial trust.
 */
import type { State } from '../state.js';

/** Cooperation two states share: the mean over sectors of the lesser of their levels. */
export function sharedCooperation(coop: Float64Array, i: number, j: number, ns: number): number {
  let sum = 0;
  for (let s = 0; s < ns; s++) {
    const a = coop[i * ns + s], b = coop[j * ns + s];
    sum += a < b ? a : b;
  }
  return sum / ns;
}

export function meanTrust(state: State, out: Float64Array): void {
  const n = state.world.n;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) if (j !== i) sum += state.trust[i * n + j];
    out[i] = sum / (n - 1);
  }
}

export function trust(state: State): void {
  const w = state.world;
  const p = w.params;
  const n = w.n;
  const ns = w.nSectors;
  const rate = w.dt * p.trust.recovery * (1 + p.trust.disputeBoost * w.policies.disputeResolution);
  for (let q = 0; q < w.nPairs; q++) {
    const i = w.pairs[2 * q], j = w.pairs[2 * q + 1];
    const d = i * n + j;
    const gained = sharedCooperation(state.coop, i, j, ns) - state.shared0[d];
    let reference = w.trust0[d] + w.strength * p.trust.politicalGain * gained;
    if (reference > 1) reference = 1;
    else if (reference < 0) reference = 0;
    let t = state.trust[d] + rate * (reference - state.trust[d]);
    if (t > 1) t = 1;
    else if (t < 0) t = 0;
    state.trust[d] = t;
    state.trust[j * n + i] = t;
  }
  meanTrust(state, state.meanTrust);

  const step = w.dt * p.support.rate;
  for (let i = 0; i < n; i++) {
    const growth = state.tradeOf0[i] > 0 ? state.tradeOf[i] / state.tradeOf0[i] - 1 : 0;
    let target = w.support0[i] + p.support.sensitivity * growth;
    if (target > 1) target = 1;
    else if (target < 0) target = 0;
    state.support[i] += step * (target - state.support[i]);
  }
}
