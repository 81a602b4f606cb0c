/**
 * Phase 3, effort: each state moves its implemented cooperation in each sector. The change is a sum of
 * named terms, so that its attribution to channels is exact (the remainder, noise and the clamp to [0, 1],
 * is recorded as `noise`):
 * - own (Tinbergen): toward a logistic response to the sector's utility, capped by what the region has
 *   agreed plus what a state can do alone;
 * - functional spillover (Haas 1958): cooperation in linked sectors, through `spillover.matrix`, presses
 *   for cooperation in this one;
 * - political spillover (Haas): domestic support and trust gained since the start raise cooperation in
 *   every sector, and lost trust lowers it (spillback);
 * - cultivated spillover (Haas; Schmitter 1970): regional institutions pull implementation up toward what
 *   has been agreed;
 * - shock (Buzan & Waever 2003): lost security, pandemics and securitised sectors divert effort.
 * The three spillover terms scale with `spillover.strength`; at 0 no sector raises another.
 */
import { CH_CULTIVATED, CH_FUNCTIONAL, CH_NOISE, CH_OWN, CH_POLITICAL, CH_SHOCK, type State } from '../state.js';
import { SHOCK_TYPES } from '../../scenario/schema.js';

const BIT_DROUGHT = 1 << SHOCK_TYPES.indexOf('drought');
const BIT_PANDEMIC = 1 << SHOCK_TYPES.indexOf('pandemic');
const BIT_CLASH = 1 << SHOCK_TYPES.indexOf('border_clash');
const BIT_SANCTIONS = 1 << SHOCK_TYPES.indexOf('sanctions');

/** The logistic effort response to utility (the Tinbergen payoff read as a probability of acting). */
export function logisticEffort(utility: number, steepness: number, threshold: number): number {
  return 1 / (1 + Math.exp(-steepness * (utility - threshold)));
}

export function effort(state: State): void {
  const w = state.world;
  const p = w.params;
  const ns = w.nSectors;
  const dt = w.dt;
  const rate = p.effort.rate;
  const strength = w.strength;
  const dispute = w.policies.disputeResolution;
  const noiseScale = p.effort.noise * Math.sqrt(dt);
  const inv = 1 / w.n;
  state.channels.fill(0);
  state.spill.fill(0);

  for (let i = 0; i < w.n; i++) {
    const lost = state.lostSecurity(i);
    const political = p.channels.political * (state.support[i] - w.support0[i] + state.meanTrust[i] - state.meanTrust0[i]);
    const diversion = p.security.diversion * lost + p.pandemic.diversion * state.pandemic[i];
    for (let s = 0; s < ns; s++) {
      const k = i * ns + s;
      const c = state.coop[k];
      let cap = state.agreement[s] + w.unilateral[s];
      if (cap > 1) cap = 1;
      const own = rate * (cap * logisticEffort(state.utility[k], p.effort.steepness, p.effort.threshold) - c);

      let functional = 0;
      if (strength > 0) {
        for (let from = 0; from < ns; from++) {
          const m = w.matrix[from * ns + s];
          if (m === 0) continue;
          const f = rate * strength * m * 0.5 * (state.coop[i * ns + from] + state.regionCoop[from]) * (1 - c);
          functional += f;
          state.spill[from * ns + s] += f * dt * inv;
        }
      }
      const pol = rate * strength * political * (political > 0 ? 1 - c : c);
      const gap = state.agreement[s] - c;
      const cultivated = gap > 0 ? rate * strength * p.channels.cultivated * state.institutions * gap : 0;

      const bits = w.securitisedBy[s];
      let severity = 0;
      if (bits & BIT_DROUGHT) severity += state.drought[i];
      if (bits & BIT_PANDEMIC) severity += state.pandemic[i];
      if (bits & BIT_CLASH) severity += lost;
      if (bits & BIT_SANCTIONS) severity += state.sanctions[i];
      let calm = 1 - 0.5 * (dispute + state.agreement[s]);
      if (calm < 0) calm = 0;
      const shock = -c * (diversion + p.water.securitisation * severity * calm);

      const planned = dt * (own + functional + pol + cultivated + shock);
      let next = c + planned + noiseScale * state.normal.next();
      if (next < 0) next = 0;
      else if (next > 1) next = 1;
      state.coopNext[k] = next;

      state.channels[CH_OWN * ns + s] += dt * own * inv;
      state.channels[CH_FUNCTIONAL * ns + s] += dt * functional * inv;
      state.channels[CH_POLITICAL * ns + s] += dt * pol * inv;
      state.channels[CH_CULTIVATED * ns + s] += dt * cultivated * inv;
      state.channels[CH_SHOCK * ns + s] += dt * shock * inv;
      state.channels[CH_NOISE * ns + s] += (next - c - planned) * inv;
    }
  }
  state.coop.set(state.coopNext);
  for (let s = 0; s < ns; s++) {
    let sum = 0;
    for (let i = 0; i < w.n; i++) sum += state.coop[i * ns + s];
    state.regionCoop[s] = sum * inv;
  }
}
