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
  const trust = state.trust;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) if (j !== i) sum += trust[i * n + j];
    out[i] = sum / (n - 1);
  }
}

export function trust(state: State): void {
  const w = state.world;
  const p = w.params;
  const n = w.n;
  const ns = w.nSectors;
  const rate = w.dt * p.trust.recovery * (1 + p.trust.disputeBoost * w.policies.disputeResolution);
  // arrays and constants in locals: the loops write typed arrays, after which fields would be loaded again
  const { coop, shared0, trust, tradeOf, tradeOf0, support } = state;
  const { pairs, trust0, support0 } = w;
  const gain = w.strength * p.trust.politicalGain;
  for (let q = 0; q < w.nPairs; q++) {
    const i = pairs[2 * q], j = pairs[2 * q + 1];
    const d = i * n + j;
    const gained = sharedCooperation(coop, i, j, ns) - shared0[d];
    let reference = trust0[d] + gain * gained;
    if (reference > 1) reference = 1;
    else if (reference < 0) reference = 0;
    let t = trust[d] + rate * (reference - trust[d]);
    if (t > 1) t = 1;
    else if (t < 0) t = 0;
    trust[d] = t;
    trust[j * n + i] = t;
  }
  meanTrust(state, state.meanTrust);

  const step = w.dt * p.support.rate;
  const sensitivity = p.support.sensitivity;
  for (let i = 0; i < n; i++) {
    const growth = tradeOf0[i] > 0 ? tradeOf[i] / tradeOf0[i] - 1 : 0;
    let target = support0[i] + sensitivity * growth;
    if (target > 1) target = 1;
    else if (target < 0) target = 0;
    support[i] += step * (target - support[i]);
  }
}
