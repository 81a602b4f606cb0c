/**
 * Phase 7, trade (Tinbergen 1962, the gravity equation): trade_ij = A * gdp_i^a * gdp_j^a * dist_ij^-theta *
 * exp(-cost_ij), USD bn per year, computed as A * exp(a ln gdp_i + a ln gdp_j - theta ln dist_ij - cost_ij). The log trade cost falls with both states' cooperation in each sector
 * (weighted by the sector's `tradeCost`: transport and customs) and rises with a closed border, transit
 * through a third state, lost security, pandemics and sanctions. A is fixed at the start so that the region's
 * trade equals `parameters.trade.initialTotal`.
 */
import type { State } from '../state.js';

/** Log trade cost of a dyad (the exponent of the gravity equation's cost term). */
export function tradeCost(state: State, i: number, j: number): number {
  const w = state.world;
  const p = w.params.trade;
  const n = w.n;
  const ns = w.nSectors;
  const d = i * n + j;
  let cost = w.neighbour[d] ? 0 : p.transitCost;
  for (let s = 0; s < ns; s++) cost -= w.tradeCost[s] * 0.5 * (state.coop[i * ns + s] + state.coop[j * ns + s]);
  cost += p.borderCost * (1 - state.border[d]);
  cost += p.insecurityCost * 0.5 * (state.lostSecurity(i) + state.lostSecurity(j));
  cost += p.pandemicCost * (state.pandemic[i] > state.pandemic[j] ? state.pandemic[i] : state.pandemic[j]);
  cost += p.sanctionsCost * (state.sanctions[i] > state.sanctions[j] ? state.sanctions[i] : state.sanctions[j]);
  return cost;
}

export function trade(state: State): void {
  const w = state.world;
  const n = w.n;
  for (let i = 0; i < n; i++) state.tradeOf[i] = 0;
  let total = 0;
  for (let q = 0; q < w.nPairs; q++) {
    const i = w.pairs[2 * q], j = w.pairs[2 * q + 1];
    const d = i * n + j;
    // in logs, so that gdp^a costs a logarithm per state instead of a power per dyad-end
    const flow = state.gravity * Math.exp(state.gdpMass[i] + state.gdpMass[j] + w.logDistanceDecay[d] - tradeCost(state, i, j));
    state.trade[d] = flow;
    state.trade[j * n + i] = flow;
    state.tradeOf[i] += flow;
    state.tradeOf[j] += flow;
    total += flow;
  }
  state.tradeTotal = total;
}
