/**
 * One step of the model: the phase order, in one place. A step advances the state from `time` to
 * `time + dt`:
 *  1. drivers   shocks start, strike and load; GDP, investment stocks, water stress
 *  2. payoffs   Tinbergen: utility of each sector for each state (Moravcsik's national preferences)
 *  3. effort    cooperation moves: own payoff + functional, political, cultivated spillover (Haas) + shocks
 *  4. summit    Moravcsik: bargaining at the Presidents' Council on summit steps; institutions
 *  5. security  Buzan & Waever: security recovers, borders close and reopen
 *  6. trust     Haas: political spillover into trust and domestic support
 *  7. trade     gravity trade under this step's costs
 *  8. stages    Balassa: stage and negative/positive integration indices
 * Recording is not a phase: `simulate` reads the state through the reporter table after each step.
 */
import type { UtilityScope } from '../scenario/formulas.js';
import { drivers } from './phases/drivers.js';
import { effort } from './phases/effort.js';
import { payoffs } from './phases/payoffs.js';
import { security } from './phases/security.js';
import { stages } from './phases/stages.js';
import { summit, type SummitScratch } from './phases/summit.js';
import { trade } from './phases/trade.js';
import { trust } from './phases/trust.js';
import type { State } from './state.js';

/** Per-run scratch that phases need and must not allocate per step. */
export interface StepScratch {
  summit: SummitScratch;
  /** Scope of the `utility` formula; absent when the scenario has none. */
  scope?: UtilityScope;
}

export function step(state: State, scratch: StepScratch): void {
  drivers(state);
  payoffs(state, scratch.scope);
  effort(state);
  summit(state, scratch.summit);
  security(state);
  trust(state);
  trade(state);
  stages(state);
  state.step++;
  state.time = state.world.start + state.step * state.world.dt;
}
