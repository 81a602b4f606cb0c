/**
 * Phase 7, trade (Tinbergen 1962, the gravity equation): trade_ij = A * gdp_i^a * gdp_j^a * dist_ij^-theta *
 * exp(-cost_ij), USD bn per year. The log trade cost is
 *   cost_ij = transit_ij - sum_s tradeCost_s * (c_is + c_js) / 2 + border * (1 - open_ij)
 *             + insecurity * (lost_i + lost_j) / 2 + pandemic * max(p_i, p_j) + sanctions * max(s_i, s_j):
 * it falls with both states' cooperation in each sector (weighted by the sector's `tradeCost`: transport and
 * customs) and rises with transit through a third state, a closed border, lost security, pandemics and sanctions.
 * A is fixed at the start so that the region's trade equals `parameters.trade.initialTotal`.
 *
 * Computed as A * mass_i * mass_j * exp(fixed_ij - dyadic_ij): the terms that belong to one state (GDP,
 * cooperation, lost security) go into mass_i = exp(a ln gdp_i + sum_s tradeCost_s c_is / 2 - insecurity lost_i / 2),
 * an exponential per state; the dyad's fixed part (distance, transit) is the world's `logDyadFactor`; and the
 * dyadic part (border, pandemic, sanctions) changes only while a shock lasts, so its exponential is kept until it
 * does. That is five exponentials a step instead of ten, the same number up to rounding.
 */
import type { State } from '../state.js';
import { exp } from '../../math/index.js';

export function trade(state: State): void {
  const w = state.world;
  const p = w.params.trade;
  const n = w.n;
  const ns = w.nSectors;
  const { tradeOf, gdpMass, mass, security, coop, border, pandemic, sanctions, dyadCost, dyadFactor } = state;
  const { pairs, logDyadFactor, securityBase, tradeCost } = w;
  const insecurity = p.insecurityCost * 0.5, borderCost = p.borderCost, pandemicCost = p.pandemicCost, sanctionsCost = p.sanctionsCost;
  for (let i = 0; i < n; i++) {
    tradeOf[i] = 0;
    const l = securityBase[i] - security[i];
    let own = gdpMass[i] - insecurity * (l > 0 ? l : 0);
    for (let s = 0; s < ns; s++) own += tradeCost[s] * 0.5 * coop[i * ns + s];
    mass[i] = exp(own);
  }
  const gravity = state.gravity;
  const flows = state.trade;
  let total = 0;
  for (let q = 0; q < w.nPairs; q++) {
    const i = pairs[2 * q], j = pairs[2 * q + 1];
    const d = i * n + j;
    const cost =
      borderCost * (1 - border[d]) +
      pandemicCost * (pandemic[i] > pandemic[j] ? pandemic[i] : pandemic[j]) +
      sanctionsCost * (sanctions[i] > sanctions[j] ? sanctions[i] : sanctions[j]);
    if (cost !== dyadCost[d]) {
      dyadCost[d] = cost;
      dyadFactor[d] = exp(logDyadFactor[d] - cost);
    }
    const flow = gravity * mass[i] * mass[j] * dyadFactor[d];
    flows[d] = flow;
    flows[j * n + i] = flow;
    tradeOf[i] += flow;
    tradeOf[j] += flow;
    total += flow;
  }
  state.tradeTotal = total;
}
