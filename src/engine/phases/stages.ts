/**
 * Phase 8, stages and indices (Balassa 1961). A sector's depth is the lesser of what is agreed and what is
 * implemented on average (an agreement nobody implements is not integration, nor is implementation nobody
 * agreed). The stage climbs only as far as every lower stage holds:
 * 1 preferential trade area: market depth >= `pta`;
 * 2 free trade area: market depth >= `fta`, and the least member implements at least `coverage * fta`;
 * 3 customs union: the same at `customsUnion` (a common external tariff needs every member);
 * 4 common market: connectivity depth and mean border openness >= `commonMarket` (factor mobility);
 * 5 economic union: policy depth and institutions >= `economicUnion` (policy coordination);
 * 6 complete integration: every depth and institutions >= `complete`.
 * Negative integration (barriers removed) is the mean of border openness and the depth of the `negative`
 * sectors; positive integration (common policies and institutions) the mean of institutions and the depth of
 * the `positive` sectors. The integration index is their mean.
 */
import { ROLE } from '../world.js';
import type { State } from '../state.js';

// scratch by Balassa role, reused every step
const depth = new Float64Array(4);
const coverage = new Float64Array(4);
const count = new Float64Array(4);

export function stages(state: State): void {
  const w = state.world;
  const th = w.params.stages;
  const n = w.n;
  const ns = w.nSectors;
  // arrays in locals: the loops write typed arrays, after which fields would be loaded again
  const { coop, agreement, regionCoop } = state;
  const { pairs, role, negative } = w;
  const borders = state.border;
  let border = 0;
  for (let q = 0; q < w.nPairs; q++) border += borders[pairs[2 * q] * n + pairs[2 * q + 1]];
  border /= w.nPairs;

  for (let r = 0; r < 4; r++) {
    depth[r] = 0;
    coverage[r] = 1;
    count[r] = 0;
  }
  let neg = 0, negCount = 0, pos = 0, posCount = 0, all = 1;
  for (let s = 0; s < ns; s++) {
    const a = agreement[s];
    const d = a < regionCoop[s] ? a : regionCoop[s];
    let least = 1;
    for (let i = 0; i < n; i++) if (coop[i * ns + s] < least) least = coop[i * ns + s];
    const r = role[s];
    depth[r] += d;
    count[r]++;
    if (least < coverage[r]) coverage[r] = least;
    if (negative[s]) { neg += d; negCount++; } else { pos += d; posCount++; }
    if (d < all) all = d;
  }
  for (let r = 0; r < 4; r++) depth[r] = count[r] ? depth[r] / count[r] : 0;
  const market = depth[ROLE.market], cover = coverage[ROLE.market];
  const inst = state.institutions;

  let stage = 0;
  if (count[ROLE.market] && market >= th.pta) stage = 1;
  if (stage === 1 && market >= th.fta && cover >= th.coverage * th.fta) stage = 2;
  if (stage === 2 && market >= th.customsUnion && cover >= th.coverage * th.customsUnion) stage = 3;
  if (stage === 3 && depth[ROLE.connectivity] >= th.commonMarket && border >= th.commonMarket) stage = 4;
  if (stage === 4 && depth[ROLE.policy] >= th.economicUnion && inst >= th.economicUnion) stage = 5;
  if (stage === 5 && all >= th.complete && inst >= th.complete) stage = 6;
  state.stage = stage;

  state.negativeIndex = 0.5 * border + 0.5 * (negCount ? neg / negCount : border);
  state.positiveIndex = 0.5 * inst + 0.5 * (posCount ? pos / posCount : inst);
  state.integrationIndex = 0.5 * (state.negativeIndex + state.positiveIndex);
}
