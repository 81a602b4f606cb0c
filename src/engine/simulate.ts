/**
 * A run: a pure function of (scenario, seed). No file, console, clock or global randomness is touched, so
 * the same code runs in Node, in a worker and in a browser.
 */
import type { LoadedScenario } from '../scenario/loaded.js';
import { initialState } from './model.js';
import { recordStep, reporterTable, sourceArrays, type Reporter } from './record.js';
import type { RunEvent } from './state.js';
import { step } from './step.js';
import { buildWorld, type World } from './world.js';

export interface RunResult {
  world: World;
  seed: number;
  /** What each column of `values` is. */
  reporters: Reporter[];
  /** Time (decimal year) of each recorded step, 0..steps. */
  times: Float64Array;
  /** Row-major: `values[step * reporters.length + r]`. */
  values: Float64Array;
  events: RunEvent[];
}

/**
 * Runs a scenario with a seed (the scenario's own seed when none is given). `columns` restricts recording to
 * those reporters (indices into the world's full reporter table), and `events: false` skips the event list, as
 * ensembles do; neither changes the run.
 */
export function simulate(loaded: LoadedScenario | World, seed?: number, columns?: readonly number[], options: { events?: boolean } = {}): RunResult {
  const world = 'params' in loaded ? loaded : buildWorld(loaded);
  const runSeed = seed ?? world.scenario.seed;
  const { state, scratch } = initialState(world, runSeed);
  state.recordEvents = options.events ?? true;
  const table = reporterTable(world, columns);
  const arrays = sourceArrays(state);
  const width = table.reporters.length;
  const times = new Float64Array(world.steps + 1);
  const values = new Float64Array((world.steps + 1) * width);
  times[0] = state.time;
  recordStep(state, table, arrays, values, 0);
  for (let k = 1; k <= world.steps; k++) {
    step(state, scratch);
    times[k] = state.time;
    recordStep(state, table, arrays, values, k * width);
  }
  return { world, seed: runSeed, reporters: table.reporters, times, values, events: state.events };
}

/** The value of one variable at every step, or undefined if the run does not record it. */
export function series(run: RunResult, entity: string, variable: string): Float64Array | undefined {
  const r = run.reporters.findIndex((x) => x.entity === entity && x.variable === variable);
  if (r < 0) return undefined;
  const width = run.reporters.length;
  return Float64Array.from(run.times, (_, k) => run.values[k * width + r]);
}
