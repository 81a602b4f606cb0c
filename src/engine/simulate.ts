/**
 * A run: a pure function of (scenario, seed). No file, console, clock or global randomness is touched, so
 * the same code runs in Node, in a worker and in a browser.
 */
import type { LoadedScenario } from '../scenario/loaded.js';
import { initialState, type RunState } from './model.js';
import { recordStep, reporterTable, slabOffsets, SOURCES, type Reporter, type ReporterTable } from './record.js';
import type { RunEvent } from './state.js';
import { allFinite, firstNotFinite, RunOverflow } from './overflow.js';
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
 * Runs one world for many seeds, reusing one state and one output buffer (allocating a state cost more than a
 * fifth of a run). Each run equals `simulate(world, seed, columns, options)`; its result's arrays belong to the
 * runner and are overwritten by the next run.
 */
export class Runner {
  world: World;
  private readonly columns?: readonly number[];
  private readonly table: ReporterTable;
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  /** Whether any column reads the attribution arrays (see `State.attribution`). */
  private readonly attribution: boolean;
  private current?: RunState;
  private at: Int32Array = new Int32Array(0);

  constructor(world: World, columns?: readonly number[]) {
    this.world = world;
    this.columns = columns;
    this.table = reporterTable(world, columns);
    this.times = new Float64Array(world.steps + 1);
    this.values = new Float64Array((world.steps + 1) * this.table.reporters.length);
    const reads = (name: (typeof SOURCES)[number]) => this.table.source.includes(SOURCES.indexOf(name));
    this.attribution = reads('channels') || reads('spill');
  }

  /**
   * Makes this runner another world's, keeping its buffers and state, when that world has the same shape, records the
   * same table and has the same compiled formulas (a sweep's next design point: other values, the same scenario's
   * states, sectors and formulas); each run is then the same as a new runner's. A new runner's allocations were a fifth
   * of the cost of a one-run design point. Returns whether it did; when not, nothing changed.
   */
  retarget(world: World): boolean {
    // the same compiled formulas too: the step scratch holds the utility formula's scope, or none
    if (reporterTable(world, this.columns) !== this.table || world.steps !== this.world.steps || world.formulas !== this.world.formulas) return false;
    if (this.current && !this.current.state.rebind(world)) return false;
    this.world = world;
    return true;
  }

  run(seed: number, options: { events?: boolean } = {}): RunResult {
    const { world, table, times, values } = this;
    const fresh = !this.current;
    const { state, scratch } = (this.current = initialState(world, seed, this.current));
    if (fresh) this.at = slabOffsets(state, table);
    state.recordEvents = options.events ?? true;
    state.attribution = this.attribution;
    const at = this.at;
    const width = table.reporters.length;
    times[0] = state.time;
    recordStep(state, table, at, values, 0);
    for (let k = 1; k <= world.steps; k++) {
      step(state, scratch);
      times[k] = state.time;
      recordStep(state, table, at, values, k * width);
    }
    // what is recorded, at every step, and every recordable value at the end (outcomes are read from there, also when
    // nothing is recorded): a value gone infinite or NaN is not written out
    const n = (world.steps + 1) * width;
    if (!allFinite(values, n) || !sourcesFinite(state)) this.overflow(state, seed, n);
    return { world, seed, reporters: table.reporters, times, values, events: state.events };
  }

  /** Throws the RunOverflow that `run` found: the first value not finite, recorded or at the end. */
  private overflow(state: RunState['state'], seed: number, n: number): never {
    const { world, table, times, values } = this;
    const width = table.reporters.length;
    const i = firstNotFinite(values, n);
    if (i >= 0) {
      const r = table.reporters[i % width];
      throw new RunOverflow(r.entity, r.variable, times[Math.floor(i / width)], values[i], seed);
    }
    const all = reporterTable(world);
    const offsets = slabOffsets(state, all);
    const r = all.reporters.findIndex((_, c) => !Number.isFinite(state.slab[offsets[c]]));
    if (r >= 0) throw new RunOverflow(all.reporters[r].entity, all.reporters[r].variable, state.time, state.slab[offsets[r]], seed);
    // a value of a source no reporter reads
    const name = SOURCES.find((x) => !allFinite(state[x]))!;
    const k = firstNotFinite(state[name]);
    throw new RunOverflow('the state', `${name}[${k}]`, state.time, state[name][k], seed);
  }
}

/** Whether every value the recorder can read is finite (a loop, not `every`: no closure a run). */
function sourcesFinite(state: RunState['state']): boolean {
  for (let s = 0; s < SOURCES.length; s++) if (!allFinite(state[SOURCES[s]])) return false;
  return true;
}

/**
 * Runs a scenario with a seed (the scenario's own seed when none is given). `columns` restricts recording to
 * those reporters (indices into the world's full reporter table), and `events: false` skips the event list, as
 * ensembles do; neither changes the run.
 */
export function simulate(loaded: LoadedScenario | World, seed?: number, columns?: readonly number[], options: { events?: boolean } = {}): RunResult {
  const world = 'params' in loaded ? loaded : buildWorld(loaded);
  return new Runner(world, columns).run(seed ?? world.scenario.seed, options);
}

/** The value of one variable at every step, or undefined if the run does not record it. */
export function series(run: RunResult, entity: string, variable: string): Float64Array | undefined {
  const r = run.reporters.findIndex((x) => x.entity === entity && x.variable === variable);
  if (r < 0) return undefined;
  const width = run.reporters.length;
  return Float64Array.from(run.times, (_, k) => run.values[k * width + r]);
}
