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
import { SHOCK_TYPES } from '../../scenario/shock-types.js';
import { exp } from '../../math/index.js';

const BIT_DROUGHT = 1 << SHOCK_TYPES.indexOf('drought');
const BIT_PANDEMIC = 1 << SHOCK_TYPES.indexOf('pandemic');
const BIT_CLASH = 1 << SHOCK_TYPES.indexOf('border_clash');
const BIT_SANCTIONS = 1 << SHOCK_TYPES.indexOf('sanctions');

/** The logistic effort response to utility (the Tinbergen payoff read as a probability of acting). */
export function logisticEffort(utility: number, steepness: number, threshold: number): number {
  return 1 / (1 + exp(-steepness * (utility - threshold)));
}

export function effort(state: State): void {
  const w = state.world;
  const p = w.params;
  const n = w.n;
  const ns = w.nSectors;
  const dt = w.dt;
  const rate = p.effort.rate;
  const steepness = p.effort.steepness, threshold = p.effort.threshold;
  const strength = w.strength;
  // products taken in the same order as the terms below spell them, so the arithmetic is unchanged
  const pull = rate * strength;
  const dispute = w.policies.disputeResolution;
  const noiseScale = p.effort.noise * Math.sqrt(dt);
  const inv = 1 / n;
  const political0 = p.channels.political;
  const institutional = pull * p.channels.cultivated * state.institutions;
  const securityDiversion = p.security.diversion, pandemicDiversion = p.pandemic.diversion, securitisation = p.water.securitisation;
  // the arrays, held in locals: the loop below writes typed arrays, after which the engine would reload fields
  const { coop, coopNext, regionCoop, agreement, utility, response, responseAt, channels, spill, drought, pandemic, sanctions, support, meanTrust, meanTrust0, security } = state;
  const { matrix, unilateral, securitisedBy, support0, securityBase } = w;
  const noise = state.noise;
  state.normal.fill(noise, 0, n * ns); // one draw per state and sector, in the loop's order
  const attribution = state.attribution;
  if (attribution) {
    for (let k = 0; k < channels.length; k++) channels[k] = 0;
    for (let k = 0; k < spill.length; k++) spill[k] = 0;
  }

  for (let i = 0; i < n; i++) {
    const lostNow = securityBase[i] - security[i];
    const lost = lostNow > 0 ? lostNow : 0;
    const political = political0 * (support[i] - support0[i] + meanTrust[i] - meanTrust0[i]);
    const diversion = securityDiversion * lost + pandemicDiversion * pandemic[i];
    const row = i * ns;
    for (let s = 0; s < ns; s++) {
      const k = row + s;
      const c = coop[k];
      const a = agreement[s];
      let cap = a + unilateral[s];
      if (cap > 1) cap = 1;
      // a state's utility in a sector moves only with investment, deals and openness: most steps it is the same
      // number as before, and so is its response, an exponential spared
      const u = utility[k];
      let r = response[k];
      if (u !== responseAt[k]) {
        r = response[k] = logisticEffort(u, steepness, threshold);
        responseAt[k] = u;
      }
      const own = rate * (cap * r - c);

      let functional = 0;
      if (strength > 0) {
        for (let from = 0; from < ns; from++) {
          const m = matrix[from * ns + s];
          if (m === 0) continue;
          const f = pull * m * 0.5 * (coop[row + from] + regionCoop[from]) * (1 - c);
          functional += f;
          if (attribution) spill[from * ns + s] += f * dt * inv;
        }
      }
      const pol = pull * political * (political > 0 ? 1 - c : c);
      const gap = a - c;
      const cultivated = gap > 0 ? institutional * gap : 0;

      const bits = securitisedBy[s];
      let shock = 0;
      if (diversion !== 0 || bits !== 0) {
        let severity = 0;
        if (bits & BIT_DROUGHT) severity += drought[i];
        if (bits & BIT_PANDEMIC) severity += pandemic[i];
        if (bits & BIT_CLASH) severity += lost;
        if (bits & BIT_SANCTIONS) severity += sanctions[i];
        let calm = 1 - 0.5 * (dispute + a);
        if (calm < 0) calm = 0;
        shock = -c * (diversion + securitisation * severity * calm);
      }

      const planned = dt * (own + functional + pol + cultivated + shock);
      let next = c + planned + noiseScale * noise[k];
      if (next < 0) next = 0;
      else if (next > 1) next = 1;
      coopNext[k] = next;

      if (attribution) {
        channels[CH_OWN * ns + s] += dt * own * inv;
        channels[CH_FUNCTIONAL * ns + s] += dt * functional * inv;
        channels[CH_POLITICAL * ns + s] += dt * pol * inv;
        channels[CH_CULTIVATED * ns + s] += dt * cultivated * inv;
        channels[CH_SHOCK * ns + s] += dt * shock * inv;
        channels[CH_NOISE * ns + s] += (next - c - planned) * inv;
      }
    }
  }
  for (let s = 0; s < ns; s++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += (coop[i * ns + s] = coopNext[i * ns + s]);
    regionCoop[s] = sum * inv;
  }
}
