/**
 * Phase 4, summit (Moravcsik 1998, liberal intergovernmentalism: national preferences, interstate
 * bargaining, institutional choice), on steps in which a Consultative Meeting of Heads of State falls.
 * For each sector the summit considers deepening the agreement:
 * 1. each state's net gain per unit of deepening: benefit (scaled by trust, since political trust must back
 *    economic agreements, Tinbergen; and raised by the cooperation the state has gained in linked sectors
 *    since the start, functional spillover reaching the bargaining table, Haas) less political cost less the reluctance of poorer states
 *    to accept unequal gains;
 * 2. benefit-sharing moves up to `benefitSharing * sharingCap` of the winners' surplus (in USD, so a small
 *    share of a large economy's gain is a large share of a small one's) to the states below their outside
 *    option;
 * 3. the deepening is a compromise: positions weighted by power times salience (Thomson et al. 2006), where
 *    power grows with GDP and falls with dependence on the region, so the state that needs the deal least
 *    gets the terms closest to its own (asymmetric interdependence);
 * 4. the deal holds only if every participant still gains (or, with `coalitionOfTheWilling`, among those
 *    who do); a deal raises institutions (delegation to make commitments credible) and fixes the side
 *    payments, which enter the receivers' and payers' utility from then on.
 * Between summits, institutions drift toward the `institutionalization` lever.
 */
import type { State } from '../state.js';

/** Power in bargaining: size, discounted by dependence on the region (asymmetric interdependence). */
export function bargainingPower(gdpShare: number, dependence: number): number {
  return Math.sqrt(gdpShare) * (1 - 0.5 * dependence);
}

/** The compromise model of Thomson et al. (2006): positions weighted by power times salience. */
export function compromise(positions: Float64Array, weights: Float64Array, included: Uint8Array): number {
  let num = 0, den = 0;
  for (let i = 0; i < positions.length; i++)
    if (included[i]) {
      num += weights[i] * positions[i];
      den += weights[i];
    }
  return den > 0 ? num / den : 0;
}

/** Number of summits whose date falls in [t0, t0 + dt). */
export function summitsBetween(t0: number, t1: number, perYear: number, phase: number): number {
  if (perYear <= 0) return 0;
  // summits at y + (j + phase) / perYear; count those in [t0, t1) with a small tolerance for float steps
  const eps = 1e-9;
  return Math.floor(t1 * perYear - phase - eps) - Math.floor(t0 * perYear - phase - eps);
}

/** Number of the given dates in [t0, t1). */
export function datesBetween(dates: readonly number[], t0: number, t1: number): number {
  let count = 0;
  for (const d of dates) if (d >= t0 - 1e-9 && d < t1 - 1e-9) count++;
  return count;
}

/** Scratch arrays for the summit, allocated once per run. */
export class SummitScratch {
  readonly gain: Float64Array;
  readonly adjusted: Float64Array;
  readonly position: Float64Array;
  readonly weight: Float64Array;
  readonly included: Uint8Array;
  readonly transfer: Float64Array;
  constructor(n: number) {
    this.gain = new Float64Array(n);
    this.adjusted = new Float64Array(n);
    this.position = new Float64Array(n);
    this.weight = new Float64Array(n);
    this.included = new Uint8Array(n);
    this.transfer = new Float64Array(n);
  }
}

export function summit(state: State, scratch: SummitScratch): void {
  const w = state.world;
  const pol = w.policies;
  const p = w.params.summit;
  const dt = w.dt;
  state.institutions += dt * p.institutionRate * (pol.institutionalization - state.institutions);

  const meetings = pol.summitDates
    ? datesBetween(pol.summitDates, state.time, state.time + dt)
    : summitsBetween(state.time, state.time + dt, pol.councilMeetingsPerYear, pol.summitPhase);
  for (let m = 0; m < meetings; m++) bargain(state, scratch);
}

function bargain(state: State, x: SummitScratch): void {
  const w = state.world;
  const n = w.n;
  const ns = w.nSectors;
  const p = w.params.summit;
  const pol = w.policies;
  // arrays in locals: the loops write typed arrays, after which fields would be loaded again
  const { gdp, tradeOf, coop, investmentEffect, meanTrust, openness } = state;
  const { matrix, coop0, exposure, poverty } = w;
  const gain = x.gain;
  let gdpTotal = 0, depMax = 0;
  for (let i = 0; i < n; i++) {
    gdpTotal += gdp[i];
    const dep = tradeOf[i] / gdp[i];
    if (dep > depMax) depMax = dep;
  }

  for (let s = 0; s < ns; s++) {
    if (state.agreement[s] >= 1) continue;
    let surplus = 0, need = 0;
    const sectorBenefit = w.benefit[s], sectorCost = w.politicalCost[s];
    for (let i = 0; i < n; i++) {
      const k = i * ns + s;
      let linked = 0;
      for (let from = 0; from < ns; from++) linked += matrix[from * ns + s] * (coop[i * ns + from] - coop0[i * ns + from]);
      const benefit = sectorBenefit * exposure[k] * (1 + investmentEffect[k] + w.strength * linked) * (0.5 + 0.5 * meanTrust[i]);
      const cost = sectorCost * (1 - openness[i]);
      const g = benefit - cost - p.inequityAversion * poverty[i];
      gain[i] = g;
      if (g > 0) surplus += g * gdp[i];
      else need += (-g + 0.1 * p.positionScale) * gdp[i];
    }
    // benefit-sharing: a share of the winners' surplus (USD) covers the shortfall of those below their outside option
    const pool = pol.benefitSharing * p.sharingCap * surplus;
    const paid = need > 0 ? Math.min(pool, need) : 0;
    for (let i = 0; i < n; i++) {
      const g = x.gain[i];
      let t = 0;
      if (g <= 0 && need > 0) t = (paid * ((-g + 0.1 * p.positionScale) * state.gdp[i])) / need;
      else if (g > 0 && surplus > 0) t = -(paid * g * state.gdp[i]) / surplus;
      x.transfer[i] = t / state.gdp[i];
      x.adjusted[i] = g + x.transfer[i];
    }
    let participants = 0, allGain = true;
    for (let i = 0; i < n; i++) {
      const gains = x.adjusted[i] > 0;
      x.included[i] = pol.coalitionOfTheWilling ? (gains ? 1 : 0) : 1;
      if (x.included[i]) participants++;
      if (!gains && x.included[i]) allGain = false;
    }
    if (!allGain || participants < Math.max(2, Math.ceil(n / 2))) continue;
    for (let i = 0; i < n; i++) {
      const ask = x.adjusted[i] / p.positionScale;
      x.position[i] = p.step * (ask > 1 ? 1 : ask < 0 ? 0 : ask);
      const dependence = depMax > 0 ? state.tradeOf[i] / state.gdp[i] / depMax : 0;
      x.weight[i] = bargainingPower(state.gdp[i] / gdpTotal, dependence) * (Math.abs(x.adjusted[i]) + 0.01);
    }
    const depth = Math.min(compromise(x.position, x.weight, x.included), 1 - state.agreement[s]);
    if (depth < 1e-3) continue;
    state.agreement[s] += depth;
    state.institutions += p.institutionGain * depth * (1 - state.institutions);
    state.deals++;
    for (let i = 0; i < n; i++) if (x.included[i]) state.compensation[i * ns + s] = x.transfer[i];
    if (state.recordEvents) state.events.push({
      time: state.time, kind: 'summit', type: 'agreement', label: `${w.sectorLabels[s]} agreement`,
      targets: participants === n ? 'all' : w.codes.filter((_, i) => x.included[i]).join(' '),
      magnitude: depth, detail: `${w.sectors[s]} agreement ${state.agreement[s].toFixed(3)}`,
    });
  }
}
