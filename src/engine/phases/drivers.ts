/**
 * Phase 1, drivers: shocks start (scheduled ones, and random ones drawn from their annual probability
 * converted to the step), strike and load this step; GDP follows its trend, shocks and trade gains;
 * investment stocks build up and depreciate; water stress follows droughts and water cooperation.
 */
import { SHOCK_INFO } from '../../scenario/shock-types.js';
import { SHOCK_MODULES } from '../shocks/registry.js';
import type { State } from '../state.js';
import { log } from '../../math/index.js';

/** Draws the targets of a random shock that names none. */
function drawTargets(state: State, plan: number): number {
  const w = state.world;
  const kind = SHOCK_INFO[w.shocks[plan].type].defaultTargets;
  if (kind === 'random-neighbours') {
    const pairs = w.neighbourPairs;
    if (pairs.length === 0) return 0;
    const q = Math.floor(state.rng() * (pairs.length / 2)) * 2;
    return (1 << pairs[q]) | (1 << pairs[q + 1]);
  }
  return 1 << Math.floor(state.rng() * w.n);
}

function eventTargets(state: State, mask: number): string {
  const codes: string[] = [];
  for (let i = 0; i < state.world.n; i++) if ((mask >>> i) & 1) codes.push(state.world.codes[i]);
  return codes.length === state.world.n ? 'all' : codes.join(' ');
}

/**
 * The trade a state created, as a fraction: its trade `traded` over what it would trade at the start's trade costs with
 * the trend's GDPs, sum_j trade0_ij s_i s_j for s = (trend / gdpStart)^a (`scale`, from `row`), minus one. Gravity
 * (trade.ts) scales a dyad's trade by gdp_i^a gdp_j^a, so trade grows with GDP whatever the costs; the GDP gain of trade
 * is the trade created beyond that growth by lower trade costs (Viner 1950: cooperation, open borders, security), or
 * lost to shocks, since gains follow trade shares, not volumes (Arkolakis, Costinot & Rodriguez-Clare 2012). Until
 * model 0.3.1 the gain was trade's growth over the start GDP, growth included, which fed GDP back into itself with an
 * elasticity of 2a = 1.45: the baseline's GDP went to Infinity by 2085 in runs to 2100.
 */
export function tradeCreated(trade0: Float64Array, scale: Float64Array, row: number, traded: number, i: number, n: number): number {
  // trade0 is 0 on the diagonal: no test for j = i
  let expected = 0;
  for (let j = 0, d = i * n; j < n; j++, d++) expected += trade0[d] * scale[row + j];
  expected *= scale[row + i];
  return expected > 0 ? traded / expected - 1 : 0;
}

export function drivers(state: State): void {
  const w = state.world;
  const p = w.params;
  const pool = state.shocks;
  const t0 = state.time;
  const t1 = t0 + w.dt;
  pool.compact(t0);

  for (let q = 0; q < w.shocks.length; q++) {
    const plan = w.shocks[q];
    if (plan.probability > 0 && state.rng() < plan.stepProbability) {
      const mask = plan.mask !== 0 ? plan.mask : drawTargets(state, q);
      pool.add(q, t0, plan.duration, plan.magnitude, mask);
    }
  }

  // arrays in locals: the loops write typed arrays, after which fields would be loaded again
  const { drought, pandemic, sanctions, gdpFactor, closure, investment, investmentEffect, gdp, gdpMass, tradeOf, tradeOf0, trade0, waterStress, regionCoop } = state;
  const n = w.n;
  // loops, not fill(): on arrays this small the builtin's call costs more than the work
  for (let i = 0; i < n; i++) {
    drought[i] = 0;
    pandemic[i] = 0;
    sanctions[i] = 0;
    gdpFactor[i] = 1;
  }
  for (let d = 0; d < closure.length; d++) closure[d] = 0;
  const keep = 1 - p.channels.investmentDepreciation * w.dt;
  for (let k = 0; k < investment.length; k++) investment[k] *= keep;

  for (let k = 0; k < pool.size; k++) {
    if (pool.struck[k] || pool.start[k] >= t1) continue;
    pool.struck[k] = 1;
    const plan = w.shocks[pool.plan[k]];
    SHOCK_MODULES[plan.typeIndex].strike?.(state, k);
    if (state.recordEvents) state.events.push({
      time: pool.start[k], kind: 'shock', type: plan.type, label: plan.label,
      targets: eventTargets(state, pool.mask[k]), magnitude: plan.magnitude, detail: '',
    });
  }
  for (let k = 0; k < pool.size; k++) {
    if (!pool.struck[k]) continue;
    const instant = pool.end[k] === pool.start[k];
    const active = instant ? pool.start[k] >= t0 && pool.start[k] < t1 : pool.start[k] < t1 && pool.end[k] > t0;
    if (active) SHOCK_MODULES[w.shocks[pool.plan[k]].typeIndex].load?.(state, k);
  }

  const ns = w.nSectors;
  const { waterRelief, trend, trendScale, gdpStart, waterBase, droughtSensitivity } = w;
  const gdpGain = p.trade.gdpGain, gdpHit = p.pandemic.gdpHit, elasticity = p.trade.gdpElasticity;
  const effect = p.channels.investment, halfSaturation = p.channels.investmentHalfSaturation;
  let relief = 0;
  for (let s = 0; s < ns; s++) relief += waterRelief[s] * regionCoop[s];
  if (relief > 1) relief = 1;
  const now = state.step * n, row = now + n;
  for (let i = 0; i < n; i++) {
    // last step's trade, against what the trend GDPs of its time would trade at the start's costs
    const tradeGain = gdpGain * (tradeOf0[i] / gdpStart[i]) * tradeCreated(trade0, trendScale, now, tradeOf[i], i, n);
    const g = (gdp[i] = trend[row + i] * gdpFactor[i] * (1 - gdpHit * pandemic[i]) * (1 + tradeGain));
    gdpMass[i] = elasticity * log(g);
    for (let s = 0; s < ns; s++) {
      const k = i * ns + s;
      const stock = investment[k];
      investmentEffect[k] = stock === 0 ? 0 : (effect * stock) / (stock + halfSaturation * g);
    }
    const stress = (waterBase[i] + drought[i] * droughtSensitivity[i]) * (1 - relief);
    waterStress[i] = stress > 1 ? 1 : stress;
  }
}
