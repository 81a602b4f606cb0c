/**
 * Phase 2, payoffs (Tinbergen 1965; Moravcsik's first stage, national preferences): each state's utility
 * of cooperating in each sector is its expected benefit, scaled by its exposure and raised by infrastructure
 * investment, less the political cost of a deal for a state that is not open, plus any side payment it
 * receives under a benefit-sharing deal, plus the scenario's optional `utility` formula. High-benefit,
 * low-politics sectors (transport, customs) therefore take off first.
 */
import type { UtilityScope } from '../../scenario/formulas.js';
import type { State } from '../state.js';

/** Tinbergen's utility of sector cooperation, before any formula. */
export function baseUtility(benefit: number, exposure: number, investmentEffect: number, politicalCost: number, openness: number, compensation: number): number {
  return benefit * exposure * (1 + investmentEffect) - politicalCost * (1 - openness) + compensation;
}

export function payoffs(state: State, scope: UtilityScope | undefined): void {
  const w = state.world;
  const ns = w.nSectors;
  const formula = w.formulas.utility;
  // arrays in locals: the loop writes a typed array, after which fields would be loaded again
  const { benefit, exposure, politicalCost } = w;
  const { investmentEffect, openness, compensation, utility } = state;
  for (let i = 0; i < w.n; i++) {
    for (let s = 0; s < ns; s++) {
      const k = i * ns + s;
      let u = baseUtility(benefit[s], exposure[k], investmentEffect[k], politicalCost[s], openness[i], compensation[k]);
      if (formula && scope) {
        scope.coop = state.coop[k];
        scope.agreement = state.agreement[s];
        scope.regionCoop = state.regionCoop[s];
        scope.benefit = w.benefit[s];
        scope.cost = w.politicalCost[s];
        scope.exposure = w.exposure[k];
        scope.openness = state.openness[i];
        scope.security = state.security[i];
        scope.trust = state.meanTrust[i];
        scope.support = state.support[i];
        scope.waterStress = state.waterStress[i];
        scope.gdp = state.gdp[i];
        scope.population = w.population[i];
        scope.upstream = w.upstream[i];
        scope.institutions = state.institutions;
        scope.investment = state.investment[k];
        scope.t = state.time - w.start;
        scope.year = state.time;
        const f = formula(scope);
        // a NaN would spread to every later value of the run, so it stops the run, as bad input
        if (f !== f) throw w.formulas.utilityNaN!(scope, `${w.codes[i]} in ${w.sectors[s]} at ${scope.year}`);
        u += f;
      }
      utility[k] = u;
    }
  }
}
