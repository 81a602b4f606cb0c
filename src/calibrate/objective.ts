/**
 * The calibration objective: run the scenario with candidate parameter values on fixed seeds (common random
 * numbers, so the objective is a deterministic function of the values) and compare each target's calendar-year
 * means with the observations, as a weighted mean of squared log errors (a relative error, symmetric in over-
 * and under-prediction, that puts a USD bn series and a 0-1 index on the same footing).
 */
import type { LoadedScenario } from '../scenario/loaded.js';
import { isRunFailure } from '../engine/overflow.js';
import { series, simulate, type RunResult } from '../engine/simulate.js';
import { buildWorld } from '../engine/world.js';
import { withValuesAt } from '../scenario/paths.js';
import type { CalibrationInputs, Target } from './targets.js';

/** Mean of a recorded variable over the calendar year [year, year + 1). */
export function annualMean(run: RunResult, entity: string, variable: string, year: number): number {
  const s = series(run, entity, variable)!;
  let sum = 0, count = 0;
  for (let k = 0; k < run.times.length; k++)
    if (run.times[k] >= year - 1e-9 && run.times[k] < year + 1 - 1e-9) {
      sum += s[k];
      count++;
    }
  return count ? sum / count : Number.NaN;
}

/** The scenario with the given values at the free parameters' paths. */
export function withValues(loaded: LoadedScenario, inputs: CalibrationInputs, values: readonly number[]): LoadedScenario {
  return { ...loaded, scenario: withValuesAt(loaded.scenario, Object.fromEntries(inputs.parameters.map((p, k) => [p.path, values[k]]))) };
}

export interface Evaluation {
  objective: number;
  /** Per target, the simulated value at each observation year (mean over replicates). */
  simulated: number[][];
  runs: RunResult[];
}

/** Squared log error of one observation; a non-positive simulation counts as a large miss. */
export function squaredLogError(simulated: number, observed: number): number {
  if (!(simulated > 0) || !(observed > 0)) return 100;
  const e = Math.log(simulated / observed);
  return e * e;
}

/** A trial's values as its messages give them: `at parameters.trade.gdpElasticity = 177.3, ...`. */
export function trialAt(inputs: CalibrationInputs, values: readonly number[]): string {
  return `at ${inputs.parameters.map((p, k) => `${p.path} = ${values[k]}`).join(', ')}`;
}

export function evaluate(loaded: LoadedScenario, inputs: CalibrationInputs, values: readonly number[], seeds: readonly number[]): Evaluation {
  const world = buildWorld(withValues(loaded, inputs, values));
  let runs: RunResult[];
  try {
    runs = seeds.map((seed) => simulate(world, seed));
  } catch (e) {
    // bounds that let the model overflow, or its formula give no number: said with the values tried
    if (isRunFailure(e)) e.where = `calibration, ${trialAt(inputs, values)}`;
    throw e;
  }
  let total = 0, weights = 0;
  const simulated = inputs.targets.map((t: Target) => {
    const sims = t.years.map((y) => runs.reduce((sum, run) => sum + annualMean(run, t.entity, t.variable, y), 0) / runs.length);
    const error = sims.reduce((sum, s, k) => sum + squaredLogError(s, t.observed[k]), 0) / sims.length;
    total += t.weight * error;
    weights += t.weight;
    return sims;
  });
  return { objective: weights > 0 ? total / weights : 0, simulated, runs };
}

/** Root mean squared error, in the target's unit. */
export function rmse(simulated: readonly number[], observed: readonly number[]): number {
  return Math.sqrt(simulated.reduce((s, v, k) => s + (v - observed[k]) ** 2, 0) / simulated.length);
}

/** Mean absolute percentage error. */
export function mape(simulated: readonly number[], observed: readonly number[]): number {
  return (100 * simulated.reduce((s, v, k) => s + Math.abs((v - observed[k]) / observed[k]), 0)) / simulated.length;
}
