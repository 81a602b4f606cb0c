/**
 * A run's starting point: the state at time 0 and the scratch its steps use. Scheduled shocks enter the
 * pool here; the gravity constant is fixed so that trade at the start equals the scenario's figure.
 */
import { SummitScratch } from './phases/summit.js';
import { stages } from './phases/stages.js';
import { trade } from './phases/trade.js';
import { meanTrust, sharedCooperation } from './phases/trust.js';
import { makeRng } from './rng.js';
import { State } from './state.js';
import type { StepScratch } from './step.js';
import type { World } from './world.js';
import { log } from '../math/index.js';
import { formulaScope } from '../scenario/formulas.js';

/** A run's state and step scratch. */
export interface RunState {
  state: State;
  scratch: StepScratch;
}

/**
 * The state at time 0 for a seed. With `reuse` (a run state of the same world), that state is reset and
 * returned instead of a new one; the run is the same either way.
 */
export function initialState(world: World, seed: number, reuse?: RunState): RunState {
  if (reuse && reuse.state.world !== world) throw new Error('initialState: the state to reuse belongs to another world');
  const state = reuse ? reuse.state : new State(world, makeRng(seed));
  if (reuse) state.reset(makeRng(seed));
  const { n, nSectors: ns } = world;
  for (let q = 0; q < world.shocks.length; q++) {
    const plan = world.shocks[q];
    if (plan.probability === 0) state.shocks.add(q, plan.at, plan.duration, plan.magnitude, plan.mask);
  }
  meanTrust(state, state.meanTrust);
  state.meanTrust0.set(state.meanTrust);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) if (i !== j) state.shared0[i * n + j] = sharedCooperation(state.coop, i, j, ns);
  for (let s = 0; s < ns; s++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += state.coop[i * ns + s];
    state.regionCoop[s] = sum / n;
  }
  for (let i = 0; i < n; i++) state.gdpMass[i] = world.params.trade.gdpElasticity * log(state.gdp[i]);
  state.gravity = 1;
  trade(state);
  state.gravity = world.params.trade.initialTotal / state.tradeTotal;
  trade(state);
  state.tradeOf0.set(state.tradeOf);
  state.trade0.set(state.trade);
  stages(state);
  if (reuse) return reuse;
  const scope = world.formulas.utility ? formulaScope() : undefined;
  return { state, scratch: { summit: new SummitScratch(n), scope } };
}
