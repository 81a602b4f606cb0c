/**
 * Phase 7, trade (Tinbergen 1962, the gravity equation): trade_ij = A * gdp_i^a * gdp_j^a * dist_ij^-theta *
 * exp(-cost_ij), USD bn per year, computed as A * exp(a ln gdp_i + a ln gdp_j - theta ln dist_ij - cost_ij). The log trade cost falls with both states' cooperation in each sector
 * (weighted by the sector's `tradeCost`: transport and customs) and rises with a closed border, transit
 * through a third state, lost security, pandemics and sanctions. A is fixed at the start so that the region's
 * trade equals `parameters.trade.initialTotal`.
 */
import type { State } from '../state.js';

/**
 * Log trade cost of the dyad `d = i * n + j`: transit, less the cooperation both states implement in each sector
 * weighted by its `tradeCost`, plus a closed border, lost security, pandemics and sanctions.
 */
function tradeCost(state: State, i: number, j: number, d: number): number {
  const w = state.world;
  const p = w.params.trade;
  const ns = w.nSectors;
  const { coop, lost, pandemic, sanctions } = state;
  let cost = w.neighbour[d] ? 0 : p.transitCost;
  for (let s = 0; s < ns; s++) cost -= w.tradeCost[s] * 0.5 * (coop[i * ns + s] + coop[j * ns + s]);
  cost += p.borderCost * (1 - state.border[d]);
  cost += p.insecurityCost * 0.5 * (lost[i] + lost[j]);
  cost += p.pandemicCost * (pandemic[i] > pandemic[j] ? pandemic[i] : pandemic[j]);
  cost += p.sanctionsCost * (sanctions[i] > sanctions[j] ? sanctions[i] : sanctions[j]);
  return cost;
}

export function trade(state: State): void {
  const w = state.world;
  const n = w.n;
  const { tradeOf, gdpMass, lost, security } = state;
  const { pairs, logDistanceDecay, securityBase } = w;
  for (let i = 0; i < n; i++) {
    tradeOf[i] = 0;
    const l = securityBase[i] - security[i];
    lost[i] = l > 0 ? l : 0;
  }
  const gravity = state.gravity;
  const flows = state.trade;
  let total = 0;
  for (let q = 0; q < w.nPairs; q++) {
    const i = pairs[2 * q], j = pairs[2 * q + 1];
    const d = i * n + j;
    // in logs, so that gdp^a costs a logarithm per state instead of a power per dyad-end
    const flow = gravity * Math.exp(gdpMass[i] + gdpMass[j] + logDistanceDecay[d] - tradeCost(state, i, j, d));
    flows[d] = flow;
    flows[j * n + i] = flow;
    tradeOf[i] += flow;
    tradeOf[j] += flow;
    total += flow;
  }
  state.tradeTotal = total;
}
